"""Schemas shared by every router: the error body and the standard error responses."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated

from ninja import Path, Schema
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from crownline.numbers import ID_MAX, MONEY, MONEY_MAX, MONEY_STEP, money_problem, money_text

# A lab's slug in a URL, as the SlugField stores it. Anything else is refused (422) before a
# query runs: PostgreSQL fails on a NUL character in a parameter.
LabSlug = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]+$", max_length=60)]

# A database id in a URL or a JSON body: declared, so an id past 64 bits is a 422 naming the
# field, not an OverflowError in the query (and clients and fuzzers see the range).
PathId = Annotated[int, Path(ge=1, le=ID_MAX)]
Id = Annotated[int, Field(ge=1, le=ID_MAX)]

# Declared, not enforced, in the schema of text the services strip and refuse when empty, so that
# their message (naming the rule) is the one a client reads: "has a character other than space".
NOT_BLANK = {"pattern": r"^[^\u0000]*[^\s\u0000][^\u0000]*$"}  # and no NUL (crownline.api refuses it)


def any_case(word: str) -> str:
    """A regular expression for `word` in any letter case (JSON Schema patterns have no flags)."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


_WHOLE = MONEY["max_digits"] - MONEY["decimal_places"]
MONEY_PATTERN = rf"^[0-9]{{1,{_WHOLE}}}(\.[0-9]{{1,{MONEY['decimal_places']}}})?$"


def _money_text(value: object) -> object:
    # A string amount is plain digits ("95", "95.50"), as the schema says; pydantic alone would
    # also read " 95", "1e2" and "0x", which the schema does not allow.
    if isinstance(value, str) and not re.fullmatch(MONEY_PATTERN, value):
        raise PydanticCustomError("money", f"an amount is written like 95 or 95.50 (up to {MONEY_MAX})")
    return value


def _money_range(value: Decimal) -> Decimal:
    # The services' own rule and words (numbers.money_problem), so both doors say the same.
    if problem := money_problem(value):
        raise PydanticCustomError("money", problem)
    return value


# An amount of money as every money column holds it (crownline.numbers.MONEY): a JSON number or
# a string of digits, zero to MONEY_MAX, at most two decimals. The services check the same
# bound with the same rule (`numbers.money_problem`), for the page door and direct callers.
Money = Annotated[
    Decimal,
    BeforeValidator(_money_text),
    AfterValidator(_money_range),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": float(MONEY_MAX), "multipleOf": float(MONEY_STEP)},
                {"type": "string", "pattern": MONEY_PATTERN},
            ],
            "description": f"an amount from 0 to {MONEY_MAX} with at most {MONEY['decimal_places']} decimals",
        }
    ),
]


def _calendar_day(value: object) -> object:
    # pydantic reads a number as a Unix time (0, or 2.4e-85, is 1970-01-01); a client means a day.
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


# A calendar day in a query string or a body, written YYYY-MM-DD (a number is refused).
Day = Annotated[dt.date, BeforeValidator(_calendar_day)]


class Out(BaseModel):
    """Base of the API's response bodies, which our own code builds as plain dicts.

    A plain pydantic model, not ninja's `Schema`: ninja wraps every value it validates,
    nested ones included, in a Python `DjangoGetter` so that it can read ORM objects, and
    that cost about 14 ms of the 21 ms a page of 50 orders took. A plain model validates
    the dicts in pydantic's compiled core. `from_attributes` still lets a view return a
    model instance whose fields are plain attributes.
    """

    model_config = ConfigDict(from_attributes=True)


class FieldError(Out):
    field: str
    message: str


class ErrorOut(Out):
    detail: str
    errors: list[FieldError] | None = None
    # Set on 409 for an action the status does not allow.
    status: str | None = None
    allowed_actions: list[str] | None = None
    # Set on 412: the order's current version.
    version: int | None = None
    # Set on 409 for a documented limit passed (e.g. "max-comments-per-order"), with its number.
    rule: str | None = None
    limit: int | None = None


# `openapi_extra={REQUIRED_HEADERS: [...]}` on a route: headers the schema declares required that the
# view reads as optional, so that a missing one gets the view's own answer (428 for If-Match), not
# ninja's 422. crownline.api marks them required in the OpenAPI schema.
REQUIRED_HEADERS = "x-crownline-required-headers"

class In(Schema):
    """Base of the API's request bodies: a field the schema does not name is refused (422 naming
    it) rather than ignored, so that a misspelt field is not silently lost, and the schema can
    say so (`additionalProperties: false`)."""

    model_config = ConfigDict(extra="forbid")


# The model config of a PATCH body: it changes something (`minProperties`) and names only fields it
# knows, so that a body of unknown fields is refused as such, not as "nothing to change".
PATCH_CONFIG = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})

READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    412: ErrorOut,
    # A body that is not JSON (crownline.http.JsonBodyMiddleware).
    415: ErrorOut,
    422: ErrorOut,
}



# An amount in an answer: a string, exact, with at least two decimals ("95.00", "0.125" for a
# KWD amount, "1000.00" for JPY). The columns hold three decimal places for the currencies that
# need them; without this every EUR amount would read "95.000".
MoneyOut = Annotated[
    Decimal,
    PlainSerializer(money_text, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2,3}$", "description": "an exact amount"}),
]
