"""Deleting a file (the lab any file; a dentist their own, until production) and copying files
to another order (copies, remakes, outsourcing)."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from crownline.errors import InvalidInput
from crownline.files import services
from crownline.files.models import OrderFile
from crownline.orders.models import OrderEvent
from tests.files.conftest import stored_files
from tests.files.samples import SAMPLES


@pytest.fixture
def two_files(cast, order_in, upload):
    order = order_in("published")
    dentists = upload(cast.dentist_a1, order.number, "smile.jpg", SAMPLES["smile.jpg"]).json()["id"]
    labs = upload(cast.admin_a, order.number, "rx.pdf", SAMPLES["prescription.pdf"], shared=True).json()["id"]
    return order, dentists, labs


def test_the_technician_deletes_a_file_and_its_bytes_go_once_committed(
    cast, api, two_files, storage_dir, django_capture_on_commit_callbacks
):
    order, dentists, _ = two_files
    with django_capture_on_commit_callbacks(execute=True):
        assert api(cast.tech_a).delete(f"/orders/{order.number}/files/{dentists}").status_code == 204
    assert not OrderFile.objects.filter(pk=dentists).exists()
    assert len(stored_files(storage_dir)) == 1
    event = OrderEvent.objects.filter(order=order).latest("id")
    assert event.action == "file-removed" and event.data == {"file": dentists, "name": "smile.jpg", "shared": True}


def test_a_dentist_deletes_their_own_file_but_not_the_labs(cast, api, two_files):
    order, dentists, labs = two_files
    refused = api(cast.dentist_a1).delete(f"/orders/{order.number}/files/{labs}")
    assert refused.status_code == 403 and OrderFile.objects.filter(pk=labs).exists()
    assert api(cast.dentist_a1).delete(f"/orders/{order.number}/files/{dentists}").status_code == 204


def test_once_in_production_the_dentist_asks_the_lab_to_remove_a_file(cast, api, order_in, upload):
    order = order_in("production")
    mine = upload(cast.dentist_a1, order.number, "smile.jpg", SAMPLES["smile.jpg"]).json()["id"]
    response = api(cast.dentist_a1).delete(f"/orders/{order.number}/files/{mine}")
    assert response.status_code == 409 and "ask the lab" in response.json()["detail"]
    assert OrderFile.objects.filter(pk=mine).exists()


@pytest.mark.parametrize("intruder", ["dentist_a2", "admin_b", "dentist_b"])
def test_other_people_cannot_delete_and_learn_nothing(cast, api, two_files, intruder):
    order, dentists, _ = two_files
    assert api(getattr(cast, intruder)).delete(f"/orders/{order.number}/files/{dentists}").status_code == 404
    assert OrderFile.objects.filter(pk=dentists).exists()


def test_a_dentist_cannot_delete_an_internal_file_they_cannot_see(cast, api, order_in, upload):
    order = order_in("published")
    internal = upload(cast.admin_a, order.number, "notes.pdf", SAMPLES["prescription.pdf"]).json()["id"]
    assert api(cast.dentist_a1).delete(f"/orders/{order.number}/files/{internal}").status_code == 404


def test_copy_files_copies_the_bytes_to_the_other_order(cast, order_in, two_files, storage_dir):
    source, dentists, labs = two_files
    target = order_in("draft")
    copies = services.copy_files(source, target, [labs, dentists], user=cast.admin_a)
    assert [c.name for c in copies] == ["rx.pdf", "smile.jpg"]
    original = OrderFile.objects.get(pk=labs)
    assert copies[0].storage_name != original.storage_name and copies[0].sha256 == original.sha256
    with default_storage.open(copies[0].storage_name, "rb") as stored:
        assert stored.read() == SAMPLES["prescription.pdf"]
    assert len(stored_files(storage_dir)) == 4
    added = OrderEvent.objects.filter(order=target, action="file-added")
    assert sorted(e.data["copied_from"] for e in added) == [source.number, source.number]
    # Deleting the copy leaves the original.
    services.delete_file(cast.admin_a, target.number, copies[0].pk)
    assert OrderFile.objects.filter(pk=labs).exists()


def test_copy_files_refuses_ids_not_on_the_source(cast, order_in, two_files):
    _, dentists, _ = two_files
    elsewhere = order_in("published")
    target = order_in("draft")
    with pytest.raises(InvalidInput) as refused:
        services.copy_files(elsewhere, target, [dentists], user=cast.admin_a)
    assert refused.value.field == "files"
    assert not OrderFile.objects.filter(order=target).exists()


def test_copy_files_with_shared_only_refuses_an_internal_file(cast, order_in, upload):
    source = order_in("published")
    internal = upload(cast.admin_a, source.number, "notes.pdf", SAMPLES["prescription.pdf"]).json()["id"]
    with pytest.raises(InvalidInput):
        services.copy_files(source, order_in("draft"), [internal], user=cast.dentist_a1, shared_only=True)


def test_copy_files_takes_a_ready_preview_along(cast, order_in, upload, django_capture_on_commit_callbacks):
    source = order_in("published")
    with django_capture_on_commit_callbacks(execute=True):
        scan = upload(cast.admin_a, source.number, "upper.stl", SAMPLES["upper.stl"]).json()["id"]
    (copy,) = services.copy_files(source, order_in("draft"), [scan], user=cast.admin_a)
    assert copy.preview_state == "ready" and copy.preview_name != OrderFile.objects.get(pk=scan).preview_name
    assert default_storage.exists(copy.preview_name)
