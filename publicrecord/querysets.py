"""Reads of the public record."""

import datetime
from typing import Any

from publicrecord.models import Projection, Record, TreeHead


def latest_state() -> tuple[int, datetime.datetime | None]:
    """(size of the log, time of its latest record): what every public ETag derives from.

    One lookup on the primary key's index.
    """
    latest = Record.objects.order_by("-index").values("index", "recorded_at").first()
    return (latest["index"] + 1, latest["recorded_at"]) if latest else (0, None)


def latest_head() -> TreeHead | None:
    return TreeHead.objects.order_by("-tree_size").first()


def leaf_hashes(tree_size: int) -> list[bytes]:
    """The first `tree_size` leaf hashes, in order."""
    return [bytes.fromhex(value) for value in
            Record.objects.filter(index__lt=tree_size).order_by("index").values_list("leaf_hash", flat=True)]


def projected(kind: str, key: Any) -> Projection | None:
    return Projection.objects.filter(kind=kind, key=str(key)).first()
