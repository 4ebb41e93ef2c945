"""The files that go with a hand-off: the sender chooses, the partner's order gets its own copies."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from crownline.errors import InvalidInput
from crownline.files import services as files
from crownline.files.models import OrderFile
from crownline.orders.models import Order
from crownline.outsourcing import sending
from tests.files.samples import binary_stl, pdf, sphere


@pytest.fixture(autouse=True)
def storage_dir(settings, tmp_path):
    """Each test stores its files in a folder of its own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def test_lab_a_admin_sends_a_scan_and_an_internal_pdf_and_keeps_another_file(cast, order_in, linked, partner_service):
    order = order_in("published")
    scan = files.upload_file(cast.admin_a, order.number, SimpleUploadedFile("jaw.stl", binary_stl(sphere())))
    internal = files.upload_file(cast.admin_a, order.number, SimpleUploadedFile("notes.pdf", pdf()), shared=False)
    files.upload_file(cast.admin_a, order.number, SimpleUploadedFile("kept.pdf", pdf()))
    handoff = sending.send_order(
        cast.admin_a,
        order.number,
        partner="lab-b",
        lines=[sending.LineChoice(order.lines.get().pk)],
        files=[scan.pk, internal.pk],
    )
    theirs = handoff.partner_order
    copies = list(OrderFile.objects.filter(order=theirs).order_by("pk"))
    assert [f.name for f in copies] == ["jaw.stl", "notes.pdf"] and handoff.files == 2
    assert copies[0].storage_name != scan.storage_name
    with default_storage.open(copies[0].storage_name) as mine, default_storage.open(scan.storage_name) as original:
        assert mine.read() == original.read()
    assert order.events.get(action="outsource").data["files"] == 2


def test_a_file_of_another_order_is_refused_and_nothing_is_sent(cast, order_in, linked, partner_service):
    order, other = order_in("published"), order_in("published")
    stranger = files.upload_file(cast.admin_a, other.number, SimpleUploadedFile("x.pdf", pdf()))
    with pytest.raises(InvalidInput) as refused:
        sending.send_order(
            cast.admin_a,
            order.number,
            partner="lab-b",
            lines=[sending.LineChoice(order.lines.get().pk)],
            files=[stranger.pk],
        )
    assert refused.value.field == "files"
    assert not Order.objects.filter(outsourced_from=order).exists()
    assert OrderFile.objects.count() == 1
