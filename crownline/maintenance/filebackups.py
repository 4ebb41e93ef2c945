"""The stored files of orders in a backup: a folder `<backup>.files/` next to the database's file.

`crownline backup /backups/crownline.backup` writes the database to that file and every stored
file of every order (and its preview) to `/backups/crownline.backup.files/`, under the same
names the storage uses. Files never change once stored (a new upload gets a new name), so a
backup into the same path copies only what is new and drops what was deleted since.
`crownline restore` puts the folder's files back into the storage after the database.

Through Django's storage API, so the local folder and S3 alike. The database is dumped first:
a file uploaded meanwhile has bytes without a row (harmless), a file deleted meanwhile may
miss from the folder (it is deleted in the live system too).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage

from crownline.files.models import OrderFile

CHUNK = 1024 * 1024


def files_folder(backup_path: Path) -> Path:
    return backup_path.with_name(backup_path.name + ".files")


def stored_names() -> set[str]:
    names = set()
    for storage_name, preview_name in OrderFile.objects.values_list("storage_name", "preview_name"):
        names.add(storage_name)
        if preview_name:
            names.add(preview_name)
    return names


def back_up_files(backup_path: Path) -> int:
    """Copy every stored file into the backup's folder; returns how many were copied anew."""
    folder = files_folder(backup_path)
    folder.mkdir(parents=True, exist_ok=True)
    wanted = stored_names()
    copied = 0
    for name in sorted(wanted):
        target = _inside(folder, name)
        if target.is_file() and default_storage.exists(name) and target.stat().st_size == default_storage.size(name):
            continue  # stored names are never reused: the same name and size is the same file
        if not default_storage.exists(name):
            continue  # deleted since the database was dumped
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        copied += 1
    for stale in [p for p in folder.rglob("*") if p.is_file() and p.relative_to(folder).as_posix() not in wanted]:
        stale.unlink()
    return copied


def restore_files(backup_path: Path) -> int:
    """Put the backup's files back into the storage; returns how many were written."""
    folder = files_folder(backup_path)
    if not folder.is_dir():
        return 0
    written = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if default_storage.exists(name):
            if default_storage.size(name) == path.stat().st_size:
                continue
            default_storage.delete(name)
        with open(path, "rb") as source:
            saved = default_storage.save(name, File(source, name))
        if saved != name:  # a storage that renamed it would lose the file's link to its row
            raise RuntimeError(f"the storage saved {name} as {saved}")
        written += 1
    return written


def _inside(folder: Path, name: str) -> Path:
    target = (folder / name).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise ValueError(f"a stored name outside the backup folder: {name}")
    return target
