"""Keyset ("cursor") pagination of the order list.

An OFFSET page makes the database walk past every earlier row, so page 5,000 of a
million orders costs 5,000 times page 1. A cursor names the last row of the page the
client has (its sort value and id); the next page starts right after it, through the
same index, at the same cost at any depth.

Pure Python on purpose: the benchmark harness builds cursors with it too.
"""

from __future__ import annotations

import base64
import binascii
import json

# Orderings that can be paged by cursor: a non-null sort key, tie-broken by id.
CURSOR_ORDERINGS = frozenset({"created", "-created"})


class BadCursor(ValueError):
    pass


def encode_cursor(ordering: str, value: str, last_id: int) -> str:
    """The cursor that continues after the row (`value` = its created_at in ISO 8601, `last_id`)."""
    raw = json.dumps([ordering, value, last_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, ordering: str) -> tuple[str, int]:
    """(sort value, id) from a cursor made for this ordering, or BadCursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        made_for, value, last_id = json.loads(raw)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise BadCursor("not a cursor this server handed out") from exc
    if made_for != ordering:
        raise BadCursor(f"this cursor is for ordering {made_for!r}; ask again with that ordering")
    if not isinstance(value, str) or not isinstance(last_id, int):
        raise BadCursor("not a cursor this server handed out")
    return value, last_id
