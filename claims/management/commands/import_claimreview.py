"""Import other fact-checkers' reviews as draft claims:
`manage.py import_claimreview FILE_OR_URL… --as USERNAME`."""

from collections import Counter
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claims import imports
from claims.imports import Result
from claims.peer_reviews import MarkupError
from factcheck.permissions import Action, denial


class Command(BaseCommand):
    help = ("Import ClaimReviews (JSON-LD in HTML pages, or JSON: one review, a list, a DataFeed or an @graph) "
            "from files or URLs as draft claims, with a line of progress for each review.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("origins", nargs="+", metavar="FILE_OR_URL",
                            help="Files (.html, .json, .jsonld) or http(s) URLs.")
        parser.add_argument("--as", dest="username", required=True, help="The fact-checker or editor importing.")

    def handle(self, *args: Any, origins: list[str], username: str, **options: Any) -> None:
        actor = get_user_model().objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"No user {username!r}.")
        refused = denial(actor, Action.CREATE)
        if refused:
            raise CommandError(refused)
        counts: Counter[str] = Counter()
        for number, origin in enumerate(origins, start=1):
            prefix = f"[{number}/{len(origins)}] {origin}"
            try:
                outcomes = imports.import_page(actor=actor, page=imports.read_origin(origin))
            except (ValidationError, MarkupError) as error:
                counts[Result.ERROR] += 1
                message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.stdout.write(self.style.ERROR(f"{prefix}: error: {message}"))
                continue
            for outcome in outcomes:
                counts[outcome.result] += 1
                style = {Result.CREATED: self.style.SUCCESS, Result.DUPLICATE: self.style.WARNING}.get(
                    outcome.result, self.style.ERROR)
                self.stdout.write(style(f"{prefix} {outcome.position}: {outcome.result}: {outcome.message}"))
        self.stdout.write(imports.summary(counts))
        if counts[Result.ERROR]:
            raise CommandError(f"{counts[Result.ERROR]} could not be imported; nothing of them was saved.")
