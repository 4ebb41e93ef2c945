"""What schemathesis found, pinned down so it stays fixed without the fuzzer's luck."""

from __future__ import annotations

import pytest

from crownline.orders.models import Comment, Order
from crownline.tenancy.models import Lab


@pytest.mark.parametrize("body", ['"AAA"', "[null, null]", "1", "null"])
def test_a_body_that_is_not_a_json_object_is_refused_not_read_as_all_defaults(cast, api, body):
    client = api(cast.dentist_a1)
    response = client.client.post("/api/v1/orders", body, content_type="application/json", **client.headers)
    assert response.status_code == 400
    assert not Order.objects.exists()


def test_a_nul_character_in_a_body_is_refused_before_it_reaches_the_database(cast, api, order_in):
    order = order_in("published")
    response = api(cast.dentist_a1).post(f"/orders/{order.number}/comments", {"body": "a\x00b"})
    assert response.status_code == 400
    assert not Comment.objects.filter(order=order).exists()


def test_a_nul_character_in_a_query_string_is_refused_with_the_parameter_named(cast, api):
    response = api(cast.admin_a).get("/orders", {"q": "a\x00b"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "q", "message": "may not contain NUL characters"}]


def test_a_lab_slug_that_no_lab_can_have_is_refused_before_any_query(cast, api):
    response = api(cast.admin_a).get("/labs/lab%00a/services")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "slug"


@pytest.mark.parametrize("flag", [0, 1, "true", "yes"])
def test_a_flag_is_true_or_false_not_a_number_or_a_word(cast, api, order_in, flag):
    order = order_in("published")
    response = api(cast.admin_a).post(f"/orders/{order.number}/comments", {"body": "Seen.", "internal": flag})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "internal"


def test_a_flag_in_the_lab_settings_is_strict_too(cast, api):
    response = api(cast.admin_a).patch("/labs/lab-a/settings", {"plan_work_on_publish": 0})
    assert response.status_code == 422
    assert Lab.objects.get(pk=cast.lab_a.pk).plan_work_on_publish == cast.lab_a.plan_work_on_publish


def test_the_schema_documents_the_idempotency_key_on_every_authenticated_write(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    writes = [op for methods in paths.values() for method, op in methods.items()
              if method in ("post", "patch") and op.get("security")]
    assert writes
    for operation in writes:
        assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation["parameters"])
