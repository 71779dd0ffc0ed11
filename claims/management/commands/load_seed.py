"""Load the seed data set: the drone-war article as sources, documents, graded claims and links.

Idempotent, and a correction when the data set changes: objects that are new are created;
objects whose content differs from the data set are changed through the services and, for
claims and links, published again as corrections with the public notes of
`fixtures/seed-corrections.json`; links it withdraws are withdrawn with their notes. Everything
goes through the services, so each object gets its history, and claims and links are reviewed
and published by a seed editor who is not the seed fact-checker.
"""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims import services as claim_services
from claims.choices import ClaimStatus, LinkStatus
from claims.models import Claim, ClaimLink
from factcheck.roles import EDITORS, FACT_CHECKERS
from sources import services as source_services
from sources.models import Annotation, Document, Snapshot, Source

SEED_FACT_CHECKER = "seed-fact-checker"
SEED_EDITOR = "seed-editor"
ARTICLE_DOCUMENT = "drone-war-article"
IMPORT_REASON = "Imported from the seed data set"
CORRECTION_REASON = "Corrected to match the seed data set"
CLAIM_FIELDS = [name for name in claim_services.CLAIM_CONTENT_FIELDS if name != "annotation"]


def _seed_user(username: str, group: str) -> Any:
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()  # a signature on the record, never an account to sign in with
        user.save()
    user.groups.add(Group.objects.get(name=group))
    return user


