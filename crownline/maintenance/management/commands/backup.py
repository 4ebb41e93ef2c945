"""`crownline backup PATH`: a consistent copy of the database, safe while the server runs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crownline.maintenance.backups import BackupError, backup


class Command(BaseCommand):
    help = ("Write a backup of the database to PATH (SQLite: online backup; PostgreSQL: pg_dump -Fc) and the "
            "orders' stored files to the folder PATH.files.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options) -> None:
        try:
            backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
