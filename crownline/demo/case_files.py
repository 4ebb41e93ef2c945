"""Demo data of files on orders (issue 13): a generated intraoral scan (binary STL), photos,
a PDF, shared with the dentist and internal to the lab. Their previews are made when the
demo's transaction commits, as an upload's are."""

from __future__ import annotations

import io
import struct

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from crownline.files import services as files
from crownline.tenancy.models import Lab


def seed_files(lab: Lab, admin, tech, dentist) -> None:
    """After the orders: scans, photos and a PDF on some orders, shared and internal."""
    orders = {}
    for order in lab.orders.order_by("id"):
        orders.setdefault(order.status, order.number)
    if "published" in orders:
        number = orders["published"]
        files.upload_file(dentist, number, _upload("upper-jaw-scan.stl", arch_stl()))
        files.upload_file(dentist, number, _upload("smile-photo.jpg", photo("JPEG")))
    if "production" in orders:
        number = orders["production"]
        files.upload_file(dentist, number, _upload("preparation-scan.stl", arch_stl(teeth=10)))
        files.upload_file(tech, number, _upload("design-check.png", photo("PNG")), shared=False)
        files.upload_file(
            tech, number, _upload("milling-notes.pdf", pdf("Milling notes: zirconia, 2 units")), shared=False
        )
    if "delivered" in orders:
        files.upload_file(admin, orders["delivered"], _upload("delivery-note.pdf", pdf("Delivery note")), shared=True)


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def arch_stl(teeth: int = 14) -> bytes:
    """A dental arch as a binary STL: a horseshoe of rounded crowns on a gum ridge."""
    u, v = np.meshgrid(np.linspace(0.15, np.pi - 0.15, 240), np.linspace(0, np.pi, 24), indexing="ij")
    bumps = 1 + 0.35 * np.abs(np.sin(teeth * u / 2)) ** 0.5
    radius = 7 * bumps * np.sin(v)
    x = (30 + radius * np.cos(v) * 0.4) * np.cos(u)
    y = (40 + radius * np.cos(v) * 0.4) * np.sin(u)
    z = radius
    grid = np.stack([x, y, z], axis=-1)
    a, b, c, d = grid[:-1, :-1], grid[1:, :-1], grid[1:, 1:], grid[:-1, 1:]
    triangles = np.concatenate([np.stack([a, b, c], axis=2), np.stack([a, c, d], axis=2)]).reshape(-1, 3, 3)
    return binary_stl(triangles)


def binary_stl(triangles: np.ndarray) -> bytes:
    out = io.BytesIO()
    out.write(b"Crownline demo scan".ljust(80, b" "))
    out.write(struct.pack("<I", len(triangles)))
    for tri in triangles.astype(np.float32):
        normal = np.cross(tri[1] - tri[0], tri[2] - tri[0])
        out.write(struct.pack("<12fH", *normal, *tri.reshape(-1), 0))
    return out.getvalue()


def photo(fmt: str) -> bytes:
    image = Image.new("RGB", (640, 480), (196, 90, 96))
    draw = ImageDraw.Draw(image)
    draw.ellipse((120, 150, 520, 390), fill=(120, 30, 40))
    for i in range(8):
        draw.rounded_rectangle((150 + i * 44, 190, 188 + i * 44, 250), radius=10, fill=(246, 242, 228))
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def pdf(text: str) -> bytes:
    """A one-page PDF saying `text` (built by hand: a demo needs no PDF library)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()
