"""Reads of the public record."""

import datetime
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from publicrecord.models import Projection, Record, TreeHead


def latest_state() -> tuple[int, datetime.datetime | None]:
    """(size of the log, time of its latest record): what every public ETag derives from.

    One lookup on the primary key's index, in SQL of our own: every anonymous request asks,
    and building the query through the ORM cost more than running it.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('index')}, {quote('recorded_at')} FROM {quote(Record._meta.db_table)} "  # noqa: S608 (names, no input)
                       f"ORDER BY {quote('index')} DESC LIMIT 1")
        latest = cursor.fetchone()
    if latest is None:
        return 0, None
    index, at = latest
    if isinstance(at, str):  # SQLite hands back the stored text, in UTC
        at = parse_datetime(at)
    if at is not None and timezone.is_naive(at):
        at = at.replace(tzinfo=datetime.UTC)
    return index + 1, at


def latest_head() -> TreeHead | None:
    return TreeHead.objects.order_by("-tree_size").first()


def leaf_hashes(tree_size: int) -> list[bytes]:
    """The first `tree_size` leaf hashes, in order."""
    return [bytes.fromhex(value) for value in
            Record.objects.filter(index__lt=tree_size).order_by("index").values_list("leaf_hash", flat=True)]


def projected(kind: str, key: Any) -> Projection | None:
    return Projection.objects.filter(kind=kind, key=str(key)).first()
