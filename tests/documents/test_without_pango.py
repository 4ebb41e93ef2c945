"""Without the Pango library the PDFs are a 503 that says why, and the HTML preview still works.

The library is really missing, not faked: the child process runs in its own mount namespace
(`unshare -m`, root, as on the development and CI machines) with /dev/null mounted over the
library file, so the dynamic loader fails exactly as on a server where it is not installed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import weasyprint  # noqa: F401  (loads Pango into this process, so /proc/self/maps names its file)

ROOT = Path(__file__).resolve().parents[2]


def pango_library() -> str:
    for line in Path("/proc/self/maps").read_text().splitlines():
        path = line.split()[-1]
        if "/libpango-1.0.so" in path:
            return path
    raise AssertionError("Pango is not loaded in this process")


def test_pdfs_answer_503_with_the_reason_and_the_preview_still_works(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # a throw-away SQLite database
    env["CROWNLINE_DATA_DIR"] = str(tmp_path)
    script = 'mount --bind /dev/null "$1" && exec "$2" -m tests.documents.print_without_pango'
    result = subprocess.run(  # noqa: S603
        ["unshare", "-m", "sh", "-c", script, "sh", pango_library(), sys.executable],  # noqa: S607
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("ANSWERS ")]
    assert result.returncode == 0 and lines, result.stdout[-2000:] + result.stderr[-2000:]
    answers = json.loads(lines[0].removeprefix("ANSWERS "))
    for endpoint in ("print.pdf", "label.pdf"):
        answer = answers[endpoint]
        assert answer["status"] == 503, answer
        assert answer["content_type"].startswith("application/json")
        detail = json.loads(answer["body"])["detail"]
        assert "Pango" in detail and "libpango-1.0-0" in detail
        assert "Traceback" not in answer["body"]
    assert answers["print.html"]["status"] == 200
    assert answers["print.html"]["content_type"].startswith("text/html")
    for page in ("print", "label"):  # the order page's buttons: a page a person can read
        answer = answers[page]
        assert answer["status"] == 503, answer
        assert answer["content_type"].startswith("text/html")
        assert "Cannot print this" in answer["body"] and "libpango-1.0-0" in answer["body"]
        assert "Traceback" not in answer["body"]
