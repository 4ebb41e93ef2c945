"""The files API's answers."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from crownline.schemas import Out


class FileUrls(Out):
    self: str
    content: str
    preview: str | None


class FileOut(Out):
    id: int
    name: str
    kind: Literal["scan", "photo", "pdf", "archive"]
    type: Literal["stl", "ply", "obj", "3mf", "jpeg", "png", "heic", "pdf", "zip"]
    content_type: str
    size: int
    sha256: str
    shared: bool
    uploaded_by: str | None
    uploaded_at: dt.datetime
    preview: Literal["pending", "ready", "none", "failed"]
    urls: FileUrls
