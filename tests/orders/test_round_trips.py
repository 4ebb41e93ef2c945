"""The write of a change: one version-checked UPDATE with its events (one statement on PostgreSQL).

`changes.acting` writes what the action committed when its block ends. These tests take the
place of a writer that slipped past the row lock (SQLite has none): the version check must
still refuse it, and then no event may be written either.
"""

from __future__ import annotations

import pytest
from django.db.models import F

from crownline.errors import Conflict
from crownline.orders.changes import acting, commit
from crownline.orders.lifecycle import Action, EventKind
from crownline.orders.models import Order
from tests.orders.helpers import snapshot


def test_a_writer_whose_version_went_stale_is_refused_and_writes_no_event(cast, order_in):
    order = order_in("production")
    before = snapshot(order)

    with (
        pytest.raises(Conflict, match="changed by someone else"),
        acting(cast.admin_a, order.number, Action.CANCEL) as change,
    ):
        commit(change, EventKind.CANCEL, data={"reason": "x"}, cancelled_from=change.order.status)
        Order.objects.filter(pk=order.pk).update(version=F("version") + 1)  # someone else, past the lock

    assert snapshot(order) == before  # the whole transaction rolled back, the other writer's bump too


def test_the_events_of_one_action_are_written_in_order_with_their_ids(cast, order_in):
    order = order_in("shipped", paid=True)

    with acting(cast.admin_a, order.number, Action.DELIVER) as change:
        first = commit(change, EventKind.DELIVER, data={}, delivered_on=change.lab_today())
        second = commit(change, EventKind.COMPLETE, paid_in_full=True)
        assert first.pk is None  # written when the block ends

    fresh = Order.objects.get(pk=order.pk)
    assert (fresh.status, fresh.version) == ("completed", order.version + 2)
    assert first.pk < second.pk
    assert list(fresh.events.order_by("-id").values_list("id", "action", "from_status", "to_status")[:2]) == [
        (second.pk, "complete", "delivered", "completed"), (first.pk, "deliver", "shipped", "delivered"),
    ]


def test_a_change_that_only_writes_an_event_leaves_the_order_row_alone(cast, order_in):
    order = order_in("production")

    with acting(cast.admin_a, order.number, Action.COMMENT) as change:
        event = commit(change, EventKind.COMMENT, data={"comment": 0, "internal": True})

    assert event.pk is not None
    assert Order.objects.get(pk=order.pk).version == order.version
