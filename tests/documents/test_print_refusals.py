"""Bad input is 422 naming what is allowed; an order the caller may not see is 404; nobody is 401."""

from __future__ import annotations

import pytest

ENDPOINTS = ["print.pdf", "print.html", "label.pdf"]


SECTIONS = "parties, lines, workplan, comments, history, payment"


@pytest.mark.parametrize(
    ("endpoint", "params", "field", "allowed"),
    [
        ("print.pdf", {"sections": "parties,invoice"}, "sections", SECTIONS),
        ("print.html", {"sections": "lines,secret"}, "sections", SECTIONS),
        ("print.pdf", {"paper": "a5"}, "paper", "a4, letter"),
        ("print.html", {"paper": "legal"}, "paper", "a4, letter"),
        ("label.pdf", {"size": "100x150"}, "size", "62x29, 4x6"),
    ],
)
def test_unknown_values_are_refused_naming_the_allowed_ones(api, cast, order_in, endpoint, params, field, allowed):
    order = order_in("production")
    response = api(cast.admin_a).get(f"/orders/{order.number}/{endpoint}", params)
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == field
    assert allowed in body["detail"]
    assert next(iter(params.values())).split(",")[-1] in body["detail"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("who", ["admin_b", "dentist_a2", "dentist_b"])
def test_an_order_the_caller_may_not_see_is_not_found(api, cast, order_in, endpoint, who):
    order = order_in("production")
    response = api(getattr(cast, who)).get(f"/orders/{order.number}/{endpoint}")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such order."}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_missing_order_is_not_found_either(api, cast, endpoint):
    assert api(cast.admin_a).get(f"/orders/ABCDEF0123/{endpoint}").status_code == 404


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_nobody_signed_in_is_unauthorized(api, cast, order_in, endpoint):
    order = order_in("production")
    response = api().get(f"/orders/{order.number}/{endpoint}")
    assert response.status_code == 401
    assert "pdf" not in response["Content-Type"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("who", ["admin_a", "tech_a", "dentist_a1"])
def test_everyone_who_sees_the_order_may_print_it(api, cast, order_in, endpoint, who):
    order = order_in("production")
    assert api(getattr(cast, who)).get(f"/orders/{order.number}/{endpoint}").status_code == 200


def test_the_openapi_schema_documents_the_print_responses(api, cast):
    schema = api(cast.admin_a).get("/openapi.json").json()
    for path, media_type in [
        ("/api/v1/orders/{number}/print.pdf", "application/pdf"),
        ("/api/v1/orders/{number}/label.pdf", "application/pdf"),
        ("/api/v1/orders/{number}/print.html", "text/html"),
    ]:
        responses = schema["paths"][path]["get"]["responses"]
        assert media_type in responses["200"]["content"]
        assert {"401", "404", "422"} <= set(responses)
        if media_type == "application/pdf":
            assert "503" in responses
