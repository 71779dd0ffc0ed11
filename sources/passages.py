"""A snapshot's text cut into plain runs and annotated passages, for marking up on a page."""

from collections.abc import Iterable
from typing import Any


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
