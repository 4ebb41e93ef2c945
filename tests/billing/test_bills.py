"""The dentist's Bills page and the lab admin's balance pages: each sees only the money theirs to see."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from crownline.billing import balances, invoices
from crownline.billing.models import Advance
from crownline.orders.models import Order, Payment
from tests.factories import CustomerFactory, make_order

D = Decimal


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_dentist_sees_their_orders_to_pay_and_paid_their_invoices_and_balance(cast):
    to_pay = make_order(cast.admin_a, cast.customer_a1, status="delivered", service=cast.service_a)
    paid = make_order(cast.admin_a, cast.customer_a1, status="completed", service=cast.service_a)
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [paid.number])
    balances.add_advance(cast.admin_a, "lab-a", cast.customer_a1.pk, amount=D("7.00"))
    page = signed_in(cast.dentist_a1).get("/billing/bills/")
    assert page.status_code == 200
    html = page.content.decode()
    assert to_pay.display_number in html and paid.display_number in html
    assert invoice.number in html
    assert f"/billing/invoices/{invoice.number}/invoice.pdf" in html
    assert "7.00 EUR" in html  # the funds
    assert f"/billing/statements/{cast.customer_a1.pk}/" in html
    assert signed_in(cast.dentist_a1).get(f"/billing/invoices/{invoice.number}/").status_code == 200
    [account] = page.context["accounts"]
    assert [o.number for o in account["to_pay"]] == [to_pay.number]
    assert [o.number for o in account["paid"]] == [paid.number]


def test_the_dentist_never_sees_another_customers_money(cast):
    theirs = make_order(cast.admin_a, cast.customer_a2, status="delivered", service=cast.service_a)
    balances.add_advance(cast.admin_a, "lab-a", cast.customer_a2.pk, amount=D("999.00"))
    page = signed_in(cast.dentist_a1).get("/billing/bills/")
    html = page.content.decode()
    assert theirs.display_number not in html
    assert "999.00" not in html
    assert [a["customer"] for a in page.context["accounts"]] == [cast.customer_a1]


def test_staff_have_no_bills_page(cast):
    assert signed_in(cast.tech_a).get("/billing/bills/").status_code == 403
    assert signed_in(cast.admin_a).get("/billing/bills/").status_code == 403


def test_the_lab_admin_sees_every_customers_balance(cast):
    balances.add_advance(cast.admin_a, "lab-a", cast.customer_a2.pk, amount=D("12.00"))
    page = signed_in(cast.admin_a).get("/billing/balances/")
    assert page.status_code == 200
    rows = {b.customer.pk: b for b in page.context["balances"]}
    assert set(rows) == {cast.customer_a1.pk, cast.customer_a2.pk}
    assert (rows[cast.customer_a2.pk].account, rows[cast.customer_a2.pk].funds) == (D("-12.00"), D("12.00"))
    assert rows[cast.customer_a2.pk].account == balances.balance_of(cast.customer_a2).account


def test_the_balance_page_adds_funds_and_pays_an_order_from_them(cast):
    order = make_order(cast.admin_a, cast.customer_a1, status="delivered", service=cast.service_a)
    admin = signed_in(cast.admin_a)
    page = admin.get(f"/billing/balances/{cast.customer_a1.pk}/")
    assert page.status_code == 200
    assert f"/billing/pay-from-balance/{order.number}/" in page.content.decode()
    added = admin.post(f"/billing/balances/{cast.customer_a1.pk}/advances/", {"amount": "150.00", "method": "cash"})
    assert added.status_code == 302
    paid = admin.post(f"/billing/pay-from-balance/{order.number}/")
    assert paid.status_code == 302
    assert Order.objects.get(pk=order.pk).status == "completed"
    assert Payment.objects.get(order=order).from_balance


def test_the_balance_page_refuses_funds_in_the_future_next_to_the_field(cast):
    admin = signed_in(cast.admin_a)
    page = admin.post(
        f"/billing/balances/{cast.customer_a1.pk}/advances/", {"amount": "10", "received_on": "2999-01-01"}
    )
    assert page.status_code == 422
    assert page.context["form"].errors["received_on"]
    assert not Advance.objects.exists()


def test_paying_past_the_funds_from_the_page_changes_nothing(cast):
    order = make_order(cast.admin_a, cast.customer_a1, status="delivered", service=cast.service_a)
    answer = signed_in(cast.admin_a).post(f"/billing/pay-from-balance/{order.number}/", follow=True)
    assert answer.status_code == 200
    assert "funds allow at most" in answer.content.decode()
    assert not Payment.objects.exists()


def test_the_balance_pages_are_the_lab_admins(cast):
    for user in (cast.tech_a, cast.dentist_a1):
        client = signed_in(user)
        assert client.get("/billing/balances/").status_code == 403
        assert client.get(f"/billing/balances/{cast.customer_a1.pk}/").status_code == 403
    assert signed_in(cast.admin_b).get(f"/billing/balances/{cast.customer_a1.pk}/").status_code == 404


def test_the_balances_and_pending_lists_cost_the_same_queries_for_two_customers_or_six(cast):
    admin = signed_in(cast.admin_a)

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin.get(path).status_code == 200
        return len(captured)

    for customer in (cast.customer_a1, cast.customer_a2):
        make_order(cast.admin_a, customer, status="delivered", service=cast.service_a)
        balances.add_advance(cast.admin_a, "lab-a", customer.pk, amount=D("5"))
    few = {path: queries(path) for path in ("/billing/balances/", "/billing/pending/")}
    for _ in range(4):
        customer = CustomerFactory(lab=cast.lab_a)
        make_order(cast.admin_a, customer, status="delivered", service=cast.service_a)
        balances.add_advance(cast.admin_a, "lab-a", customer.pk, amount=D("5"))
    assert {path: queries(path) for path in few} == few
