"""The invoice PDF: what it prints, its EPC payment code, and that an issued invoice never changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
import segno

from crownline.billing import credits, invoices
from crownline.billing.models import Invoice
from crownline.documents.invoices import invoice_html
from tests.billing.invoice_world import taxed_services, two_rate_order
from tests.documents.readers import pdf_text, qr_matrix

D = Decimal


@pytest.fixture
def lab_with_bank(cast):
    lab = cast.lab_a
    lab.legal_name = "Zahntechnik Nord GmbH"
    lab.legal_address = "Hauptstrasse 1\n10115 Berlin"
    lab.tax_id = "DE123456789"
    lab.iban = "DE89 3704 0044 0532 0130 00"
    lab.bic = "COBADEFFXXX"
    lab.invoice_instructions = "Thank you for your order."
    lab.save()
    cast.customer_a1.invoice_details = "Praxis Dr. Weiss\nLindenweg 5\n20095 Hamburg"
    cast.customer_a1.payment_terms_days = 14
    cast.customer_a1.save()
    return lab


@pytest.fixture
def invoice(cast, lab_with_bank):
    order = two_rate_order(
        cast, discount=("percent", "10"), patient="Erika Mustermann", crown_and_model=taxed_services(cast.lab_a)
    )
    return invoices.create_invoice(cast.admin_a, "lab-a", [order.number])


def download(api, user, number: str):
    return api(user).get(f"/invoices/{number}/invoice.pdf")


def test_the_pdf_prints_lab_customer_lines_tax_per_rate_totals_and_due_date(cast, api, invoice):
    response = download(api, cast.admin_a, invoice.number)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response.content)
    for expected in (
        "Zahntechnik Nord GmbH",
        "Hauptstrasse 1",
        "DE123456789",
        "Thank you for your order.",
        "Praxis Dr. Weiss",
        "Lindenweg 5",
        invoice.number,
        str(invoice.due_on),
        "Zirconia crown",
        "Study model",
        "Erika Mustermann",
        "11, 21",
        "A2",
        "Discount 10 %",
        "19 %",
        "7 %",
        "DE89370400440532013000",
        f"{invoice.gross:,.2f} EUR",
        f"{invoice.tax:,.2f} EUR",
        f"{invoice.net:,.2f} EUR",
    ):
        assert expected in text, expected


def test_the_epc_code_carries_the_bank_account_amount_and_invoice_number(cast, invoice):
    html = invoice_html(invoice.snapshot)
    # EPC069-12, version 002, charset 2 (ISO 8859-1), SEPA credit transfer; text remittance.
    payload = "\n".join(
        [
            "BCD",
            "002",
            "2",
            "SCT",
            "COBADEFFXXX",
            "Zahntechnik Nord GmbH",
            "DE89370400440532013000",
            f"EUR{invoice.gross:.2f}",
            "",
            "",
            invoice.number,
        ]
    ).encode("latin-1")
    expected = segno.make_qr(payload, error="m", boost_error=False)
    printed, border = qr_matrix(html)
    assert printed == [[int(bool(m)) for m in row] for row in expected.matrix]
    assert border == 4


def test_no_payment_code_without_an_iban_or_outside_euros(cast, lab_with_bank):
    lab_with_bank.iban = ""
    lab_with_bank.save()
    order = two_rate_order(cast)
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [order.number])
    assert 'class="qr"' not in invoice_html(invoice.snapshot)
    in_francs = {
        **invoice.snapshot,
        "currency": "CHF",
        "lab": {**invoice.snapshot["lab"], "iban": "CH9300762011623852957"},
    }
    assert 'class="qr"' not in invoice_html(in_francs)


def test_a_credit_note_prints_the_invoice_it_credits_and_its_reason_without_a_payment_code(cast, api, invoice):
    note = credits.create_credit_note(cast.admin_a, invoice.number, reason="Crown remade at our cost")
    assert 'class="qr"' not in invoice_html(note.snapshot)
    text = pdf_text(download(api, cast.admin_a, note.number).content)
    assert "Credit note" in text and note.number in text and invoice.number in text
    assert "Crown remade at our cost" in text


def test_the_pdf_of_an_issued_invoice_never_changes(cast, api, invoice):
    first = download(api, cast.dentist_a1, invoice.number).content
    totals = (invoice.net, invoice.tax, invoice.gross)
    lab = cast.lab_a
    lab.legal_name, lab.iban, lab.invoice_instructions = "Renamed Lab AG", "", "New terms"
    lab.save()
    cast.customer_a1.invoice_details = "Someone else"
    cast.customer_a1.save()
    for line in invoice.lines.exclude(order=None).select_related("order"):
        for order_line in line.order.lines.select_related("service"):
            order_line.service.name = f"Renamed service {order_line.service.pk}"
            order_line.service.save()

    again = download(api, cast.admin_a, invoice.number).content

    assert again == first
    stored = Invoice.objects.get(pk=invoice.pk)
    assert bytes(stored.pdf) == first
    assert (stored.net, stored.tax, stored.gross) == totals
    text = pdf_text(again)
    assert "Zahntechnik Nord GmbH" in text and "Renamed" not in text and "Someone else" not in text


def test_a_pdf_drawn_first_after_the_changes_still_prints_what_was_issued(cast, api, invoice):
    cast.lab_a.legal_name = "Renamed Lab AG"
    cast.lab_a.save()
    text = pdf_text(download(api, cast.admin_a, invoice.number).content)
    assert "Zahntechnik Nord GmbH" in text and "Renamed Lab AG" not in text


def test_the_model_refuses_to_change_an_issued_invoice(cast, invoice):
    issued_gross = invoice.gross
    invoice.gross = D("1.00")
    with pytest.raises(RuntimeError):
        invoice.save()
    with pytest.raises(RuntimeError):
        invoice.delete()
    line = invoice.lines.first()
    line.net = D("0")
    with pytest.raises(RuntimeError):
        line.save()
    fresh = Invoice.objects.get(pk=invoice.pk)
    fresh.pdf = b"%PDF-first"
    fresh.save(update_fields=["pdf"])  # the one write: the PDF, the first time
    fresh.pdf = b"%PDF-second"
    with pytest.raises(RuntimeError):
        fresh.save(update_fields=["pdf"])
    assert bytes(Invoice.objects.get(pk=invoice.pk).pdf) == b"%PDF-first"
    assert Invoice.objects.get(pk=invoice.pk).gross == issued_gross
