"""The balance API: who sees which customer's money, adding funds, paying an order from them."""

from __future__ import annotations

from decimal import Decimal

from crownline.billing import balances
from crownline.billing.models import Advance
from crownline.orders.models import Order, Payment
from tests.factories import make_order

D = Decimal


def balance_path(customer) -> str:
    return f"/labs/lab-a/customers/{customer.pk}/balance"


def test_the_lab_admin_reads_a_customers_balance_with_its_ledger(cast, api):
    balances.add_advance(cast.admin_a, "lab-a", cast.customer_a1.pk, amount=D("80"), reference="TX-1")
    response = api(cast.admin_a).get(balance_path(cast.customer_a1))
    assert response.status_code == 200
    body = response.json()
    assert body["customer"] == {"id": cast.customer_a1.pk, "name": cast.customer_a1.name}
    assert (body["currency"], body["balance"], body["funds"], body["available"]) == ("EUR", "-80.00", "80.00", "80.00")
    assert [(r["kind"], r["amount"], r["balance"]) for r in body["ledger"]] == [("advance", "-80.00", "-80.00")]


def test_a_dentist_reads_their_own_balance_only(cast, api):
    assert api(cast.dentist_a1).get(balance_path(cast.customer_a1)).status_code == 200
    assert api(cast.dentist_a2).get(balance_path(cast.customer_a1)).status_code == 404
    assert api(cast.dentist_b).get(balance_path(cast.customer_a1)).status_code == 404


def test_a_technician_sees_no_balance(cast, api):
    response = api(cast.tech_a).get(balance_path(cast.customer_a1))
    assert response.status_code == 403
    assert "money" in response.json()["detail"]


def test_another_labs_admin_does_not_find_the_customer(cast, api):
    assert api(cast.admin_b).get(balance_path(cast.customer_a1)).status_code == 404
    assert api(cast.admin_a).get(f"/labs/lab-a/customers/{cast.customer_b.pk}/balance").status_code == 404


def test_the_ledger_can_be_read_for_a_period(cast, api):
    balances.add_advance(cast.admin_a, "lab-a", cast.customer_a1.pk, amount=D("5"))
    response = api(cast.admin_a).get(balance_path(cast.customer_a1), {"start": "2001-01-01", "end": "2001-01-31"})
    assert response.status_code == 200
    assert response.json()["ledger"] == []
    assert api(cast.admin_a).get(balance_path(cast.customer_a1), {"start": "yesterday"}).status_code == 422


def test_the_lab_admin_adds_funds_through_the_api(cast, api):
    response = api(cast.admin_a).post(
        f"{balance_path(cast.customer_a1)}/advances", {"amount": "120.50", "method": "bank transfer"}
    )
    assert response.status_code == 201
    assert (response.json()["amount"], response.json()["currency"]) == ("120.50", "EUR")
    assert balances.balance_of(cast.customer_a1).funds == D("120.50")


def test_adding_funds_refuses_bad_amounts_naming_the_field(cast, api):
    admin = api(cast.admin_a)
    for body in [
        {"amount": "0"},
        {"amount": "1.005"},
        {"amount": "99999999999999"},
        {"amount": "\u0661\u0662"},
        {"amount": 1e300},
        {"amount": "5", "received_on": "2999-01-01"},
    ]:
        response = admin.post(f"{balance_path(cast.customer_a1)}/advances", body)
        assert response.status_code == 422, body
    assert not Advance.objects.exists()


def test_a_dentist_and_a_technician_add_no_funds(cast, api):
    for user in (cast.dentist_a1, cast.tech_a):
        response = api(user).post(f"{balance_path(cast.customer_a1)}/advances", {"amount": "10"})
        assert response.status_code == 403
    assert not Advance.objects.exists()


def test_the_lab_admin_cancels_an_advance(cast, api):
    added = balances.add_advance(cast.admin_a, "lab-a", cast.customer_a1.pk, amount=D("10"))
    path = f"{balance_path(cast.customer_a1)}/advances/{added.pk}/cancel"
    response = api(cast.admin_a).post(path, {"reason": "typo"})
    assert response.status_code == 200
    assert response.json()["void_reason"] == "typo"
    assert api(cast.admin_a).post(path, {"reason": "again"}).status_code == 409


def test_an_order_is_paid_from_the_balance_through_the_payments_endpoint(cast, api):
    order = make_order(cast.admin_a, cast.customer_a1, status="delivered", service=cast.service_a)
    balances.add_advance(cast.admin_a, "lab-a", cast.customer_a1.pk, amount=D("500"))
    response = api(cast.admin_a).post(f"/orders/{order.number}/payments", {"from_balance": True})
    assert response.status_code == 201
    assert response.json()["from_balance"] is True
    assert Order.objects.get(pk=order.pk).status == "completed"
    assert balances.balance_of(cast.customer_a1).funds == D("500") - order.total


def test_paying_past_the_funds_is_a_422_on_amount(cast, api):
    order = make_order(cast.admin_a, cast.customer_a1, status="delivered", service=cast.service_a)
    response = api(cast.admin_a).post(f"/orders/{order.number}/payments", {"from_balance": True})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "amount"
    assert not Payment.objects.exists()


def test_from_balance_is_a_json_boolean(cast, api):
    order = make_order(cast.admin_a, cast.customer_a1, status="delivered", service=cast.service_a)
    response = api(cast.admin_a).post(f"/orders/{order.number}/payments", {"from_balance": "yes"})
    assert response.status_code == 422
    assert not Payment.objects.exists()


def test_a_dentist_does_not_pay_from_their_funds_themself(cast, api):
    order = make_order(cast.admin_a, cast.customer_a1, status="delivered", service=cast.service_a)
    balances.add_advance(cast.admin_a, "lab-a", cast.customer_a1.pk, amount=D("500"))
    response = api(cast.dentist_a1).post(f"/orders/{order.number}/payments", {"from_balance": True})
    assert response.status_code == 403
    assert not Payment.objects.exists()
