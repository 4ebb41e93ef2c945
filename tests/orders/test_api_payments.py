"""Money on an order: record and cancel payments, list them, and the payment instructions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crownline.orders import payments
from crownline.orders.models import Payment
from tests.orders.helpers import assert_refused, last_event, new_events, reload, snapshot


def pay(client, order, body=None, **headers):
    return client.post(f"/orders/{order.number}/payments", body if body is not None else {}, **headers)


# ---- record a payment -----------------------------------------------------------------


def test_a_lab_admin_records_a_part_payment(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = pay(api(cast.admin_a), order, {"amount": "40.00", "method": "bank transfer", "reference": "INV-7"})

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount"], body["method"], body["reference"]) == ("40.00", "bank transfer", "INV-7")
    assert body["voided_at"] is None
    payment = Payment.objects.get(pk=body["id"])
    assert (payment.order_id, payment.amount, payment.recorded_by) == (order.pk, Decimal("40.00"), cast.admin_a)
    fresh = reload(order)
    assert (fresh.status, fresh.amount_paid, fresh.amount_due) == ("published", Decimal("40.00"), Decimal("60.00"))
    assert fresh.version == before.version + 1
    assert new_events(order, before) == [("record-payment", "published", "published")]
    assert last_event(order).data == {
        "payment": payment.pk, "amount": "40.00", "method": "bank transfer", "reference": "INV-7"
    }


def test_a_payment_without_an_amount_pays_what_is_due_and_completes_a_delivered_order(cast, api, order_in):
    order = order_in("delivered")
    payments.record_payment(cast.admin_a, order.number, amount=Decimal("30"))
    before = snapshot(order)

    response = pay(api(cast.admin_a), order, {"method": "cash"})

    assert response.status_code == 201, response.content
    assert Decimal(response.json()["amount"]) == Decimal("70.00")
    fresh = reload(order)
    assert (fresh.status, fresh.amount_paid, fresh.amount_due) == ("completed", Decimal("100.00"), Decimal("0"))
    assert snapshot(order).payments == before.payments + 1
    assert new_events(order, before) == [("record-payment", "delivered", "completed")]


def test_a_payment_is_shown_with_two_decimals_whatever_the_client_sent(cast, api, order_in):
    order = order_in("published")

    response = pay(api(cast.admin_a), order, {"amount": 10})

    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "10.00"
    assert last_event(order).data["amount"] == "10.00"
    assert api(cast.admin_a).get(f"/orders/{order.number}/payments").json()[0]["amount"] == "10.00"


@pytest.mark.parametrize("amount", ["100.01", "1000", "0", "0.00", "-5", "-0.01"])
def test_a_lab_admin_cannot_record_a_payment_above_what_is_due_or_not_above_zero(cast, api, order_in, amount):
    order = order_in("published")
    before = snapshot(order)

    response = pay(api(cast.admin_a), order, {"amount": amount})

    assert_refused(response, 422, "amount")
    assert snapshot(order) == before
    assert Payment.objects.count() == 0


def test_a_lab_admin_cannot_pay_an_order_twice_over(cast, api, order_in):
    order = order_in("published", paid=True)
    before = snapshot(order)

    response = pay(api(cast.admin_a), order, {"amount": "0.01"})

    assert_refused(response, 422, "amount")
    assert "due" in response.json()["detail"]
    assert snapshot(order) == before


@pytest.mark.parametrize("amount", ["1.001", "lots", "NaN", "Infinity"])
def test_a_lab_admin_gets_422_for_an_amount_that_is_not_money(cast, api, order_in, amount):
    order = order_in("published")
    before = snapshot(order)

    response = pay(api(cast.admin_a), order, {"amount": amount})

    assert_refused(response, 422, "amount")
    assert snapshot(order) == before


def test_a_lab_admin_gets_422_for_a_method_over_50_characters(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = pay(api(cast.admin_a), order, {"amount": "1", "method": "m" * 51})

    assert_refused(response, 422, "method")
    assert snapshot(order) == before


def test_a_lab_admin_gets_400_for_a_payment_that_is_not_json(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)
    client = api(cast.admin_a)

    response = client.client.post(
        f"/api/v1/orders/{order.number}/payments", "amount=5", content_type="application/json", **client.headers
    )

    assert_refused(response, 400)
    assert snapshot(order) == before


def test_a_lab_admin_cannot_record_a_payment_on_a_draft(cast, api, order_in):
    order = order_in("draft")
    before = snapshot(order)

    response = pay(api(cast.admin_a), order, {"amount": "10"})

    body = assert_refused(response, 409)
    assert body["status"] == "draft"
    assert "record-payment" not in body["allowed_actions"]
    assert "publish" in body["allowed_actions"]
    assert snapshot(order) == before


def test_a_lab_admin_cannot_record_a_payment_with_a_stale_etag(cast, api, order_in):
    order = order_in("published")
    stale = order.etag
    api(cast.admin_a).patch(f"/orders/{order.number}", {"notes": "moves the version on"}, HTTP_IF_MATCH=stale)
    before = snapshot(order)

    response = pay(api(cast.admin_a), order, {"amount": "10"}, HTTP_IF_MATCH=stale)

    assert_refused(response, 412)
    assert snapshot(order) == before


def test_a_technician_cannot_record_a_payment(cast, api, order_in):
    order = order_in("delivered")
    before = snapshot(order)

    response = pay(api(cast.tech_a), order, {"amount": "10"})

    assert_refused(response, 403)
    assert snapshot(order) == before


def test_a_dentist_cannot_record_a_payment(cast, api, order_in):
    order = order_in("delivered")
    before = snapshot(order)

    response = pay(api(cast.dentist_a1), order, {"amount": "10"})

    assert_refused(response, 403)
    assert snapshot(order) == before


# ---- cancel a payment -----------------------------------------------------------------


def test_a_lab_admin_cancels_a_payment_and_a_completed_order_goes_back_to_delivered(cast, api, order_in):
    order = order_in("completed")
    payment = order.payments.get()
    before = snapshot(order)

    response = api(cast.admin_a).post(
        f"/orders/{order.number}/payments/{payment.pk}/cancel", {"reason": "cheque bounced"}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["void_reason"]) == (payment.pk, "cheque bounced")
    assert body["voided_at"] is not None
    payment.refresh_from_db()  # voided, never deleted
    assert (payment.voided_by, payment.void_reason) == (cast.admin_a, "cheque bounced")
    fresh = reload(order)
    assert (fresh.status, fresh.amount_paid, fresh.version) == ("delivered", Decimal("0.00"), before.version + 1)
    assert snapshot(order).payments == before.payments
    assert new_events(order, before) == [("cancel-payment", "completed", "delivered")]
    assert last_event(order).data == {"payment": payment.pk, "amount": "100.00", "reason": "cheque bounced"}


def test_a_lab_admin_cannot_cancel_a_payment_twice(cast, api, order_in):
    order = order_in("published", paid=True)
    payment = order.payments.get()
    payments.cancel_payment(cast.admin_a, order.number, payment.pk, reason="first")
    before = snapshot(order)

    response = api(cast.admin_a).post(f"/orders/{order.number}/payments/{payment.pk}/cancel", {"reason": "again"})

    assert_refused(response, 409)
    assert snapshot(order) == before


def test_a_lab_admin_gets_404_cancelling_a_payment_of_another_order(cast, api, order_in):
    order, other = order_in("published"), order_in("published", paid=True)
    foreign = other.payments.get()
    before, other_before = snapshot(order), snapshot(other)

    response = api(cast.admin_a).post(f"/orders/{order.number}/payments/{foreign.pk}/cancel", {"reason": "x"})

    assert_refused(response, 404)
    assert (snapshot(order), snapshot(other)) == (before, other_before)
    foreign.refresh_from_db()
    assert foreign.voided_at is None


def test_a_technician_cannot_cancel_a_payment(cast, api, order_in):
    order = order_in("completed")
    payment = order.payments.get()
    before = snapshot(order)

    response = api(cast.tech_a).post(f"/orders/{order.number}/payments/{payment.pk}/cancel", {"reason": "x"})

    assert_refused(response, 403)
    assert snapshot(order) == before
    payment.refresh_from_db()
    assert payment.voided_at is None


# ---- list payments ------------------------------------------------------------------


def test_a_lab_admin_lists_payments_including_voided_ones(cast, api, order_in):
    order = order_in("published")
    first = payments.record_payment(cast.admin_a, order.number, amount=Decimal("25"), method="cash")
    payments.cancel_payment(cast.admin_a, order.number, first.pk, reason="counted wrong")
    second = payments.record_payment(cast.admin_a, order.number, amount=Decimal("20"), method="cash")

    response = api(cast.admin_a).get(f"/orders/{order.number}/payments")

    assert response.status_code == 200
    listed = response.json()
    assert [(p["id"], p["amount"], p["void_reason"]) for p in listed] == [
        (first.pk, "25.00", "counted wrong"), (second.pk, "20.00", "")
    ]
    assert listed[0]["voided_at"] is not None and listed[1]["voided_at"] is None


def test_a_dentist_lists_the_payments_of_their_order(cast, api, order_in):
    order = order_in("published", paid=True)

    response = api(cast.dentist_a1).get(f"/orders/{order.number}/payments")

    assert response.status_code == 200
    assert [p["amount"] for p in response.json()] == ["100.00"]


def test_a_technician_cannot_list_payments(cast, api, order_in):
    order = order_in("published", paid=True)

    assert_refused(api(cast.tech_a).get(f"/orders/{order.number}/payments"), 403)


# ---- payment instructions -------------------------------------------------------------


@pytest.mark.parametrize("actor", ["admin_a", "tech_a", "dentist_a1"])
def test_everyone_who_sees_the_order_reads_its_payment_instructions(cast, api, order_in, actor):
    order = order_in("delivered")
    payments.record_payment(cast.admin_a, order.number, amount=Decimal("35.50"))
    before = snapshot(order)

    response = api(getattr(cast, actor)).get(f"/orders/{order.number}/payment-instructions")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "text": cast.lab_a.payment_instructions,
        "payment_reference": f"#{order.number}",
        "amount_due": "64.50",
        "currency": "EUR",
    }
    assert snapshot(order) == before  # reading writes no event


def test_nobody_reads_payment_instructions_of_a_cancelled_order(cast, api, order_in):
    order = order_in("cancelled")

    body = assert_refused(api(cast.dentist_a1).get(f"/orders/{order.number}/payment-instructions"), 409)

    assert body["status"] == "cancelled"
    assert "view-payment-instructions" not in body["allowed_actions"]
