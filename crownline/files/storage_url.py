"""Where the files' bytes are kept, from one setting (read by settings.py; no Django import).

- unset: the local file system, under `<CROWNLINE_DATA_DIR>/files`;
- `file:///srv/crownline-files`: the local file system at that folder;
- `s3://bucket/prefix?endpoint_url=https://s3.example.com&region=eu-central-1`: any
  S3-compatible store through django-storages (`pip install 'crownline[s3]'`). The credentials
  come from the usual AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, or a role);
  downloads go through Crownline, which checks who asks, so objects stay private (no ACL, no
  public URL).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

S3_BACKEND = "storages.backends.s3.S3Storage"
FILE_BACKEND = "django.core.files.storage.FileSystemStorage"
# Query parameters of an s3:// URL and the S3Storage options they set.
S3_OPTIONS = {"endpoint_url": "endpoint_url", "region": "region_name", "addressing_style": "addressing_style"}


class StorageUrlError(ValueError):
    pass


def storage_settings(url: str | None, data_dir: Path) -> dict[str, Any]:
    """The `STORAGES["default"]` entry for CROWNLINE_STORAGE_URL (None or "": the data folder)."""
    if not url:
        return {"BACKEND": FILE_BACKEND, "OPTIONS": {"location": str(data_dir / "files")}}
    parts = urlsplit(url)
    if parts.scheme == "file":
        if not parts.path or parts.netloc not in ("", "localhost"):
            raise StorageUrlError("CROWNLINE_STORAGE_URL: write a folder as file:///absolute/path")
        return {"BACKEND": FILE_BACKEND, "OPTIONS": {"location": unquote(parts.path)}}
    if parts.scheme == "s3":
        return {"BACKEND": S3_BACKEND, "OPTIONS": _s3_options(parts)}
    raise StorageUrlError(f"CROWNLINE_STORAGE_URL: unknown scheme {parts.scheme!r} (use s3:// or file://)")


def _s3_options(parts) -> dict[str, Any]:
    if not parts.netloc:
        raise StorageUrlError("CROWNLINE_STORAGE_URL: name the bucket, as s3://bucket/prefix")
    options: dict[str, Any] = {
        "bucket_name": parts.netloc,
        "location": unquote(parts.path).strip("/"),
        # Private objects, read only through Crownline's authorized downloads.
        "default_acl": None,
        "querystring_auth": True,
        # Storage names are unique per upload; never overwrite an existing object.
        "file_overwrite": False,
    }
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key not in S3_OPTIONS:
            raise StorageUrlError(f"CROWNLINE_STORAGE_URL: unknown parameter {key!r} ({', '.join(S3_OPTIONS)})")
        options[S3_OPTIONS[key]] = value
    return options
