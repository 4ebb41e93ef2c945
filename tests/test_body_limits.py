"""Bounded request bodies on every page and endpoint (crownline/bodylimit.py).

Django counts only what it keeps in memory against DATA_UPLOAD_MAX_MEMORY_SIZE: the file parts of
a multipart body went to a temporary file, unbounded, so the sign-in page read 40 MB in full.
"""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParser
from django.test import Client, RequestFactory, override_settings

from crownline.bodylimit import BodyLimitMiddleware
from tests.factories import PASSWORD

FORTY_MB = 40 * 1024 * 1024


@pytest.fixture(scope="module")
def forty_mb_file() -> bytes:
    return b"\0" * FORTY_MB


def _multipart(client: Client, path: str, payload: bytes, **extra: str):
    """A real multipart POST: the sign-in form's fields and a 40 MB file part."""
    data = {"username": "tech-a", "password": PASSWORD, "scan": SimpleUploadedFile("scan.stl", payload)}
    with mock.patch.object(MultiPartParser, "parse", autospec=True, side_effect=MultiPartParser.parse) as parse:
        response = client.post(path, data, **extra)
    return response, parse.call_count


def test_forty_megabytes_to_the_sign_in_page_are_refused_unread_with_413(cast, forty_mb_file):
    client = Client()
    response, parsed = _multipart(client, "/accounts/login/", forty_mb_file)
    assert response.status_code == 413
    assert "256 KB" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert parsed == 0, "the body was parsed"
    assert "_auth_user_id" not in client.session  # and nobody was signed in by it


def test_forty_megabytes_to_a_lab_page_are_refused_unread_with_413(cast, forty_mb_file):
    client = Client()
    client.force_login(cast.admin_a)
    response, parsed = _multipart(client, "/lab/settings/", forty_mb_file)
    assert (response.status_code, parsed) == (413, 0)
    cast.lab_a.refresh_from_db()
    assert cast.lab_a.name != ""


def test_forty_megabytes_to_the_api_are_refused_with_a_json_413(cast, forty_mb_file):
    response, parsed = _multipart(Client(), "/api/v1/auth/token", forty_mb_file)
    assert (response.status_code, parsed) == (413, 0)
    assert "256 KB" in response.json()["detail"]


def test_a_body_within_the_limit_still_works(cast):
    client = Client()
    response, parsed = _multipart(client, "/accounts/login/", b"x" * 100_000)
    assert response.status_code in (200, 302) and parsed == 1


@override_settings(CROWNLINE_MAX_BODY_BYTES=1024)
def test_the_limit_is_a_setting(cast):
    response = Client().post("/accounts/login/", {"username": "u" * 2000, "password": "p"})
    assert response.status_code == 413
    assert "1 KB" in response.content.decode()


def _view_reading(attribute: str):
    def view(request):
        getattr(request, attribute)
        return HttpResponse("read it")

    return view


@pytest.mark.parametrize("attribute", ["body", "POST"])
@override_settings(CROWNLINE_MAX_BODY_BYTES=1024, DATA_UPLOAD_MAX_MEMORY_SIZE=None)
def test_a_body_without_a_length_is_cut_off_while_it_streams(attribute):
    # What an ASGI server (or a WSGI server passing a chunked body on) hands over: a stream and
    # no Content-Length. The cut-off must not depend on Django's own memory limit.
    request = RequestFactory().post("/accounts/login/", "a=1", content_type="application/x-www-form-urlencoded")
    request.META.pop("CONTENT_LENGTH", None)
    request._stream = io.BytesIO(b"a=" + b"x" * 5000)
    response = BodyLimitMiddleware(_view_reading(attribute))(request)
    assert response.status_code == 413
    assert "1 KB" in response.content.decode()


@override_settings(CROWNLINE_MAX_BODY_BYTES=1024)
def test_a_streamed_body_within_the_limit_is_read_whole():
    request = RequestFactory().post("/", "a=1", content_type="application/x-www-form-urlencoded")
    request.META.pop("CONTENT_LENGTH", None)
    request._stream = io.BytesIO(b"a=" + b"x" * 1022)
    seen = {}

    def view(request):
        seen["a"] = request.POST["a"]
        return HttpResponse("ok")

    assert BodyLimitMiddleware(view)(request).status_code == 200
    assert len(seen["a"]) == 1022


def test_too_many_fields_get_a_400_that_says_so(cast):
    response = Client().post("/accounts/login/", "&".join(f"f{n}=1" for n in range(1001)),
                             content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "more than 1000 fields" in response.content.decode()


def test_too_many_files_get_a_400_that_says_so(cast):
    files = {f"f{n}": SimpleUploadedFile(f"{n}.txt", b"x") for n in range(11)}
    response = Client().post("/accounts/login/", files)
    assert response.status_code == 400
    assert "more than 10 files" in response.content.decode()


def test_an_oversize_json_body_to_the_api_is_a_json_413_before_it_is_read(cast, api, order_in):
    order = order_in("draft")
    with mock.patch("django.http.request.HttpRequest.read", side_effect=AssertionError("read")):
        response = api(cast.dentist_a1).post(f"/orders/{order.number}/comments", {"body": "x" * 300_000})
    assert response.status_code == 413
    assert "256 KB" in response.json()["detail"]
    assert not order.comments.exists()
