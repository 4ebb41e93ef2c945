"""The demo's invoices: issued through the services, with a credit note, once."""

from __future__ import annotations

from crownline.billing.models import Invoice
from crownline.demo.money_invoices import seed_invoices
from crownline.demo.seed import seed
from crownline.documents.invoices import invoice_html
from crownline.tenancy.models import Lab


def test_the_demo_lab_gets_invoices_a_credit_note_and_a_payment_code_once(db):
    seed()
    lab = Lab.objects.get(slug="demo-dental-lab")
    seed_invoices(lab)
    seed_invoices(lab)
    issued = Invoice.objects.filter(lab=lab, kind="invoice")
    assert issued.exists()
    assert Invoice.objects.filter(lab=lab, kind="credit_note").count() == 1
    for invoice in issued:
        billed = set(invoice.lines.exclude(order=None).values_list("order__invoice_number", flat=True))
        assert billed == {invoice.number}
    assert 'class="qr"' in invoice_html(issued.first().snapshot)
