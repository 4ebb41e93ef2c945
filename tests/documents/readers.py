"""Reading printed documents back the way a person or a scanner would.

The text comes out of the PDF with pypdf; the codes are decoded from the SVG the document
embeds, with the standards' own rules (Code 128 symbol table and check symbol; the QR
module matrix), so a code that encodes anything else fails the tests.
"""

from __future__ import annotations

import io
import re

from barcode.charsets.code128 import CODES
from pypdf import PdfReader

MM = 72 / 25.4  # PDF points per millimetre
INCH = 72.0

# The Code 128 symbol table (ISO/IEC 15417): 11-module patterns, value = position.
_SYMBOLS = {pattern: value for value, pattern in enumerate(CODES)}
_STOP = "1100011101011"
_START = {103: "A", 104: "B", 105: "C"}
_SWITCH = {99: "C", 100: "B", 101: "A"}


def pdf_pages(data: bytes) -> list:
    assert data.startswith(b"%PDF-"), data[:200]
    return list(PdfReader(io.BytesIO(data)).pages)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pdf_pages(data))


def page_size_pt(data: bytes, page: int = 0) -> tuple[float, float]:
    box = pdf_pages(data)[page].mediabox
    return float(box.width), float(box.height)


def barcode_modules(html: str) -> str:
    """The bars of the document's Code 128 symbol as '1'/'0' modules, quiet zones stripped."""
    match = re.search(r'<svg class="barcode"[^>]*>\s*<path d="([^"]+)"', html)
    assert match, "no bar code in the document"
    bars = [(int(x), int(w)) for x, w in re.findall(r"M(\d+) 0h(\d+)", match.group(1))]
    first = bars[0][0]
    modules = ["0"] * (bars[-1][0] + bars[-1][1] - first)
    for x, w in bars:
        modules[x - first : x - first + w] = ["1"] * w
    return "".join(modules)


def decode_code128(modules: str) -> str:
    assert modules.endswith(_STOP), "no Code 128 stop pattern"
    body = modules[: -len(_STOP)]
    assert len(body) % 11 == 0, "not a whole number of Code 128 symbols"
    values = [_SYMBOLS[body[i : i + 11]] for i in range(0, len(body), 11)]
    start, data, check = values[0], values[1:-1], values[-1]
    assert start in _START, f"bad start symbol {start}"
    assert (start + sum(i * v for i, v in enumerate(data, start=1))) % 103 == check, "check symbol mismatch"
    code_set, out = _START[start], []
    for v in data:
        if v in _SWITCH and not (code_set == "C" and v == 99):
            code_set = _SWITCH[v]
        elif code_set == "C":
            out.append(f"{v:02d}")
        elif code_set == "B":
            out.append(chr(v + 32))
        else:
            out.append(chr(v + 32) if v < 64 else chr(v - 64))
    return "".join(out)


def qr_matrix(html: str) -> tuple[list[list[int]], int]:
    """The dark modules of the document's QR code, read from its SVG path, and the border width."""
    match = re.search(r'<svg viewBox="0 0 (\d+) (\d+)" class="qr"><path[^>]* d="([^"]+)"', html)
    assert match, "no QR code in the document"
    size, path = int(match.group(1)), match.group(3)
    grid = [[0] * size for _ in range(size)]
    x = y = 0.0
    for op, args in re.findall(r"([MmHh])([-\d. ]+)", path):
        nums = [float(n) for n in args.split()]
        if op == "M":
            x, y = nums
        elif op == "m":
            x, y = x + nums[0], y + nums[1]
        else:  # a horizontal stroke through the middle of a row: that many dark modules
            length = nums[0] if op == "h" else nums[0] - x
            for col in range(int(x), int(x + length)):
                grid[int(y)][col] = 1
            x += length
    # The drawing spans the symbol plus a quiet border of light modules on every side.
    border = next(i for i in range(size) if any(grid[i]))
    inner = [row[border : size - border] for row in grid[border : size - border]]
    return inner, border
