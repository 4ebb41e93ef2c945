"""Copying an order as a new Draft of the same customer: a repeat case, or the same work for
a new patient (DSO's "Copy"). Remakes (`remakes.py`) are copies with a reason and a payer.

The copy goes through the drafting path (`drafting.create_order`): its lines are checked and
priced anew, at today's prices and the customer's pricebook of today, by the same rules as a
new order. Only the content is copied (services, quantities, teeth, shades, notes, patient);
the due date, prices set by hand, discount, markers and money stay with the source.

A line whose service the lab has since deactivated is refused (422 on `lines`, naming the
service), not skipped: the caller chooses the lines to take along and leaves that one out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from crownline.errors import InvalidInput
from crownline.numbers import ID_MAX
from crownline.orders import drafting
from crownline.orders.changes import Change, acting, commit
from crownline.orders.drafting import LineInput, OrderInput
from crownline.orders.lifecycle import Action, EventKind
from crownline.orders.models import Order, OrderLine, OrderQuerySet, lines_with_services
from crownline.orders.signals import order_copied

MAX_FILES = 100
NOTES_MAX = 4000


@dataclass
class CopyInput:
    """What the caller chooses: the patient (the source's by default), the lines (all by
    default, by their ids on the source) and the source's files to take along."""

    patient: int | None = None
    patient_name: str | None = None
    lines: list[int] | None = None
    files: list[int] = field(default_factory=list)


def chosen_lines(order: Order, wanted: Sequence[int] | None) -> list[OrderLine]:
    """The source's lines the caller chose (all when None), in the source's order.

    An unknown id, an empty choice and an inactive service are refused on `lines`."""
    lines = list(order.lines.all())
    if wanted is not None:
        known = {line.id for line in lines}
        unknown = sorted({i for i in wanted if i not in known})
        if unknown:
            raise InvalidInput("lines", f"no line {unknown} on order {order.display_number}")
        keep = set(wanted)
        lines = [line for line in lines if line.id in keep]
    if not lines:
        raise InvalidInput("lines", "choose at least one line to take along")
    retired = [line.service.name for line in lines if not line.service.is_active]
    if retired:
        raise InvalidInput(
            "lines",
            f"the lab no longer offers {', '.join(retired)}: leave that line out, or ask the lab to offer it again",
        )
    return lines


def clean_files(ids: Iterable[int]) -> list[int]:
    """The file ids, once each, in the order given; which of them the caller may take along is
    the files app's rule (its `order_copied` receiver refuses the others)."""
    unique = list(dict.fromkeys(ids))
    if len(unique) > MAX_FILES:
        raise InvalidInput("files", f"take at most {MAX_FILES} files along")
    if any(not 1 <= i <= ID_MAX for i in unique):
        raise InvalidInput("files", "a file is named by its id")
    return unique


def new_draft(change: Change, data: CopyInput, *, notes: str, prices: dict[int, Decimal] | None = None) -> Order:
    """A new Draft of the source's customer with the chosen lines, through the drafting path.

    `prices` (line id -> unit price) sets a line's price, as the lab may (a remake the lab pays).
    """
    source = change.order
    if data.patient is not None and data.patient_name is not None:
        raise InvalidInput("patient_name", "give a patient or a new patient's name, not both")
    lines = chosen_lines(source, data.lines)
    patient = data.patient
    if patient is None and data.patient_name is None:
        patient = source.patient_id  # the same patient: a repeat case
    draft = drafting.create_order(
        change.user,
        OrderInput(
            customer=source.customer_id,
            patient=patient,
            patient_name=data.patient_name,
            notes=notes[:NOTES_MAX],
            lines=[
                LineInput(
                    service=line.service_id,
                    quantity=line.quantity,
                    teeth=list(line.teeth),
                    shade=line.shade,
                    unit_price=(prices or {}).get(line.id),
                )
                for line in lines
            ],
        ),
        lab_slug=source.lab.slug,
    )
    return draft


def send_files(change: Change, draft: Order, file_ids: list[int]) -> int:
    """The files app copies the chosen files onto the new order (crownline.files receivers; it
    refuses a file the caller may not take along); returns how many the new order has."""
    order_copied.send(sender=Order, change=change, copy=draft, file_ids=file_ids)
    # A new order: every file it has came with the copy.
    return draft.files.count() if file_ids else 0


def record_origin(user, draft: Order, kind: EventKind, data: dict[str, Any], **fields: Any) -> Order:
    """Write where the new Draft comes from (its fields and event) as one change of that Draft.

    Filling in a new Draft is an edit of it, which its customer and the lab admin may make."""
    with acting(user, draft.number, Action.EDIT, shape=OrderQuerySet.answered) as change:
        commit(change, kind, data=data, **fields)
    return change.order


def with_lines(qs: QuerySet[Order]) -> QuerySet[Order]:
    """The source with its parties and its lines with their services (what a copy reads)."""
    return qs.select_related("customer", "patient").prefetch_related(lines_with_services())


def copy_order(user, number: str, data: CopyInput) -> Order:
    """Copy the order as a new Draft of the same customer (lab admin, the order's customer).

    The source is locked while the copy is made (its files are read under that lock) but not
    changed: the copy's history names its source, the source's keeps nothing of it."""
    file_ids = clean_files(data.files)
    with acting(user, number, Action.COPY, shape=with_lines) as change:
        source = change.order
        draft = new_draft(change, data, notes=source.notes)
        files = send_files(change, draft, file_ids)
        copy = record_origin(
            user, draft, EventKind.COPIED_FROM, {"order": source.number, "files": files}, copied_from=source
        )
    return copy
