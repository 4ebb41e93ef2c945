"""Backing up and restoring the whole database, for both engines Crownline runs on, and the
stored files of orders with it (crownline/maintenance/filebackups.py: `<PATH>.files/`).

SQLite uses the online backup API, which copies a consistent snapshot page by page while
the server keeps running. PostgreSQL uses pg_dump's custom format and pg_restore, the
tools its operators already know.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

from crownline.maintenance import filebackups


class BackupError(Exception):
    pass


def _settings(alias: str = "default") -> dict:
    return connections[alias].settings_dict


def _pg_env(db: dict) -> dict[str, str]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict) -> list[str]:
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return args


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed; install the PostgreSQL client tools (Debian: postgresql-client)")
    return found


def backup(path: Path, alias: str = "default") -> None:
    conn = connections[alias]
    db = _settings(alias)
    path.parent.mkdir(parents=True, exist_ok=True)
    if conn.vendor == "sqlite":
        conn.ensure_connection()
        target = sqlite3.connect(path)
        try:
            conn.connection.backup(target)
        finally:
            target.close()
    elif conn.vendor == "postgresql":
        subprocess.run(  # noqa: S603 - fixed tool, arguments from our own settings
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path), *_pg_args(db)],
            check=True, env=_pg_env(db), capture_output=True,
        )
    else:
        raise BackupError(f"backups of {conn.vendor} are not supported")
    filebackups.back_up_files(path)


def restore(path: Path, alias: str = "default") -> None:
    """Replace the database's content with the backup's. Stop the app servers first."""
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    conn = connections[alias]
    db = _settings(alias)
    if conn.vendor == "sqlite":
        source = sqlite3.connect(path)
        try:
            conn.ensure_connection()
            source.backup(conn.connection)
        finally:
            source.close()
    elif conn.vendor == "postgresql":
        conn.close()  # pg_restore --clean drops tables; our own connection must not hold locks
        result = subprocess.run(  # noqa: S603 - fixed tool, arguments from our own settings
            [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
             *_pg_args(db), str(path)],
            env=_pg_env(db), capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()[-2000:]}")
    else:
        raise BackupError(f"backups of {conn.vendor} are not supported")
    filebackups.restore_files(path)
