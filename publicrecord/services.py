"""The one way into the public record: `append` (or `append_many`, the same for several).

Called inside the transaction of the editorial act it records (a publish, a correction, a
retraction, an accepted link), so the act and its record commit together or not at all.
"""

import base64
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from factcheck.validation import full_clean_all
from publicrecord import merkle, watch
from publicrecord.canonical import canonical_bytes
from publicrecord.models import LogState, Projection, Record, TreeHead
from publicrecord.signing import sign_tree_head, signing_key

# (kind, key, data) of an object the record shows the public; data None withdraws it.
Entity = tuple[str, str, dict[str, Any] | None]


@dataclass(frozen=True)
class Entry:
    """One record to append: what it is of, its kind, its data, when, and what it shows."""

    subject: str
    kind: str
    payload: dict[str, Any]
    at: datetime.datetime
    entities: Sequence[Entity] = field(default_factory=tuple)


def _frontier(state: LogState) -> list[bytes]:
    return [bytes.fromhex(item) for item in state.frontier.split(",") if item]


def append(*, subject: str, kind: str, payload: dict[str, Any], at: datetime.datetime,
           entities: Iterable[Entity] = ()) -> Record:
    """Append `payload` as the next record, sign the new tree head, update the projection."""
    return append_many([Entry(subject=subject, kind=kind, payload=payload, at=at, entities=tuple(entities))])[0]


def append_many(entries: Sequence[Entry]) -> list[Record]:
    """Append each entry in turn, as `append` would one after another: the next index each,
    a signed tree head after each, and the projection as the last of them leaves it; the
    rows written in bulk."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append() belongs inside the transaction of the act it records.")
    if not entries:
        return []
    # The lock makes concurrent appends take turns: each reads the size the last one left,
    # so indexes have no gap and no duplicate.
    state = _locked_state()
    frontier, size, key = _frontier(state), state.tree_size, signing_key()
    records, heads = [], []
    for entry in entries:
        body = canonical_bytes(entry.payload)
        leaf = merkle.leaf_hash(body)
        records.append(Record(index=size, subject=entry.subject, kind=entry.kind, body=body.decode("utf-8"),
                              leaf_hash=leaf.hex(), recorded_at=entry.at))
        frontier = merkle.append_to_frontier(frontier, size, leaf)
        size += 1
        root = merkle.frontier_root(frontier)
        timestamp = int(entry.at.timestamp() * 1000)
        signature, public_key = sign_tree_head(tree_size=size, timestamp=timestamp, root_hash=root, key=key)
        heads.append(TreeHead(tree_size=size, root_hash=root.hex(), timestamp=timestamp,
                              signature=base64.b64encode(signature).decode(),
                              public_key=base64.b64encode(public_key).decode()))
    full_clean_all(records)
    Record.objects.bulk_create(records)
    TreeHead.objects.bulk_create(heads)
    state.tree_size = size
    state.frontier = ",".join(item.hex() for item in frontier)
    state.save(update_fields=["tree_size", "frontier"])
    _project(records, entries)
    _tell_the_workers()
    return records


def _tell_the_workers() -> None:
    """Every worker's remembered state lookups are now out of date (publicrecord.watch): this
    one's at once, the others' when the transaction commits (PostgreSQL delivers NOTIFY then)."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, '')", [watch.CHANNEL])
    watch.appended()


def _project(records: list[Record], entries: Sequence[Entry]) -> None:
    """Each object shown as the last of these records to name it has it (or withdrawn)."""
    shown: dict[tuple[str, str], tuple[Record, dict[str, Any] | None]] = {}
    for record, entry in zip(records, entries, strict=True):
        for kind, key, data in entry.entities:
            shown[(kind, key)] = (record, data)
    withdrawn: dict[str, list[str]] = {}
    for (kind, key), (_, data) in shown.items():
        if data is None:
            withdrawn.setdefault(kind, []).append(key)
    for kind, keys in withdrawn.items():
        Projection.objects.filter(kind=kind, key__in=keys).delete()
    rows = [Projection(kind=kind, key=key, record=record, data=data, object_id=data.get("id"))
            for (kind, key), (record, data) in shown.items() if data is not None]
    if rows:
        Projection.objects.bulk_create(rows, update_conflicts=True, unique_fields=["kind", "key"],
                                       update_fields=["record", "data", "object_id"])


def _locked_state() -> LogState:
    LogState.objects.get_or_create(id=1)
    return LogState.objects.select_for_update().get(id=1)


def lock() -> int:
    """Take the log's lock for the rest of the transaction: whoever reads the latest record
    of something to append the next one holds it, so no append is built on a stale record.
    The log's size: the index the next record gets."""
    return _locked_state().tree_size
