"""The ranges numbers must stay in before they reach the database: ids and money.

A pure module (no Django) so that every layer and both doors can ask it. An id or an amount
outside these ranges is refused as bad input; before, an id past 64 bits made SQLite raise
OverflowError, and an order total past the money columns was written and then broke every
page that read it back (the Decimal converter refuses a value wider than `max_digits`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from babel.numbers import get_currency_precision, list_currencies

# The largest value of a 64-bit signed integer column (BigAutoField, PostgreSQL bigint).
ID_MAX = 2**63 - 1

# Every money column: `DecimalField(**MONEY)`. The bound below is derived from it, so widening
# the columns (in a migration) widens what is accepted, in one place. Three decimal places,
# because a few currencies have three minor digits (KWD, BHD, OMR); each amount is then
# rounded to its own currency's minor units (`round_money`), so EUR amounts keep two.
MONEY = {"max_digits": 13, "decimal_places": 3}


def largest(*, max_digits: int, decimal_places: int) -> Decimal:
    """The largest value a DecimalField(max_digits, decimal_places) holds: 12, 2 gives 9999999999.99."""
    return Decimal(10 ** (max_digits - decimal_places)) - Decimal(1).scaleb(-decimal_places)


MONEY_MAX = largest(**MONEY)
MONEY_STEP = Decimal(1).scaleb(-MONEY["decimal_places"])  # 0.001


@cache
def is_currency(code: object) -> bool:
    """An ISO 4217 code Babel (CLDR) knows: "EUR", "JPY", "KWD"."""
    return isinstance(code, str) and len(code) == 3 and code.isascii() and code.isupper() and code in _CURRENCIES


_CURRENCIES = frozenset(list_currencies())


@cache
def minor_units(currency: str) -> int:
    """How many decimal places an amount in this currency has (JPY 0, EUR 2, KWD 3), from CLDR.
    Never more than the money columns hold."""
    return min(get_currency_precision(currency), MONEY["decimal_places"])


def money_step(currency: str) -> Decimal:
    """The smallest amount of the currency: 1 (JPY), 0.01 (EUR), 0.001 (KWD)."""
    return Decimal(1).scaleb(-minor_units(currency))


def round_money(value: Decimal, currency: str) -> Decimal:
    """`value` rounded half up to the currency's minor units: the one rounding rule of every
    computed amount (converted prices, percentage discounts, tax)."""
    return value.quantize(money_step(currency), rounding=ROUND_HALF_UP)


_CENT = Decimal("0.01")


def money_text(value: Decimal) -> str:
    """An amount as the API and the CSV files write it: exact, and at least two decimals
    ("95.00", "1.005" for KWD, "1000.00" for JPY) whatever the column's scale. Every money
    figure of every answer passes here: a page of 100 orders holds about 1,500."""
    cent = value.quantize(_CENT)
    return str(cent if cent == value else value.normalize())


def money_problem(value: Decimal, *, minimum: Decimal = Decimal("0"), currency: str | None = None) -> str | None:
    """Why `value` cannot be stored in a money column, or None. One message for both doors
    and every amount (prices, pay, payments, line and order totals). With a currency, the
    amount also has at most that currency's minor units (a EUR amount has two decimals)."""
    try:
        finite = value.is_finite()
        exponent = value.as_tuple().exponent
    except (AttributeError, InvalidOperation):
        finite, exponent = False, 0
    if not finite:
        return "an amount is a number"
    if value < minimum or value > MONEY_MAX:
        return f"an amount is from {minimum} to {MONEY_MAX}"
    places = minor_units(currency) if currency else MONEY["decimal_places"]
    if isinstance(exponent, int) and exponent < -places and value != value.quantize(Decimal(1).scaleb(-places)):
        if places == 0:
            return f"an amount in {currency} is a whole number"
        return f"an amount{f' in {currency}' if currency else ''} has at most {places} decimal places"
    return None


def parse_id(raw: object) -> int | None:
    """An id written in a form field or a URL: ASCII digits within a database id's range, or None.

    `str.isdigit()` is not enough: it is true for "²" (which `int()` refuses) and for "٣"
    (which `int()` reads as 3), and for 30 digits that no column holds.
    """
    if not isinstance(raw, str) or not (raw.isascii() and raw.isdigit()) or len(raw) > 19:
        return None
    value = int(raw)
    return value if 1 <= value <= ID_MAX else None


def parse_count(raw: object) -> int | None:
    """A small non-negative count written as text (a form's row count, a version), or None."""
    if not isinstance(raw, str) or not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        return None
    return int(raw)


def tax_rate_problem(rate: object) -> str | None:
    """Why `rate` is not a tax rate, or None: a percentage from 0 to 100 with at most two
    decimals (7.70, 19, 0). The one rule of a service's rate and of the lab's default."""
    try:
        ok = isinstance(rate, Decimal) and rate.is_finite() and 0 <= rate <= 100 and rate == rate.quantize(_CENT)
    except InvalidOperation:
        ok = False
    return None if ok else "a tax rate is a percentage from 0 to 100 with at most 2 decimals"
