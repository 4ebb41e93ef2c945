"""What goes on a printed order form or box label, as the caller may see it.

Everything is read here into plain values before any rendering starts, so the templates
cannot run a query and the slow PDF work holds no transaction or row lock. Who sees what
reuses the API's own rules (`order_out`, `task_out`, `comments_for`, `history_of`,
`payment_instructions`): a print never shows more than the API would show the same person.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString

from crownline.documents import codes
from crownline.documents.options import LABEL_CSS, PAPER_CSS, LabelSize, Section
from crownline.documents.teeth import ToothChart, tooth_chart
from crownline.errors import Conflict
from crownline.orders import comments, payments
from crownline.orders.access import authorize, get_order_for
from crownline.orders.history import history_of
from crownline.orders.lifecycle import Action, Status
from crownline.orders.models import Order
from crownline.orders.presenting import order_out
from crownline.roles import LabRole
from crownline.tenancy.models import Lab, PaperSize
from crownline.workplan.models import Task
from crownline.workplan.presenting import task_out

# Printed sizes of the codes: big enough for a phone camera and a hand scanner at arm's length.
FORM_BARCODE_MM = (62.0, 11.0)
LABEL_BARCODE_MM = {LabelSize.SMALL: (58.0, 10.0), LabelSize.SHIPPING: (90.0, 25.0)}


@dataclass(frozen=True)
class Party:
    name: str
    details: list[str]


@dataclass(frozen=True)
class Line:
    position: int
    service: str
    quantity: int
    shade: str
    teeth: list[int]
    chart: ToothChart
    unit_price: Decimal | None
    line_total: Decimal | None


@dataclass(frozen=True)
class TaskRow:
    position: int
    name: str
    done: bool
    assignee: str | None
    pay: Decimal | None


@dataclass(frozen=True)
class CommentRow:
    author: str
    written: str
    body: str
    internal: bool


@dataclass(frozen=True)
class HistoryRow:
    written: str
    label: str
    detail: str
    actor: str


@dataclass(frozen=True)
class PaymentBlock:
    text: str
    reference: str
    amount_due: Decimal
    currency: str


@dataclass(frozen=True)
class OrderForm:
    page_size: str
    show: dict[str, bool]
    lab_name: str
    lab_contacts: str
    number: str
    display_number: str
    url: str
    qr: SafeString
    barcode: SafeString
    status: str
    dates: list[tuple[str, str]]
    printed: str
    customer: Party | None = None
    patient: str = ""
    lines: list[Line] | None = None
    notes: str = ""
    currency: str = ""
    # Task pay is in the lab's own currency, whatever the customer is billed in.
    lab_currency: str = ""
    total: Decimal | None = None
    tasks: list[TaskRow] | None = None
    comments: list[CommentRow] | None = None
    comments_left_out: int = 0
    history: list[HistoryRow] | None = None
    history_left_out: int = 0
    payment: PaymentBlock | None = None
    payment_unavailable: str = ""

    @property
    def show_prices(self) -> bool:
        return self.total is not None

    @property
    def show_assignees(self) -> bool:
        return any(t.assignee for t in self.tasks or [])

    @property
    def show_pay(self) -> bool:
        return any(t.pay is not None for t in self.tasks or [])


@dataclass(frozen=True)
class BoxLabel:
    page_size: str
    size: str
    lab_name: str
    display_number: str
    barcode: SafeString
    customer: str
    patient: str
    due_date: str


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _local(lab: Lab, moment: dt.datetime) -> str:
    return moment.astimezone(zoneinfo.ZoneInfo(lab.time_zone)).strftime("%Y-%m-%d %H:%M")


def _load(user, number: str) -> tuple[Order, dict, LabRole]:
    order, standing = get_order_for(user, number, shape=lambda qs: qs.detailed().select_related("customer__clinic"))
    authorize(order, standing, Action.PRINT)
    return order, order_out(order, standing), standing


def _newest(items: list, limit: int) -> list:
    """The last `limit` items, still oldest first. A print's sections are capped so that what
    one person wrote cannot make every print of the order slow; the rest stays on the page."""
    return items[-limit:] if limit > 0 else []


def _customer(order: Order) -> Party:
    customer = order.customer
    details = [v for v in (customer.email, customer.phone) if v]
    if customer.clinic is not None:
        clinic = customer.clinic
        details += [v for v in (clinic.name, *clinic.address.splitlines(), clinic.phone) if v.strip()]
    return Party(name=customer.name, details=details)


def order_form(user, number: str, *, sections: frozenset[Section], paper: PaperSize | None) -> OrderForm:
    """The order form's content; `paper=None` prints on the lab's own paper size."""
    order, shown, standing = _load(user, number)
    lab = order.lab
    dates = [
        ("Created", _day(lab.local_date(order.created_at))),
        ("Published", _day(lab.local_date(order.published_at)) if order.published_at else ""),
        ("Production", _day(order.production_date)),
        ("Due", _day(order.due_date)),
    ]
    extra: dict = {}
    if Section.PARTIES in sections:
        extra.update(customer=_customer(order), patient=order.patient.name if order.patient_id else "")
    if Section.LINES in sections:
        extra.update(
            lines=[
                Line(
                    position=line["position"], service=line["service"]["name"], quantity=line["quantity"],
                    shade=line["shade"], teeth=line["teeth"], chart=tooth_chart(line["teeth"]),
                    unit_price=line["unit_price"], line_total=line["line_total"],
                )
                for line in shown["lines"]
            ],
            notes=order.notes, currency=order.currency, total=shown["total"],
        )
    extra["lab_currency"] = order.lab.currency
    if Section.WORKPLAN in sections:
        tasks = Task.objects.filter(order=order).select_related("assignee", "done_by")
        rows = [task_out(t, standing, user) for t in tasks]
        extra["tasks"] = [
            TaskRow(position=i, name=t["name"], done=t["done"],
                    assignee=t["assignee"]["name"] if t["assignee"] else None, pay=t["pay"])
            for i, t in enumerate(rows, start=1)
        ]
    if Section.COMMENTS in sections:
        shown_comments = comments.comments_for(user, number)
        newest = list(shown_comments.order_by("-id")[: settings.CROWNLINE_PRINT_MAX_COMMENTS])[::-1]
        extra["comments"] = [
            CommentRow(author=c.author.get_username() if c.author else "", written=_local(lab, c.created_at),
                       body=c.body, internal=c.internal)
            for c in newest
        ]
        extra["comments_left_out"] = shown_comments.count() - len(newest)
    if Section.HISTORY in sections:
        entries = history_of(order, standing.role)
        kept = _newest(entries, settings.CROWNLINE_PRINT_MAX_HISTORY)
        extra["history"] = [
            HistoryRow(written=_local(lab, e.created_at), label=e.label, detail=e.detail, actor=e.actor or "system")
            for e in kept
        ]
        extra["history_left_out"] = len(entries) - len(kept)
    if Section.PAYMENT in sections:
        try:
            info = payments.payment_instructions(user, number)
        except Conflict:
            # A cancelled order has nothing to pay; say so instead of refusing the whole print.
            extra["payment_unavailable"] = f"No payment is due: the order is {Status(order.status).value}."
        else:
            extra["payment"] = PaymentBlock(info.text, info.payment_reference, info.amount_due, info.currency)
    paper = paper or PaperSize(lab.paper_size)
    return OrderForm(
        page_size=PAPER_CSS[paper],
        show={s.value: s in sections for s in Section},
        lab_name=lab.name,
        lab_contacts=lab.contacts,
        number=order.number,
        display_number=order.display_number,
        url=codes.order_url(order.number),
        qr=codes.qr_svg(codes.order_url(order.number)),
        barcode=codes.code128_svg(order.number, width_mm=FORM_BARCODE_MM[0], height_mm=FORM_BARCODE_MM[1]),
        status=Status(order.status).name.title(),
        dates=[(label, value) for label, value in dates if value],
        printed=_local(lab, timezone.now()),
        **extra,
    )


def box_label(user, number: str, *, size: LabelSize) -> BoxLabel:
    order, _, _ = _load(user, number)
    width, height = LABEL_BARCODE_MM[size]
    return BoxLabel(
        page_size=LABEL_CSS[size],
        size=size.value,
        lab_name=order.lab.name,
        display_number=order.display_number,
        barcode=codes.code128_svg(order.number, width_mm=width, height_mm=height),
        customer=order.customer.name,
        patient=order.patient.name if order.patient_id else "",
        due_date=_day(order.due_date),
    )
