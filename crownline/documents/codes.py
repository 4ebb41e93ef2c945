"""The machine-readable parts of a print: the order's URL as a QR code, its number as Code 128.

Both are inline SVG, so the HTML preview and the PDF carry the same vector drawing and a
scanner reads them at any print resolution.
"""

from __future__ import annotations

import re

import segno
from barcode import Code128
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# Code 128 wants a quiet zone of at least ten module widths on each side.
QUIET_MODULES = 10


def order_url(number: str) -> str:
    """The order's page, where the QR code leads."""
    return f"{settings.CROWNLINE_BASE_URL}/orders/{number}"


def qr_svg(data: str) -> SafeString:
    """A QR code without a fixed size (it has a viewBox): the stylesheet sizes it."""
    # Level M survives a smudge on a lab bench; the four-module border is the quiet zone scanners need.
    qr = segno.make(data, error="m", boost_error=False)
    # segno escapes nothing but writes only its own path data, so the markup is safe.
    return mark_safe(qr.svg_inline(omitsize=True, svgclass="qr", lineclass=None))  # noqa: S308


def code128_modules(data: str) -> str:
    """The bar code as modules, '1' a bar and '0' a space: python-barcode does the encoding
    (code sets, check symbol, stop pattern)."""
    return Code128(data).build()[0]


def code128_svg(data: str, *, width_mm: float, height_mm: float) -> SafeString:
    """`data` as a Code 128 bar code exactly `width_mm` wide, quiet zones included.

    Drawn as one path in module units rather than with python-barcode's SVG writer (a rect
    per bar, sized in whole-document millimetres): one node is cheaper for WeasyPrint, and
    the viewBox scales the code to any label.
    """
    modules = code128_modules(data)
    total = len(modules) + 2 * QUIET_MODULES
    height = height_mm * total / width_mm  # the bar height in module units
    bars = []
    for run in re.finditer("1+", modules):
        bars.append(f"M{QUIET_MODULES + run.start()} 0h{len(run.group())}v{height:.3f}h-{len(run.group())}z")
    return format_html(
        '<svg class="barcode" width="{}mm" height="{}mm" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        '<path d="{}" fill="#000"/></svg>',
        f"{width_mm:g}", f"{height_mm:g}", total, f"{height:.3f}", data, "".join(bars),
    )
