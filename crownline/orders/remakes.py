"""Remakes: a new order that makes a case again, linked to the original, with why and who pays.

A remake is a Draft of the original's customer made from the lines chosen (all by default),
through the copy path (`copying`): checked and priced like any new order, then priced by
who pays:

- the customer: the lines at the customer's prices of today, like any order;
- the lab: each line at 0 with the price note "Remake — paid by the lab" (its list price
  stays, so reports still see what the work was worth);
- shared: the customer's prices with a 50 % discount on the order (`orders.discounts`),
  which the lab admin can change later like any discount.

Giving work away is the lab's decision (as setting prices is: `Role.sets_prices`): a dentist
asks for a remake they pay for; a remake the lab pays for, in full or in part, is made by the
lab admin (a dentist's "lab" or "shared" is a 422 on `payer` that says so). Either way the remake
is a Draft, published by whoever made it once checked. The original keeps a REMAKE_CREATED
entry (it does not change the original, so its version stays), the remake a REMAKE_OF entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet

from crownline.errors import InvalidInput
from crownline.orders import discounts
from crownline.orders.access import get_order_for, visible_orders
from crownline.orders.changes import acting, commit
from crownline.orders.choices import RemakePayer, RemakeReason
from crownline.orders.copying import CopyInput, clean_files, new_draft, record_origin, send_files, with_lines
from crownline.orders.lifecycle import Action, EventKind, Status
from crownline.orders.models import Order, OrderLine

PAID_BY_LAB = "Remake — paid by the lab"
SHARED_DISCOUNT = Decimal("50")
NOTE_MAX = 1000


@dataclass
class RemakeInput(CopyInput):
    reason: str = ""
    payer: str = ""
    note: str = ""


def _clean(data: RemakeInput, *, sets_prices: bool) -> tuple[RemakeReason, RemakePayer, str]:
    try:
        reason = RemakeReason(data.reason)
    except ValueError:
        raise InvalidInput("reason", f"a remake's reason is one of {', '.join(RemakeReason.values)}") from None
    try:
        payer = RemakePayer(data.payer)
    except ValueError:
        raise InvalidInput("payer", f"who pays is one of {', '.join(RemakePayer.values)}") from None
    if payer is not RemakePayer.CUSTOMER and not sets_prices:
        raise InvalidInput(
            "payer", "a remake the lab pays for (in full or shared) is the lab's decision: ask the lab to make it"
        )
    note = data.note.strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput("note", f"a note has at most {NOTE_MAX} characters")
    return reason, payer, note


def remake_order(user, number: str, data: RemakeInput) -> Order:
    """Make a remake of the order (Action.REMAKE: the lab admin from Produced on, the order's
    customer from Shipped on) as a new Draft; returns the remake."""
    file_ids = clean_files(data.files)
    with acting(user, number, Action.REMAKE, shape=with_lines) as change:
        source = change.order
        reason, payer, note = _clean(data, sets_prices=change.standing.role.sets_prices)
        notes = "\n\n".join(p for p in (f"Remake ({reason.label}): {note}" if note else "", source.notes) if p)
        free = {line.id: Decimal("0") for line in source.lines.all()} if payer is RemakePayer.LAB else None
        draft = new_draft(change, data, notes=notes, prices=free)
        if free is not None:
            # The drafting path notes a price the lab set ("price set by the lab"); this one says why.
            OrderLine.objects.filter(order=draft).update(price_note=PAID_BY_LAB)
        send_files(change, draft, file_ids)
        remake = record_origin(
            user,
            draft,
            EventKind.REMAKE_OF,
            {"order": source.number, "reason": reason.value, "payer": payer.value, "note": note},
            remake_of=source,
            remake_reason=reason.value,
            remake_payer=payer.value,
        )
        if payer is RemakePayer.SHARED:
            remake = discounts.set_discount(user, remake.number, kind="percent", value=SHARED_DISCOUNT)
        commit(
            change,
            EventKind.REMAKE_CREATED,
            data={"order": remake.number, "reason": reason.value, "payer": payer.value},
        )
    return remake


def remakes_of(user, number: str) -> QuerySet[Order]:
    """The original's remakes the caller may see, oldest first (a remake moved to another
    customer is not its dentist's to see)."""
    original, _ = get_order_for(user, number)
    return visible_orders(user).filter(remake_of=original).order_by("created_at", "id")


# ---- the remake rate (for reports) ------------------------------------------------------


@dataclass(frozen=True)
class RemakeRate:
    orders: int
    remade: int

    @property
    def rate(self) -> Decimal | None:
        """The share of the orders remade at least once, in percent (two places); None for no orders."""
        return rate(self.remade, self.orders)


def rate(remade: int, orders: int) -> Decimal | None:
    if orders <= 0:
        return None
    return (Decimal(100) * remade / orders).quantize(Decimal("0.01"))


def remade(orders: QuerySet[Order]) -> QuerySet[Order]:
    """The orders with at least one remake that was not cancelled (a withdrawn remake is none)."""
    live = Order.objects.filter(remake_of=OuterRef("pk")).exclude(status=Status.CANCELLED.value)
    return orders.filter(Exists(live))


def remake_rate(orders: QuerySet[Order]) -> RemakeRate:
    """How many of `orders` (say, a lab's orders shipped in a month) were remade: two COUNTs.

    The reports read it per reason with `remade(orders.filter(...))` or, for the remakes
    themselves, `Order.objects.filter(remake_of__in=orders).values("remake_reason")`."""
    return RemakeRate(orders=orders.count(), remade=remade(orders).count())
