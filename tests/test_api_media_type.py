"""Every API body is JSON: another media type gets 415, a malformed body 400, never a 500.

Before, a multipart Content-Type without a boundary on `POST /auth/token` failed where the
sign-in throttle read the body as a form, and ninja read any body as JSON whatever its type
(a form-encoded request with a JSON body created a service). `crownline.http.JsonBodyMiddleware`
refuses a non-JSON body before anything reads it.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from crownline.catalog.models import Service
from crownline.tenancy.models import ApiToken
from tests.factories import PASSWORD

NOT_JSON = [
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=xyz",
    "application/x-www-form-urlencoded",
    "text/plain",
    "application/xml",
    "application/json; charset=latin-1",
    "",
]


def _post(path: str, body: bytes, content_type: str, **headers: str):
    client = Client(raise_request_exception=False)
    return client.generic("POST", "/api/v1" + path, body, content_type=content_type, **headers)


@pytest.mark.parametrize("content_type", NOT_JSON)
@pytest.mark.parametrize("password", ["wrong", PASSWORD])
def test_the_token_endpoint_refuses_a_body_that_is_not_json(cast, content_type, password):
    body = json.dumps({"username": "admin-a", "password": password}).encode()

    response = _post("/auth/token", body, content_type)

    assert response.status_code == 415, response.content
    assert response["Content-Type"].startswith("application/json")
    assert "application/json" in response.json()["detail"]
    assert not ApiToken.objects.filter(user=cast.admin_a).exists()


@pytest.mark.parametrize("content_type", NOT_JSON)
def test_a_write_with_a_body_that_is_not_json_changes_nothing(cast, content_type):
    token = ApiToken.issue(cast.admin_a)
    body = json.dumps({"name": "Gold crown", "price": "100"}).encode()

    response = _post("/labs/lab-a/services", body, content_type, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 415, response.content
    assert not Service.objects.filter(name="Gold crown").exists()


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8",
                                          "application/merge-patch+json"])
def test_json_bodies_are_accepted_as_before(cast, content_type):
    token = ApiToken.issue(cast.admin_a)
    body = json.dumps({"name": "Gold crown", "price": "100"}).encode()

    response = _post("/labs/lab-a/services", body, content_type, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 201, response.content


@pytest.mark.parametrize("body", [b"{", b"\xff\xfe\x00", b"[]", b'"text"', b'{"name": "x", "price": "1"'])
def test_a_malformed_json_body_is_a_400(cast, body):
    token = ApiToken.issue(cast.admin_a)

    response = _post("/labs/lab-a/services", body, "application/json", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 400, response.content
    assert not Service.objects.filter(lab=cast.lab_a).exclude(pk=cast.service_a.pk).exists()


def test_a_request_without_a_body_needs_no_content_type(cast):
    token = ApiToken.issue(cast.admin_a)
    client = Client()

    response = client.get("/api/v1/labs", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200


def test_the_pages_still_take_forms(cast):
    page = Client()
    page.force_login(cast.admin_a)

    response = page.post("/lab/switch/", {"lab": str(cast.lab_a.pk)})

    assert response.status_code == 302
