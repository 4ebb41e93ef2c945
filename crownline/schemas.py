"""Schemas shared by every router: the error body and the standard error responses."""

from __future__ import annotations

from ninja import Schema


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
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


def responses(ok: dict[int, object], errors: dict[int, type[Schema]]) -> dict[int, object]:
    return {**ok, **errors}
