"""A file as both doors show it."""

from __future__ import annotations

from typing import Any

from crownline.files.models import OrderFile, PreviewState


def file_out(file: OrderFile, number: str) -> dict[str, Any]:
    base = f"/api/v1/orders/{number}/files/{file.pk}"
    return {
        "id": file.pk,
        "name": file.name,
        "kind": file.kind,
        "type": file.type,
        "content_type": file.content_type,
        "size": file.size,
        "sha256": file.sha256,
        "shared": file.shared,
        "uploaded_by": file.uploaded_by.get_username() if file.uploaded_by else None,
        "uploaded_at": file.uploaded_at,
        "preview": file.preview_state,
        "urls": {
            "self": base,
            "content": f"{base}/content",
            "preview": f"{base}/preview.png" if file.preview_state == PreviewState.READY else None,
        },
    }
