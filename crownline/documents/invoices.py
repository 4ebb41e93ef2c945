"""The invoice and credit note PDF, drawn from the document's frozen snapshot, once.

The first download renders the snapshot (outside any transaction) and stores the bytes on the
invoice (`billing.invoices.store_pdf`); every later download serves those same bytes, so what
the customer received never changes, whatever happens to the lab, customer or catalogue.
An invoice in euros of a lab with an IBAN carries an EPC ("SEPA") credit transfer QR code
with its number as the remittance text: a banking app fills the transfer from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import segno
import segno.helpers
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from crownline.billing.invoices import get_invoice_for, store_pdf
from crownline.documents.options import PAPER_CSS
from crownline.documents.rendering import html_to_pdf, pdf_response
from crownline.tenancy.models import PaperSize

EPC_MAX = Decimal("999999999.99")


@dataclass(frozen=True)
class InvoiceDocument:
    doc: dict[str, Any]
    page_size: str
    qr: SafeString | None
    is_credit_note: bool


def epc_qr(snapshot: dict[str, Any]) -> segno.QRCode | None:
    """The EPC QR code of an invoice, or None: only an invoice (not a credit note), in EUR, of a
    lab with an IBAN, for an amount the standard allows (0.01 to 999,999,999.99)."""
    lab = snapshot["lab"]
    amount = Decimal(snapshot["totals"]["gross"])
    if snapshot["kind"] != "invoice" or snapshot["currency"] != "EUR" or not lab["iban"]:
        return None
    if not Decimal("0.01") <= amount <= EPC_MAX:
        return None
    bic = lab["bic"] if len(lab["bic"]) in (8, 11) else None
    try:
        return segno.helpers.make_epc_qr(
            name=lab["legal_name"][:70], iban=lab["iban"], amount=amount, text=snapshot["number"], bic=bic
        )
    except ValueError:  # an IBAN or name the standard cannot carry: the invoice prints without a code
        return None


def invoice_document(snapshot: dict[str, Any]) -> InvoiceDocument:
    qr = epc_qr(snapshot)
    paper = snapshot["lab"].get("paper_size") or PaperSize.A4
    svg = None
    if qr is not None:
        # segno writes only its own path data: the markup is safe.
        svg = mark_safe(qr.svg_inline(omitsize=True, svgclass="qr", lineclass=None))  # noqa: S308
    return InvoiceDocument(
        doc=snapshot,
        page_size=PAPER_CSS.get(PaperSize(paper), "A4"),
        qr=svg,
        is_credit_note=snapshot["kind"] == "credit_note",
    )


def invoice_html(snapshot: dict[str, Any]) -> str:
    return render_to_string("documents/invoice.html", {"d": invoice_document(snapshot)})


def invoice_pdf_bytes(user, number: str) -> tuple[str, bytes]:
    """The document's number and PDF as the caller may see it, drawn and stored the first time."""
    invoice, _ = get_invoice_for(user, number)
    if invoice.pdf is not None:
        return invoice.number, bytes(invoice.pdf)
    return invoice.number, store_pdf(invoice, html_to_pdf(invoice_html(invoice.snapshot)))


def invoice_pdf(user, number: str):
    name, data = invoice_pdf_bytes(user, number)
    return pdf_response(data, f"{name}.pdf")
