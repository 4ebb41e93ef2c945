"""Preview images: a photo's thumbnail and a scan drawn as a shaded model (no Django here).

A scan is drawn the way a lab looks at one on screen: from a fixed three-quarter view, each
triangle filled with a grey whose brightness follows the angle between its face and the light
(Lambert shading), far triangles first so near ones cover them (the painter's algorithm). A
full-arch scan has a few hundred thousand triangles, an export up to millions: at most
`MAX_TRIANGLES` are drawn, an even sample of them, which at thumbnail size looks the same and
keeps a 200 MB scan to about a second.
"""

from __future__ import annotations

import io
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageDraw, ImageOps

SIZE = (320, 240)
MAX_TRIANGLES = 40_000
BACKGROUND = (246, 247, 249)
STL_RECORD = np.dtype([("normal", "<f4", 3), ("vertices", "<f4", (3, 3)), ("attribute", "<u2")])
# The light comes from over the viewer's left shoulder.
LIGHT = np.array([-0.4, 0.5, 0.77])
LIGHT = LIGHT / np.linalg.norm(LIGHT)


class PreviewFailed(Exception):
    pass


def photo_thumbnail(stream: BinaryIO) -> bytes:
    """A PNG no larger than SIZE, turned as the camera's orientation tag says."""
    with Image.open(stream) as image:
        image.draft("RGB", SIZE)  # JPEG: decode at a reduced scale straight away
        image = ImageOps.exif_transpose(image).convert("RGB")
        image.thumbnail(SIZE)
        return _png(image)


def binary_stl_triangles(stream: BinaryIO, count: int) -> np.ndarray:
    """An even sample of a binary STL's triangles (n x 3 x 3), read in chunks, never whole."""
    step = max(1, -(-count // MAX_TRIANGLES))
    per_chunk = step * 20_000
    stream.seek(84)
    picked = []
    for start in range(0, count, per_chunk):
        block = stream.read(STL_RECORD.itemsize * min(per_chunk, count - start))
        records = np.frombuffer(block, dtype=STL_RECORD, count=len(block) // STL_RECORD.itemsize)
        picked.append(records["vertices"][::step])
    if not picked:
        raise PreviewFailed("the scan has no triangles")
    return np.concatenate(picked).astype(np.float64)


def sample(triangles: np.ndarray) -> np.ndarray:
    if len(triangles) <= MAX_TRIANGLES:
        return triangles
    return triangles[:: -(-len(triangles) // MAX_TRIANGLES)]


def render_mesh(triangles: np.ndarray, size: tuple[int, int] = SIZE) -> bytes:
    """A PNG of the triangles (n x 3 x 3) from a three-quarter view, shaded and depth-sorted."""
    triangles = triangles[np.isfinite(triangles).all(axis=(1, 2))]
    if len(triangles) == 0:
        raise PreviewFailed("the scan has no triangles")
    points = triangles - triangles.reshape(-1, 3).mean(axis=0)
    view = points @ _view_rotation().T
    normals = np.cross(view[:, 1] - view[:, 0], view[:, 2] - view[:, 0])
    lengths = np.linalg.norm(normals, axis=1)
    keep = lengths > 0
    view, normals = view[keep], normals[keep] / lengths[keep, None]
    if len(view) == 0:
        raise PreviewFailed("the scan's triangles are all flat")
    # Scans' triangles are not all wound the same way: light both sides alike.
    brightness = 0.25 + 0.75 * np.abs(normals @ LIGHT)
    flat = view[:, :, :2].reshape(-1, 2)
    low, high = flat.min(axis=0), flat.max(axis=0)
    extent = np.maximum(high - low, 1e-9)
    width, height = size
    scale = 0.9 * min(width / extent[0], height / extent[1])
    screen = (view[:, :, :2] - (low + high) / 2) * scale
    screen[:, :, 0] += width / 2
    screen[:, :, 1] = height / 2 - screen[:, :, 1]  # the image's y grows downwards
    order = np.argsort(view[:, :, 2].mean(axis=1))  # farthest (smallest z) first
    image = Image.new("RGB", size, BACKGROUND)
    draw = ImageDraw.Draw(image)
    shades = (brightness[order][:, None] * np.array([236, 228, 214])[None, :]).astype(int)  # a plaster colour
    for corners, shade in zip(screen[order].tolist(), shades.tolist(), strict=True):
        colour = tuple(shade)
        draw.polygon([tuple(c) for c in corners], fill=colour, outline=colour)
    return _png(image)


def _view_rotation() -> np.ndarray:
    """Turned 35° about the vertical axis, then tipped 30° towards the viewer."""
    yaw, pitch = np.radians(35), np.radians(-30)
    about_y = np.array([[np.cos(yaw), 0, np.sin(yaw)], [0, 1, 0], [-np.sin(yaw), 0, np.cos(yaw)]])
    about_x = np.array([[1, 0, 0], [0, np.cos(pitch), -np.sin(pitch)], [0, np.sin(pitch), np.cos(pitch)]])
    return about_x @ about_y


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
