"""Turning a document's content into HTML (the preview) and PDF (WeasyPrint).

WeasyPrint draws text with Pango, a C library loaded when `weasyprint` is imported. An
install without it must still serve everything else, so the import happens here, on the
first print, and a missing library becomes a 503 with the reason instead of a crash.
Call these only after every read is done and outside any transaction (see `content.py`).

A render has a time limit (CROWNLINE_PDF_TIMEOUT seconds): each PDF is drawn in a child
process forked from the worker (`forked.py`), killed past the limit, so the worker answers 503
with a Retry-After and is free again. The worker prints sample documents once itself first
(`warm_up.py`), so that every child starts with the fonts and stylesheets already loaded.
"""

from __future__ import annotations

import threading
from types import ModuleType

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

from crownline.documents import forked, warm_up
from crownline.documents.content import BoxLabel, OrderForm
from crownline.errors import Unavailable

PANGO_HINT = (
    "PDF printing is unavailable on this server: WeasyPrint could not use the Pango library ({reason}). "
    "Install it (Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0) and restart Crownline. "
    "The HTML preview (print.html) works without it."
)


def order_form_html(form: OrderForm) -> str:
    return render_to_string("documents/order_form.html", {"doc": form})


def box_label_html(label: BoxLabel) -> str:
    return render_to_string("documents/label.html", {"doc": label})


def _weasyprint() -> ModuleType:
    try:
        import weasyprint
        import weasyprint.text.fonts
    except OSError as exc:  # cffi raises OSError for a shared library it cannot open
        raise Unavailable(PANGO_HINT.format(reason=_first_line(exc))) from exc
    return weasyprint


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"printed documents load no external resource ({url})")


# One font configuration per thread: a fresh one per document reloads every font through
# Pango (about a tenth of a form's time), and Pango's font map must not be shared across threads.
_fonts = threading.local()


def _font_config(weasyprint: ModuleType):
    config = getattr(_fonts, "config", None)
    if config is None:
        config = _fonts.config = weasyprint.text.fonts.FontConfiguration()
    return config


def _write_pdf(weasyprint: ModuleType, html: str) -> bytes:
    try:
        # The documents embed everything (CSS, SVG): refusing every fetch keeps a URL that slipped
        # into printed text from reading a server file or calling out.
        document = weasyprint.HTML(string=html, url_fetcher=_refuse_fetch)
        return document.write_pdf(font_config=_font_config(weasyprint))
    except OSError as exc:  # a library that loaded but fails at first use (e.g. a broken font set-up)
        raise Unavailable(PANGO_HINT.format(reason=_first_line(exc))) from exc


# Pango and fontconfig keep C locks. In a threaded worker (runserver, gunicorn --threads) a fork
# while another thread is inside them would hand the child a lock held forever, and the print
# would end as a false 503. The worker itself enters them only to warm up and to make a thread's
# font configuration: those and every fork take turns on this lock.
_pango_in_worker = threading.Lock()

# How long a client whose print was stopped should wait: long enough for a busy server to drain.
RETRY_AFTER_SECONDS = 30


def html_to_pdf(html: str) -> bytes:
    weasyprint = _weasyprint()  # in the worker: a missing Pango is told before any fork
    timeout = settings.CROWNLINE_PDF_TIMEOUT
    if timeout <= 0:
        return _write_pdf(weasyprint, html)
    with _pango_in_worker:
        _warm_up(weasyprint)
        _font_config(weasyprint)  # this thread's, made once here: each child inherits it
    try:
        return forked.call(_write_pdf, weasyprint, html, timeout=timeout, start_lock=_pango_in_worker)
    except forked.TookTooLong:
        raise Unavailable(
            f"This document took longer than {timeout:g} seconds to print (CROWNLINE_PDF_TIMEOUT) and was "
            "stopped. Try again later, or print fewer sections.",
            retry_after=RETRY_AFTER_SECONDS,
        ) from None
    except forked.ChildDied:
        raise Unavailable("The PDF renderer stopped before it finished.", retry_after=RETRY_AFTER_SECONDS) from None


_warmed = threading.Event()


def _warm_up(weasyprint: ModuleType) -> None:
    """Fill the worker's caches once, by printing sample documents in the worker itself
    (`warm_up.py` says why). Measured under gunicorn on the demo data, the forked print of an
    order form took about twice as long without it."""
    if _warmed.is_set():
        return
    for html in [order_form_html(warm_up.sample_order_form()), *map(box_label_html, warm_up.sample_labels())]:
        _write_pdf(weasyprint, html)
    _warmed.set()


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    """A PDF shown in the browser's viewer, never kept by a shared cache (it holds patient data)."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def order_form_pdf(form: OrderForm) -> HttpResponse:
    return pdf_response(html_to_pdf(order_form_html(form)), f"order-{form.number}.pdf")


def box_label_pdf(label: BoxLabel) -> HttpResponse:
    return pdf_response(html_to_pdf(box_label_html(label)), f"label-{label.display_number.lstrip('#')}.pdf")
