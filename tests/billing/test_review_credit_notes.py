"""Review findings on credit notes: the last orders of an invoice credited to zero are freed."""

from __future__ import annotations

from decimal import Decimal

from crownline.billing import credits, invoices
from crownline.billing.models import Invoice
from crownline.orders.models import Order
from tests.factories import make_order

D = Decimal


def test_an_invoice_credited_to_zero_by_an_order_frees_its_other_orders_too(cast):
    first = make_order(cast.admin_a, cast.customer_a1, status="delivered", service=cast.service_a)
    second = make_order(cast.admin_a, cast.customer_a1, status="delivered", service=cast.service_a)
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [first.number, second.number])
    # One order's worth as an amount, then the first order in full: nothing is left uncredited.
    credits.create_credit_note(cast.admin_a, invoice.number, reason="goodwill", amount=second.total)
    credits.create_credit_note(cast.admin_a, invoice.number, reason="returned", orders=[first.number])
    assert credits.remaining(Invoice.objects.get(pk=invoice.pk)).gross == 0
    # The second order is billed by nothing any more: it may be invoiced anew (or edited).
    assert Order.objects.get(pk=second.pk).invoice_number == ""
    again = invoices.create_invoice(cast.admin_a, "lab-a", [second.number])
    assert Order.objects.get(pk=second.pk).invoice_number == again.number
