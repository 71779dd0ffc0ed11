"""A snapshot's text cut into runs for a page: annotated passages, and what changed between two."""

import difflib
import re
from collections.abc import Iterable
from typing import Any

SENTENCE = re.compile(r"(?<=[.!?…。])\s+|\n+")


def segments(text: str, annotations: Iterable[Any]) -> list[tuple[str, Any]]:
    """(run of text, the annotation it is or None), in order; an overlapping passage is left out."""
    parts: list[tuple[str, Any]] = []
    position = 0
    for annotation in sorted(annotations, key=lambda a: (a.start, a.end)):
        if annotation.start < position or annotation.end > len(text):
            continue  # overlaps the previous passage, or anchored in another text
        if annotation.start > position:
            parts.append((text[position:annotation.start], None))
        parts.append((text[annotation.start:annotation.end], annotation))
        position = annotation.end
    if position < len(text):
        parts.append((text[position:], None))
    return parts


def text_changes(old: str, new: str) -> list[tuple[str, list[str], list[str]]]:
    """What changed from `old` to `new`, sentence by sentence: (kind, vanished, added) with kind
    "removed", "added" or "changed"; unchanged sentences are left out."""
    before, after = SENTENCE.split(old), SENTENCE.split(new)
    changes = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        kind = {"delete": "removed", "insert": "added", "replace": "changed"}[op]
        changes.append((kind, before[a1:a2], after[b1:b2]))
    return changes
