"""Fill an empty, migrated database with N synthetic claims and their public record.

    python manage.py migrate && python manage.py bench_data --claims 100000

See bench/generate.py for what is written and how; `verify_record` passes afterwards.
"""

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from bench.generate import Generator, NotEmpty, refuse_unless_empty


class Progress:
    """One line redrawn in place on a terminal; a line every 10% elsewhere (logs, CI)."""

    def __init__(self, stream: Any, label: str) -> None:
        self.stream, self.label, self.started = stream, label, time.monotonic()
        self.tty = stream.isatty()
        self.shown_tenths = -1
        self.drawn_at = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        elapsed = now - self.started
        tenths = done * 10 // max(total, 1)
        if self.tty and (now - self.drawn_at < 0.2 and done < total):
            return
        if not self.tty and tenths == self.shown_tenths and done < total:
            return
        self.drawn_at, self.shown_tenths = now, tenths
        width = 30
        filled = width * done // max(total, 1)
        left = elapsed / done * (total - done) if done else 0
        line = (f"{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} "
                f"{elapsed:5.0f} s, about {left:4.0f} s left")
        self.stream.write(("\r" + line) if self.tty else line + "\n")
        if self.tty and done >= total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Generate N synthetic claims with their history, links and public record, into an empty database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--claims", type=int, required=True, help="How many claims (sources N/50, documents N/10).")
        parser.add_argument("--seed", type=int, default=1, help="The random seed: the same seed gives the same data.")

    def handle(self, *args: Any, claims: int, seed: int, **options: Any) -> None:
        if claims < 1:
            raise CommandError("--claims must be at least 1.")
        try:
            refuse_unless_empty()
        except NotEmpty as error:
            raise CommandError(str(error)) from None
        started = time.monotonic()
        counts = Generator(claims=claims, seed=seed, progress=Progress(sys.stderr, "claims")).run()
        self.stdout.write(
            f"{counts.claims} claims ({counts.corrected} corrected, {counts.retracted} retracted), "
            f"{counts.sources} sources, {counts.documents} documents and snapshots, {counts.annotations} annotations, "
            f"{counts.links} links, {counts.review_events} review events, {counts.history_rows} history rows; "
            f"{counts.records} records with as many signed tree heads, {counts.public_claims} public claims and "
            f"{counts.projection_rows} projected objects; in {time.monotonic() - started:.0f} s.")
