"""Changes to a lab's pricebooks and exchange rates (lab admins only; the importer for the ECB
file is `crownline.pricing.ecb`).

A pricebook names, per service, one of three rules (percent off, amount off, a price of its
own; amounts in the lab's working currency) and the clinics and customers it prices. A clinic
or a customer is priced by one pricebook at most: linking one that another pricebook already
prices is refused, naming it, rather than moved silently (a bookkeeper unlinks it there first).
Nothing here touches an order: orders keep the prices they were given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction

from crownline.catalog.models import Service
from crownline.customers.models import Clinic, Customer
from crownline.errors import Conflict, InvalidInput, NotFound
from crownline.numbers import ID_MAX, money_problem
from crownline.pricing.arithmetic import PriceRule, rule_problem
from crownline.pricing.models import ExchangeRate, Pricebook, PricebookLink, PricebookPrice, RateSource
from crownline.tenancy.access import lab_as_admin
from crownline.tenancy.models import Lab

MAX_PRICES = 500
MAX_LINKS = 500
# 1 unit of the working currency in another: wide enough for 1 KWD = 500 000 IDR, and for the
# other way round (a KWD lab billing in EUR: 1 KWD = 2.9 EUR), never zero.
RATE_MAX = Decimal("9999999999")
RATE_PLACES = 10


@dataclass
class PriceInput:
    service: int
    rule: str
    value: Decimal


@dataclass
class PricebookInput:
    """What a caller sets on a pricebook; None means "not given" (an edit keeps it)."""

    name: str | None = None
    notes: str | None = None
    prices: list[PriceInput] | None = None
    clinics: list[int] | None = None
    customers: list[int] | None = None


def pricebook_for(user, slug: str, pricebook_id: int, *, for_update: bool = False) -> tuple[Lab, Pricebook]:
    """The lab admin's pricebook: 403 for the lab's technicians, 404 for anyone else or another
    lab's pricebook."""
    lab = lab_as_admin(user, slug)
    qs = Pricebook.objects.filter(lab=lab, pk=pricebook_id) if 1 <= pricebook_id <= ID_MAX else Pricebook.objects.none()
    if for_update:
        qs = qs.select_for_update()
    book = qs.first()
    if book is None:
        raise NotFound("No such pricebook.")
    return lab, book


def _name(value: str) -> str:
    name = value.strip()
    if not name or len(name) > 100:
        raise InvalidInput("name", "a pricebook name has 1 to 100 characters")
    return name


def _prices(lab: Lab, items: list[PriceInput]) -> list[PricebookPrice]:
    if len(items) > MAX_PRICES:
        raise InvalidInput("prices", f"a pricebook has at most {MAX_PRICES} prices")
    ids = [p.service for p in items if 1 <= p.service <= ID_MAX]
    services = {s.pk: s for s in Service.objects.filter(lab=lab, pk__in=ids)}
    seen: set[int] = set()
    rows = []
    for i, item in enumerate(items):
        where = f"prices[{i}]"
        if item.service not in services:
            raise InvalidInput(f"{where}.service", f"no service {item.service} in this lab's catalogue")
        if item.service in seen:
            raise InvalidInput(f"{where}.service", f"{services[item.service].name} is listed twice")
        seen.add(item.service)
        try:
            rule = PriceRule(item.rule)
        except ValueError:
            allowed = ", ".join(r.value for r in PriceRule)
            raise InvalidInput(f"{where}.rule", f"unknown rule {item.rule!r}; allowed: {allowed}") from None
        problem = money_problem(item.value, currency=None if rule is PriceRule.PERCENT_OFF else lab.currency)
        if problem or (problem := rule_problem(rule, item.value)):
            raise InvalidInput(f"{where}.value", problem)
        rows.append(PricebookPrice(service=services[item.service], rule=rule.value, value=item.value))
    return rows


def _links(lab: Lab, book: Pricebook | None, clinics: list[int] | None, customers: list[int] | None) -> None:
    """Refuse a clinic or customer of another lab, listed twice, or priced by another pricebook."""
    for kind, ids, model in (("clinics", clinics, Clinic), ("customers", customers, Customer)):
        if ids is None:
            continue
        if len(ids) > MAX_LINKS:
            raise InvalidInput(kind, f"a pricebook names at most {MAX_LINKS} {kind}")
        found = {o.pk: o for o in model.objects.filter(lab=lab, pk__in=[i for i in ids if 1 <= i <= ID_MAX])}
        for i, obj_id in enumerate(ids):
            if obj_id not in found:
                raise InvalidInput(f"{kind}[{i}]", f"no {kind[:-1]} {obj_id} in this lab")
            if obj_id in ids[:i]:
                raise InvalidInput(f"{kind}[{i}]", f"{found[obj_id].name} is listed twice")
        column = kind[:-1]
        taken = PricebookLink.objects.filter(**{f"{column}__in": list(found)}).select_related("pricebook", column)
        if book is not None:
            taken = taken.exclude(pricebook=book)
        for link in taken:
            obj_id = getattr(link, f"{column}_id")
            raise InvalidInput(
                f"{kind}[{ids.index(obj_id)}]",
                f"{found[obj_id].name} is priced by the pricebook {link.pricebook.name!r}: remove it there first",
            )


