"""Monthly statements: one customer's account for one calendar month, in the lab's time zone.

A statement is the ledger of the month (`balances.ledger`) between the balance the month
opened with and the one it closed with: invoices, credit notes, payments received, advances
and their cancellations, and the payments made from the prepaid funds (which move the funds,
not the balance). It is computed from the rows each time, never stored. A cancellation is a
row of the month it happened in, so it leaves the old month as it was; but a row recorded
later with a date in a past month (an advance received then, an invoice dated then) does
change that month's statement.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from crownline.billing.balances import Entry, Ledger, LedgerRow, customer_for, ledger
from crownline.customers.models import Customer
from crownline.errors import InvalidInput
from crownline.numbers import money_text
from crownline.tenancy.models import Lab

_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
MONTH_PATTERN = _MONTH.pattern
CSV_COLUMNS = [
    "date",
    "entry",
    "reference",
    "description",
    "amount",
    "balance",
    "funds_change",
    "funds",
    "currency",
]
# A spreadsheet runs a cell that starts with one of these as a formula: text cells get a quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def title(self) -> str:
        return f"{calendar.month_name[self.month]} {self.year}"


def parse_month(raw: str) -> Month:
    match = _MONTH.match(raw or "")
    year, month = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if not (year >= 1 and 1 <= month <= 12):
        raise InvalidInput("month", "a month is written YYYY-MM, e.g. 2026-03")
    return Month(year, month)


@dataclass(frozen=True)
class Statement:
    lab: Lab
    customer: Customer
    month: Month
    ledger: Ledger

    @property
    def currency(self) -> str:
        return self.ledger.currency

    @property
    def opening(self) -> Decimal:
        return self.ledger.opening

    @property
    def closing(self) -> Decimal:
        return self.ledger.closing

    @property
    def rows(self) -> list[LedgerRow]:
        return self.ledger.rows

    def total(self, *kinds: str) -> Decimal:
        return sum((r.amount for r in self.rows if r.kind in kinds), Decimal("0"))

    @property
    def invoiced(self) -> Decimal:
        return self.total(Entry.INVOICE)

    @property
    def credited(self) -> Decimal:
        return -self.total(Entry.CREDIT_NOTE)

    @property
    def received(self) -> Decimal:
        """Payments and advances received in the month, less those cancelled in it."""
        return -self.total(Entry.PAYMENT, Entry.PAYMENT_CANCELLED, Entry.ADVANCE, Entry.ADVANCE_CANCELLED)

    @property
    def filename(self) -> str:
        return f"statement-{self.lab.slug}-{self.customer.pk}-{self.month}"


def statement(user, lab_slug: str, customer_id: int, month: str) -> Statement:
    """The customer's statement of `month` (YYYY-MM), for the lab admin or the customer themself."""
    parsed = parse_month(month)
    customer = customer_for(user, lab_slug, customer_id)
    return Statement(customer.lab, customer, parsed, ledger(customer, parsed.start, parsed.end))


def statement_months(customer: Customer, *, limit: int = 12) -> list[Month]:
    """The months a statement is offered for, newest first: this month and back to the first
    month with a row (at most `limit`)."""
    today = customer.lab.local_date()
    rows = ledger(customer).rows
    first = rows[0].day if rows else today
    months, year, month = [], today.year, today.month
    while len(months) < limit and (year, month) >= (first.year, first.month):
        months.append(Month(year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def _text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def statement_csv(s: Statement) -> str:
    """The statement as CSV: a header of `CSV_COLUMNS`, the opening balance, the month's rows,
    the closing balance. Amounts are exact (`money_text`), with a point for the decimals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    led = s.ledger
    writer.writerow(
        [
            s.month.start.isoformat(),
            "opening_balance",
            "",
            "Opening balance",
            "",
            money_text(led.opening),
            "",
            money_text(led.opening_funds),
            s.currency,
        ]
    )
    for r in s.rows:
        writer.writerow(
            [
                r.day.isoformat(),
                r.kind,
                _text(r.reference),
                _text(r.description),
                money_text(r.amount),
                money_text(r.balance),
                money_text(r.funds_change),
                money_text(r.funds),
                s.currency,
            ]
        )
    writer.writerow(
        [
            s.month.end.isoformat(),
            "closing_balance",
            "",
            "Closing balance",
            "",
            money_text(led.closing),
            "",
            money_text(led.closing_funds),
            s.currency,
        ]
    )
    return out.getvalue()
