"""The Print and Print label buttons of the order page.

The same reading and rendering as the API's print endpoints; what differs is the answer
when something is wrong: a page a person can read (an unavailable PDF renderer, a bad
choice), never a JSON body in a browser tab.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from crownline.documents import content, rendering
from crownline.documents.options import parse_label_size, parse_paper, parse_sections
from crownline.errors import DomainError, NotFound


def _problem(request: HttpRequest, number: str, exc: DomainError) -> HttpResponse:
    context = {"message": exc.detail, "number": number}
    response = render(request, "documents/problem.html", context, status=exc.status_code)
    if getattr(exc, "retry_after", None):  # a print stopped at its time limit: the API door says the same
        response["Retry-After"] = str(exc.retry_after)
    return response


@login_required
@require_GET
def print_order(request: HttpRequest, number: str) -> HttpResponse:
    # The print dialog's checkboxes send one `section` each; none ticked prints the header alone.
    chosen = ",".join(request.GET.getlist("section"))
    try:
        form = content.order_form(
            request.user, number, sections=parse_sections(chosen), paper=parse_paper(request.GET.get("paper") or None)
        )
        return rendering.order_form_pdf(form)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        return _problem(request, number, exc)


@login_required
@require_GET
def print_label(request: HttpRequest, number: str) -> HttpResponse:
    try:
        label = content.box_label(request.user, number, size=parse_label_size(request.GET.get("size") or None))
        return rendering.box_label_pdf(label)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        return _problem(request, number, exc)
