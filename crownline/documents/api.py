"""Print endpoints: the order form (PDF and its HTML preview) and the box label.

Each one checks its input, reads the order as the caller may see it (`content`), and only
then renders: no transaction is open and no row is locked while WeasyPrint works.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from crownline.documents import content, rendering
from crownline.documents.options import SECTION_NAMES, LabelSize, parse_label_size, parse_paper, parse_sections
from crownline.schemas import ErrorOut, any_case
from crownline.tenancy.models import PaperSize

router = Router(tags=["printing"])

ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
PDF_ERRORS = {**ERRORS, 503: ErrorOut}


def _documented(media_type: str, what: str) -> dict:
    body = {"type": "string", "format": "binary"} if media_type == "application/pdf" else {"type": "string"}
    return {"responses": {200: {"description": what, "content": {media_type: {"schema": body}}}}}


# What `documents.options` accepts, declared (not enforced: the options' own 422 names the allowed
# values): names in any case, separated by commas, with spaces around them.
_NAME = f"({'|'.join(any_case(name) for name in SECTION_NAMES)})"
SECTIONS_PATTERN = rf"^[\s,]*({_NAME}(\s*,[\s,]*{_NAME})*)?[\s,]*$"
PAPER_PATTERN = rf"^\s*({'|'.join(any_case(p) for p in PaperSize.values)})\s*$"
LABEL_PATTERN = rf"^$|^\s*({'|'.join(any_case(s.value) for s in LabelSize)})\s*$"


class PrintParams(Schema):
    sections: str | None = Field(
        None,
        max_length=200,
        description=f"comma-separated, from: {', '.join(SECTION_NAMES)}. Omitted: all; empty: the header alone",
        json_schema_extra={"pattern": SECTIONS_PATTERN},
    )
    paper: str | None = Field(
        None, max_length=20, description=f"{' or '.join(PaperSize.values)}; omitted: the lab's paper size setting",
        json_schema_extra={"pattern": PAPER_PATTERN},
    )


class LabelParams(Schema):
    size: str | None = Field(
        None, max_length=20, description=f"{' or '.join(s.value for s in LabelSize)} (default {LabelSize.SMALL})",
        json_schema_extra={"pattern": LABEL_PATTERN},
    )


def _order_form(request: HttpRequest, number: str, params: PrintParams) -> content.OrderForm:
    sections, paper = parse_sections(params.sections), parse_paper(params.paper)
    return content.order_form(request.user, number, sections=sections, paper=paper)


@router.get(
    "/{number}/print.pdf", response=PDF_ERRORS, openapi_extra=_documented("application/pdf", "the order form")
)
def print_order(request: HttpRequest, number: str, params: Query[PrintParams]):
    form = _order_form(request, number, params)
    return rendering.order_form_pdf(form)


@router.get(
    "/{number}/print.html", response=ERRORS,
    openapi_extra=_documented("text/html", "the order form as a web page (the PDF's preview)"),
)
def preview_order(request: HttpRequest, number: str, params: Query[PrintParams]):
    form = _order_form(request, number, params)
    response = HttpResponse(rendering.order_form_html(form), content_type="text/html; charset=utf-8")
    # The preview carries the print stylesheet inline, as WeasyPrint needs it; it runs no script.
    response._csp_replace = {"style-src": ["'unsafe-inline'"], "script-src": ["'none'"]}
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/{number}/label.pdf", response=PDF_ERRORS, openapi_extra=_documented("application/pdf", "the box label")
)
def print_label(request: HttpRequest, number: str, params: Query[LabelParams]):
    label = content.box_label(request.user, number, size=parse_label_size(params.size))
    return rendering.box_label_pdf(label)
