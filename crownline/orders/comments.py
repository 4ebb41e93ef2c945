"""Comments on an order. Internal comments are the lab's notes to itself."""

from __future__ import annotations

from django.db.models import QuerySet

from crownline.errors import InvalidInput
from crownline.orders.access import authorize, get_order_for
from crownline.orders.changes import acting, commit
from crownline.orders.lifecycle import Action, EventKind
from crownline.orders.models import Comment


def add_comment(user, number: str, *, body: str, internal: bool = False) -> Comment:
    body = body.strip()
    if not body:
        raise InvalidInput("body", "a comment is not empty")
    with acting(user, number, Action.COMMENT) as change:
        if internal and not change.standing.role.sees_internal:
            raise InvalidInput("internal", "only the lab writes internal comments")
        comment = Comment.objects.create(order=change.order, author=user, body=body, internal=internal)
        # The body stays out of the event: an internal note must not leak through history.
        commit(change, EventKind.COMMENT, data={"comment": comment.pk, "internal": internal})
    return comment


def comments_for(user, number: str) -> QuerySet[Comment]:
    order, standing = get_order_for(user, number)
    authorize(order, standing, Action.COMMENT)
    qs = order.comments.select_related("author")
    return qs if standing.role.sees_internal else qs.filter(internal=False)
