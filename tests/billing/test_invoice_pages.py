"""The invoice pages: the list and its filters, the create page, the detail with its credit-note form."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from crownline.billing import credits, invoices
from crownline.billing.models import Invoice
from crownline.orders.models import Order
from tests.factories import make_order

D = Decimal


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def delivered(cast, customer=None) -> Order:
    return make_order(cast.admin_a, customer or cast.customer_a1, status="delivered", service=cast.service_a)


def test_the_admin_ticks_a_customers_orders_and_issues_an_invoice(cast):
    first, second = delivered(cast), delivered(cast)
    delivered(cast, cast.customer_a2)
    admin = signed_in(cast.admin_a)
    page = admin.get(f"/billing/invoices/new/?customer={cast.customer_a1.pk}")
    assert page.status_code == 200
    assert first.display_number in page.content.decode() and second.display_number in page.content.decode()
    response = admin.post(
        "/billing/invoices/new/", {"customer": cast.customer_a1.pk, "orders": [first.number, second.number]}
    )
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/billing/invoices/{invoice.number}/"
    detail = admin.get(response["Location"]).content.decode()
    assert invoice.number in detail and "200.00 EUR" in detail
    assert f"/billing/invoices/{invoice.number}/invoice.pdf" in detail


def test_a_refused_invoice_shows_why_and_issues_nothing(cast):
    mine, theirs = delivered(cast), delivered(cast, cast.customer_a2)
    response = signed_in(cast.admin_a).post("/billing/invoices/new/", {"orders": [mine.number, theirs.number]})
    assert response.status_code == 422
    assert "one customer" in response.content.decode()
    assert not Invoice.objects.exists()


def test_invoice_last_month_button(cast):
    _, last = invoices.last_month(cast.lab_a)
    order = delivered(cast)
    Order.objects.filter(pk=order.pk).update(delivered_on=last)
    response = signed_in(cast.admin_a).post("/billing/invoices/new/", {"action": "last-month"}, follow=True)
    invoice = Invoice.objects.get()
    assert invoice.gross == order.total
    assert "1 invoice issued" in response.content.decode()


def test_the_list_filters_by_customer_and_kind(cast):
    a1 = invoices.create_invoice(cast.admin_a, "lab-a", [delivered(cast).number])
    a2 = invoices.create_invoice(cast.admin_a, "lab-a", [delivered(cast, cast.customer_a2).number])
    note = credits.create_credit_note(cast.admin_a, a1.number, reason="remake", amount=D("5.00"))
    admin = signed_in(cast.admin_a)
    everything = admin.get("/billing/invoices/").content.decode()
    assert all(n in everything for n in (a1.number, a2.number, note.number))
    only_a2 = admin.get(f"/billing/invoices/?customer={cast.customer_a2.pk}").content.decode()
    assert a2.number in only_a2 and a1.number not in only_a2
    notes = admin.get("/billing/invoices/?kind=credit_note").content.decode()
    assert f">{note.number}<" in notes and f">{a2.number}<" not in notes
    partly = admin.get("/billing/invoices/?status=partly_credited").content.decode()
    assert f">{a1.number}<" in partly and f">{a2.number}<" not in partly


def test_the_credit_note_form_credits_an_amount_and_shows_refusals_next_to_the_field(cast):
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [delivered(cast).number])
    admin = signed_in(cast.admin_a)
    url = f"/billing/invoices/{invoice.number}/credit-notes/"
    refused = admin.post(url, {"how": "amount", "amount": "100.01", "reason": "too much"})
    assert refused.status_code == 422
    assert "still uncredited" in refused.content.decode()
    assert not Invoice.objects.filter(kind="credit_note").exists()
    done = admin.post(url, {"how": "amount", "amount": "10", "reason": "goodwill"})
    note = Invoice.objects.get(kind="credit_note")
    assert done["Location"] == f"/billing/invoices/{note.number}/"
    assert note.gross == D("10.00")
    page = admin.get(f"/billing/invoices/{invoice.number}/").content.decode()
    assert note.number in page and "90.00 EUR" in page


def test_the_dentist_opens_their_invoice_without_the_credit_note_form(cast):
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [delivered(cast).number])
    page = signed_in(cast.dentist_a1).get(f"/billing/invoices/{invoice.number}/")
    assert page.status_code == 200
    assert "Issue a credit note" not in page.content.decode()
    assert signed_in(cast.dentist_a2).get(f"/billing/invoices/{invoice.number}/").status_code == 404
    assert signed_in(cast.tech_a).get(f"/billing/invoices/{invoice.number}/").status_code == 403
    assert signed_in(cast.tech_a).get("/billing/invoices/").status_code == 403


def test_odd_input_in_forms_and_urls_is_refused_not_crashed(cast):
    admin = signed_in(cast.admin_a)
    for orders in (["\x00"], ["\u0663" * 10], ["1" * 400]):
        response = admin.post("/billing/invoices/new/", {"orders": orders})
        assert response.status_code == 422, orders
    assert admin.get("/billing/invoices/LAB-A%00/").status_code == 404
    assert admin.get("/billing/invoices/" + "9" * 100 + "/invoice.pdf").status_code == 404
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [delivered(cast).number])
    url = f"/billing/invoices/{invoice.number}/credit-notes/"
    for amount in ("NaN", "1e999999", "-5", "\u0661\u0660"):
        response = admin.post(url, {"how": "amount", "amount": amount, "reason": "odd"})
        assert response.status_code == 422, amount
    assert not Invoice.objects.filter(kind="credit_note").exists()
