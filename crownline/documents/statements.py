"""The monthly statement as a printed document (PDF through the same WeasyPrint pipeline as
the order form). The statement is read first (`crownline.billing.statements`), with no
transaction open; only then is it drawn."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string

from crownline.billing.statements import Statement
from crownline.documents.options import PAPER_CSS
from crownline.documents.rendering import html_to_pdf, pdf_response
from crownline.tenancy.models import PaperSize


def statement_html(statement: Statement) -> str:
    lab = statement.lab
    return render_to_string(
        "documents/statement.html",
        {
            "s": statement,
            "lab": lab,
            "customer": statement.customer,
            "page_size": PAPER_CSS[PaperSize(lab.paper_size)],
            "today": lab.local_date(),
        },
    )


def statement_pdf(statement: Statement) -> HttpResponse:
    return pdf_response(html_to_pdf(statement_html(statement)), f"{statement.filename}.pdf")
