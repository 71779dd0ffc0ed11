"""Every write to sources, documents, snapshots and annotations.

Each function is keyword-only, checks the actor's permission, runs in one transaction and
records who did it and why in the history.
"""

import datetime
import hashlib
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.text import slugify

from factcheck.dates import implied_precision
from factcheck.errors import InUse
from factcheck.permissions import Action, require
from factcheck.revisions import lock_at_version, restore_fields, save_revision, save_revisions
from sources import anchoring, capture
from sources.capture import read_document
from sources.models import Annotation, Document, Snapshot, Source

# What a person may change; the slug too, but only when creating (it is the permalink).
SOURCE_FIELDS = ["name", "kind", "homepage", "description", "affiliation", "reliability", "reliability_rationale"]
DOCUMENT_FIELDS = ["title", "publisher", "authors", "url", "language", "published_on", "published_precision"]
ANNOTATION_FIELDS = ["exact", "prefix", "suffix", "start", "end", "motivation", "body", "anchoring"]


def unique_slug(model: type, text: str, *, max_length: int = 80) -> str:
    base = slugify(text)[:max_length].strip("-") or model._meta.model_name
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base[: max_length - len(str(n)) - 1]}-{n}"
        n += 1
    return slug


def _require_reason(reason: str) -> None:
    if not reason or not reason.strip():
        raise ValidationError({"reason": "Say what you changed and why."}, code="required")


