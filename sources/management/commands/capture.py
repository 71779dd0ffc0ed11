"""Archive documents from files or URLs: `manage.py capture --document SLUG --as USER FILE_OR_URL...`."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from sources import services
from sources.models import Document

CONTENT_TYPES = {".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml", ".txt": "text/plain"}


class Command(BaseCommand):
    help = "Capture snapshots of a document from files or URLs, with a line of progress for each."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("origins", nargs="+", help="Files (.html, .htm, .txt) or http(s) URLs.")
        parser.add_argument("--document", required=True, help="The document's slug.")
        parser.add_argument("--as", dest="username", required=True, help="The fact-checker capturing them.")

    def handle(self, *args: Any, origins: list[str], document: str, username: str, **options: Any) -> None:
        target = Document.objects.filter(slug=document).first()
        if target is None:
            raise CommandError(f"No document with the slug {document!r}.")
        actor = get_user_model().objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"No user {username!r}.")
        failures = 0
        for number, origin in enumerate(origins, start=1):
            prefix = f"[{number}/{len(origins)}] {origin}"
            self.stdout.write(f"{prefix} …", ending="")
            self.stdout.flush()
            try:
                snapshot, created = self._capture(target, actor, origin)
            except (ValidationError, PermissionDenied, OSError) as error:
                failures += 1
                message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.stdout.write(self.style.ERROR(f" refused: {message}"))
                continue
            state = "archived" if created else "already archived"
            self.stdout.write(self.style.SUCCESS(f" {state} as snapshot {snapshot.pk}, SHA-256 {snapshot.sha256}"))
        if failures:
            raise CommandError(f"{failures} of {len(origins)} could not be captured.")

    def _capture(self, document: Document, actor: Any, origin: str) -> Any:
        if origin.startswith(("http://", "https://")):
            return services.snapshot_capture_url(document=document, actor=actor, url=origin)
        path = Path(origin)
        if not path.is_file():
            raise ValidationError(f"No file at {origin}.")
        content_type = CONTENT_TYPES.get(path.suffix.lower())
        if content_type is None:
            raise ValidationError(f"Unknown kind of file {path.suffix!r}; use one of {', '.join(CONTENT_TYPES)}.")
        return services.snapshot_capture(document=document, actor=actor, content=path.read_bytes(),
                                         content_type=content_type, origin=path.name)
