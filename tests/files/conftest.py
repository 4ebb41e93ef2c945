"""Files tests: each test stores its files in a folder of its own, and uploads as a real client does."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from crownline.tenancy.models import ApiToken


@pytest.fixture(autouse=True)
def storage_dir(settings, tmp_path) -> Path:
    folder = tmp_path / "files"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(folder)}},
    }
    assert Path(default_storage.location) == folder
    return folder


def stored_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def upload():
    """`upload(user, number, name, data, shared=None)`: a multipart POST as the API's client sends it."""

    def send(user, number: str, name: str, data: bytes, shared: bool | None = None, content_type="text/plain"):
        client = Client()
        headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"} if user is not None else {}
        body: dict = {"file": SimpleUploadedFile(name, data, content_type=content_type)}
        if shared is not None:
            body["shared"] = "true" if shared else "false"
        return client.post(f"/api/v1/orders/{number}/files", body, **headers)

    return send
