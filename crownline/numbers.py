"""The ranges numbers must stay in before they reach the database: ids and money.

A pure module (no Django) so that every layer and both doors can ask it. An id or an amount
outside these ranges is refused as bad input; before, an id past 64 bits made SQLite raise
OverflowError, and an order total past the money columns was written and then broke every
page that read it back (the Decimal converter refuses a value wider than `max_digits`).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

# The largest value of a 64-bit signed integer column (BigAutoField, PostgreSQL bigint).
ID_MAX = 2**63 - 1

# Every money column: `DecimalField(**MONEY)`. The bound below is derived from it, so widening
# the columns (in a migration) widens what is accepted, in one place.
MONEY = {"max_digits": 12, "decimal_places": 2}


def largest(*, max_digits: int, decimal_places: int) -> Decimal:
    """The largest value a DecimalField(max_digits, decimal_places) holds: 12, 2 gives 9999999999.99."""
    return Decimal(10 ** (max_digits - decimal_places)) - Decimal(1).scaleb(-decimal_places)


MONEY_MAX = largest(**MONEY)
MONEY_STEP = Decimal(1).scaleb(-MONEY["decimal_places"])  # 0.01


def money_problem(value: Decimal, *, minimum: Decimal = Decimal("0")) -> str | None:
    """Why `value` cannot be stored in a money column, or None. One message for both doors
    and every amount (prices, pay, payments, line and order totals)."""
    try:
        finite = value.is_finite()
        exponent = value.as_tuple().exponent
    except (AttributeError, InvalidOperation):
        finite, exponent = False, 0
    if not finite:
        return "an amount is a number"
    if value < minimum or value > MONEY_MAX:
        return f"an amount is from {minimum} to {MONEY_MAX}"
    if isinstance(exponent, int) and exponent < -MONEY["decimal_places"] and value != value.quantize(MONEY_STEP):
        return f"an amount has at most {MONEY['decimal_places']} decimal places"
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
