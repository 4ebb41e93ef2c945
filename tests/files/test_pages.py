"""The order page's Files card: thumbnails, names, sizes, shared/internal badges for the lab,
downloads, delete with a confirmation, and the upload form."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from crownline.files.models import OrderFile
from tests.files.samples import SAMPLES


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_technician_uploads_an_internal_file_from_the_order_page(cast, order_in):
    order = order_in("production")
    page = _signed_in(cast.tech_a)
    response = page.post(
        f"/orders/{order.number}/files/", {"file": SimpleUploadedFile("design.png", SAMPLES["shade.png"])}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/orders/{order.number}/#files")
    file = OrderFile.objects.get(order=order)
    assert file.shared is False and file.uploaded_by == cast.tech_a
    html = page.get(f"/orders/{order.number}/").content.decode()
    assert "design.png" in html and "Internal" in html and "Share with the customer" in html


def test_the_dentist_sees_shared_files_only_with_no_badges_and_deletes_their_own(cast, order_in):
    order = order_in("published")
    dentist = _signed_in(cast.dentist_a1)
    dentist.post(f"/orders/{order.number}/files/", {"file": SimpleUploadedFile("smile.jpg", SAMPLES["smile.jpg"])})
    lab = _signed_in(cast.admin_a)
    lab.post(f"/orders/{order.number}/files/", {"file": SimpleUploadedFile("notes.pdf", SAMPLES["prescription.pdf"])})
    html = dentist.get(f"/orders/{order.number}/").content.decode()
    assert "smile.jpg" in html and "notes.pdf" not in html and "Internal" not in html
    assert "Share with the customer" not in html and "Delete “smile.jpg”" in html
    mine = OrderFile.objects.get(name="smile.jpg")
    assert dentist.post(f"/orders/{order.number}/files/{mine.pk}/delete/").status_code == 302
    assert not OrderFile.objects.filter(pk=mine.pk).exists()


def test_wrong_content_is_shown_next_to_the_upload_field(cast, order_in):
    order = order_in("published")
    response = _signed_in(cast.admin_a).post(
        f"/orders/{order.number}/files/", {"file": SimpleUploadedFile("upper.stl", SAMPLES["shade.png"])}
    )
    assert response.status_code == 422
    assert "the file&#x27;s content is not an STL scan" in response.content.decode()
    assert not OrderFile.objects.exists()


def test_a_download_and_a_preview_from_the_page_are_authorized_per_request(
    cast, order_in, django_capture_on_commit_callbacks
):
    order = order_in("published")
    with django_capture_on_commit_callbacks(execute=True):
        _signed_in(cast.dentist_a1).post(
            f"/orders/{order.number}/files/", {"file": SimpleUploadedFile("upper.stl", SAMPLES["upper.stl"])}
        )
    file = OrderFile.objects.get()
    dentist = _signed_in(cast.dentist_a1)
    download = dentist.get(f"/orders/{order.number}/files/{file.pk}/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == SAMPLES["upper.stl"]
    assert dentist.get(f"/orders/{order.number}/files/{file.pk}/preview.png")["Content-Type"] == "image/png"
    html = dentist.get(f"/orders/{order.number}/").content.decode()
    assert f"/orders/{order.number}/files/{file.pk}/preview.png" in html
    for other in (cast.dentist_a2, cast.admin_b, cast.dentist_b):
        assert _signed_in(other).get(f"/orders/{order.number}/files/{file.pk}/").status_code == 404


def test_a_file_above_the_limit_is_refused_on_the_page_with_the_reason(cast, order_in, settings):
    settings.CROWNLINE_MAX_FILE_BYTES = 1000
    order = order_in("published")
    response = _signed_in(cast.tech_a).post(
        f"/orders/{order.number}/files/", {"file": SimpleUploadedFile("upper.stl", SAMPLES["upper.stl"])}
    )
    assert response.status_code == 413
    assert "a file may be at most 1 KB" in response.content.decode()
    assert not OrderFile.objects.exists()
