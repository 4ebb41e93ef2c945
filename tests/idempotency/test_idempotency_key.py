"""Idempotency-Key on API writes: a retry replays the first answer and never acts twice."""

from __future__ import annotations

import datetime as dt
import json

from django.test import RequestFactory
from django.utils import timezone

from crownline.idempotency.middleware import _fingerprint
from crownline.idempotency.models import IdempotencyRecord
from crownline.orders.models import Order, Payment
from tests.factories import make_order


def _state(order: Order) -> tuple:
    order.refresh_from_db()
    return order.status, order.version, order.events.count(), Payment.objects.filter(order=order).count()


def test_a_lab_admin_retrying_a_payment_with_the_same_key_gets_the_first_answer_and_pays_once(cast, api, order_in):
    order = order_in("delivered")
    admin = api(cast.admin_a)
    first = admin.post(f"/orders/{order.number}/payments", {"method": "cash"}, HTTP_IDEMPOTENCY_KEY="pay-1")
    after_first = _state(order)
    retry = admin.post(f"/orders/{order.number}/payments", {"method": "cash"}, HTTP_IDEMPOTENCY_KEY="pay-1")

    assert first.status_code == 201
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert _state(order) == after_first
    assert after_first[0] == "completed" and after_first[3] == 1


def test_a_technician_retrying_a_transition_does_not_write_a_second_event(cast, api, order_in):
    order = order_in("produced")
    tech = api(cast.tech_a)
    body = {"tracking_number": "1Z-RETRY", "carrier": "UPS"}
    first = tech.post(f"/orders/{order.number}/actions/ship", body, HTTP_IDEMPOTENCY_KEY="ship-7")
    retry = tech.post(f"/orders/{order.number}/actions/ship", body, HTTP_IDEMPOTENCY_KEY="ship-7")
    assert first.status_code == retry.status_code == 200
    assert retry["ETag"] == first["ETag"]
    assert order.events.filter(action="ship").count() == 1


def test_the_same_key_with_another_body_is_refused_and_changes_nothing(cast, api, order_in):
    order = order_in("produced")
    tech = api(cast.tech_a)
    tech.post(f"/orders/{order.number}/actions/ship", {"tracking_number": "A1"}, HTTP_IDEMPOTENCY_KEY="k")
    before = _state(order)
    other = tech.post(f"/orders/{order.number}/actions/update-tracking", {"tracking_number": "B2"},
                      HTTP_IDEMPOTENCY_KEY="k")
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert _state(order) == before
    assert order.tracking_number == "A1"


def test_a_retry_while_the_first_request_still_runs_gets_409(cast, api, order_in):
    order = order_in("produced")
    path, body = f"/api/v1/orders/{order.number}/actions/ship", json.dumps({"tracking_number": "A1"})
    running = RequestFactory().post(path, body, content_type="application/json")
    IdempotencyRecord.objects.create(user=cast.tech_a, key="busy", fingerprint=_fingerprint(running))
    before = _state(order)

    retry = api(cast.tech_a).post(f"/orders/{order.number}/actions/ship", {"tracking_number": "A1"},
                                  HTTP_IDEMPOTENCY_KEY="busy")
    assert retry.status_code == 409
    assert _state(order) == before


def test_a_request_abandoned_by_a_dead_worker_frees_its_key(cast, api, order_in):
    order = order_in("produced")
    path, body = f"/api/v1/orders/{order.number}/actions/ship", json.dumps({"tracking_number": "A1"})
    running = RequestFactory().post(path, body, content_type="application/json")
    record = IdempotencyRecord.objects.create(user=cast.tech_a, key="dead", fingerprint=_fingerprint(running))
    IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))

    retry = api(cast.tech_a).post(f"/orders/{order.number}/actions/ship", {"tracking_number": "A1"},
                                  HTTP_IDEMPOTENCY_KEY="dead")
    assert retry.status_code == 200
    assert _state(order)[0] == "shipped"


def test_keys_belong_to_their_caller_so_two_labs_never_collide(cast, api, order_in):
    order_a = order_in("produced")
    order_b = make_order(cast.admin_b, cast.customer_b, status="produced", service=cast.service_b)
    a = api(cast.admin_a).post(f"/orders/{order_a.number}/actions/ship", {"tracking_number": "A"},
                               HTTP_IDEMPOTENCY_KEY="same")
    b = api(cast.admin_b).post(f"/orders/{order_b.number}/actions/ship", {"tracking_number": "B"},
                               HTTP_IDEMPOTENCY_KEY="same")
    assert a.status_code == b.status_code == 200
    assert b.json()["tracking_number"] == "B"
    assert "Idempotent-Replayed" not in b


def test_a_key_expires_after_24_hours_and_may_be_used_again(cast, api, order_in):
    order = order_in("shipped")
    tech = api(cast.tech_a)
    body = {"tracking_number": "NEW-1"}
    tech.post(f"/orders/{order.number}/actions/update-tracking", body, HTTP_IDEMPOTENCY_KEY="old")
    IdempotencyRecord.objects.filter(key="old").update(created_at=timezone.now() - dt.timedelta(hours=25))
    again = tech.post(f"/orders/{order.number}/actions/update-tracking", body, HTTP_IDEMPOTENCY_KEY="old")
    assert again.status_code == 200
    assert "Idempotent-Replayed" not in again
    assert order.events.filter(action="update-tracking").count() == 2


def test_a_refusal_is_an_answer_too_and_is_replayed_without_acting(cast, api, order_in):
    order = order_in("published")
    tech = api(cast.tech_a)
    first = tech.post(f"/orders/{order.number}/payments", {}, HTTP_IDEMPOTENCY_KEY="no-money")
    retry = tech.post(f"/orders/{order.number}/payments", {}, HTTP_IDEMPOTENCY_KEY="no-money")
    assert first.status_code == retry.status_code == 403
    assert retry["Idempotent-Replayed"] == "true"


def test_an_edit_retried_with_its_key_is_replayed_even_though_its_etag_is_now_stale(cast, api, order_in):
    order = order_in("draft")
    admin = api(cast.admin_a)
    etag = admin.get(f"/orders/{order.number}")["ETag"]
    first = admin.patch(f"/orders/{order.number}", {"notes": "rush"}, HTTP_IF_MATCH=etag, HTTP_IDEMPOTENCY_KEY="e1")
    retry = admin.patch(f"/orders/{order.number}", {"notes": "rush"}, HTTP_IF_MATCH=etag, HTTP_IDEMPOTENCY_KEY="e1")
    assert first.status_code == retry.status_code == 200
    assert order.events.filter(action="edit").count() == 1


def test_an_over_long_key_is_refused(cast, api, order_in):
    order = order_in("produced")
    r = api(cast.tech_a).post(f"/orders/{order.number}/actions/ship", {"tracking_number": "A"},
                              HTTP_IDEMPOTENCY_KEY="k" * 256)
    assert r.status_code == 422
    assert _state(order)[0] == "produced"
