"""The shape of the code base that the layers rely on (the layers themselves: `lint-imports`)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# An import of our own code indented under a def or class: a sign that something sits in
# the wrong layer and dodges a cycle.
HIDDEN_IMPORT = re.compile(r"^[ \t]+(from crownline|import crownline)", re.MULTILINE)
MAX_LINES = 400


def _python_files(*folders: str) -> list[Path]:
    return [p for folder in folders for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts]


def test_no_module_of_ours_imports_crownline_inside_a_function():
    hidden = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in _python_files("crownline")
        for text in [path.read_text()]
        for match in HIDDEN_IMPORT.finditer(text)
    ]
    assert hidden == []


def test_every_module_stays_small():
    big = {
        str(path.relative_to(ROOT)): n
        for path in _python_files("crownline", "tests")
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert big == {}
