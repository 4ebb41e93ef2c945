"""Numbers of the prices section as the API reads them: a tax rate, an exchange rate, a
pricebook value, a currency code. Shared by the pricing, catalogue, customers and lab routers.

Like `crownline.schemas.Money`: a JSON number or a string of plain ASCII digits (pydantic
alone would read "٣" or "1e2"), checked in the schema so a client reads the rule, and again
by the services for the page door.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from crownline.numbers import is_currency


def _decimal(pattern: str, words: str, low: Decimal, high: Decimal, places: int, *, above: bool = False):
    def before(value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
            raise PydanticCustomError("number", f"{words} is a number")
        if isinstance(value, str) and not re.fullmatch(pattern, value):
            raise PydanticCustomError("number", f"{words} is written like {high.normalize():f} or 7.5")
        return value

    def after(value: Decimal) -> Decimal:
        try:
            ok = value.is_finite() and (value > low if above else value >= low) and value <= high
            exact = ok and value == value.quantize(Decimal(1).scaleb(-places))
        except InvalidOperation:
            ok = exact = False
        if not ok:
            raise PydanticCustomError("number", f"{words} is from {low} to {high}")
        if not exact:
            raise PydanticCustomError("number", f"{words} has at most {places} decimal places")
        return value

    return before, after


_TAX = _decimal(r"^[0-9]{1,3}(\.[0-9]{1,2})?$", "a tax rate", Decimal(0), Decimal(100), 2)
TaxRate = Annotated[
    Decimal,
    BeforeValidator(_TAX[0]),
    AfterValidator(_TAX[1]),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 100, "multipleOf": 0.01},
                {"type": "string", "pattern": r"^[0-9]{1,3}(\.[0-9]{1,2})?$"},
            ],
            "description": "a percentage from 0 to 100 with at most 2 decimals",
        }
    ),
]
TaxRateOut = Annotated[
    Decimal,
    PlainSerializer(lambda v: f"{v:.2f}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]{1,3}\.[0-9]{2}$", "description": "a percentage"}),
]

RATE_PATTERN = r"^[0-9]{1,10}(\.[0-9]{1,10})?$"
_RATE = _decimal(RATE_PATTERN, "a rate", Decimal(0), Decimal("9999999999"), 10, above=True)
Rate = Annotated[
    Decimal,
    BeforeValidator(_RATE[0]),
    AfterValidator(_RATE[1]),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0, "maximum": 9999999999},
                {"type": "string", "pattern": RATE_PATTERN},
            ],
            "description": "units of the currency one unit of the lab's working currency buys (up to 10 decimals)",
        }
    ),
]
RateOut = Annotated[
    Decimal,
    PlainSerializer(lambda v: f"{v.normalize():f}", return_type=str),
    WithJsonSchema({"type": "string", "description": "an exact rate"}),
]


def _currency(value: object) -> object:
    if not isinstance(value, str) or not is_currency(value.strip().upper()):
        raise PydanticCustomError("currency", "a currency is an ISO 4217 code such as EUR, CHF or JPY")
    return value.strip().upper()


Currency = Annotated[
    str,
    BeforeValidator(_currency),
    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{3}$", "description": "an ISO 4217 code"}),
]