def _fields(obj: Any, names: list[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def _changes(current: Any, wanted: Any, names: list[str]) -> dict[str, Any]:
    """The fields of `wanted` (from the data set) that differ from `current` (the database)."""
    return {name: getattr(wanted, name) for name in names
            if getattr(current, f"{name}_id" if hasattr(current, f"{name}_id") else name)
            != getattr(wanted, f"{name}_id" if hasattr(wanted, f"{name}_id") else name)}


class Command(BaseCommand):
    help = "Load the drone-war seed data set (idempotent; changes are published as corrections)."

    def add_arguments(self, parser: Any) -> None:
        fixtures = Path(settings.BASE_DIR) / "fixtures"
        parser.add_argument("--fixture", default=str(fixtures / "seed.json"))
        parser.add_argument("--article", default=str(fixtures / "drone-war-article.txt"))
        parser.add_argument("--corrections", default=str(fixtures / "seed-corrections.json"),
                            help="Public notes for what a newer data set corrects (may be absent).")

    @transaction.atomic
    def handle(self, *args: Any, fixture: str, article: str, corrections: str, **options: Any) -> None:
        fixture_path, article_path, corrections_path = Path(fixture), Path(article), Path(corrections)
        for path in (fixture_path, article_path):
            if not path.is_file():
                raise CommandError(f"Seed file not found: {path}")
        self.notes = json.loads(corrections_path.read_text(encoding="utf-8")) if corrections_path.is_file() else {}
        self.fact_checker = _seed_user(SEED_FACT_CHECKER, FACT_CHECKERS)
        self.editor = _seed_user(SEED_EDITOR, EDITORS)
        self.counts = dict.fromkeys(["sources", "documents", "snapshots", "claims", "links"], 0)
        self.corrected = dict.fromkeys(["sources", "documents", "claims", "links"], 0)
        self.article_bytes = article_path.read_bytes()
        self.article_snapshot: Snapshot | None = None
        self.to_publish: list[tuple[Claim, str]] = []
        self.links: list[ClaimLink] = []

        with fixture_path.open(encoding="utf-8") as stream:
            for item in serializers.deserialize("json", stream):
                self._load(item.object)
        if Document.objects.filter(slug=ARTICLE_DOCUMENT).exists():
            self._article()  # a changed article text is archived as a new snapshot
        self._publish_claims()
        for link in self.links:
            self._load_link(link)
        withdrawn = self._withdraw_links()
        self._retract_claims()

        self.stdout.write(
            "Seed data: " + ", ".join(f"{count} {name} created" for name, count in self.counts.items())
            + "; corrected " + ", ".join(f"{count} {name}" for name, count in self.corrected.items())
            + f"; {withdrawn} links withdrawn; {Claim.objects.public().count()} public claims, "
            f"{ClaimLink.objects.public().count()} public links."
        )

    def _load(self, obj: Any) -> None:
        if isinstance(obj, Source):
            self._load_source(obj)
        elif isinstance(obj, Document):
            self._load_document(obj)
        elif isinstance(obj, Claim):
            self._load_claim(obj)
        elif isinstance(obj, ClaimLink):
            self.links.append(obj)  # once every claim is published
        else:
            raise CommandError(f"The seed fixture may not hold {obj._meta.label} objects.")

    def _load_source(self, obj: Source) -> None:
        self._load_or_correct(obj, kind="sources", names=source_services.SOURCE_FIELDS,
                              create=source_services.source_create,
                              update=lambda current, **step: source_services.source_update(source=current, **step))

    def _load_document(self, obj: Document) -> None:
        self._load_or_correct(obj, kind="documents", names=source_services.DOCUMENT_FIELDS,
                              create=source_services.document_create,
                              update=lambda current, **step: source_services.document_update(document=current, **step))

    def _load_or_correct(self, obj: Any, *, kind: str, names: list[str], create: Any, update: Any) -> None:
        """Create what is new; change what differs from the data set, with its note as the reason."""
        if obj.pk is None:
            create(actor=self.fact_checker, reason=IMPORT_REASON, **_fields(obj, [*names, "slug"]))
            self.counts[kind] += 1
            return
        current = type(obj).objects.get(pk=obj.pk)
        changes = _changes(current, obj, names)
        if changes:
            update(current, actor=self.editor, version=current.version, changes=changes,
                   reason=self._note(kind, obj.slug))
            self.corrected[kind] += 1

    def _note(self, kind: str, key: str) -> str:
        return self.notes.get(kind, {}).get(key) or CORRECTION_REASON

    def _capture_article(self, document: Document) -> None:
        self.article_snapshot, created = source_services.snapshot_capture(
            document=document, actor=self.fact_checker, content=self.article_bytes,
            content_type="text/plain; charset=utf-8", origin="fixtures/drone-war-article.txt",
        )
        self.counts["snapshots"] += int(created)

    def _article(self) -> Snapshot:
        """The snapshot of the article's current text (captured once; the same bytes dedupe)."""
        if self.article_snapshot is None:
            document = Document.objects.filter(slug=ARTICLE_DOCUMENT).first()
            if document is None:
                raise CommandError(f"The seed fixture must define the document {ARTICLE_DOCUMENT!r} before its claims.")
            self._capture_article(document)
        return self.article_snapshot

    def _anchor(self, quote: str, slug: str) -> Annotation:
        """The annotation that anchors a claim's quote in the article's snapshot."""
        snapshot = self._article()
        start = snapshot.text.find(quote)
        if not quote or start < 0:
            raise CommandError(f"The quote of claim {slug!r} is not in the article verbatim: {quote!r}")
        return source_services.annotation_create(
            snapshot=snapshot, actor=self.fact_checker, start=start, end=start + len(quote),
            motivation=Annotation.Motivation.ASSESSING, body=f"Quoted by claim {slug}.", reason=IMPORT_REASON,
        )

    def _load_claim(self, obj: Claim) -> None:
        if obj.pk is None:
            claim = claim_services.claim_create(
                actor=self.fact_checker, slug=obj.slug, reason=IMPORT_REASON,
                annotation=self._anchor(obj.quote, obj.slug), **_fields(obj, CLAIM_FIELDS),
            )
            claim = claim_services.claim_submit(claim=claim, actor=self.fact_checker, version=claim.version)
            self.to_publish.append((claim, ""))
            self.counts["claims"] += 1
            return
        current = Claim.objects.select_related("annotation").get(pk=obj.pk)
        changes = _changes(current, obj, CLAIM_FIELDS)
        if not changes:
            return
        if current.annotation is None or current.annotation.exact != obj.quote:
            changes["annotation"] = self._anchor(obj.quote, obj.slug)
        note = self._note("claims", obj.slug)
        claim = claim_services.claim_update(claim=current, actor=self.fact_checker, version=current.version,
                                            changes=changes, reason=note)
        if claim.status in {ClaimStatus.DRAFT, ClaimStatus.CHANGES_REQUESTED}:
            claim = claim_services.claim_submit(claim=claim, actor=self.fact_checker, version=claim.version)
        self.to_publish.append((claim, note if claim.first_published_at else ""))
        self.corrected["claims"] += 1

    def _publish_claims(self) -> None:
        """Publish the new and corrected claims together: their rationales cite one another."""
        slugs = {claim.slug for claim, _ in self.to_publish}
        for claim, note in self.to_publish:
            claim_services.claim_publish(claim=claim, actor=self.editor, version=claim.version,
                                         comment="Reviewed for the seed data set", note=note, alongside=slugs)

    def _load_link(self, obj: ClaimLink) -> None:
        if obj.pk is None:
            link = claim_services.link_propose(actor=self.fact_checker, from_claim=obj.from_claim,
                                               to_claim=obj.to_claim, link_type=obj.link_type,
                                               rationale=obj.rationale)
            claim_services.link_accept(link=link, actor=self.editor, version=link.version,
                                       comment="Reviewed for the seed data set")
            self.counts["links"] += 1
            return
        current = ClaimLink.objects.select_related("from_claim", "to_claim").get(pk=obj.pk)
        if current.rationale == obj.rationale and current.status == LinkStatus.ACCEPTED:
            return
        note = next((entry[3] for entry in self.notes.get("links_changed", [])
                     if entry[:3] == [obj.from_claim.slug, obj.to_claim.slug, obj.link_type]), CORRECTION_REASON)
        if current.rationale != obj.rationale:
            current = claim_services.link_update(link=current, actor=self.fact_checker, version=current.version,
                                                 changes={"rationale": obj.rationale}, reason=note)
        if current.status == LinkStatus.PROPOSED:
            claim_services.link_accept(link=current, actor=self.editor, version=current.version,
                                       comment="Reviewed for the seed data set", note=note)
        self.corrected["links"] += 1

    def _withdraw_links(self) -> int:
        withdrawn = 0
        for from_slug, to_slug, link_type, note in self.notes.get("links_withdrawn", []):
            link = ClaimLink.objects.filter(from_claim__slug=from_slug, to_claim__slug=to_slug, link_type=link_type,
                                            status=LinkStatus.ACCEPTED).first()
            if link is not None:
                claim_services.link_withdraw(link=link, actor=self.editor, version=link.version, reason=note)
                withdrawn += 1
        return withdrawn

    def _retract_claims(self) -> None:
        for slug, note in self.notes.get("retracted", {}).items():
            claim = Claim.objects.filter(slug=slug, published_version__isnull=False).exclude(
                status=ClaimStatus.RETRACTED).first()
            if claim is not None:
                claim_services.claim_retract(claim=claim, actor=self.editor, version=claim.version, reason=note)
