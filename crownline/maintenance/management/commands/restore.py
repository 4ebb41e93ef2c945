"""`crownline restore PATH`: replace the database's content with a backup (stop the servers first)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crownline.maintenance.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore the database from a backup written by `crownline backup`, and the files from PATH.files."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options) -> None:
        try:
            restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored from {path}"))
