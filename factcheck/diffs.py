"""Field-by-field differences between two versions of a tracked object, for people to read."""

import difflib
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_DIFF_WORK = 250_000  # words before × words after


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    inline: SafeString  # the new text with deletions and insertions marked up


def display_value(obj: Any, field_name: str) -> str:
    """A field's value as a person reads it: the related object's name, the choice's label."""
    if obj is None:
        return ""
    field = obj._meta.get_field(field_name)
    if field.is_relation:
        related_id = getattr(obj, field.attname)
        if related_id is None:
            return "—"
        try:
            return str(getattr(obj, field_name))
        except field.related_model.DoesNotExist:
            return f"(deleted #{related_id})"
    value = getattr(obj, field_name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return "" if value is None else str(value)


def word_diff(old: str, new: str) -> SafeString:
    """`new` with the words removed since `old` in <del> and the words added in <ins>; escaped."""
    old_words, new_words = old.split(" "), new.split(" ")
    if len(old_words) * len(new_words) > MAX_DIFF_WORK:
        # Matching is quadratic, worse on repetitive text: past this, show a plain replacement.
        replaced = f"<del>{escape(old)}</del> <ins>{escape(new)}</ins>" if old else f"<ins>{escape(new)}</ins>"
        return mark_safe(replaced)  # noqa: S308 (both sides escaped)
    parts = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(new_words[b1:b2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(' '.join(old_words[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(' '.join(new_words[b1:b2]))}</ins>")
    return mark_safe(" ".join(parts))  # noqa: S308 (every piece above is escaped)


def changes_between(old: Any, new: Any, fields: list[str]) -> list[FieldChange]:
    """What differs in `fields` from `old` to `new` (model instances or history records)."""
    model = type(new).instance_type if hasattr(type(new), "instance_type") else type(new)
    changes = []
    for name in fields:
        before, after = display_value(old, name), display_value(new, name)
        if before != after:
            label = str(model._meta.get_field(name).verbose_name).capitalize()
            changes.append(FieldChange(name, label, before, after, word_diff(before, after)))
    return changes