def _apply(obj: Any, changes: dict[str, Any], allowed: list[str]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError({name: "This field cannot be changed here." for name in sorted(unknown)})
    for name, value in changes.items():
        setattr(obj, name, value)


def _change(obj: Any, changes: dict[str, Any], allowed: list[str]) -> None:
    """`_apply` for an edit: one that changes nothing saves nothing (no revision), as claims' and links'."""
    if set(changes) <= set(allowed) and all(getattr(obj, name) == value for name, value in changes.items()):
        raise ValidationError("Nothing changed.", code="no_change")
    _apply(obj, changes, allowed)


@transaction.atomic
def source_create(*, actor: Any, reason: str = "Source created", **fields: Any) -> Source:
    return sources_create(actor=actor, sources=[fields], reason=reason)[0]


@transaction.atomic
def sources_create(*, actor: Any, sources: Sequence[dict[str, Any]], reason: str = "Source created") -> list[Source]:
    """source_create for each of `sources` (their fields), validated together and saved in bulk."""
    require(actor, Action.CREATE)
    created = []
    for fields in sources:
        source = Source(created_by=actor)
        _apply(source, fields, [*SOURCE_FIELDS, "slug"])
        if not source.slug:
            source.slug = unique_slug(Source, source.name)
        created.append(source)
    return save_revisions(created, actor=actor, reason=reason)


@transaction.atomic
def source_update(*, source: Source, actor: Any, version: int | None, changes: dict[str, Any], reason: str) -> Source:
    source = lock_at_version(Source, source.pk, version=version)
    require(actor, Action.EDIT, source)
    _require_reason(reason)
    _change(source, changes, SOURCE_FIELDS)
    return save_revision(source, actor=actor, reason=reason)


@transaction.atomic
def document_create(*, actor: Any, reason: str = "Document created", **fields: Any) -> Document:
    return documents_create(actor=actor, documents=[fields], reason=reason)[0]


@transaction.atomic
def documents_create(*, actor: Any, documents: Sequence[dict[str, Any]],
                     reason: str = "Document created") -> list[Document]:
    """document_create for each of `documents` (their fields), validated together and saved in bulk.

    A document given no precision is dated to the day, or undated ("not given") without a date."""
    require(actor, Action.CREATE)
    created = []
    for fields in documents:
        document = Document(created_by=actor)
        if "published_precision" not in fields:
            fields = {**fields, "published_precision": implied_precision(fields.get("published_on"))}
        _apply(document, fields, [*DOCUMENT_FIELDS, "slug"])
        if not document.slug:
            document.slug = unique_slug(Document, document.title)
        created.append(document)
    return save_revisions(created, actor=actor, reason=reason)


@transaction.atomic
def document_update(
    *, document: Document, actor: Any, version: int | None, changes: dict[str, Any], reason: str
) -> Document:
    document = lock_at_version(Document, document.pk, version=version)
    require(actor, Action.EDIT, document)
    _require_reason(reason)
    _change(document, changes, DOCUMENT_FIELDS)
    return save_revision(document, actor=actor, reason=reason)


@transaction.atomic
def snapshot_capture(
    *,
    document: Document,
    actor: Any,
    content: bytes,
    content_type: str,
    origin: str,
    captured_at: datetime.datetime | None = None,
) -> tuple[Snapshot, bool]:
    """Archive `content` as a snapshot of `document`; the same bytes twice give the existing one.

    Returns the snapshot and whether it was created now.
    """
    require(actor, Action.CREATE)
    if not content:
        raise ValidationError({"content": "The captured content is empty."})
    sha256 = hashlib.sha256(content).hexdigest()
    existing = Snapshot.objects.filter(document=document, sha256=sha256).first()
    if existing is not None:
        return existing, False
    # Decoded by the charset the bytes declare (or detected), refused in words if they are not
    # text; the stored type names the charset they were read in.
    text, content_type = read_document(content, content_type)
    snapshot = Snapshot(
        document=document,
        captured_at=captured_at or timezone.now(),
        origin=origin,
        content_type=content_type,
        content=content,
        text=text,
        captured_by=actor,
    )
    snapshot._history_user = actor
    snapshot._change_reason = f"Captured from {origin}"
    try:
        # A savepoint, so that losing a race to an identical capture leaves the caller's
        # transaction usable.
        with transaction.atomic():
            snapshot.save()
    except IntegrityError:
        return Snapshot.objects.get(document=document, sha256=sha256), False
    reanchor_annotations(snapshot=snapshot, actor=actor)
    return snapshot, True


def snapshot_capture_url(*, document: Document, actor: Any, url: str) -> tuple[Snapshot, bool]:
    """Fetch `url` (safely: see sources.capture) and archive it as a snapshot of `document`."""
    require(actor, Action.CREATE)
    fetched = capture.fetch(url)
    return snapshot_capture(document=document, actor=actor, content=fetched.content,
                            content_type=fetched.content_type, origin=fetched.url)


def reanchor_annotations(*, snapshot: Snapshot, actor: Any) -> list[Annotation]:
    """Move the anchored annotations of the document's older snapshots onto `snapshot`.

    Each is found again exactly, by position, or approximately; what cannot be found with
    confidence stays where it was, marked orphaned, for a person to fix. Every move and every
    orphaning is a revision with its reason.
    """
    annotations = list(Annotation.objects.select_for_update().filter(
        snapshot__document_id=snapshot.document_id, anchoring=Annotation.Anchoring.ANCHORED,
        snapshot__captured_at__lt=snapshot.captured_at).select_related("snapshot").order_by("pk"))
    text = snapshot.text
    for annotation in annotations:
        old_snapshot = annotation.snapshot_id
        anchor = anchoring.find(text, exact=annotation.exact, prefix=annotation.prefix, suffix=annotation.suffix,
                                old_start=annotation.start)
        if anchor is None:
            annotation.anchoring = Annotation.Anchoring.ORPHANED
            annotation.anchoring_method = Annotation.AnchoringMethod.NOT_FOUND
            reason = (f"Re-anchoring to snapshot {snapshot.pk}: not found; orphaned, still anchored in "
                      f"snapshot {old_snapshot}")
        else:
            _place(annotation, snapshot, anchor.start, anchor.end)
            annotation.anchoring_method = anchor.method
            reason = (f"Re-anchoring to snapshot {snapshot.pk}: {anchor.method} match ({anchor.score:g}%) "
                      f"from snapshot {old_snapshot}")
        save_revision(annotation, actor=actor, reason=reason)
    return annotations


def _place(annotation: Annotation, snapshot: Snapshot, start: int, end: int) -> None:
    text = snapshot.text
    if not (0 <= start < end <= len(text)):
        raise ValidationError({"start": f"The passage must lie within the text (0 to {len(text)})."})
    annotation.snapshot = snapshot
    annotation.start, annotation.end = start, end
    annotation.exact = text[start:end]
    annotation.prefix = text[max(0, start - 32):start]
    annotation.suffix = text[end:end + 32]
    annotation.anchoring = Annotation.Anchoring.ANCHORED


@transaction.atomic
def annotation_reattach(*, annotation: Annotation, actor: Any, version: int | None, snapshot: Snapshot,
                        start: int, end: int, reason: str = "") -> Annotation:
    """A person anchors an (orphaned) annotation again, on a passage they select."""
    annotation = lock_at_version(Annotation, annotation.pk, version=version)
    require(actor, Action.EDIT, annotation)
    if snapshot.document_id != annotation.snapshot.document_id:
        raise ValidationError({"snapshot": "An annotation stays with its document."})
    _place(annotation, snapshot, start, end)
    annotation.anchoring_method = Annotation.AnchoringMethod.SELECTED
    return save_revision(annotation, actor=actor, reason=reason.strip() or "Anchored again by hand")


class Passage(NamedTuple):
    """A passage to annotate: text[start:end] of a snapshot (code point offsets), and the note."""

    start: int
    end: int
    motivation: str = Annotation.Motivation.HIGHLIGHTING
    body: str = ""


@transaction.atomic
def annotation_create(
    *, snapshot: Snapshot, actor: Any, start: int, end: int, motivation: str = Annotation.Motivation.HIGHLIGHTING,
    body: str = "", reason: str = "Annotation created",
) -> Annotation:
    """Annotate the passage text[start:end] of `snapshot` (code point offsets)."""
    return annotations_create(snapshot=snapshot, actor=actor, passages=[Passage(start, end, motivation, body)],
                              reason=reason)[0]


@transaction.atomic
def annotations_create(*, snapshot: Snapshot, actor: Any, passages: Sequence[Passage],
                       reason: str = "Annotation created") -> list[Annotation]:
    """annotation_create for each of `passages` of `snapshot`, validated together and saved in bulk."""
    require(actor, Action.CREATE)
    created = []
    for passage in passages:
        annotation = Annotation(motivation=passage.motivation, body=passage.body, author=actor)
        _place(annotation, snapshot, passage.start, passage.end)
        created.append(annotation)
    return save_revisions(created, actor=actor, reason=reason)


@transaction.atomic
def annotation_update(
    *, annotation: Annotation, actor: Any, version: int | None, changes: dict[str, Any], reason: str
) -> Annotation:
    annotation = lock_at_version(Annotation, annotation.pk, version=version)
    require(actor, Action.EDIT, annotation)
    _require_reason(reason)
    _change(annotation, changes, ["motivation", "body"])
    return save_revision(annotation, actor=actor, reason=reason)


@transaction.atomic
def annotation_delete(*, annotation: Annotation, actor: Any, version: int | None,
                      reason: str = "Deleted") -> None:
    """Delete a note nothing cites. Its history stays, ending with the deletion, by whom and why.

    One that a published claim quotes stays (the public record shows it), and so does one that
    anchors any claim's quote (the claim would lose its evidence): both raise InUse."""
    annotation = lock_at_version(Annotation, annotation.pk, version=version)
    require(actor, Action.EDIT, annotation)
    if annotation.public_since is not None:
        raise InUse("A published claim quotes this passage: it stays, as the public record shows it. "
                    "Nothing was deleted.")
    annotation._history_user = actor
    annotation._change_reason = reason
    try:
        annotation.delete()
    except ProtectedError as error:
        # Raised before anything is deleted: the claims (or whatever else) that point at it.
        citing = next(iter(error.protected_objects))
        raise InUse(f"It anchors the quote of a {citing._meta.verbose_name} (“{str(citing)[:80]}”): change that "
                    "first. Nothing was deleted.") from None


def mark_public(*, objects: list[Source | Document | Annotation | None], when: datetime.datetime, actor: Any) -> None:
    """Make these objects public from `when` on, as a published claim now cites them.

    Called by the claims publish service inside its transaction. Once public, always
    public: a published claim (even retracted) keeps citing them.
    """
    cited: dict[type, set[Any]] = {}
    for obj in objects:
        if obj is not None:
            cited.setdefault(type(obj), set()).add(obj.pk)
    for model in sorted(cited, key=lambda model: model.__name__):
        # Re-read under a lock: a concurrent edit of the source must not be overwritten
        # by the copy the claim loaded earlier.
        current = model.objects.select_for_update().filter(pk__in=sorted(cited[model])).order_by("pk")
        newly = [obj for obj in current if obj.public_since is None]
        for obj in newly:
            obj.public_since = when
        save_revisions(newly, actor=actor, reason="Made public: cited by a published claim", new_version=False,
                       fields=["public_since"])


REVERTIBLE_FIELDS = {Source: SOURCE_FIELDS, Document: DOCUMENT_FIELDS, Annotation: ANNOTATION_FIELDS}


@transaction.atomic
def revert(
    *, obj: Source | Document | Annotation, actor: Any, version: int | None, history_id: int, reason: str
) -> Any:
    """Restore the content of `obj` as it was at revision `history_id`, as a new revision."""
    model = type(obj)
    obj = lock_at_version(model, obj.pk, version=version)
    require(actor, Action.REVERT, obj)
    if not reason.strip():
        raise ValidationError({"reason": "Say why you revert."})
    record = obj.history.filter(history_id=history_id).first()
    if record is None:
        raise ValidationError({"history_id": "No such revision of this object."})
    if not restore_fields(obj, record, REVERTIBLE_FIELDS[model]):
        raise ValidationError({"history_id": "This revision has the same content as the current one."})
    when = record.history_date.strftime("%Y-%m-%d %H:%M")
    return save_revision(obj, actor=actor, reason=f"Reverted to the revision of {when} UTC: {reason}")
