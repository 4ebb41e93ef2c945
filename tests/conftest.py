"""The cast every test can name: two labs, their staff, their dentists, and a stranger.

Lab A has an admin, a technician and two dentists with logins (A1, A2); lab B has an
admin and a dentist. `api(actor)` is a JSON client signed in with a bearer token.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from crownline.tenancy.models import ApiToken
from tests.factories import CustomerFactory, LabFactory, MembershipFactory, ServiceFactory, UserFactory, make_order


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 costs half a second per user by design; tests hash dozens of passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    """Files stored by any test (uploads, the demo, copies) go to the test's own folder, not to
    CROWNLINE_DATA_DIR (tests/files/conftest.py names the folder for its assertions)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "files")}},
    }


@dataclass
class Cast:
    lab_a: Any
    lab_b: Any
    admin_a: Any
    tech_a: Any
    dentist_a1: Any
    dentist_a2: Any
    admin_b: Any
    dentist_b: Any
    customer_a1: Any
    customer_a2: Any
    customer_b: Any
    service_a: Any
    service_b: Any


@pytest.fixture
def cast(db) -> Cast:
    lab_a, lab_b = LabFactory(slug="lab-a"), LabFactory(slug="lab-b")
    admin_a = MembershipFactory(lab=lab_a, role="lab_admin", user__username="admin-a").user
    tech_a = MembershipFactory(lab=lab_a, role="technician", user__username="tech-a").user
    admin_b = MembershipFactory(lab=lab_b, role="lab_admin", user__username="admin-b").user
    dentist_a1, dentist_a2, dentist_b = (UserFactory(username=u) for u in ("dentist-a1", "dentist-a2", "dentist-b"))
    return Cast(
        lab_a=lab_a, lab_b=lab_b, admin_a=admin_a, tech_a=tech_a, dentist_a1=dentist_a1, dentist_a2=dentist_a2,
        admin_b=admin_b, dentist_b=dentist_b,
        customer_a1=CustomerFactory(lab=lab_a, user=dentist_a1),
        customer_a2=CustomerFactory(lab=lab_a, user=dentist_a2),
        customer_b=CustomerFactory(lab=lab_b, user=dentist_b),
        service_a=ServiceFactory(lab=lab_a), service_b=ServiceFactory(lab=lab_b),
    )


class ApiClient:
    """A JSON client for /api/v1 acting as one user (or nobody)."""

    def __init__(self, user=None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue(user)}"

    def _call(self, method: str, path: str, body: Any = None, **headers: str):
        kwargs: dict[str, Any] = {**self.headers, **headers}
        url = "/api/v1" + path
        if method == "get":
            return self.client.get(url, body, **kwargs)
        data = json.dumps(body) if body is not None else ""
        return getattr(self.client, method)(url, data, content_type="application/json", **kwargs)

    def get(self, path: str, params: dict | None = None, **headers: str):
        return self._call("get", path, params, **headers)

    def post(self, path: str, body: Any = None, **headers: str):
        return self._call("post", path, body, **headers)

    def patch(self, path: str, body: Any = None, **headers: str):
        return self._call("patch", path, body, **headers)

    def put(self, path: str, body: Any = None, **headers: str):
        return self._call("put", path, body, **headers)

    def delete(self, path: str, **headers: str):
        return self._call("delete", path, None, **headers)


@pytest.fixture
def api():
    return ApiClient


@pytest.fixture
def order_in(cast):
    """`order_in("shipped")`: an order of dentist A1 in lab A, moved to that status."""

    def build(status: str = "draft", **kwargs):
        return make_order(cast.admin_a, cast.customer_a1, status=status, service=cast.service_a, **kwargs)

    return build


def pytest_collection_modifyitems(config, items) -> None:
    """Row-lock tests need PostgreSQL; `.ci/run` runs the suite once on each database."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL row locks; runs in the PostgreSQL pass of .ci/run")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)
