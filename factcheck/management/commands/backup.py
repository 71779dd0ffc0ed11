"""`manage.py backup [PATH]`: a consistent copy of the database in one file (factcheck.backups)."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from factcheck import backups


class Command(BaseCommand):
    help = "Back up the database (SQLite's online backup, or pg_dump) to one file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="where to write it (default: var/backups/factcheck-<time>.*)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"]) if options["path"] else backups.default_backup_path()
        try:
            written = backups.backup(path)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Backed up to {written} ({written.stat().st_size} bytes)."))
