"""A sample order form and label, made of made-up values, that a worker prints once for itself.

Each PDF is drawn in a forked child (`rendering`), and whatever the child caches dies with
it: the fonts Pango found, the glyphs of every character, the parsed stylesheets, the lazily
imported parts of WeasyPrint and fontTools. Rendering these samples once in the worker, with
the real templates and the characters real documents use, fills those caches before the first
fork, so every child starts warm. No database read: the samples are plain values.
"""

from __future__ import annotations

from decimal import Decimal

from crownline.documents import codes
from crownline.documents.content import BoxLabel, CommentRow, HistoryRow, Line, OrderForm, Party, PaymentBlock, TaskRow
from crownline.documents.options import LABEL_CSS, PAPER_CSS, LabelSize, Section
from crownline.documents.teeth import tooth_chart
from crownline.tenancy.models import PaperSize

NUMBER = "0123456789"
# The characters the templates and people's text use most, typographic ones included.
TEXT = (
    "Sample \u2013 \u201cquoted\u201d text \u00b7 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ "
    "abcdefghijklmnopqrstuvwxyz \u00e4\u00f6\u00fc\u00df \u00e9 \u2713 \u2026 \u2014"
)


def sample_order_form() -> OrderForm:
    money = Decimal("1234.56")
    return OrderForm(
        page_size=PAPER_CSS[PaperSize.A4], show={s.value: True for s in Section}, lab_name=TEXT, lab_contacts=TEXT,
        number=NUMBER, display_number=f"#{NUMBER}", url=codes.order_url(NUMBER),
        qr=codes.qr_svg(codes.order_url(NUMBER)),
        barcode=codes.code128_svg(NUMBER, width_mm=62, height_mm=11), status="Production",
        dates=[("Created", "2026-01-01"), ("Due", "2026-01-08")], printed="2026-01-01 12:00",
        customer=Party(name=TEXT, details=[TEXT]), patient=TEXT,
        lines=[Line(position=1, service=TEXT, quantity=2, shade="A2", teeth=[11, 55], chart=tooth_chart([11, 55]),
                    unit_price=money, line_total=money)],
        notes=TEXT, currency="EUR", total=money,
        tasks=[TaskRow(position=1, name=TEXT, done=True, assignee=TEXT, pay=money)],
        comments=[CommentRow(author=TEXT, written="2026-01-01 12:00", body=TEXT, internal=True)], comments_left_out=1,
        history=[HistoryRow(written="2026-01-01 12:00", label=TEXT, detail=TEXT, actor=TEXT)], history_left_out=1,
        payment=PaymentBlock(text=TEXT, reference=f"#{NUMBER}", amount_due=money, currency="EUR"),
    )


def sample_labels() -> list[BoxLabel]:
    return [
        BoxLabel(page_size=LABEL_CSS[size], size=size.value, lab_name=TEXT, display_number=f"#{NUMBER}",
                 barcode=codes.code128_svg(NUMBER, width_mm=58, height_mm=10), customer=TEXT, patient=TEXT,
                 due_date="2026-01-08")
        for size in LabelSize
    ]
