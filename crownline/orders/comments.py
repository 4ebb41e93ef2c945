"""Comments on an order. Internal comments are the lab's notes to itself."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from crownline.errors import Conflict, InvalidInput
from crownline.orders.access import authorize, get_order_for
from crownline.orders.changes import acting, commit
from crownline.orders.lifecycle import Action, EventKind
from crownline.orders.models import Comment, Order


def _check_room(order: Order, *, internal: bool) -> None:
    """At most CROWNLINE_MAX_COMMENTS_PER_ORDER public and as many internal comments per order.

    Every comment is read by every page and print of the order: without a limit one person
    could make each of them slow for everyone. The two kinds are counted apart so that a
    customer's refusal depends only on comments they can see, never on the lab's internal ones.
    Counted under the order's row lock (`acting`): two writers cannot both take the last place.
    """
    limit = settings.CROWNLINE_MAX_COMMENTS_PER_ORDER
    if order.comments.filter(internal=internal).count() >= limit:
        kind = "internal comments" if internal else "comments"
        raise Conflict(
            f"An order takes at most {limit} {kind} (CROWNLINE_MAX_COMMENTS_PER_ORDER) and this one is full; "
            "nothing was saved.",
            rule="max-comments-per-order", limit=limit,
        )


def add_comment(user, number: str, *, body: str, internal: bool = False) -> Comment:
    body = body.strip()
    if not body:
        raise InvalidInput("body", "a comment is not empty")
    with acting(user, number, Action.COMMENT) as change:
        if internal and not change.standing.role.sees_internal:
            raise InvalidInput("internal", "only the lab writes internal comments")
        _check_room(change.order, internal=internal)
        comment = Comment.objects.create(order=change.order, author=user, body=body, internal=internal)
        # The body stays out of the event: an internal note must not leak through history.
        commit(change, EventKind.COMMENT, data={"comment": comment.pk, "internal": internal})
    return comment


def comments_for(user, number: str) -> QuerySet[Comment]:
    order, standing = get_order_for(user, number)
    authorize(order, standing, Action.COMMENT)
    qs = order.comments.select_related("author")
    return qs if standing.role.sees_internal else qs.filter(internal=False)
