"""Copying an order (issue 13): a new Draft of the same customer, priced anew, its history
naming the source; who may copy, and what a refusal leaves."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crownline.catalog.models import Service
from crownline.orders import drafting
from crownline.orders.drafting import LineInput, OrderInput
from crownline.orders.models import Order, OrderEvent
from crownline.pricing import services as pricing
from crownline.pricing.services import PricebookInput, PriceInput
from tests.factories import PatientFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def _copy(api, user, order, body=None):
    return api(user).post(f"/orders/{order.number}/copy", body or {})


def test_dentist_copies_their_delivered_order_as_a_draft_for_the_same_patient(cast, api, order_in):
    order = order_in("delivered")
    response = _copy(api, cast.dentist_a1, order)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["copied_from"] == order.number
    assert body["customer"]["id"] == cast.customer_a1.pk
    assert body["patient"]["id"] == order.patient_id
    assert [(ln["service"]["id"], ln["teeth"], ln["shade"]) for ln in body["lines"]] == [
        (line.service_id, line.teeth, line.shade) for line in order.lines.all()
    ]
    assert body["due_date"] is None
    copy = Order.objects.get(number=body["number"])
    kinds = list(copy.events.values_list("action", flat=True))
    assert kinds == ["create", "copied-from"]
    assert copy.events.get(action="copied-from").data == {"order": order.number, "files": 0}
    # The source is not changed: same version, no new entry.
    source = Order.objects.get(pk=order.pk)
    assert source.version == order.version
    assert source.events.count() == order.events.count()


def test_lab_admin_copies_for_a_new_patient(cast, api, order_in):
    order = order_in("shipped")
    response = _copy(api, cast.admin_a, order, {"patient_name": "New Patient"})
    assert response.status_code == 201, response.content
    assert response.json()["patient"]["name"] == "New Patient"
    assert response.json()["customer"]["id"] == cast.customer_a1.pk


def test_a_copy_is_priced_at_todays_prices(cast, api, order_in):
    order = order_in("completed")
    Service.objects.filter(pk=cast.service_a.pk).update(price=Decimal("150.00"))
    response = _copy(api, cast.admin_a, order)
    assert response.json()["lines"][0]["unit_price"] == "150.00"
    assert response.json()["total"] == "150.00"


def test_a_copy_takes_the_pricebook_of_today(cast, api, order_in):
    order = order_in("delivered")
    pricing.create_pricebook(
        cast.admin_a,
        "lab-a",
        PricebookInput(
            name="Gold",
            customers=[cast.customer_a1.pk],
            prices=[PriceInput(service=cast.service_a.pk, rule="percent_off", value=Decimal("10"))],
        ),
    )
    response = _copy(api, cast.dentist_a1, order)
    line = response.json()["lines"][0]
    assert line["unit_price"] == "90.00"
    assert "Gold" in line["price_note"]


def test_only_the_lines_chosen_are_copied(cast, api, order_in):
    order = order_in("delivered", lines=2)
    second = order.lines.all()[1]
    response = _copy(api, cast.admin_a, order, {"lines": [second.pk]})
    assert [ln["teeth"] for ln in response.json()["lines"]] == [second.teeth]


def test_a_retired_service_is_refused_naming_it_and_nothing_is_made(cast, api, order_in):
    order = order_in("delivered")
    Service.objects.filter(pk=cast.service_a.pk).update(is_active=False)
    before = Order.objects.count()
    response = _copy(api, cast.admin_a, order)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lines"
    assert cast.service_a.name in response.json()["detail"]
    assert Order.objects.count() == before


def test_unknown_lines_and_both_patient_fields_are_refused(cast, api, order_in):
    order = order_in("delivered")
    before = Order.objects.count()
    assert _copy(api, cast.admin_a, order, {"lines": [999999]}).json()["errors"][0]["field"] == "lines"
    other = PatientFactory(customer=cast.customer_a1)
    both = _copy(api, cast.admin_a, order, {"patient": other.pk, "patient_name": "X"})
    assert both.status_code == 422
    assert both.json()["errors"][0]["field"] == "patient_name"
    # Another customer's patient is not this customer's.
    foreign = PatientFactory(customer=cast.customer_a2)
    assert _copy(api, cast.admin_a, order, {"patient": foreign.pk}).status_code == 422
    assert Order.objects.count() == before


def test_technician_may_not_copy(cast, api, order_in):
    order = order_in("delivered")
    before = Order.objects.count()
    assert _copy(api, cast.tech_a, order).status_code == 403
    assert Order.objects.count() == before


@pytest.mark.parametrize("who", ["dentist_a2", "admin_b", "dentist_b"])
def test_nobody_else_finds_the_order_to_copy(cast, api, order_in, who):
    order = order_in("delivered")
    before = Order.objects.count()
    assert _copy(api, getattr(cast, who), order).status_code == 404
    assert Order.objects.count() == before


def test_huge_and_odd_inputs_are_refused_with_the_field(cast, api, order_in):
    order = order_in("delivered")
    assert _copy(api, cast.admin_a, order, {"files": [10**30]}).status_code == 422
    assert _copy(api, cast.admin_a, order, {"lines": ["\u0661"]}).status_code == 422
    assert _copy(api, cast.admin_a, order, {"patient_name": "   "}).status_code == 422
    assert _copy(api, cast.admin_a, order, {"unknown": 1}).status_code == 422
    assert api(cast.admin_a).client.post(
        f"/api/v1/orders/{order.number}/copy", "{not json", content_type="application/json", **api(cast.admin_a).headers
    ).status_code in (400, 422)
    assert OrderEvent.objects.filter(action="copied-from").count() == 0


def test_copy_of_a_draft_without_lines_is_refused(cast, api):
    empty = drafting.create_order(cast.dentist_a1, OrderInput(patient_name="P"), lab_slug="lab-a")
    response = _copy(api, cast.dentist_a1, empty)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lines"


def test_a_copy_of_an_order_with_a_second_service_keeps_both(cast, api):
    other = ServiceFactory(lab=cast.lab_a, price=Decimal("20.00"))
    src = drafting.create_order(
        cast.dentist_a1,
        OrderInput(
            patient_name="P",
            notes="Check bite",
            lines=[
                LineInput(service=cast.service_a.pk, quantity=2, teeth=[11, 21], shade="A1"),
                LineInput(service=other.pk, teeth=[36]),
            ],
        ),
        lab_slug="lab-a",
    )
    body = _copy(api, cast.dentist_a1, src).json()
    assert [(ln["quantity"], ln["teeth"]) for ln in body["lines"]] == [(2, [11, 21]), (1, [36])]
    assert body["notes"] == "Check bite"
    assert body["total"] == "220.00"
