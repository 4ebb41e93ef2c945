"""The shape of the code base that the layers rely on (the layers themselves: `lint-imports`)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# An import of our own code indented under a def or class, absolute or relative: a sign that
# something sits in the wrong layer and dodges a cycle.
HIDDEN_IMPORT = re.compile(r"^[ \t]+(from crownline|import crownline|from \.)", re.MULTILINE)
# The one exception, and why: Django connects signal receivers in AppConfig.ready(), once the
# models are loaded; they cannot be imported when the app config itself is.
RECEIVERS_IN_READY = {
    "crownline/workplan/apps.py": 1, "crownline/tenancy/apps.py": 1, "crownline/customers/apps.py": 1,
    "crownline/files/apps.py": 1, "crownline/outsourcing/apps.py": 1,
}
MAX_LINES = 400


def _python_files(*folders: str) -> list[Path]:
    return [p for folder in folders for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts]


def test_no_module_of_ours_imports_crownline_inside_a_function():
    hidden = {
        str(path.relative_to(ROOT)): n
        for path in _python_files("crownline")
        if (n := len(HIDDEN_IMPORT.findall(path.read_text())))
    }
    assert hidden == RECEIVERS_IN_READY


def test_every_module_stays_small():
    big = {
        str(path.relative_to(ROOT)): n
        for path in _python_files("crownline", "tests")
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert big == {}
