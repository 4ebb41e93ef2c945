"""Previews: a rendered image of a scan, a thumbnail of a photo, none for PDFs and ZIPs; made after
the upload's transaction commits, and a preview that fails never fails the upload."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from crownline.files import previews, rendering
from crownline.files.models import OrderFile
from tests.files.samples import SAMPLES, binary_stl, sphere


def _png(response) -> Image.Image:
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def _colours(image: Image.Image) -> int:
    return len(image.convert("RGB").getcolors(maxcolors=1 << 20) or [])


def test_a_binary_stl_made_by_the_test_is_rendered_as_a_shaded_preview(
    cast, order_in, upload, api, django_capture_on_commit_callbacks
):
    """A sphere: its preview is a PNG of the preview size with the shading's many greys."""
    order = order_in("published")
    data = binary_stl(sphere(rings=40, segments=60))
    with django_capture_on_commit_callbacks(execute=True):
        created = upload(cast.dentist_a1, order.number, "sphere.stl", data).json()
    assert created["preview"] == "pending"  # answered before the preview was made

    body = api(cast.dentist_a1).get(f"/orders/{order.number}/files/{created['id']}").json()
    assert body["preview"] == "ready" and body["urls"]["preview"].endswith("/preview.png")
    image = _png(api(cast.dentist_a1).get(f"/orders/{order.number}/files/{created['id']}/preview.png"))
    assert image.size == rendering.SIZE
    assert _colours(image) > 20  # shaded, not one flat colour
    assert image.getpixel((0, 0)) == rendering.BACKGROUND and image.getpixel((160, 120)) != rendering.BACKGROUND


@pytest.mark.parametrize("name", ["lower-ascii.stl", "bite.ply", "model.obj", "print.3mf"])
def test_every_mesh_type_gets_a_rendered_preview(cast, order_in, upload, name, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = upload(cast.admin_a, order_in("published").number, name, SAMPLES[name]).json()
    file = OrderFile.objects.get(pk=created["id"])
    assert file.preview_state == "ready"


@pytest.mark.parametrize("name", ["smile.jpg", "shade.png", "iphone.heic"])
def test_a_photo_gets_a_thumbnail_within_the_preview_size(
    cast, order_in, upload, api, name, django_capture_on_commit_callbacks
):
    order = order_in("published")
    with django_capture_on_commit_callbacks(execute=True):
        created = upload(cast.admin_a, order.number, name, SAMPLES[name]).json()
    image = _png(api(cast.admin_a).get(f"/orders/{order.number}/files/{created['id']}/preview.png"))
    assert image.size == (320, 240)  # 400 x 300 scaled into 320 x 240
    assert _colours(image) > 1


@pytest.mark.parametrize("name", ["prescription.pdf", "export.zip"])
def test_pdfs_and_zips_have_no_preview_and_say_so(cast, order_in, upload, api, name):
    order = order_in("published")
    created = upload(cast.admin_a, order.number, name, SAMPLES[name]).json()
    assert created["preview"] == "none" and created["urls"]["preview"] is None
    response = api(cast.admin_a).get(f"/orders/{order.number}/files/{created['id']}/preview.png")
    assert response.status_code == 404 and "no preview" in response.json()["detail"]


def test_a_preview_not_made_yet_is_a_404_with_the_reason(cast, order_in, upload, api):
    order = order_in("published")
    created = upload(cast.admin_a, order.number, "upper.stl", SAMPLES["upper.stl"]).json()
    response = api(cast.admin_a).get(f"/orders/{order.number}/files/{created['id']}/preview.png")
    assert response.status_code == 404 and "still being made" in response.json()["detail"]


def test_a_scan_the_renderer_cannot_read_fails_its_preview_but_keeps_the_upload(
    cast, order_in, upload, django_capture_on_commit_callbacks
):
    """Every triangle at one point: an STL by its bytes, nothing to draw."""
    flat = binary_stl(sphere(4, 6) * 0)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(cast.admin_a, order_in("published").number, "flat.stl", flat)
    assert response.status_code == 201
    assert OrderFile.objects.get(pk=response.json()["id"]).preview_state == "failed"


def test_make_preview_of_a_deleted_file_does_nothing(db):
    assert previews.make_preview(987654) == "none"


def test_a_huge_scan_is_drawn_from_a_sample_of_its_triangles():
    triangles = sphere(rings=300, segments=400)  # 240 000 triangles
    assert len(triangles) > rendering.MAX_TRIANGLES
    data = binary_stl(triangles)
    picked = rendering.binary_stl_triangles(io.BytesIO(data), len(triangles))
    assert len(picked) <= rendering.MAX_TRIANGLES
    assert Image.open(io.BytesIO(rendering.render_mesh(picked))).size == rendering.SIZE
