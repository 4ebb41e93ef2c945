"""Making a file's preview: one function, `make_preview(file_id)`, that any caller may run.

Until the background worker exists (issue 14), the upload schedules it right after its
transaction commits (`schedule`); the worker will call the same function. It never raises:
a file the renderer cannot read gets the state "failed", and the upload it came with stands.
"""

from __future__ import annotations

import logging
import struct
import uuid

import numpy as np
import pillow_heif
import trimesh
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from crownline.files import rendering
from crownline.files.models import FileKind, OrderFile, PreviewState

log = logging.getLogger(__name__)
pillow_heif.register_heif_opener()  # Pillow opens HEIC photos from here on

# trimesh's name for each mesh type we take.
MESH_TYPES = {"stl": "stl", "ply": "ply", "obj": "obj", "3mf": "3mf"}


def needs_preview(kind: str) -> bool:
    return kind in (FileKind.SCAN, FileKind.PHOTO)


def schedule(file_id: int) -> None:
    """Make the preview once the surrounding transaction has committed (now, if there is none)."""
    transaction.on_commit(lambda: make_preview(file_id))


def make_preview(file_id: int) -> str:
    """Render and store the file's preview; returns the preview state it ends in."""
    file = OrderFile.objects.filter(pk=file_id).first()
    if file is None:
        return PreviewState.NONE  # deleted before its preview was made
    if not needs_preview(file.kind):
        OrderFile.objects.filter(pk=file_id).update(preview_state=PreviewState.NONE)
        return PreviewState.NONE
    try:
        png = _render(file)
    except Exception:  # any failure of any decoder: the preview fails, nothing else does
        log.warning("no preview for file %s (%s)", file.pk, file.type, exc_info=True)
        OrderFile.objects.filter(pk=file_id).update(preview_state=PreviewState.FAILED)
        return PreviewState.FAILED
    name = default_storage.save(f"previews/{uuid.uuid4().hex}.png", ContentFile(png))
    if not OrderFile.objects.filter(pk=file_id).update(preview_name=name, preview_state=PreviewState.READY):
        default_storage.delete(name)  # the file was deleted while its preview was drawn
        return PreviewState.NONE
    return PreviewState.READY


def _render(file: OrderFile) -> bytes:
    with default_storage.open(file.storage_name, "rb") as stream:
        if file.kind == FileKind.PHOTO:
            return rendering.photo_thumbnail(stream)
        if file.type == "stl" and (count := _binary_stl_count(stream, file.size)):
            return rendering.render_mesh(rendering.binary_stl_triangles(stream, count))
        stream.seek(0)
        mesh = trimesh.load(stream, file_type=MESH_TYPES[file.type], force="mesh", process=False)
        faces = np.asarray(getattr(mesh, "faces", ()), dtype=np.int64).reshape(-1, 3)
        if len(faces) == 0:
            raise rendering.PreviewFailed("the scan has no triangles")
        # Sample the faces before looking their corners up: a large scan's triangles are not copied.
        return rendering.render_mesh(np.asarray(mesh.vertices, dtype=np.float64)[rendering.sample(faces)])


def _binary_stl_count(stream, size: int) -> int:
    stream.seek(80)
    raw = stream.read(4)
    count = struct.unpack("<I", raw)[0] if len(raw) == 4 else 0
    return count if count and 84 + 50 * count == size else 0