def _write(book: Pricebook, lab: Lab, data: PricebookInput) -> None:
    if data.prices is not None:
        rows = _prices(lab, data.prices)
        book.prices.all().delete()
        for row in rows:
            row.pricebook = book
        PricebookPrice.objects.bulk_create(rows)
    try:
        # `_links` checked that nobody else prices these parties; an admin linking one of them
        # to another pricebook at the same moment meets the one-to-one constraint here instead.
        with transaction.atomic():
            if data.clinics is not None:
                book.links.filter(clinic__isnull=False).delete()
                PricebookLink.objects.bulk_create([PricebookLink(pricebook=book, clinic_id=c) for c in data.clinics])
            if data.customers is not None:
                book.links.filter(customer__isnull=False).delete()
                PricebookLink.objects.bulk_create(
                    [PricebookLink(pricebook=book, customer_id=c) for c in data.customers]
                )
    except IntegrityError as exc:
        raise Conflict("A clinic or customer of this pricebook was just linked to another pricebook: reload and "
                       "try again.") from exc


def _save(book: Pricebook) -> None:
    try:
        with transaction.atomic():
            book.save()
    except IntegrityError as exc:
        raise Conflict(f"The lab already has a pricebook called {book.name!r}.") from exc


def create_pricebook(user, slug: str, data: PricebookInput) -> Pricebook:
    with transaction.atomic():
        lab = lab_as_admin(user, slug)
        if data.name is None:
            raise InvalidInput("name", "a pricebook needs a name")
        book = Pricebook(lab=lab, name=_name(data.name), notes=(data.notes or "").strip())
        _prices(lab, data.prices or [])  # every refusal before anything is written
        _links(lab, None, data.clinics, data.customers)
        _save(book)
        _write(book, lab, data)
    return book


def update_pricebook(user, slug: str, pricebook_id: int, data: PricebookInput) -> Pricebook:
    with transaction.atomic():
        lab, book = pricebook_for(user, slug, pricebook_id, for_update=True)
        if data.name is not None:
            book.name = _name(data.name)
        if data.notes is not None:
            book.notes = data.notes.strip()
        _links(lab, book, data.clinics, data.customers)
        _save(book)
        _write(book, lab, data)
    return book


def delete_pricebook(user, slug: str, pricebook_id: int) -> None:
    """Its clinics and customers go back to list prices for new lines; orders keep theirs."""
    with transaction.atomic():
        _, book = pricebook_for(user, slug, pricebook_id, for_update=True)
        book.delete()


@dataclass
class RateInput:
    currency: str
    rate: Decimal
    valid_on: dt.date


def rate_problem(rate: Decimal) -> str | None:
    try:
        finite = rate.is_finite()
    except AttributeError:
        finite = False
    if not finite or rate <= 0 or rate > RATE_MAX:
        return f"a rate is more than 0 and at most {RATE_MAX}"
    if rate != rate.quantize(Decimal(1).scaleb(-RATE_PLACES)):
        return f"a rate has at most {RATE_PLACES} decimal places"
    return None


def currency_problem(lab: Lab, currency: str) -> str | None:
    """A rate is recorded for one of the lab's other payment currencies only."""
    if currency == lab.currency:
        return f"{currency} is the lab's working currency: it needs no rate"
    if currency not in lab.billing_currencies:
        allowed = ", ".join(lab.billing_currencies[1:]) or "none yet (add them in the lab's settings)"
        return f"{currency} is not one of the lab's payment currencies: {allowed}"
    return None


def record_rate(user, slug: str, data: RateInput) -> ExchangeRate:
    """A manual rate: 1 unit of the working currency = `rate` units of `currency` from
    `valid_on`. A second rate for the same currency and day replaces the first (a correction);
    orders already priced keep the rate they were given."""
    with transaction.atomic():
        lab = lab_as_admin(user, slug)
        currency = data.currency.strip().upper()
        if problem := currency_problem(lab, currency):
            raise InvalidInput("currency", problem)
        if problem := rate_problem(data.rate):
            raise InvalidInput("rate", problem)
        if not dt.date(2000, 1, 1) <= data.valid_on <= lab.local_date() + dt.timedelta(days=366):
            raise InvalidInput("valid_on", "a rate is valid from a day between 2000 and a year from now")
        rate, _ = ExchangeRate.objects.update_or_create(
            lab=lab,
            currency=currency,
            valid_on=data.valid_on,
            defaults={"rate": data.rate, "source": RateSource.MANUAL, "recorded_by": user},
        )
    return rate
