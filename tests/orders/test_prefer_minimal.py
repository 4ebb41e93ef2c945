"""`Prefer: return=minimal` (RFC 7240) on the writes that answer with a resource.

A client that only needs to know the change happened (a scanner at the bench, a script
moving orders on) asks for no body: it gets 204, the order's new ETag to send back in
If-Match, and `Preference-Applied: return=minimal`. Without the header the answer is the
changed order, task or payment, as before.
"""

from __future__ import annotations

import pytest

from crownline.api import api as ninja_api
from crownline.http import prefers_minimal
from crownline.workplan.models import Task
from tests.orders.helpers import reload, snapshot

MINIMAL = {"HTTP_PREFER": "return=minimal"}


def assert_minimal(response, etag: str) -> None:
    assert response.status_code == 204, response.content
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Preference-Applied"] == "return=minimal"
    assert not response.has_header("Content-Type")  # no body, no media type


def test_an_action_asked_for_minimal_answers_204_with_the_new_etag(cast, api, order_in):
    order = order_in("production")
    before = snapshot(order)

    response = api(cast.admin_a).post(f"/orders/{order.number}/actions/cancel", {"reason": "x"}, **MINIMAL)

    fresh = reload(order)
    assert_minimal(response, fresh.etag)
    assert (fresh.status, fresh.version, snapshot(order).events) == ("cancelled", before.version + 1, before.events + 1)


def test_the_etag_of_a_minimal_answer_is_the_one_the_next_action_needs(cast, api, order_in):
    order = order_in("production")
    admin = api(cast.admin_a)
    cancelled = admin.post(f"/orders/{order.number}/actions/cancel", {"reason": "x"}, **MINIMAL)

    reopened = admin.post(f"/orders/{order.number}/actions/reopen", HTTP_IF_MATCH=cancelled["ETag"], **MINIMAL)

    assert_minimal(reopened, reload(order).etag)
    assert reload(order).status == "production"


def test_without_the_preference_the_answer_is_the_order(cast, api, order_in):
    order = order_in("production")

    response = api(cast.admin_a).post(f"/orders/{order.number}/actions/cancel", {"reason": "x"})

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response["ETag"] == reload(order).etag
    assert "Preference-Applied" not in response


@pytest.mark.parametrize("prefer", ["return=representation", "respond-async", "wait=10", ""])
def test_other_preferences_get_the_full_answer(cast, api, order_in, prefer):
    order = order_in("production")

    response = api(cast.admin_a).post(f"/orders/{order.number}/actions/cancel", {"reason": "x"}, HTTP_PREFER=prefer)

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert "Preference-Applied" not in response


@pytest.mark.parametrize(
    ("header", "minimal"),
    [
        ("return=minimal", True),
        ("RETURN=Minimal", True),
        ('return="minimal"', True),
        ("respond-async, return=minimal", True),
        ("return=minimal; foo=bar", True),
        (" return = minimal ", True),
        ("return=representation, return=minimal", False),  # RFC 7240: the first one counts
        ("return=minimal, return=representation", True),
        ("return=minimalist", False),
        ("returns=minimal", False),
        ("", False),
        (None, False),
    ],
)
def test_reading_the_prefer_header(header, minimal):
    assert prefers_minimal(header) is minimal


def test_a_refusal_is_the_same_whatever_the_preference(cast, api, order_in):
    order = order_in("draft")
    admin = api(cast.admin_a)

    wrong_status = admin.post(f"/orders/{order.number}/actions/reopen", **MINIMAL)
    stale = admin.post(
        f"/orders/{order.number}/actions/cancel", {"reason": "x"}, HTTP_IF_MATCH=f'"{order.number}-99"', **MINIMAL
    )
    not_yours = api(cast.admin_b).post(f"/orders/{order.number}/actions/cancel", {"reason": "x"}, **MINIMAL)
    never = api(cast.tech_a).post(f"/orders/{order.number}/actions/reopen", **MINIMAL)

    assert wrong_status.json()["status"] == "draft" and "publish" in wrong_status.json()["allowed_actions"]
    assert [r.status_code for r in (wrong_status, stale, not_yours, never)] == [409, 412, 404, 403]
    assert all("Preference-Applied" not in r for r in (wrong_status, stale, not_yours, never))
    assert reload(order).status == "draft"


def test_a_task_mark_asked_for_minimal_answers_204_with_the_orders_etag(cast, api, order_in):
    order = order_in("production")
    task = Task.objects.filter(order=order).first()
    tech = api(cast.tech_a)

    done = tech.post(f"/orders/{order.number}/tasks/{task.pk}/done", **MINIMAL)
    undone = tech.delete(f"/orders/{order.number}/tasks/{task.pk}/done", **MINIMAL)

    # A work-plan change leaves the order's version alone: the ETag is the order's, unchanged.
    assert_minimal(done, order.etag)
    assert_minimal(undone, order.etag)
    task.refresh_from_db()
    assert (task.done, reload(order).events.filter(action__in=["mark-task-done", "unmark-task-done"]).count()) == (
        False, 2
    )


def test_a_payment_asked_for_minimal_answers_204_with_the_new_etag(cast, api, order_in):
    order = order_in("production")

    response = api(cast.admin_a).post(f"/orders/{order.number}/payments", {"amount": "5"}, **MINIMAL)

    assert_minimal(response, reload(order).etag)
    assert (reload(order).amount_paid, reload(order).payments.count()) == (5, 1)


def test_cancelling_a_payment_asked_for_minimal_answers_204_with_the_new_etag(cast, api, order_in):
    order = order_in("production")
    admin = api(cast.admin_a)
    paid = admin.post(f"/orders/{order.number}/payments", {"amount": "5"}).json()

    response = admin.post(f"/orders/{order.number}/payments/{paid['id']}/cancel", **MINIMAL)

    assert_minimal(response, reload(order).etag)
    assert reload(order).amount_paid == 0


WRITES = [
    ("post", "/api/v1/orders/{number}/actions/start-production"),
    ("post", "/api/v1/orders/{number}/actions/cancel"),
    ("post", "/api/v1/orders/{number}/actions/reopen"),
    ("post", "/api/v1/orders/{number}/actions/ship"),
    ("post", "/api/v1/orders/{number}/actions/deliver"),
    ("post", "/api/v1/orders/{number}/payments"),
    ("post", "/api/v1/orders/{number}/tasks/{task_id}/done"),
    ("delete", "/api/v1/orders/{number}/tasks/{task_id}/done"),
]


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_the_openapi_schema_offers_the_preference_and_its_204(method, path):
    operation = ninja_api.get_openapi_schema()["paths"][path][method]

    prefer = [p for p in operation["parameters"] if p["name"] == "Prefer"]
    assert len(prefer) == 1 and prefer[0]["in"] == "header" and not prefer[0].get("required")
    assert 204 in operation["responses"] or "204" in operation["responses"]
