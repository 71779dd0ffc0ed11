"""The one way into the public record: `append`.

Called inside the transaction of the editorial act it records (a publish, a correction, a
retraction, an accepted link), so the act and its record commit together or not at all.
"""

import base64
import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from publicrecord import merkle
from publicrecord.canonical import canonical_bytes
from publicrecord.models import LogState, Projection, Record, TreeHead
from publicrecord.signing import sign_tree_head

# (kind, key, data) of an object the record shows the public; data None withdraws it.
Entity = tuple[str, str, dict[str, Any] | None]


def _frontier(state: LogState) -> list[bytes]:
    return [bytes.fromhex(item) for item in state.frontier.split(",") if item]


def append(*, subject: str, kind: str, payload: dict[str, Any], at: datetime.datetime,
           entities: Iterable[Entity] = ()) -> Record:
    """Append `payload` as the next record, sign the new tree head, update the projection."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append() belongs inside the transaction of the act it records.")
    body = canonical_bytes(payload)
    # The lock makes concurrent appends take turns: each reads the size the last one left,
    # so indexes have no gap and no duplicate.
    LogState.objects.get_or_create(id=1)
    state = LogState.objects.select_for_update().get(id=1)
    leaf = merkle.leaf_hash(body)
    record = Record(index=state.tree_size, subject=subject, kind=kind, body=body.decode("utf-8"),
                    leaf_hash=leaf.hex(), recorded_at=at)
    record.full_clean()
    record.save(force_insert=True)
    frontier = merkle.append_to_frontier(_frontier(state), state.tree_size, leaf)
    state.tree_size += 1
    state.frontier = ",".join(item.hex() for item in frontier)
    state.save(update_fields=["tree_size", "frontier"])
    root = merkle.frontier_root(frontier)
    timestamp = int(at.timestamp() * 1000)
    signature, public_key = sign_tree_head(tree_size=state.tree_size, timestamp=timestamp, root_hash=root)
    TreeHead(tree_size=state.tree_size, root_hash=root.hex(), timestamp=timestamp,
             signature=base64.b64encode(signature).decode(),
             public_key=base64.b64encode(public_key).decode()).save(force_insert=True)
    for entity_kind, key, data in entities:
        if data is None:
            Projection.objects.filter(kind=entity_kind, key=key).delete()
        else:
            Projection.objects.update_or_create(kind=entity_kind, key=key, defaults={"record": record, "data": data})
    return record


def lock() -> None:
    """Take the log's lock for the rest of the transaction: whoever reads the latest record
    of something to append the next one holds it, so no append is built on a stale record."""
    LogState.objects.get_or_create(id=1)
    LogState.objects.select_for_update().get(id=1)
