"""What the pricing tests share: a lab billing in other currencies, rates, pricebooks, orders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crownline.customers.models import Clinic, Customer
from crownline.orders import drafting
from crownline.orders.drafting import LineInput, OrderInput
from crownline.orders.models import Order
from crownline.pricing import services as pricing
from crownline.pricing.models import ExchangeRate
from tests.factories import ServiceFactory


def bills_in(lab, *currencies: str) -> None:
    lab.payment_currencies = " ".join(currencies)
    lab.save(update_fields=["payment_currencies"])


def rate(lab, currency: str, value: str, *, days_ago: int = 0) -> ExchangeRate:
    return ExchangeRate.objects.create(
        lab=lab, currency=currency, rate=Decimal(value), valid_on=lab.local_date() - dt.timedelta(days=days_ago)
    )


def customer_in(lab, currency: str = "", *, clinic: Clinic | None = None, name: str = "Dr. Billed") -> Customer:
    return Customer.objects.create(lab=lab, name=name, billing_currency=currency, clinic=clinic)


def service(lab, price: str, *, tax_rate: str | None = None, name: str | None = None):
    extra = {"name": name} if name else {}
    return ServiceFactory(
        lab=lab, price=Decimal(price), tax_rate=None if tax_rate is None else Decimal(tax_rate), **extra
    )


def pricebook(admin, lab, name: str, prices: list[tuple], *, clinics=(), customers=()):
    return pricing.create_pricebook(
        admin,
        lab.slug,
        pricing.PricebookInput(
            name=name,
            prices=[pricing.PriceInput(s.pk, rule, Decimal(value)) for s, rule, value in prices],
            clinics=[c.pk for c in clinics],
            customers=[c.pk for c in customers],
        ),
    )


def order_for(admin, customer: Customer, *services, quantity: int = 1, unit_price: str | None = None) -> Order:
    lines = [
        LineInput(service=s.pk, quantity=quantity, unit_price=None if unit_price is None else Decimal(unit_price))
        for s in services
    ]
    order = drafting.create_order(
        admin, OrderInput(customer=customer.pk, patient_name="Ann Example", lines=lines), lab_slug=customer.lab.slug
    )
    return Order.objects.get(pk=order.pk)


def prices_of(order: Order) -> list[tuple[Decimal, Decimal, str]]:
    """Each line as (list price, unit price, note)."""
    return [(ln.list_price, ln.unit_price, ln.price_note) for ln in order.lines.order_by("position")]
