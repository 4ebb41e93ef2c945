"""The European Central Bank's daily reference rates (eurofxref-daily.xml) as the labs' rates.

The file gives, for one day, how many units of each currency one euro buys. A lab working in
EUR takes them as they are; a lab working in another currency gets cross rates through the
euro (a CHF lab's USD rate = USD per EUR ÷ CHF per EUR), in Decimal, quantized to ten places.
Each lab takes only its own payment currencies. Importing the same file twice writes the same
rows (one per lab, currency and day); a rate the lab admin entered by hand for that day wins.
A file that cannot be read imports nothing.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction

from crownline.numbers import is_currency
from crownline.pricing.models import ExchangeRate, RateSource
from crownline.pricing.services import RATE_MAX, RATE_PLACES
from crownline.tenancy.models import Lab

CUBE = "{http://www.ecb.int/vocabulary/2002-08-01/eurofxref}Cube"
PLACES = Decimal(1).scaleb(-RATE_PLACES)
MAX_BYTES = 1_000_000


class BadFile(ValueError):
    """The file is not an ECB reference-rate file we can read; the message says why."""


@dataclass(frozen=True)
class Day:
    """One day of the file: units of each currency per euro (EUR itself is 1)."""

    day: dt.date
    per_euro: dict[str, Decimal]


@dataclass(frozen=True)
class Imported:
    lab: str
    currency: str
    rate: Decimal
    valid_on: dt.date
    written: bool  # False: the lab's own manual rate of that day was kept


def parse(data: bytes) -> Day:
    """The day and rates of an ECB daily file, or BadFile naming the problem."""
    if len(data) > MAX_BYTES:
        raise BadFile(f"the file is larger than {MAX_BYTES} bytes; the ECB's daily file is about 2 KB")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise BadFile("the file declares a document type or entities, which the ECB's file never does")
    try:
        root = ET.fromstring(data)  # noqa: S314 - see above
    except ET.ParseError as exc:
        raise BadFile(f"not well-formed XML ({exc})") from None
    if not root.tag.endswith("}Envelope"):
        raise BadFile("not an ECB file: the root element is not gesmes:Envelope")
    days = [cube for cube in root.iter(CUBE) if "time" in cube.attrib]
    if len(days) != 1:
        raise BadFile(f"expected one <Cube time=...> day, found {len(days)} (use the daily file)")
    try:
        day = dt.date.fromisoformat(days[0].attrib["time"])
    except ValueError:
        raise BadFile(f"the day {days[0].attrib['time']!r} is not a date YYYY-MM-DD") from None
    per_euro: dict[str, Decimal] = {"EUR": Decimal(1)}
    for cube in days[0].findall(CUBE):
        code, raw = cube.attrib.get("currency", ""), cube.attrib.get("rate", "")
        if not is_currency(code):
            raise BadFile(f"{code!r} is not a currency code")
        if code in per_euro:
            raise BadFile(f"{code} is listed twice")
        try:
            value = Decimal(raw) if raw.isascii() else Decimal("NaN")
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or not (0 < value <= RATE_MAX):
            raise BadFile(f"the rate of {code} ({raw!r}) is not a positive number")
        per_euro[code] = value
    if len(per_euro) == 1:
        raise BadFile(f"the day {day} lists no rates")
    return Day(day, per_euro)


def cross_rates(day: Day, base: str, currencies: list[str]) -> dict[str, Decimal]:
    """1 `base` in each of `currencies` (those the file has), through the euro."""
    if base not in day.per_euro:
        return {}
    result = {}
    for code in currencies:
        if code != base and code in day.per_euro:
            try:
                rate = (day.per_euro[code] / day.per_euro[base]).quantize(PLACES, rounding=ROUND_HALF_UP)
            except InvalidOperation:  # a cross rate too large for the column's scale
                raise BadFile(f"the rates of {code} and {base} give no usable cross rate") from None
            if 0 < rate <= RATE_MAX:
                result[code] = rate
    return result


def import_day(day: Day, *, lab_slug: str | None = None) -> list[Imported]:
    """Write the day's rates for every lab (or the one named), in one transaction."""
    labs = Lab.objects.order_by("slug")
    if lab_slug is not None:
        labs = labs.filter(slug=lab_slug)
        if not labs.exists():
            raise BadFile(f"no lab {lab_slug!r}")
    done = []
    with transaction.atomic():
        for lab in labs:
            rates = cross_rates(day, lab.currency, lab.billing_currencies[1:])
            for code, rate in sorted(rates.items()):
                row = ExchangeRate.objects.select_for_update().filter(lab=lab, currency=code, valid_on=day.day).first()
                if row is not None and row.source == RateSource.MANUAL:
                    done.append(Imported(lab.slug, code, row.rate, day.day, written=False))
                    continue
                ExchangeRate.objects.update_or_create(
                    lab=lab,
                    currency=code,
                    valid_on=day.day,
                    defaults={"rate": rate, "source": RateSource.ECB, "recorded_by": None},
                )
                done.append(Imported(lab.slug, code, rate, day.day, written=True))
    return done
