"""Versioned, history-tracked writes shared by the services of both apps.

Every tracked object carries a `version`. A service locks the row, compares the version the
actor saw, applies the change, validates, bumps the version and saves with the actor and
the reason recorded in the history, all inside the caller's transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models

from factcheck.diffs import FieldChange, changes_between
from factcheck.errors import StaleVersion

Tracked = TypeVar("Tracked", bound=models.Model)


def lock_at_version(model: type[Tracked], pk: Any, *, version: int | None) -> Tracked:
    """The row, locked until the transaction ends, if it is still at `version`.

    select_for_update makes a concurrent writer on PostgreSQL wait here and then see the
    bumped version; on SQLite the IMMEDIATE transaction serialises writers the same way.
    """
    obj = model.objects.select_for_update().get(pk=pk)
    if version is None:
        raise StaleVersion(
            f"Say which version of this {model._meta.verbose_name} you are changing "
            f"(it is at version {obj.version}).",
            current_version=obj.version,
        )
    if int(version) < 0:  # an entity tag that is none of ours (factcheck.api.expected_version)
        raise StaleVersion(
            f"That entity tag does not match this {model._meta.verbose_name}: send If-Match with the ETag "
            f"you read (it is now \"{obj.version}\"). Nothing was saved.",
            current_version=obj.version,
        )
    if int(version) != obj.version:
        latest = obj.history.order_by("-history_date", "-history_id").first()
        who = (latest.history_username or "someone") if latest else "someone"
        when = f" at {latest.history_date:%Y-%m-%d %H:%M} UTC" if latest else ""
        raise StaleVersion(
            f"This {model._meta.verbose_name} was changed by {who}{when} since you loaded it "
            f"(you have version {version}, it is now at version {obj.version}). "
            "Reload it and make your change again; nothing was saved.",
            current_version=obj.version,
        )
    return obj


def save_revision(obj: Tracked, *, actor: Any, reason: str, new_version: bool = True) -> Tracked:
    """Validate and save `obj` as a new revision by `actor`, for `reason`."""
    if new_version and not obj._state.adding:
        obj.version += 1
    obj.full_clean()
    obj._history_user = actor
    obj._change_reason = reason
    obj.save()
    return obj


def restore_fields(obj: Tracked, record: Any, fields: list[str]) -> list[str]:
    """Copy `fields` from a historical `record` onto `obj`; the names of those that differ."""
    changed = []
    for name in fields:
        attname = obj._meta.get_field(name).attname
        value = getattr(record, attname)
        if getattr(obj, attname) != value:
            setattr(obj, attname, value)
            changed.append(name)
    return changed


@dataclass(frozen=True)
class TrackedKind:
    """A kind of object whose history the desk shows and editors may revert."""

    model: type[models.Model]
    fields: list[str]
    revert: Callable[..., Any]
    related: tuple[str, ...] = ()


def tracked_kinds() -> dict[str, TrackedKind]:
    # Imported here: factcheck wires the apps together, and the apps import factcheck.
    from claims import services as claim_services
    from claims.models import Claim, ClaimLink
    from sources import services as source_services
    from sources.models import Annotation, Document, Source

    return {
        "claim": TrackedKind(Claim, [*claim_services.CLAIM_CONTENT_FIELDS, "status"],
                             lambda obj, **kw: claim_services.claim_revert(claim=obj, **kw),
                             ("claimant", "primary_source", "document", "annotation")),
        "link": TrackedKind(ClaimLink, [*claim_services.LINK_CONTENT_FIELDS, "status"],
                            lambda obj, **kw: claim_services.link_revert(link=obj, **kw),
                            ("from_claim", "to_claim")),
        "source": TrackedKind(Source, source_services.SOURCE_FIELDS,
                              lambda obj, **kw: source_services.revert(obj=obj, **kw), ("affiliation",)),
        "document": TrackedKind(Document, source_services.DOCUMENT_FIELDS,
                                lambda obj, **kw: source_services.revert(obj=obj, **kw), ("publisher",)),
        "annotation": TrackedKind(Annotation, source_services.ANNOTATION_FIELDS,
                                  lambda obj, **kw: source_services.revert(obj=obj, **kw), ("snapshot",)),
    }


def with_changes(records: list[Any], fields: list[str], *, older: Any = None) -> list[tuple[Any, Any]]:
    """Revisions (newest first), each with what it changed since the one before it; the
    oldest is compared with `older` (the revision before them), or shown with None."""
    befores = [*records[1:], older]
    changes: list[list[FieldChange] | None] = [
        changes_between(before, record, fields) if before is not None else None
        for record, before in zip(records, befores, strict=True)
    ]
    return list(zip(records, changes, strict=True))
