"""Who sees which file: the lab all of its orders' files, a customer the shared files of their own
orders (list, content, preview, history); anyone else nothing at all (404)."""

from __future__ import annotations

import pytest

from crownline.files.models import OrderFile
from tests.files.samples import SAMPLES


@pytest.fixture
def order_with_files(cast, order_in, upload, django_capture_on_commit_callbacks):
    order = order_in("production")
    with django_capture_on_commit_callbacks(execute=True):
        shared = upload(cast.dentist_a1, order.number, "smile.jpg", SAMPLES["smile.jpg"]).json()
        internal = upload(cast.tech_a, order.number, "design.png", SAMPLES["shade.png"], shared=False).json()
    return order, shared["id"], internal["id"]


def test_the_lab_lists_every_file_and_the_dentist_only_the_shared_ones(cast, api, order_with_files):
    order, shared, internal = order_with_files
    for lab_person in (cast.admin_a, cast.tech_a):
        listed = api(lab_person).get(f"/orders/{order.number}/files").json()
        assert [f["id"] for f in listed] == [shared, internal]
    assert [f["id"] for f in api(cast.dentist_a1).get(f"/orders/{order.number}/files").json()] == [shared]


@pytest.mark.parametrize("suffix", ["", "/content", "/preview.png"])
def test_an_internal_file_does_not_exist_for_the_dentist(cast, api, order_with_files, suffix):
    order, shared, internal = order_with_files
    assert api(cast.dentist_a1).get(f"/orders/{order.number}/files/{internal}{suffix}").status_code == 404
    assert api(cast.dentist_a1).get(f"/orders/{order.number}/files/{shared}{suffix}").status_code == 200
    assert api(cast.tech_a).get(f"/orders/{order.number}/files/{internal}{suffix}").status_code == 200


def test_the_dentists_history_leaves_out_the_internal_upload(cast, api, order_with_files):
    order, shared, internal = order_with_files

    def added(actor):
        events = api(actor).get(f"/orders/{order.number}/events").json()
        return [e["data"].get("file") for e in events if e["action"] == "file-added"]

    assert added(cast.admin_a) == [shared, internal]
    assert added(cast.dentist_a1) == [shared]


@pytest.mark.parametrize("intruder", ["dentist_a2", "admin_b", "dentist_b"])
@pytest.mark.parametrize("suffix", ["", "/content", "/preview.png"])
def test_other_people_get_404_for_every_file(cast, api, order_with_files, intruder, suffix):
    order, shared, _ = order_with_files
    response = api(getattr(cast, intruder)).get(f"/orders/{order.number}/files/{shared}{suffix}")
    assert response.status_code == 404
    assert api(getattr(cast, intruder)).get(f"/orders/{order.number}/files").status_code == 404


def test_a_file_asked_for_under_another_order_is_404(cast, api, order_in, order_with_files):
    _, shared, _ = order_with_files
    other = order_in("published")
    assert api(cast.admin_a).get(f"/orders/{other.number}/files/{shared}/content").status_code == 404


def test_a_download_streams_the_bytes_with_its_type_name_and_nosniff(cast, api, order_in, upload):
    order = order_in("published")
    created = upload(cast.admin_a, order.number, "Zahn öben 1.stl", SAMPLES["upper.stl"], shared=True).json()
    response = api(cast.dentist_a1).get(f"/orders/{order.number}/files/{created['id']}/content")
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content) == SAMPLES["upper.stl"]
    assert response["Content-Type"] == "model/stl"
    assert response["Content-Length"] == str(len(SAMPLES["upper.stl"]))
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Zahn _ben 1.stl\"; filename*=UTF-8''Zahn%20%C3%B6ben%201.stl"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_a_pdf_is_downloaded_as_an_attachment_never_shown_inline(cast, api, order_in, upload):
    order = order_in("published")
    created = upload(cast.admin_a, order.number, "rx.pdf", SAMPLES["prescription.pdf"]).json()
    response = api(cast.admin_a).get(f"/orders/{order.number}/files/{created['id']}/content")
    assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith("attachment;")


def test_an_anonymous_download_is_refused(cast, order_in, upload, client):
    order = order_in("published")
    created = upload(cast.admin_a, order.number, "upper.stl", SAMPLES["upper.stl"]).json()
    assert client.get(f"/api/v1/orders/{order.number}/files/{created['id']}/content").status_code == 401
    assert client.get(f"/orders/{order.number}/files/{created['id']}/").status_code == 302  # to sign in
    assert OrderFile.objects.count() == 1
