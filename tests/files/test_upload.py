"""Uploading files to an order through the API: every type Crownline takes, checked by content."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from crownline.files.models import OrderFile
from crownline.orders.models import OrderEvent
from tests.conftest import ApiClient
from tests.files.conftest import stored_files
from tests.files.samples import EXPECTED_TYPES, SAMPLES, picture


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_lab_admin_uploads_each_type_and_it_is_stored_as_sent(cast, order_in, upload, name, storage_dir):
    order = order_in("published")
    data = SAMPLES[name]

    response = upload(cast.admin_a, order.number, name, data, shared=True)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == name and body["type"] == EXPECTED_TYPES[name] and body["size"] == len(data)
    assert body["sha256"] == hashlib.sha256(data).hexdigest() and body["shared"] is True
    assert body["uploaded_by"] == "admin-a"
    assert body["urls"]["content"] == f"/api/v1/orders/{order.number}/files/{body['id']}/content"
    file = OrderFile.objects.get(pk=body["id"])
    with default_storage.open(file.storage_name, "rb") as stored:
        assert stored.read() == data
    assert name not in file.storage_name  # the client's name is never part of a path
    assert len(stored_files(storage_dir)) == 1


def test_the_upload_is_recorded_in_the_history_without_changing_the_orders_version(cast, order_in, upload):
    order = order_in("production")
    version = order.version
    upload(cast.tech_a, order.number, "upper.stl", SAMPLES["upper.stl"])
    event = OrderEvent.objects.filter(order=order).latest("id")
    file = OrderFile.objects.get(order=order)
    assert event.action == "file-added" and event.actor == cast.tech_a
    assert event.data == {"file": file.pk, "name": "upper.stl", "shared": False}
    order.refresh_from_db()
    assert order.version == version  # a colleague's open edit of the order stays valid


def test_a_technicians_upload_is_internal_unless_shared(cast, order_in, upload):
    order = order_in("production")
    internal = upload(cast.tech_a, order.number, "notes.pdf", SAMPLES["prescription.pdf"]).json()
    shared = upload(cast.tech_a, order.number, "shade.png", SAMPLES["shade.png"], shared=True).json()
    assert internal["shared"] is False and shared["shared"] is True


def test_a_dentists_upload_is_always_shared_and_they_cannot_make_it_internal(cast, order_in, upload):
    order = order_in("draft")
    mine = upload(cast.dentist_a1, order.number, "smile.jpg", SAMPLES["smile.jpg"])
    assert mine.status_code == 201 and mine.json()["shared"] is True
    refused = upload(cast.dentist_a1, order.number, "smile.jpg", SAMPLES["smile.jpg"], shared=False)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "shared"
    assert OrderFile.objects.filter(order=order).count() == 1


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("admin_a", 201),
        ("tech_a", 201),
        ("dentist_a1", 201),
        ("dentist_a2", 404),
        ("admin_b", 404),
        ("dentist_b", 404),
        (None, 401),
    ],
)
def test_who_may_attach_a_file_to_dentist_a1s_order(cast, order_in, upload, actor, expected):
    order = order_in("published")
    response = upload(getattr(cast, actor) if actor else None, order.number, "upper.stl", SAMPLES["upper.stl"])
    assert response.status_code == expected
    assert OrderFile.objects.filter(order=order).count() == (1 if expected == 201 else 0)


def test_a_dentist_cannot_attach_to_a_cancelled_order_but_the_lab_can(cast, order_in, upload):
    order = order_in("cancelled")
    assert upload(cast.dentist_a1, order.number, "a.png", SAMPLES["shade.png"]).status_code == 409
    assert upload(cast.admin_a, order.number, "a.png", SAMPLES["shade.png"]).status_code == 201


WRONG = [
    ("a PNG named .stl", "upper.stl", picture("PNG"), "the file's content is not an STL scan: it is a PNG photo."),
    ("random bytes named .jpg", "smile.jpg", bytes(range(256)) * 40, "the file's content is not a JPEG photo."),
    ("a text named .pdf", "letter.pdf", b"Dear lab, please hurry.\n" * 20, "the file's content is not a PDF."),
    ("a ZIP named .3mf", "print.3mf", SAMPLES["export.zip"], "the file's content is not a 3MF scan: it is a ZIP"),
    ("an unknown type", "payload.exe", b"MZ\x90\x00" * 100, "Crownline takes scans"),
    ("no extension", "upper", SAMPLES["upper.stl"], "Crownline takes scans"),
    ("a truncated binary STL", "upper.stl", SAMPLES["upper.stl"][:-7], "the file's content is not an STL scan."),
]


@pytest.mark.parametrize(("case", "name", "data", "message"), WRONG, ids=[w[0] for w in WRONG])
def test_content_that_is_not_what_the_name_says_is_refused_and_nothing_is_stored(
    cast, order_in, upload, storage_dir, case, name, data, message
):
    order = order_in("published")
    events = OrderEvent.objects.filter(order=order).count()

    response = upload(cast.admin_a, order.number, name, data)

    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "file" and error["message"].startswith(message)
    assert not OrderFile.objects.exists() and stored_files(storage_dir) == []
    assert OrderEvent.objects.filter(order=order).count() == events


def test_a_name_with_folders_and_control_characters_is_cleaned(cast, order_in, upload):
    order = order_in("published")
    body = upload(cast.admin_a, order.number, "C:\\scans\\upper\x07 jaw.stl", SAMPLES["upper.stl"]).json()
    assert body["name"] == "upper jaw.stl"


def test_an_empty_file_is_refused(cast, order_in, upload, storage_dir):
    response = upload(cast.admin_a, order_in("published").number, "upper.stl", b"")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "file"
    assert stored_files(storage_dir) == []


def test_a_multipart_upload_without_a_file_is_refused_naming_the_field(cast, order_in):
    client = ApiClient(cast.admin_a)
    response = client.client.post(
        f"/api/v1/orders/{order_in('published').number}/files", {"shared": "true"}, **client.headers
    )
    assert response.status_code == 422 and "file" in response.json()["detail"]


def test_a_retried_upload_with_the_same_idempotency_key_stores_the_file_once(cast, order_in, storage_dir):
    order = order_in("published")
    client = ApiClient(cast.admin_a)
    answers = [
        client.client.post(
            f"/api/v1/orders/{order.number}/files",
            {"file": SimpleUploadedFile("shade.png", SAMPLES["shade.png"])},
            HTTP_IDEMPOTENCY_KEY="upload-1",
            **client.headers,
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [201, 201] and answers[0].json() == answers[1].json()
    assert OrderFile.objects.filter(order=order).count() == 1 and len(stored_files(storage_dir)) == 1
