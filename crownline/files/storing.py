"""Putting a file's bytes into the storage (Django's storage API: the local folder or S3).

The bytes go in chunks from wherever the upload handler left them (a temporary file for
anything above FILE_UPLOAD_MAX_MEMORY_SIZE), and their SHA-256 is computed on the way: the
whole file is never read into memory. A storage name is ours alone (a random hex name under
the order's folder); the name the client sent is never part of a path.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable

from django.core.files import File
from django.core.files.storage import default_storage

from crownline.orders.models import Order

CHUNK = 1024 * 1024


class _Hashing(File):
    """A File that hashes what is read from it, whether the storage asks for chunks (the file
    system) or reads it (S3's upload_fileobj); a rewind starts the hash over."""

    def __init__(self, file, name: str) -> None:
        super().__init__(file, name)
        self._restart()

    def _restart(self) -> None:
        self.digest = hashlib.sha256()
        self.hashed = 0
        self.in_order = True

    def seek(self, offset: int, whence: int = 0) -> int:
        result = self.file.seek(offset, whence)
        if (offset, whence) == (0, 0):
            self._restart()
        else:
            self.in_order = False
        return result

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.digest.update(data)
        self.hashed += len(data)
        return data

    def chunks(self, chunk_size: int | None = None) -> Iterable[bytes]:
        self.seek(0)
        while data := self.read(chunk_size or CHUNK):
            yield data


def storage_name(order: Order, extension: str) -> str:
    return f"orders/{order.lab_id}/{order.number}/{uuid.uuid4().hex}.{extension}"


def store(stream, name: str, size: int) -> tuple[str, str]:
    """Save the stream's bytes under `name` (or a free variant); returns (stored name, sha256)."""
    content = _Hashing(stream, name)
    stored = default_storage.save(name, content)
    if not content.in_order or content.hashed != size:
        return stored, sha256_of(stream)  # a backend that read in its own way: hash once more
    return stored, content.digest.hexdigest()


def sha256_of(stream) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    while data := stream.read(CHUNK):
        digest.update(data)
    stream.seek(0)
    return digest.hexdigest()


def copy(source_name: str, target_name: str) -> str:
    """Copy stored bytes to a new name, in chunks (storage to storage)."""
    with default_storage.open(source_name, "rb") as source:
        return default_storage.save(target_name, File(source, target_name))


def forget(*names: str) -> None:
    """Delete stored bytes (a removed file and its preview); a name already gone is fine."""
    for name in names:
        if name:
            default_storage.delete(name)
