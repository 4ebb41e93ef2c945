"""Sending an order to a partner lab: the lines, their mapping, the partner's prices as the
sender's cost, both histories, and the refusals that change nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crownline.customers.models import Customer
from crownline.errors import Conflict, Forbidden, InvalidInput
from crownline.orders.models import Order
from crownline.outsourcing import links, sending
from crownline.outsourcing.models import Handoff
from crownline.pricing.models import Pricebook, PricebookLink, PricebookPrice
from crownline.roles import Role
from tests.factories import CustomerFactory, ServiceFactory, make_order


def test_lab_a_admin_sends_a_published_order_and_lab_b_gets_a_published_order_of_its_own(cast, order_in, send):
    order = order_in("published")
    handoff = send(order, note="Please mill in zirconia")
    theirs = handoff.partner_order
    assert theirs.lab == cast.lab_b and theirs.status == "published" and theirs.outsourced_from == order
    assert theirs.customer.partner_lab == cast.lab_a and theirs.customer.name == cast.lab_a.name
    assert theirs.patient.name == order.patient.name and theirs.patient.lab == cast.lab_b
    assert theirs.notes == "Please mill in zirconia"
    (line,) = theirs.lines.all()
    (mine,) = order.lines.all()
    assert (line.service.lab, line.quantity, line.teeth, line.shade) == (
        cast.lab_b,
        mine.quantity,
        mine.teeth,
        mine.shade,
    )


def test_the_partners_prices_for_lab_a_are_lab_as_cost(cast, order_in, send, partner_service):
    # Lab B gives lab A (its customer record, made on first use) 10 % off.
    customer = sending.partner_customer(cast.lab_b, cast.lab_a, "admin-a@example.com")
    book = Pricebook.objects.create(lab=cast.lab_b, name="Partners")
    PricebookPrice.objects.create(pricebook=book, service=partner_service, rule="percent_off", value=Decimal("10"))
    PricebookLink.objects.create(pricebook=book, customer=customer)
    handoff = send(order_in("production"))
    theirs = handoff.partner_order
    assert theirs.customer == customer
    assert theirs.lines.get().unit_price == Decimal("54.000")

    assert sending.handoff_view(handoff, Role.ADMIN)["cost"] == theirs.total == Decimal("54.000")
    assert sending.handoff_view(handoff, Role.TECHNICIAN)["cost"] is None


def test_both_histories_record_the_hand_off(cast, order_in, send):
    order = order_in("published")
    version = order.version
    theirs = send(order).partner_order
    order.refresh_from_db()
    assert order.version == version + 1
    mine = order.events.get(action="outsource")
    assert mine.data == {"lab": cast.lab_b.name, "order": theirs.number, "lines": [1], "files": 0}
    received = theirs.events.get(action="received-from-partner")
    assert received.actor is None
    assert received.data["lab"] == cast.lab_a.name and received.data["order"] == order.number


def test_some_lines_only_and_a_chosen_service(cast, linked, partner_service):
    order = make_order(cast.admin_a, cast.customer_a1, status="published", service=cast.service_a, lines=2)
    other = ServiceFactory(lab=cast.lab_b, name="Something else", price=Decimal("30.00"))
    second = order.lines.order_by("position")[1]
    handoff = sending.send_order(
        cast.admin_a, order.number, partner="lab-b", lines=[sending.LineChoice(second.pk, other.pk)]
    )
    (line,) = handoff.partner_order.lines.all()
    assert line.service == other and line.teeth == second.teeth
    assert handoff.lines == [
        {
            "line": second.pk,
            "position": 2,
            "service": cast.service_a.name,
            "partner_service": "Something else",
            "quantity": 1,
        }
    ]


def test_a_line_without_a_matching_partner_service_is_refused_naming_the_line(cast, order_in, linked):
    order = order_in("published")
    with pytest.raises(InvalidInput) as refused:
        sending.send_order(
            cast.admin_a, order.number, partner="lab-b", lines=[sending.LineChoice(order.lines.get().pk)]
        )
    assert refused.value.field == "lines[0].service" and cast.service_a.name in refused.value.message
    _assert_nothing_sent(order)


def _assert_nothing_sent(order):
    fresh = Order.objects.get(pk=order.pk)
    assert fresh.version == order.version
    assert not Handoff.objects.exists() and not Order.objects.filter(outsourced_from=order).exists()
    assert not fresh.events.filter(action="outsource").exists()


@pytest.mark.parametrize("status", ["draft", "produced", "shipped", "cancelled"])
def test_only_published_or_production_orders_are_sent(cast, order_in, send, status):
    order = order_in(status)
    with pytest.raises(Conflict):
        send(order)
    _assert_nothing_sent(order)


def test_a_technician_may_not_send(cast, order_in, linked, partner_service):
    order = order_in("published")
    with pytest.raises(Forbidden):
        sending.send_order(cast.tech_a, order.number, partner="lab-b", lines=[sending.LineChoice(order.lines.get().pk)])
    _assert_nothing_sent(order)


def test_no_lab_sends_to_a_lab_that_has_not_accepted(cast, order_in, invited, partner_service):
    order = order_in("published")
    with pytest.raises(InvalidInput) as refused:
        sending.send_order(
            cast.admin_a, order.number, partner="lab-b", lines=[sending.LineChoice(order.lines.get().pk)]
        )
    assert refused.value.field == "partner"
    _assert_nothing_sent(order)


def test_after_the_link_ended_nothing_more_is_sent_and_the_orders_sent_stay(cast, order_in, send, linked):
    first = send(order_in("published"))
    links.end(cast.admin_b, "lab-b", linked.pk)
    order = order_in("published")
    with pytest.raises(InvalidInput):
        send(order)
    _assert_nothing_sent_after(order)
    assert Order.objects.filter(pk=first.partner_order.pk, lab=cast.lab_b).exists()


def _assert_nothing_sent_after(order):
    assert not Order.objects.filter(outsourced_from=order).exists()


def test_a_lab_b_admin_sends_back_to_lab_a_over_the_same_link(cast, linked):
    """A link is a partnership: the lab that accepted may send to the lab that invited."""

    service_b = ServiceFactory(lab=cast.lab_b, name="Bridge")
    ServiceFactory(lab=cast.lab_a, name="Bridge")
    order = make_order(cast.admin_b, CustomerFactory(lab=cast.lab_b), status="published", service=service_b)
    handoff = sending.send_order(
        cast.admin_b, order.number, partner="lab-a", lines=[sending.LineChoice(order.lines.get().pk)]
    )
    assert handoff.partner_order.lab == cast.lab_a
    assert Customer.objects.get(lab=cast.lab_a, partner_lab=cast.lab_b) == handoff.partner_order.customer


def test_the_sending_labs_customer_record_is_made_once(cast, order_in, send):
    send(order_in("published"))
    send(order_in("published"))
    assert Customer.objects.filter(lab=cast.lab_b, partner_lab=cast.lab_a).count() == 1
