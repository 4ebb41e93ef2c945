"""`{{ amount|money:currency }}`: an amount as every page and printed document shows it, in
the currency's own minor units ("1,234.50 EUR", "1,235 JPY", "12.125 KWD")."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal
from django import template

from crownline.numbers import is_currency, minor_units, round_money

register = template.Library()


def format_money(amount: Decimal | None, currency: str) -> str:
    if amount is None:
        return ""
    if not is_currency(currency):
        return f"{amount} {currency}".strip()
    places = minor_units(currency)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return f"{format_decimal(round_money(Decimal(amount), currency), format=pattern, locale='en')} {currency}"


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    return format_money(amount, currency)


@register.filter
def money_value(amount: Decimal | None, currency: str) -> str:
    """An amount for a form field's value: plain digits in the currency's minor units ("95.00")."""
    if amount is None:
        return ""
    return str(round_money(Decimal(amount), currency)) if is_currency(currency) else str(amount)
