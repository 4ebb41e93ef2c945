"""Size limits: one file, and all the files of one order; an oversized body never reaches the view."""

from __future__ import annotations

from crownline.files.models import OrderFile
from tests.files.conftest import stored_files
from tests.files.samples import SAMPLES, binary_stl, sphere

STL = SAMPLES["upper.stl"]


def test_a_file_above_the_limit_is_refused_with_413_and_nothing_is_stored(
    cast, order_in, upload, settings, storage_dir
):
    settings.CROWNLINE_MAX_FILE_BYTES = len(STL) - 1
    response = upload(cast.admin_a, order_in("published").number, "upper.stl", STL)
    assert response.status_code == 413
    body = response.json()
    assert body["rule"] == "max-file-bytes" and body["limit"] == len(STL) - 1
    assert body["errors"][0]["field"] == "file" and "at most" in body["detail"]
    assert not OrderFile.objects.exists() and stored_files(storage_dir) == []


def test_a_body_far_above_the_file_limit_is_refused_before_it_is_read(cast, order_in, upload, settings, storage_dir):
    settings.CROWNLINE_MAX_FILE_BYTES = 1000
    settings.CROWNLINE_MAX_BODY_BYTES = 1000
    big = binary_stl(sphere(64, 96))  # 600 KB: past one file plus the multipart framing (64 KB)
    response = upload(cast.admin_a, order_in("published").number, "upper.stl", big)
    assert response.status_code == 413 and "larger than" in response.json()["detail"]
    assert stored_files(storage_dir) == []


def test_the_upload_route_alone_takes_a_body_of_a_files_size(cast, order_in, api, settings):
    """Every other route keeps the small body limit (crownline/bodylimit.py)."""
    settings.CROWNLINE_MAX_BODY_BYTES = 2000
    order = order_in("published")
    big_comment = api(cast.admin_a).post(f"/orders/{order.number}/comments", {"body": "x" * 5000})
    assert big_comment.status_code == 413


def test_the_orders_files_together_stay_under_the_order_limit(cast, order_in, upload, settings, storage_dir):
    settings.CROWNLINE_MAX_ORDER_FILES_BYTES = len(STL) * 2
    order = order_in("published")
    assert upload(cast.admin_a, order.number, "a.stl", STL).status_code == 201
    assert upload(cast.dentist_a1, order.number, "b.stl", STL).status_code == 201
    response = upload(cast.dentist_a1, order.number, "c.stl", STL)
    assert response.status_code == 413 and response.json()["rule"] == "max-order-files-bytes"
    assert OrderFile.objects.filter(order=order).count() == 2 and len(stored_files(storage_dir)) == 2
    # Another order has room of its own.
    assert upload(cast.admin_a, order_in("published").number, "c.stl", STL).status_code == 201


def test_an_order_holds_a_limited_number_of_files(cast, order_in, upload, settings):
    settings.CROWNLINE_MAX_FILES_PER_ORDER = 2
    order = order_in("published")
    for _ in range(2):
        assert upload(cast.admin_a, order.number, "p.png", SAMPLES["shade.png"]).status_code == 201
    response = upload(cast.admin_a, order.number, "p.png", SAMPLES["shade.png"])
    assert response.status_code == 409 and response.json()["rule"] == "max-files-per-order"
