"""Versioned, history-tracked writes shared by the services of both apps.

Every tracked object carries a `version`. A service locks the row, compares the version the
actor saw, applies the change, validates, bumps the version and saves with the actor and
the reason recorded in the history, all inside the caller's transaction. A service that
takes a step on many objects at once (loading a data set) does the same for all of them
with `lock_at_versions` and `save_revisions`, in a few queries for the whole batch.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from factcheck.diffs import FieldChange, changes_between
from factcheck.errors import StaleVersion
from factcheck.validation import full_clean_all

Tracked = TypeVar("Tracked", bound=models.Model)


def lock_at_version(model: type[Tracked], pk: Any, *, version: int | None) -> Tracked:
    """The row, locked until the transaction ends, if it is still at `version`.

    select_for_update makes a concurrent writer on PostgreSQL wait here and then see the
    bumped version; on SQLite the IMMEDIATE transaction serialises writers the same way.
    """
    return lock_at_versions(model, [(pk, version)])[0]


def lock_at_versions(model: type[Tracked], versions: Sequence[tuple[Any, int | None]]) -> list[Tracked]:
    """Each row (primary key, the version the actor saw), locked in one query, in the order
    given; refused as lock_at_version refuses the first that is not at its version."""
    pks = [pk for pk, _ in versions]
    if len(set(pks)) != len(pks):
        raise ValueError(f"A {model._meta.verbose_name} appears twice in one step.")
    # Locked in primary key order, whatever the order asked: two batches cannot deadlock.
    rows = {obj.pk: obj for obj in model.objects.select_for_update().filter(pk__in=pks).order_by("pk")}
    objs = []
    for pk, version in versions:
        obj = rows.get(model._meta.pk.to_python(pk))
        if obj is None:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        _require_version(model, obj, version)
        objs.append(obj)
    return objs


def _require_version(model: type[Tracked], obj: Tracked, version: int | None) -> None:
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


def save_revision(obj: Tracked, *, actor: Any, reason: str, new_version: bool = True) -> Tracked:
    """Validate and save `obj` as a new revision by `actor`, for `reason`."""
    return save_revisions([obj], actor=actor, reason=reason, new_version=new_version)[0]


def save_revisions(objs: Sequence[Tracked], *, actor: Any, reason: str | Sequence[str], new_version: bool = True,
                   fields: Sequence[str] | None = None) -> list[Tracked]:
    """Validate and save `objs` (of one model) as new revisions by `actor`, for `reason` (one
    for all, or one each): save_revision for many at once.

    The objects are validated together (full_clean_all: each as full_clean would, as if those
    before it were saved) and written with their history rows in bulk: new ones inserted;
    the others updated in `fields` (the fields the step changes; all, as save() does, if not
    said), their version and their time of update, one UPDATE for those given the same values.
    """
    objs = list(objs)
    if not objs:
        return objs
    reasons = [reason] * len(objs) if isinstance(reason, str) else list(reason)
    if len(reasons) != len(objs):
        raise ValueError("Give one reason, or one for each object.")
    model = type(objs[0])
    for obj in objs:
        if new_version and not obj._state.adding:
            obj.version += 1
    full_clean_all(objs)
    for obj, why in zip(objs, reasons, strict=True):
        obj._history_user = actor
        obj._change_reason = why
    created = [obj for obj in objs if obj._state.adding]
    changed = [obj for obj in objs if not obj._state.adding]
    if created:
        bulk_create_with_history(created, model)
    if changed:
        _update(model, changed, fields)
        get_history_manager_for_model(model).bulk_history_create(changed, update=True)
    return objs


def _update(model: type[Tracked], objs: list[Tracked], names: Sequence[str] | None) -> None:
    concrete = [field for field in model._meta.concrete_fields if not field.primary_key]
    fields = concrete if names is None else [field for field in concrete if field.name in {*names, "version"}
                                             or getattr(field, "auto_now", False)]
    stamped = {field.attname: field.pre_save(objs[0], add=False)
               for field in fields if getattr(field, "auto_now", False)}
    groups: dict[tuple[Any, ...], list[Any]] = {}
    obj_values: dict[Any, tuple[Any, ...]] = {}
    for obj in objs:
        for attname, value in stamped.items():  # one time of update for the whole step
            setattr(obj, attname, value)
        obj._prepare_related_fields_for_save(operation_name="save_revisions", fields=fields)
        values = tuple(getattr(obj, field.attname) for field in fields)
        try:
            groups.setdefault(values, []).append(obj.pk)
        except TypeError:  # a value that cannot be a key (JSON, bytes): its own UPDATE
            groups[("unhashable", obj.pk)] = [obj.pk]
            obj_values[obj.pk] = values
    for key, pks in groups.items():
        values = obj_values.get(pks[0], key)
        for start in range(0, len(pks), 500):
            model._base_manager.filter(pk__in=pks[start:start + 500]).update(
                **{field.attname: value for field, value in zip(fields, values, strict=True)})


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
