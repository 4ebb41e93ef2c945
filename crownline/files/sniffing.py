"""What a file really is, from its bytes, and whether that agrees with the name it came with.

Pure Python (no Django): the upload service hands over an open, seekable binary file, its
size and the name the client sent. A file's extension decides what it claims to be; its
first bytes (and for a 3MF, its ZIP directory) decide what it is. A name and content that
disagree are refused: a lab opens an ".stl" in its CAD software trusting the name, and a
".pdf" in a browser, so a file must be what it says.

Only the head of a file is read (`HEAD_BYTES`), except a ZIP's central directory at its end:
a 200 MB scan is sniffed with a few reads.
"""

from __future__ import annotations

import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

HEAD_BYTES = 64 * 1024
NAME_MAX = 200

# type -> (kind, content type, how a message names it)
TYPES: dict[str, tuple[str, str, str]] = {
    "stl": ("scan", "model/stl", "an STL scan"),
    "ply": ("scan", "application/x-ply", "a PLY scan"),  # no registered type; what scanners' tools send
    "obj": ("scan", "model/obj", "an OBJ scan"),
    "3mf": ("scan", "model/3mf", "a 3MF scan"),
    "jpeg": ("photo", "image/jpeg", "a JPEG photo"),
    "png": ("photo", "image/png", "a PNG photo"),
    "heic": ("photo", "image/heic", "a HEIC photo"),
    "pdf": ("pdf", "application/pdf", "a PDF"),
    "zip": ("archive", "application/zip", "a ZIP archive"),
}
EXTENSIONS = {
    "stl": "stl",
    "ply": "ply",
    "obj": "obj",
    "3mf": "3mf",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "png": "png",
    "heic": "heic",
    "heif": "heic",
    "pdf": "pdf",
    "zip": "zip",
}
ACCEPTED = "scans (STL, PLY, OBJ, 3MF), photos (JPEG, PNG, HEIC), PDFs and ZIP files"

HEIC_BRANDS = frozenset({b"heic", b"heix", b"mif1", b"msf1", b"hevc", b"hevx", b"heim", b"heis"})
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The words an OBJ file's lines start with (Wavefront's spec); anything else is not an OBJ.
OBJ_WORDS = frozenset(
    {
        "v",
        "vt",
        "vn",
        "vp",
        "f",
        "l",
        "p",
        "g",
        "o",
        "s",
        "mtllib",
        "usemtl",
        "cstype",
        "deg",
        "bmat",
        "step",
        "curv",
        "curv2",
        "surf",
        "parm",
        "trim",
        "hole",
        "scrv",
        "sp",
        "end",
        "con",
        "mg",
        "bevel",
        "c_interp",
        "d_interp",
        "lod",
        "shadow_obj",
        "trace_obj",
        "ctech",
        "stech",
        "call",
        "csh",
    }
)


class Refused(ValueError):
    """The file is not one Crownline takes, or not what its name says; the message says which."""


@dataclass(frozen=True)
class Sniffed:
    type: str
    kind: str
    content_type: str


def clean_name(raw: str) -> str:
    """The file's own name, safe to show and to send back in Content-Disposition: no folder
    parts (browsers on Windows send "C:\\scans\\upper.stl"), no control characters, at most
    NAME_MAX characters with the extension kept."""
    name = re.split(r"[\\/]", raw or "")[-1]
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C")
    name = name.strip().strip(".").strip()
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:16] if dot else ""
        name = (stem if dot else name)[: NAME_MAX - len(ext) - 1].rstrip() + (f".{ext}" if ext else "")
    return name


def declared_type(name: str) -> str:
    """The type a file's extension claims; refused when Crownline does not take that type."""
    _, dot, ext = name.rpartition(".")
    found = EXTENSIONS.get(ext.lower()) if dot else None
    if found is None:
        raise Refused(f"Crownline takes {ACCEPTED}; “{name or 'this file'}” is none of them.")
    return found


def sniff(stream: BinaryIO, size: int, name: str) -> Sniffed:
    """The file's real type, which must be the one its name claims (else `Refused`)."""
    claimed = declared_type(name)
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    found = detect(stream, size, head)
    stream.seek(0)
    if found != claimed:
        what = TYPES[claimed][2]
        if found is None:
            raise Refused(f"the file's content is not {what}.")
        raise Refused(f"the file's content is not {what}: it is {TYPES[found][2]}.")
    kind, content_type, _ = TYPES[found]
    return Sniffed(found, kind, content_type)


def detect(stream: BinaryIO, size: int, head: bytes) -> str | None:
    """The type the bytes are, or None. Binary STL before ASCII STL: many binary STL headers
    begin with the word "solid" too, and only the triangle count tells them apart."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(PNG_SIGNATURE):
        return "png"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head[4:8] == b"ftyp" and _heic_brand(head):
        return "heic"
    if head.startswith(b"PK\x03\x04"):
        return "3mf" if _is_3mf(stream) else "zip"
    if head.startswith((b"ply\n", b"ply\r\n")):
        return "ply"
    if _is_binary_stl(head, size):
        return "stl"
    text = _text(head)
    if text is None:
        return None
    if _is_ascii_stl(text):
        return "stl"
    if _is_obj(text, complete=size <= len(head)):
        return "obj"
    return None


def _heic_brand(head: bytes) -> bool:
    box = struct.unpack(">I", head[:4])[0] if len(head) >= 4 else 0
    if len(head) < 12 or box < 16 or box > len(head):
        return False
    brands = [head[8:12]] + [head[i : i + 4] for i in range(16, box, 4)]  # major, then compatible
    return any(brand in HEIC_BRANDS for brand in brands)


def _is_3mf(stream: BinaryIO) -> bool:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
        return False
    return any(n.lower().lstrip("/").startswith("3d/") and n.lower().endswith(".model") for n in names)


def _is_binary_stl(head: bytes, size: int) -> bool:
    # 80-byte header, a little-endian triangle count, 50 bytes per triangle: nothing else.
    if size < 84 + 50 or len(head) < 84:
        return False
    (count,) = struct.unpack("<I", head[80:84])
    return count > 0 and 84 + 50 * count == size


def _text(head: bytes) -> str | None:
    if b"\x00" in head:
        return None
    try:
        # The head may end in the middle of a character; a text file's start must decode.
        return head.decode("utf-8", errors="strict" if len(head) < HEAD_BYTES else "ignore")
    except UnicodeDecodeError:
        return head.decode("latin-1")


def _is_ascii_stl(text: str) -> bool:
    stripped = text.lstrip()
    return stripped[:5].lower() == "solid" and re.search(r"\bfacet\s+normal\b", stripped, re.IGNORECASE) is not None


def _is_obj(text: str, *, complete: bool) -> bool:
    lines = text.splitlines()
    if not complete and len(lines) > 1:
        lines = lines[:-1]  # the head may cut the last line short
    rows = [line.split() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    vertices = [row for row in rows if row[0] == "v"]
    return (
        bool(vertices)
        and all(row[0] in OBJ_WORDS for row in rows)
        and all(len(row) >= 4 and all(_number(x) for x in row[1:4]) for row in vertices)
    )


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
