"""The lab's money settings, checked for both doors: tax rate, payment currencies, the legal and
bank details an invoice prints (IBAN by its ISO 13616 mod-97 check digits, BIC by ISO 9362's
shape), how an invoice names patients, and how far prepaid funds may go below zero."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from crownline.errors import InvalidInput
from crownline.numbers import is_currency, money_problem, tax_rate_problem
from crownline.tenancy.models import Lab, PatientOnInvoice

MONEY_SETTINGS = (
    "default_tax_rate",
    "payment_currencies",
    "legal_name",
    "legal_address",
    "tax_id",
    "iban",
    "bic",
    "invoice_instructions",
    "invoice_patient",
    "balance_overdraft",
)
TEXT_LIMITS = {"legal_name": 200, "legal_address": 1000, "tax_id": 50, "invoice_instructions": 2000}
BIC_SHAPE = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?")
IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")


def compact(value: str) -> str:
    return "".join(value.split()).upper()


def iban_problem(iban: str) -> str | None:
    """Why `iban` (compact, upper case) is not an IBAN, or None."""
    if not iban.isascii() or not IBAN_SHAPE.fullmatch(iban):
        return "an IBAN is a country code, two check digits and up to 30 letters or digits"
    digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    if int(digits) % 97 != 1:
        return "the IBAN's check digits do not match: a character is mistyped"
    return None


def bic_problem(bic: str) -> str | None:
    if not bic.isascii() or not BIC_SHAPE.fullmatch(bic):
        return "a BIC has 8 or 11 characters: bank (4 letters), country (2 letters), place (2), branch (3, optional)"
    return None


def _amount(value: Any) -> Decimal:
    """An amount as either door hands it over (a Decimal, or the digits of one); NaN otherwise,
    which `money_problem` refuses."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str) and value.isascii():
        try:
            return Decimal(value)
        except InvalidOperation:
            pass
    return Decimal("NaN")


def _tax_rate(value: Any) -> Decimal:
    try:
        rate = Decimal(value) if isinstance(value, (str, int, Decimal)) and not isinstance(value, bool) else None
    except (InvalidOperation, ValueError):
        rate = None
    if problem := tax_rate_problem(rate):
        raise InvalidInput("default_tax_rate", problem)
    return rate


def _payment_currencies(lab: Lab, value: Any, working: str) -> str:
    codes = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    cleaned: list[str] = []
    for code in codes:
        code = code.strip().upper() if isinstance(code, str) else code
        if not is_currency(code):
            raise InvalidInput("payment_currencies", f"{code!r} is not an ISO 4217 currency code")
        if code != working and code not in cleaned:
            cleaned.append(code)
    if len(cleaned) > 20:
        raise InvalidInput("payment_currencies", "a lab has at most 20 payment currencies")
    # A customer billed in a currency keeps it: the lab drops it once nobody is billed in it.
    dropped = set(lab.billing_currencies[1:]) - set(cleaned) - {working}
    if dropped:
        billed = lab.customers.filter(billing_currency__in=dropped).values_list("billing_currency", flat=True)
        if used := sorted(set(billed)):
            raise InvalidInput(
                "payment_currencies",
                f"customers are billed in {', '.join(used)}: change their billing currency first",
            )
    return " ".join(cleaned)


def clean_money_settings(lab: Lab, changes: dict[str, Any]) -> dict[str, Any]:
    """The money settings among `changes`, checked and normalised (422 naming the field)."""
    out: dict[str, Any] = {}
    working = str(changes.get("currency") or lab.currency).upper()
    for name in MONEY_SETTINGS:
        if name not in changes or changes[name] is None:
            continue
        value = changes[name]
        if name == "default_tax_rate":
            value = _tax_rate(value)
        elif name == "payment_currencies":
            value = _payment_currencies(lab, value, working)
        elif name == "iban":
            value = compact(value)
            if value and (problem := iban_problem(value)):
                raise InvalidInput("iban", problem)
        elif name == "bic":
            value = compact(value)
            if value and (problem := bic_problem(value)):
                raise InvalidInput("bic", problem)
        elif name == "invoice_patient":
            if value not in PatientOnInvoice.values:
                allowed = ", ".join(PatientOnInvoice.values)
                raise InvalidInput("invoice_patient", f"unknown choice {value!r}; allowed: {allowed}")
        elif name == "balance_overdraft":
            value = _amount(value)
            if problem := money_problem(value, currency=working):
                raise InvalidInput("balance_overdraft", problem)
        else:
            value = value.strip()
            if len(value) > TEXT_LIMITS[name]:
                raise InvalidInput(name, f"at most {TEXT_LIMITS[name]} characters")
        out[name] = value
    return out
