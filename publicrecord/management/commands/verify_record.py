"""Check the public record end to end: every record against its leaf hash, every signed tree
head against the tree rebuilt from the leaves, and each head against the next."""

import base64
import binascii
import itertools
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from publicrecord import merkle, projections
from publicrecord.canonical import is_canonical
from publicrecord.models import LogState, Record, TreeHead
from publicrecord.signing import verify_tree_head

# Consistency proofs between consecutive heads are rebuilt from the leaves, each O(n);
# past this size only the heads at powers of two and the latest are proven against each other.
ALL_PAIRS_UP_TO = 4096


class Command(BaseCommand):
    help = "Verify the public record: records, leaf hashes, the Merkle tree and the signed tree heads."

    def handle(self, *args: Any, **options: Any) -> None:
        leaves: list[bytes] = []
        frontier: list[bytes] = []
        roots: dict[int, bytes] = {}
        for record in Record.objects.order_by("index").iterator(chunk_size=2000):
            if record.index != len(leaves):
                self._fail(f"entry {len(leaves)} is missing (the next entry is {record.index})")
            data = record.body_bytes
            if not is_canonical(data):
                self._fail(f"entry {record.index} is not canonical JSON: it was written outside the application")
            leaf = merkle.leaf_hash(data)
            if leaf.hex() != record.leaf_hash:
                self._fail(f"entry {record.index} does not match its leaf hash: the record was changed "
                           "after it was appended")
            frontier = merkle.append_to_frontier(frontier, len(leaves), leaf)
            leaves.append(leaf)
            roots[len(leaves)] = merkle.frontier_root(frontier)
        self.stdout.write(f"{len(leaves)} records: each canonical and matching its leaf hash.")

        state = LogState.objects.filter(id=1).first()
        if leaves and (state is None or state.tree_size != len(leaves)):
            self._fail(f"the log's state says {state.tree_size if state else 0} records, there are {len(leaves)}")

        heads = list(TreeHead.objects.order_by("tree_size"))
        for head in heads:
            if head.tree_size > len(leaves):
                self._fail(f"tree head {head.tree_size} is beyond the log's {len(leaves)} records: "
                           f"entry {len(leaves)} is missing")
            expected = roots.get(head.tree_size, merkle.root([]))
            if head.root_hash != expected.hex():
                self._fail(f"tree head {head.tree_size} does not match the records: the first changed entry is "
                           f"at most {head.tree_size - 1}")
            try:
                signed = verify_tree_head(public_key=base64.b64decode(head.public_key),
                                          signature=base64.b64decode(head.signature), tree_size=head.tree_size,
                                          timestamp=head.timestamp, root_hash=bytes.fromhex(head.root_hash))
            except (binascii.Error, ValueError):
                signed = False
            if not signed:
                self._fail(f"tree head {head.tree_size} has a bad signature")
        self.stdout.write(f"{len(heads)} signed tree heads: each signature valid and each root rebuilt from "
                          "the records.")

        sizes = [head.tree_size for head in heads]
        if len(leaves) > ALL_PAIRS_UP_TO:
            sizes = sorted({size for size in sizes if size & (size - 1) == 0} | set(sizes[-1:]))
        pairs = list(itertools.pairwise(sizes))
        for first, second in pairs:
            path = merkle.consistency_path(first, leaves[:second])
            if not merkle.verify_consistency(first, second, roots[first], roots[second], path):
                self._fail(f"tree head {first} is not consistent with tree head {second}")
        self.stdout.write(f"{len(pairs)} consistency proofs between successive heads verified.")
        for checked, problems in projections.run():
            if problems:
                self._fail(f"what readers see differs from the records: {problems[0]}"
                           + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
            self.stdout.write(checked)
        self.stdout.write(self.style.SUCCESS("The public record is intact."))

    def _fail(self, message: str) -> None:
        raise CommandError(f"The public record fails verification: {message}.")
