"""Reads of the public record."""

import datetime
import functools
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from factcheck.driver import fetch_one
from publicrecord.models import Projection, Record, TreeHead
from publicrecord.watch import remembered


@functools.cache
def _latest_state_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    return (f"SELECT {quote('index')}, {quote('recorded_at')} FROM {quote(Record._meta.db_table)} "  # noqa: S608 (names, no input)
            f"ORDER BY {quote('index')} DESC LIMIT 1")


def latest_state() -> tuple[int, datetime.datetime | None]:
    """(size of the log, time of its latest record): what every public ETag derives from.

    One lookup on the primary key's index, in SQL of our own: every anonymous request asks,
    and building the query through the ORM cost more than running it. Remembered by the
    worker until the log grows (publicrecord.watch).
    """
    latest = remembered("log", lambda: fetch_one(_latest_state_sql(connection.vendor)))
    return (latest[0] + 1, as_aware(latest[1])) if latest else (0, None)


def as_aware(value: datetime.datetime | str | None) -> datetime.datetime | None:
    """A datetime column read with SQL of our own, as the ORM would give it: aware, in UTC."""
    if isinstance(value, str):  # SQLite hands back the stored text, in UTC
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


def latest_head() -> TreeHead | None:
    return TreeHead.objects.order_by("-tree_size").first()


def leaf_hashes(tree_size: int) -> list[bytes]:
    """The first `tree_size` leaf hashes, in order."""
    return [bytes.fromhex(value) for value in
            Record.objects.filter(index__lt=tree_size).order_by("index").values_list("leaf_hash", flat=True)]


def projected(kind: str, key: Any) -> Projection | None:
    return Projection.objects.filter(kind=kind, key=str(key)).first()
