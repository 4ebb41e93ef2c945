"""SQLite given by DATABASE_URL gets the same safety as the default file: WAL, a busy timeout, IMMEDIATE.

Without them, 8 people publishing one order at once on `DATABASE_URL=sqlite:///…` got
"database is locked" (answered 500) instead of one publish and seven refusals.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from crownline.dbsettings import SQLITE_OPTIONS, database_settings

RACE_SCRIPT = Path(__file__).with_name("sqlite_url_race.py")


def test_a_sqlite_url_gets_the_same_options_as_the_default_file(tmp_path):
    default = database_settings(None, tmp_path / "data")
    by_url = database_settings(f"sqlite:///{tmp_path}/x.sqlite3", tmp_path / "data")

    assert by_url["ENGINE"] == default["ENGINE"] == "django.db.backends.sqlite3"
    assert by_url["NAME"] == f"{tmp_path}/x.sqlite3"
    assert by_url["OPTIONS"] == default["OPTIONS"] == SQLITE_OPTIONS
    assert SQLITE_OPTIONS["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in SQLITE_OPTIONS["init_command"]
    # Each database has its own copy: changing one changes neither the other nor the shared one.
    by_url["OPTIONS"]["timeout"] = 1
    assert default["OPTIONS"]["timeout"] == SQLITE_OPTIONS["timeout"] == 20


def test_an_option_in_the_sqlite_url_still_wins(tmp_path):
    options = database_settings(f"sqlite:///{tmp_path}/x.sqlite3?timeout=5", tmp_path)["OPTIONS"]
    assert options == {**SQLITE_OPTIONS, "timeout": 5}


def test_postgresql_keeps_its_connections_and_health_checks(tmp_path):
    database = database_settings("postgres://postgres@127.0.0.1:5432/crownline", tmp_path)
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]) == (60, True)
    assert "transaction_mode" not in database.get("OPTIONS", {})


def test_eight_people_publishing_one_order_on_a_sqlite_url_publish_it_once_and_nobody_crashes(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CROWNLINE_") and k != "DATABASE_URL"},
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        "DJANGO_SETTINGS_MODULE": "crownline.settings",
        "CROWNLINE_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.sqlite_url_race"],
        env=env,
        cwd=RACE_SCRIPT.parent.parent,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])

    assert summary["vendor"] == "sqlite"
    assert summary["alive"] == 0, summary
    outcomes = summary["outcomes"]
    assert [o for o in outcomes if o["outcome"] not in ("ok", "refused")] == [], outcomes
    assert [o["outcome"] for o in outcomes].count("ok") == 1, outcomes
    assert all(o["status_code"] in (409, 412) for o in outcomes if o["outcome"] == "refused"), outcomes
    assert (summary["status"], summary["publish_events"]) == ("published", 1), summary
