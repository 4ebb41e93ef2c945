"""Comments on an order. Internal comments are the lab's notes to itself."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from crownline.errors import Conflict, InvalidInput
from crownline.orders.access import authorize, get_order_for
from crownline.orders.changes import acting, commit
from crownline.orders.lifecycle import Action, EventKind
from crownline.orders.models import Comment, Order
from crownline.roles import Role


def _check_room(order: Order, *, internal: bool, from_customer: bool) -> None:
    """At most CROWNLINE_MAX_COMMENTS_PER_ORDER comments of each kind per order: the customer's,
    the lab's public ones, and the lab's internal notes.

    Every comment is read by every page and print of the order: without a limit one person
    could make each of them slow for everyone. The kinds are counted apart so that a customer's
    refusal depends only on comments they can see, never on the lab's internal ones, and so that
    a customer who fills their part cannot silence the lab's public replies.
    Counted under the order's row lock (`acting`): two writers cannot both take the last place.
    """
    limit = settings.CROWNLINE_MAX_COMMENTS_PER_ORDER
    same_kind = order.comments.filter(internal=internal)
    if not internal:
        customer_login = order.customer.user_id
        same_kind = (same_kind.filter(author_id=customer_login) if from_customer
                     else same_kind.exclude(author_id=customer_login))
    if same_kind.count() >= limit:
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
        _check_room(change.order, internal=internal, from_customer=change.standing.role is Role.CUSTOMER)
        comment = Comment.objects.create(order=change.order, author=user, body=body, internal=internal)
        # The body stays out of the event: an internal note must not leak through history.
        commit(change, EventKind.COMMENT, data={"comment": comment.pk, "internal": internal})
    return comment


def comments_for(user, number: str) -> QuerySet[Comment]:
    order, standing = get_order_for(user, number)
    authorize(order, standing, Action.COMMENT)
    qs = order.comments.select_related("author")
    return qs if standing.role.sees_internal else qs.filter(internal=False)
