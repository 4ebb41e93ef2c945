"""Sending a file's bytes or its preview to someone the access helper let through (both doors).

Never a public URL: every download is a request that was authorized on its own, answered by
streaming the stored bytes (FileResponse reads them in blocks). The content type is the one
the bytes were found to be, `nosniff` keeps browsers from guessing otherwise, and a file is
always an attachment: an uploaded PDF or image is never rendered inside Crownline's origin.
"""

from __future__ import annotations

from urllib.parse import quote

from django.core.files.storage import default_storage
from django.http import FileResponse

from crownline.errors import NotFound
from crownline.files.models import FileKind, OrderFile, PreviewState


def disposition(kind: str, name: str) -> str:
    """RFC 6266: a plain ASCII fallback, and the real name as UTF-8 (RFC 5987)."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in name) or "file"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _private(response: FileResponse) -> FileResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


def content_response(file: OrderFile) -> FileResponse:
    response = FileResponse(default_storage.open(file.storage_name, "rb"), content_type=file.content_type)
    response["Content-Length"] = str(file.size)
    response["Content-Disposition"] = disposition("attachment", file.name)
    return _private(response)


WHY_NO_PREVIEW = {
    PreviewState.PENDING: "The preview is still being made; try again in a moment.",
    PreviewState.FAILED: "No preview could be made of this file.",
    PreviewState.NONE: "Files of this type have no preview.",
}


def preview_response(file: OrderFile) -> FileResponse:
    if file.preview_state != PreviewState.READY or not file.preview_name:
        raise NotFound(WHY_NO_PREVIEW.get(file.preview_state, WHY_NO_PREVIEW[PreviewState.NONE]))
    response = FileResponse(default_storage.open(file.preview_name, "rb"), content_type="image/png")
    stem = file.name.rpartition(".")[0] if file.kind != FileKind.ARCHIVE else file.name
    response["Content-Disposition"] = disposition("inline", f"{stem or file.name}-preview.png")
    return _private(response)
