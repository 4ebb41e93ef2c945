"""Real files of every type Crownline takes, made by the tests themselves."""

from __future__ import annotations

import io
import struct
import zipfile

import numpy as np
import pillow_heif
from PIL import Image, ImageDraw

from crownline.demo.case_files import pdf as one_page

pillow_heif.register_heif_opener()


def sphere(rings: int = 16, segments: int = 24, radius: float = 10.0) -> np.ndarray:
    """A UV sphere as triangles (n x 3 x 3)."""
    theta = np.linspace(0, np.pi, rings + 1)
    phi = np.linspace(0, 2 * np.pi, segments + 1)
    t, p = np.meshgrid(theta, phi, indexing="ij")
    grid = radius * np.stack([np.sin(t) * np.cos(p), np.sin(t) * np.sin(p), np.cos(t)], axis=-1)
    a, b, c, d = grid[:-1, :-1], grid[1:, :-1], grid[1:, 1:], grid[:-1, 1:]
    triangles = np.concatenate([np.stack([a, b, c], axis=2), np.stack([a, c, d], axis=2)]).reshape(-1, 3, 3)
    areas = np.linalg.norm(np.cross(triangles[:, 1] - triangles[:, 0], triangles[:, 2] - triangles[:, 0]), axis=1)
    return triangles[areas > 1e-9]


def binary_stl(triangles: np.ndarray, header: bytes = b"test sphere") -> bytes:
    out = io.BytesIO()
    out.write(header.ljust(80, b"\0"))
    out.write(struct.pack("<I", len(triangles)))
    for tri in triangles.astype(np.float32):
        normal = np.cross(tri[1] - tri[0], tri[2] - tri[0])
        out.write(struct.pack("<12fH", *normal, *tri.reshape(-1), 0))
    return out.getvalue()


def ascii_stl(triangles: np.ndarray) -> bytes:
    lines = ["solid sphere"]
    for tri in triangles:
        lines += ["  facet normal 0 0 0", "    outer loop"]
        lines += [f"      vertex {x:.4f} {y:.4f} {z:.4f}" for x, y, z in tri]
        lines += ["    endloop", "  endfacet"]
    lines.append("endsolid sphere")
    return "\n".join(lines).encode()


def _indexed(triangles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    vertices, faces = np.unique(triangles.reshape(-1, 3).round(6), axis=0, return_inverse=True)
    return vertices, faces.reshape(-1, 3)


def ply(triangles: np.ndarray) -> bytes:
    vertices, faces = _indexed(triangles)
    head = (
        f"ply\nformat ascii 1.0\nelement vertex {len(vertices)}\nproperty float x\nproperty float y\n"
        f"property float z\nelement face {len(faces)}\nproperty list uchar int vertex_indices\nend_header\n"
    )
    body = "".join(f"{x} {y} {z}\n" for x, y, z in vertices) + "".join(f"3 {a} {b} {c}\n" for a, b, c in faces)
    return (head + body).encode()


def obj(triangles: np.ndarray) -> bytes:
    vertices, faces = _indexed(triangles)
    text = "# a sphere\no sphere\n" + "".join(f"v {x} {y} {z}\n" for x, y, z in vertices)
    return (text + "".join(f"f {a + 1} {b + 1} {c + 1}\n" for a, b, c in faces)).encode()


def three_mf(triangles: np.ndarray) -> bytes:
    vertices, faces = _indexed(triangles)
    model = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<model unit="millimeter" '
        'xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02"><resources><object id="1" type="model">'
        "<mesh><vertices>" + "".join(f'<vertex x="{x}" y="{y}" z="{z}"/>' for x, y, z in vertices) + "</vertices>"
        "<triangles>" + "".join(f'<triangle v1="{a}" v2="{b}" v3="{c}"/>' for a, b, c in faces) + "</triangles>"
        '</mesh></object></resources><build><item objectid="1"/></build></model>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Target="/3D/3dmodel.model" Id="rel0" '
        'Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/></Relationships>'
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-'
        '3dmodel+xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/></Types>'
    )
    return _zip({"3D/3dmodel.model": model, "_rels/.rels": rels, "[Content_Types].xml": types})


def _zip(members: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def scanner_export() -> bytes:
    return _zip({"case.xml": "<case/>", "upper.stl": binary_stl(sphere(4, 6))})


def picture(fmt: str, size: tuple[int, int] = (400, 300)) -> bytes:
    image = Image.new("RGB", size, (30, 60, 200))
    ImageDraw.Draw(image).ellipse((50, 50, size[0] - 50, size[1] - 50), fill=(250, 220, 30))
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def pdf() -> bytes:
    return one_page("Test page")


SPHERE = sphere()
SAMPLES = {
    "upper.stl": binary_stl(SPHERE),
    "lower-ascii.stl": ascii_stl(sphere(6, 8)),
    "bite.ply": ply(sphere(6, 8)),
    "model.obj": obj(sphere(6, 8)),
    "print.3mf": three_mf(sphere(6, 8)),
    "smile.jpg": picture("JPEG"),
    "shade.png": picture("PNG"),
    "iphone.heic": picture("HEIF"),
    "prescription.pdf": pdf(),
    "export.zip": scanner_export(),
}
EXPECTED_TYPES = {
    "upper.stl": "stl",
    "lower-ascii.stl": "stl",
    "bite.ply": "ply",
    "model.obj": "obj",
    "print.3mf": "3mf",
    "smile.jpg": "jpeg",
    "shade.png": "png",
    "iphone.heic": "heic",
    "prescription.pdf": "pdf",
    "export.zip": "zip",
}
