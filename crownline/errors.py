"""Domain errors raised by services and access helpers; the API maps each to one HTTP status."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status_code = 400

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"detail": self.detail, **self.extra}


class NotFound(DomainError):
    """Missing, or not the caller's to see: the two are never told apart."""

    status_code = 404


class Forbidden(DomainError):
    """The caller sees the object but their role may never take this action."""

    status_code = 403


class Conflict(DomainError):
    """The action is not possible in the order's current state."""

    status_code = 409


class PreconditionRequired(DomainError):
    status_code = 428


class PreconditionFailed(DomainError):
    """The caller's If-Match names a version that is no longer current."""

    status_code = 412


class InvalidInput(DomainError):
    """Bad input; names the field so a form can show the message next to it."""

    status_code = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", errors=[{"field": field, "message": message}])
        self.field = field
        self.message = message


class Unavailable(DomainError):
    """A part of the install the request needs is missing (e.g. the PDF renderer's libraries), or
    busy: `retry_after` (seconds) becomes the answer's Retry-After header in both doors."""

    status_code = 503

    def __init__(self, detail: str, *, retry_after: int | None = None, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.retry_after = retry_after
