"""ETag and If-Match for the API door: an order's version as an HTTP precondition.

An order's ETag is `"<number>-<version>"` (`Order.etag`); a client that sends it back in
If-Match is refused with 412 when the order changed since (its version moved on), instead
of overwriting someone else's change.
"""

from __future__ import annotations

from ninja import Header

from crownline.errors import PreconditionFailed, PreconditionRequired

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
    prefix, _, version = tag.rpartition("-")
    if prefix.upper() != number.upper().lstrip("#") or not version.isdigit():
        raise PreconditionFailed("If-Match does not match this order's ETag; reload it.")
    return int(version)
