"""`manage.py restore PATH`: replace the database's contents with a backup (factcheck.backups)."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from factcheck import backups


class Command(BaseCommand):
    help = "Restore the database from a backup made by `manage.py backup`, then verify the public record."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup file")
        parser.add_argument("--no-input", "--noinput", action="store_false", dest="interactive",
                            help="do not ask for confirmation")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if options["interactive"]:
            answer = input(f"This replaces everything in the database with {path}. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            backups.restore(path)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored from {path}."))
        # A restored record that does not verify is worth knowing at once.
        call_command("verify_record", stdout=self.stdout, stderr=self.stderr)
