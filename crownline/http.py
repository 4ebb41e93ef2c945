"""HTTP for the API door: an order's version as a precondition (ETag, If-Match), `Prefer:
return=minimal` on the writes, and JSON bodies only.

An order's ETag is `"<number>-<version>"` (`Order.etag`); a client that sends it back in
If-Match is refused with 412 when the order changed since (its version moved on), instead
of overwriting someone else's change.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Header

from crownline.bodylimit import is_upload
from crownline.errors import PreconditionFailed, PreconditionRequired
from crownline.numbers import parse_count

# The optional If-Match of every write on an order, as ninja declares it.
IfMatch = Header(None, alias="If-Match", description="optional: refuse with 412 if the order changed")


def expected_version(if_match: str | None, *, required: bool, number: str) -> int | None:
    """Parse If-Match ("<number>-<version>", quoted, optionally weak) into a version."""
    if not if_match:
        if required:
            raise PreconditionRequired("Send If-Match with the order's ETag to edit it.")
        return None
    if if_match.strip() == "*":
        return None  # RFC 9110: "*" matches any current version
    tag = if_match.strip().removeprefix("W/").strip('"')
    prefix, _, raw = tag.rpartition("-")
    version = parse_count(raw)  # ASCII digits only: "²" is a digit to str.isdigit() but not to int()
    if prefix.upper() != number.upper().lstrip("#") or version is None:
        raise PreconditionFailed("If-Match does not match this order's ETag; reload it.")
    return version


# ---- Prefer: return=minimal (RFC 7240) --------------------------------------------------

# The optional Prefer of the writes that answer with the order, a task or a payment.
Prefer = Header(
    None, alias="Prefer",
    description="`return=minimal`: answer 204 with the order's new ETag and no body "
    "(and `Preference-Applied: return=minimal`); without it the answer is the changed resource",
)


def prefers_minimal(prefer: str | None) -> bool:
    """Whether the first `return` preference of a Prefer header is `minimal` (RFC 7240: names
    and values are case-insensitive, a value may be quoted, a preference may carry parameters)."""
    for preference in (prefer or "").split(","):
        name, _, value = preference.split(";", 1)[0].partition("=")
        if name.strip().lower() == "return":
            return value.strip().strip('"').lower() == "minimal"
    return False


def minimal(etag: str) -> HttpResponse:
    """The 204 of `Prefer: return=minimal`: the change is done, here is the order's ETag."""
    response = HttpResponse(status=204)
    del response["Content-Type"]  # no body, so no media type
    response["ETag"] = etag
    response["Preference-Applied"] = "return=minimal"
    return response


# ---- the API's media type ---------------------------------------------------------------

API_PREFIX = "/api/"


def _is_json(request: HttpRequest) -> bool:
    media = request.content_type or ""
    json_type = media == "application/json" or (media.startswith("application/") and media.endswith("+json"))
    charset = (request.content_params or {}).get("charset", "utf-8").lower()
    return json_type and charset in ("utf-8", "utf8")


class JsonBodyMiddleware:
    """Every API body is JSON: one with another Content-Type is refused with 415 before anything
    reads it. Django parses a form or multipart body when something asks for `request.POST` (the
    CSRF check, the sign-in throttle), and a multipart type without a boundary made that fail;
    ninja itself reads any body as JSON whatever its type. Sits right after the body limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The one exception: a file upload to an order is multipart (crownline.bodylimit.is_upload).
        uploading = is_upload(request) and request.content_type == "multipart/form-data"
        if request.path.startswith(API_PREFIX) and _has_body(request) and not _is_json(request) and not uploading:
            return JsonResponse(
                {"detail": "Send the request body as JSON, with Content-Type: application/json."}, status=415
            )
        return self.get_response(request)


def _has_body(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > 0
    except ValueError:
        return False  # Django reads no body for a length it cannot parse
