"""Remakes (issue 13): a new Draft linked to the original, with a reason and who pays; who pays
sets its prices; both histories keep it; the remake rate reads them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crownline.errors import InvalidInput
from crownline.orders import remakes, services
from crownline.orders.models import Order
from crownline.orders.remakes import RemakeInput, remake_rate

pytestmark = pytest.mark.django_db


def _remake(api, user, order, **body):
    return api(user).post(f"/orders/{order.number}/remakes", {"reason": "fit", "payer": "customer", **body})


def test_dentist_asks_for_a_remake_of_a_delivered_order_at_their_prices(cast, api, order_in):
    order = order_in("delivered")
    response = _remake(api, cast.dentist_a1, order, note="Too tight on 11")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["remake"] == {"of": order.number, "reason": "fit", "payer": "customer"}
    assert body["total"] == "100.00"
    assert body["notes"].startswith("Remake (Fit): Too tight on 11")
    remake = Order.objects.get(number=body["number"])
    assert remake.events.get(action="remake-of").data == {
        "order": order.number,
        "reason": "fit",
        "payer": "customer",
        "note": "Too tight on 11",
    }
    original = Order.objects.get(pk=order.pk)
    created = original.events.get(action="remake-created")
    assert created.data == {"order": remake.number, "reason": "fit", "payer": "customer"}
    assert original.version == order.version  # a remake does not change the original


def test_lab_admin_makes_a_remake_the_lab_pays_at_zero_with_a_note(cast, api, order_in):
    order = order_in("produced")
    body = _remake(api, cast.admin_a, order, payer="lab", reason="shade").json()
    line = body["lines"][0]
    assert (line["unit_price"], line["list_price"], line["price_note"]) == ("0.00", "100.00", remakes.PAID_BY_LAB)
    assert body["total"] == "0.00"
    assert body["remake"]["payer"] == "lab"


def test_a_shared_remake_is_half_price(cast, api, order_in):
    order = order_in("completed")
    body = _remake(api, cast.admin_a, order, payer="shared").json()
    assert body["discount"] == {"kind": "percent", "value": "50.00", "amount": "50.00"}
    assert body["total"] == "50.00"


def test_a_dentist_may_not_make_the_lab_pay(cast, api, order_in):
    order = order_in("delivered")
    before = Order.objects.count()
    for payer in ("lab", "shared"):
        response = _remake(api, cast.dentist_a1, order, payer=payer)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "payer"
    assert Order.objects.count() == before
    assert not order.events.filter(action="remake-created").exists()


def test_status_rules_for_remakes(cast, api, order_in):
    produced = order_in("produced")
    assert _remake(api, cast.dentist_a1, produced).status_code == 409  # the dentist has not received it
    assert _remake(api, cast.tech_a, produced).status_code == 403
    published = order_in("published")
    assert _remake(api, cast.admin_a, published).status_code == 409
    assert Order.objects.filter(remake_of__isnull=False).count() == 0


@pytest.mark.parametrize("who", ["dentist_a2", "admin_b", "dentist_b"])
def test_nobody_else_finds_the_order_to_remake(cast, api, order_in, who):
    order = order_in("delivered")
    assert _remake(api, getattr(cast, who), order).status_code == 404
    assert api(getattr(cast, who)).get(f"/orders/{order.number}/remakes").status_code == 404


def test_bad_reason_and_payer_name_their_field(cast, api, order_in):
    order = order_in("delivered")
    assert _remake(api, cast.admin_a, order, reason="bad").status_code == 422
    assert _remake(api, cast.admin_a, order, payer="nobody").status_code == 422
    assert _remake(api, cast.admin_a, order, note="x" * 1001).status_code == 422
    assert Order.objects.filter(remake_of=order).count() == 0
    # The service names the field too, for callers other than the API.
    with pytest.raises(InvalidInput) as refused:
        remakes.remake_order(cast.admin_a, order.number, RemakeInput(reason="fit", payer="x"))
    assert refused.value.field == "payer"


def test_the_original_lists_its_remakes_to_whoever_may_see_them(cast, api, order_in):
    order = order_in("delivered")
    first = _remake(api, cast.admin_a, order, reason="shade").json()["number"]
    second = _remake(api, cast.dentist_a1, order, reason="breakage").json()["number"]
    for who in ("admin_a", "tech_a", "dentist_a1"):
        listed = api(getattr(cast, who)).get(f"/orders/{order.number}/remakes")
        assert [r["number"] for r in listed.json()] == [first, second]
    assert api(cast.tech_a).get(f"/orders/{order.number}/remakes").json()[0]["total"] is None


def test_the_order_page_shows_the_remakes_and_the_original(cast, api, order_in, client):
    order = order_in("delivered")
    number = _remake(api, cast.admin_a, order, reason="shade", payer="lab").json()["number"]
    client.force_login(cast.dentist_a1)
    original_page = client.get(f"/orders/{order.number}/").content.decode()
    assert f"#{number}" in original_page and "Remakes:" in original_page
    remake_page = client.get(f"/orders/{number}/").content.decode()
    assert "Remake of" in remake_page and "paid by the lab" in remake_page


def test_remake_rate_counts_orders_remade_and_not_cancelled_remakes(cast, order_in):
    orders = [order_in("delivered") for _ in range(4)]
    remade = remakes.remake_order(cast.admin_a, orders[0].number, RemakeInput(reason="fit", payer="lab"))
    withdrawn = remakes.remake_order(cast.admin_a, orders[1].number, RemakeInput(reason="fit", payer="customer"))
    services.cancel_order(cast.admin_a, withdrawn.number, reason="not needed")
    qs = Order.objects.filter(pk__in=[o.pk for o in orders])
    result = remake_rate(qs)
    assert (result.orders, result.remade, result.rate) == (4, 1, Decimal("25.00"))
    assert remakes.rate(0, 0) is None
    assert remade.remake_of_id == orders[0].pk
