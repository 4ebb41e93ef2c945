"""The sender follows the partner's order through its life cycle, without its internal data."""

from __future__ import annotations

from crownline.orders import comments, services
from crownline.orders.models import Order
from crownline.workplan import services as workplan

PATH = ["production", "produced", "shipped", "delivered"]


def _move_through_the_life_cycle(admin_b, theirs: Order) -> None:
    n = theirs.number
    lab = theirs.lab
    workplan.plan_automatically(admin_b, n)
    comments.add_comment(admin_b, n, body="Secret: our milling machine is down", internal=True)
    services.start_production(admin_b, n, production_date=lab.local_date())
    for task in Order.objects.get(number=n).tasks.all():
        workplan.set_task_done(admin_b, n, task.pk, True)
    services.produce_order(admin_b, n)
    services.ship_order(admin_b, n, tracking_number="1Z999", carrier="UPS")
    services.deliver_order(admin_b, n)


def test_each_move_of_the_partners_order_is_an_event_on_the_senders(cast, order_in, send):
    order = order_in("published")
    theirs = send(order).partner_order
    version = Order.objects.get(pk=order.pk).version
    _move_through_the_life_cycle(cast.admin_b, theirs)
    mirrored = list(order.events.filter(action="partner-status").order_by("id"))
    assert [e.data["status"] for e in mirrored] == PATH
    assert all(e.data == {"lab": cast.lab_b.name, "order": theirs.number, "status": e.data["status"]} for e in mirrored)
    assert all(e.actor is None for e in mirrored)  # nobody of lab B is named to lab A
    assert Order.objects.get(pk=order.pk).version == version  # news of the partner is no change


def test_a_cancelled_partner_order_shows_as_cancelled(cast, order_in, send):
    order = order_in("production")
    theirs = send(order).partner_order
    services.cancel_order(cast.admin_b, theirs.number, reason="cannot make it")
    assert order.events.filter(action="partner-status").get().data["status"] == "cancelled"


def test_an_order_not_sent_from_anywhere_writes_no_partner_events(cast, order_in):
    order = order_in("produced")
    assert not Order.objects.filter(events__action="partner-status").exists()
    assert order.events.filter(action="partner-status").count() == 0
