"""`crownline backup` takes the orders' stored files along (`<PATH>.files/`), and `restore`
brings them back: downloads work again after the storage was lost."""

from __future__ import annotations

import hashlib
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from crownline.files import previews, services
from crownline.files.models import OrderFile
from crownline.tenancy.models import ApiToken
from tests.factories import make_order
from tests.files.samples import SAMPLES


@pytest.fixture
def storage_dir(settings, tmp_path):
    folder = tmp_path / "storage"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(folder)}},
    }
    return folder


def _download(user, number: str, file_id: int) -> bytes:
    client = Client()
    response = client.get(
        f"/api/v1/orders/{number}/files/{file_id}/content", HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}"
    )
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_after_losing_the_storage_gives_back_every_file(cast, storage_dir, tmp_path):
    order = make_order(cast.admin_a, cast.customer_a1, status="published", service=cast.service_a)
    scan = services.upload_file(cast.dentist_a1, order.number, SimpleUploadedFile("upper.stl", SAMPLES["upper.stl"]))
    assert OrderFile.objects.get(pk=scan.pk).preview_state == "ready"  # made on commit (no outer transaction)
    pdf = services.upload_file(
        cast.admin_a, order.number, SimpleUploadedFile("rx.pdf", SAMPLES["prescription.pdf"]), shared=False
    )
    backup = tmp_path / "backups" / "crownline.backup"

    call_command("backup", str(backup))

    folder = backup.with_name("crownline.backup.files")
    assert len([p for p in folder.rglob("*") if p.is_file()]) == 3  # two files and a preview
    shutil.rmtree(storage_dir)
    call_command("flush", "--noinput")
    assert OrderFile.objects.count() == 0

    call_command("restore", str(backup))

    restored = OrderFile.objects.get(pk=scan.pk)
    assert restored.sha256 == hashlib.sha256(SAMPLES["upper.stl"]).hexdigest()
    assert _download(cast.dentist_a1, order.number, scan.pk) == SAMPLES["upper.stl"]
    assert _download(cast.admin_a, order.number, pdf.pk) == SAMPLES["prescription.pdf"]
    assert (storage_dir / restored.preview_name).is_file()


@pytest.mark.django_db(transaction=True)
def test_a_second_backup_to_the_same_path_drops_deleted_files_and_copies_only_new_ones(cast, storage_dir, tmp_path):
    order = make_order(cast.admin_a, cast.customer_a1, status="published", service=cast.service_a)
    first = services.upload_file(cast.admin_a, order.number, SimpleUploadedFile("a.pdf", SAMPLES["prescription.pdf"]))
    backup = tmp_path / "crownline.backup"
    call_command("backup", str(backup))
    services.delete_file(cast.admin_a, order.number, first.pk)
    second = services.upload_file(cast.admin_a, order.number, SimpleUploadedFile("b.zip", SAMPLES["export.zip"]))
    previews.make_preview(second.pk)  # a ZIP has none: nothing more to back up

    call_command("backup", str(backup))

    kept = {
        p.relative_to(backup.with_name("crownline.backup.files")).as_posix()
        for p in backup.with_name("crownline.backup.files").rglob("*")
        if p.is_file()
    }
    assert kept == {OrderFile.objects.get(pk=second.pk).storage_name}
