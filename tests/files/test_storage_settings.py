"""Where the bytes are kept: the data folder by default, or the store CROWNLINE_STORAGE_URL names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from storages.backends.s3 import S3Storage  # the optional extra `s3`; the test extras install it

from crownline.files.storage_url import StorageUrlError, storage_settings

ROOT = Path(__file__).resolve().parents[2]


def test_by_default_files_live_in_the_data_folder():
    assert storage_settings(None, Path("/srv/crownline")) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": "/srv/crownline/files"},
    }


def test_the_running_settings_use_the_data_folder_without_a_storage_url(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "CROWNLINE_STORAGE_URL"} | {"CROWNLINE_DATA_DIR": str(tmp_path)}
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'crownline.settings'; django.setup(); "
        "from django.core.files.storage import default_storage; print(default_storage.location)"
    )
    out = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split()[-1] == str(tmp_path / "files")
    assert settings.STORAGES["staticfiles"]["BACKEND"].endswith("StaticFilesStorage")


def test_an_s3_url_selects_django_storages_with_private_objects():
    config = storage_settings(
        "s3://lab-files/crownline/prod?endpoint_url=https://s3.example.com&region=eu-central-1", Path("/data")
    )
    assert config == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "lab-files",
            "location": "crownline/prod",
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "endpoint_url": "https://s3.example.com",
            "region_name": "eu-central-1",
        },
    }


def test_the_s3_backend_named_there_loads_with_the_parsed_options():
    options = storage_settings("s3://b/p?region=us-east-1", Path("/data"))["OPTIONS"]
    storage = S3Storage(**options)
    assert storage.bucket_name == "b" and storage.location == "p" and storage.default_acl is None


def test_a_file_url_names_a_folder():
    assert storage_settings("file:///srv/files", Path("/data"))["OPTIONS"] == {"location": "/srv/files"}


@pytest.mark.parametrize("url", ["ftp://host/x", "s3:///prefix", "s3://b/p?acl=public-read", "file://host/x"])
def test_a_storage_url_crownline_cannot_use_is_refused_at_start(url):
    with pytest.raises(StorageUrlError):
        storage_settings(url, Path("/data"))
