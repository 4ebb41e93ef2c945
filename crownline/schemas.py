"""Schemas shared by every router: the error body and the standard error responses."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from ninja import Path, Schema
from pydantic import BaseModel, BeforeValidator, ConfigDict

# A lab's slug in a URL, as the SlugField stores it. Anything else is refused (422) before a
# query runs: PostgreSQL fails on a NUL character in a parameter.
LabSlug = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]+$", max_length=60)]


def _calendar_day(value: object) -> object:
    # pydantic reads a number as a Unix time ("0" is 1970-01-01); a query asks for a day.
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


# A calendar day in a query string, written YYYY-MM-DD.
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


READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    412: ErrorOut,
    422: ErrorOut,
}

