"""The price of a service for one customer: what a new order line is given.

List price = the service's price (in the lab's working currency) converted into the
customer's billing currency at the lab's latest exchange rate on or before the lab's today;
then the customer's pricebook rule (their own link, else their clinic's); the tax rate of
the service. The order line keeps all of it: later changes to the pricebook, the rate or
the service never reprice a line that exists (`crownline.orders.drafting`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from crownline.catalog.models import Service
from crownline.customers.models import Customer
from crownline.errors import InvalidInput
from crownline.numbers import money_text
from crownline.pricing.arithmetic import PriceRule, apply_rule, convert
from crownline.pricing.models import ExchangeRate, Pricebook, PricebookLink, PricebookPrice
from crownline.tenancy.models import Lab

NOTE_MAX = 120


@dataclass(frozen=True)
class Quote:
    list_price: Decimal
    unit_price: Decimal
    price_note: str
    tax_rate: Decimal


def latest_rate(lab: Lab, currency: str, on: dt.date | None = None) -> ExchangeRate | None:
    """The lab's rate of `currency` valid on `on` (the lab's today): the latest on or before it."""
    day = on or lab.local_date()
    return (
        ExchangeRate.objects.filter(lab=lab, currency=currency, valid_on__lte=day).order_by("-valid_on", "-id").first()
    )


def rate_for(lab: Lab, currency: str, *, field: str, customer: Customer | None = None) -> Decimal | None:
    """The rate an order in `currency` is priced at: None in the lab's own currency; refused
    (422 on `field`) when the lab has recorded no rate for that currency yet."""
    if currency == lab.currency:
        return None
    found = latest_rate(lab, currency)
    if found is None:
        who = f"{customer.name} is billed in {currency}" if customer else f"this order is in {currency}"
        raise InvalidInput(
            field,
            f"{who} and the lab has no {currency} exchange rate on or before {lab.local_date()}: "
            "the lab admin records one on the exchange rates page",
        )
    return found.rate


def pricebook_of(customer: Customer) -> Pricebook | None:
    """The customer's own pricebook, else their clinic's, else None (list prices)."""
    condition = Q(customer=customer)
    if customer.clinic_id is not None:
        condition |= Q(clinic_id=customer.clinic_id)
    links = list(PricebookLink.objects.filter(condition).select_related("pricebook"))
    own = next((link for link in links if link.customer_id == customer.pk), None)
    chosen = own or next(iter(links), None)
    return chosen.pricebook if chosen else None


def note(pricebook: Pricebook, rule: PriceRule, value: Decimal, lab_currency: str) -> str:
    """How a line's price came about, as the order and the invoice show it: "Gold: 10 % off"."""
    if rule is PriceRule.PERCENT_OFF:
        amount = value.normalize()
        what = f"{amount:f} % off"
    elif rule is PriceRule.AMOUNT_OFF:
        what = f"{money_text(value)} {lab_currency} off"
    else:
        what = f"price {money_text(value)} {lab_currency}"
    text = f"{pricebook.name}: {what}"
    return text if len(text) <= NOTE_MAX else f"{pricebook.name[: NOTE_MAX - len(what) - 3]}…: {what}"


def quote(
    lab: Lab,
    services: Iterable[Service],
    *,
    currency: str,
    rate: Decimal | None,
    pricebook: Pricebook | None,
) -> dict[int, Quote]:
    """Each service's quote (by service id) in `currency` at `rate` under `pricebook`."""
    services = list(services)
    rules: dict[int, PricebookPrice] = {}
    if pricebook is not None:
        rules = {
            p.service_id: p
            for p in PricebookPrice.objects.filter(pricebook=pricebook, service_id__in=[s.pk for s in services])
        }
    quotes = {}
    for service in services:
        list_price = convert(service.price, rate, currency)
        unit_price, text = list_price, ""
        entry = rules.get(service.pk)
        if entry is not None:
            rule = PriceRule(entry.rule)
            value = entry.value if rule is PriceRule.PERCENT_OFF else convert(entry.value, rate, currency)
            unit_price = apply_rule(list_price, rule, value, currency)
            text = note(pricebook, rule, entry.value, lab.currency)
        service.lab = lab  # effective_tax_rate reads the lab's default: no query per line
        quotes[service.pk] = Quote(list_price, unit_price, text, service.effective_tax_rate())
    return quotes


def quote_for(customer: Customer, services: Iterable[Service], *, field: str = "customer") -> dict[int, Quote]:
    """Quotes for a new order of `customer`, in their currency at today's rate."""
    lab = customer.lab
    currency = customer.currency
    rate = rate_for(lab, currency, field=field, customer=customer)
    return quote(lab, services, currency=currency, rate=rate, pricebook=pricebook_of(customer))


def pricebooks_of(customers: Iterable[Customer]) -> dict[int, tuple[Pricebook, str]]:
    """Each customer's pricebook (own link, else their clinic's) and which link gives it
    ("customer" or "clinic"), in one query: for lists."""
    customers = list(customers)
    clinic_ids = {c.clinic_id for c in customers if c.clinic_id}
    links = PricebookLink.objects.filter(
        Q(customer__in=[c.pk for c in customers]) | Q(clinic_id__in=clinic_ids)
    ).select_related("pricebook")
    by_customer = {ln.customer_id: ln.pricebook for ln in links if ln.customer_id}
    by_clinic = {ln.clinic_id: ln.pricebook for ln in links if ln.clinic_id}
    found = {}
    for c in customers:
        if c.pk in by_customer:
            found[c.pk] = (by_customer[c.pk], "customer")
        elif c.clinic_id in by_clinic:
            found[c.pk] = (by_clinic[c.clinic_id], "clinic")
    return found
