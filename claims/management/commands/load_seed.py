"""Load the seed data set: the drone-war article as sources, documents, graded claims and links.

Idempotent, and a correction when the data set changes: objects that are new are created;
objects whose content differs from the data set are changed through the services and, for
claims and links, published again as corrections with the public notes of
`fixtures/seed-corrections.json`; links it withdraws are withdrawn with their notes. Everything
goes through the services, so each object gets its history, and claims and links are reviewed
and published by a seed editor who is not the seed fact-checker.

What is new goes through the services' batch forms (create these sources, submit these
claims, publish these claims together, accept these links), which record exactly what the
same steps taken one object at a time would, in a few queries per step: the whole data set
loads in a few hundred queries, and loading it again, with nothing to change, in a few dozen.
"""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

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
REVIEW_COMMENT = "Reviewed for the seed data set"
CLAIM_FIELDS = [name for name in claim_services.CLAIM_CONTENT_FIELDS if name != "annotation"]
SEED_MODELS: dict[str, type[models.Model]] = {
    "sources.source": Source, "sources.document": Document, "claims.claim": Claim, "claims.claimlink": ClaimLink,
}


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


def _read(path: Path) -> dict[type[models.Model], list[dict[str, Any]]]:
    """The fixture's objects (loaddata's format, with natural keys), by model, in their order."""
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise CommandError(f"The seed fixture {path} is not JSON: {e}") from None
    if not isinstance(items, list):
        raise CommandError(f"The seed fixture {path} must be a list of objects, as loaddata reads.")
    found: dict[type[models.Model], list[dict[str, Any]]] = {model: [] for model in SEED_MODELS.values()}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("fields"), dict):
            raise CommandError(f"Each object of the seed fixture has a model and fields: {str(item)[:120]}")
        model = SEED_MODELS.get(str(item.get("model", "")).lower())
        if model is None:
            raise CommandError(f"The seed fixture may not hold {item.get('model')} objects.")
        if "pk" in item:
            raise CommandError("The seed fixture names its objects by natural keys, not primary keys: "
                               f"{item['model']} {item['pk']!r}.")
        found[model].append(item["fields"])
    return found


def _build(model: type[models.Model], fields: dict[str, Any], refer: Callable[[models.ForeignKey, Any], Any]) -> Any:
    """An unsaved object with these fields, as loaddata would read them; `refer` finds the
    object a natural key names."""
    obj = model()
    for name, value in fields.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            raise CommandError(f"A {model._meta.verbose_name} in the seed fixture has a field {name!r} "
                               "that it does not know.") from None
        if isinstance(field, models.ForeignKey):
            setattr(obj, field.name, None if value is None else refer(field, value))
        elif field.concrete and not field.is_relation:
            try:
                setattr(obj, field.attname, field.to_python(value))
            except ValidationError as e:
                raise CommandError(f"A {model._meta.verbose_name} in the seed fixture has a bad {name}: "
                                   f"{'; '.join(e.messages)}") from None
        else:
            raise CommandError(f"The seed fixture cannot set {model._meta.verbose_name} {name}.")
    return obj


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
        seed = _read(fixture_path)
        self.fact_checker = _seed_user(SEED_FACT_CHECKER, FACT_CHECKERS)
        self.editor = _seed_user(SEED_EDITOR, EDITORS)
        self.counts = dict.fromkeys(["sources", "documents", "snapshots", "claims", "links"], 0)
        self.corrected = dict.fromkeys(["sources", "documents", "claims", "links"], 0)
        self.article_bytes = article_path.read_bytes()
        self.article_snapshot: Snapshot | None = None

        self._load_sources(seed[Source])
        self._load_documents(seed[Document])
        if ARTICLE_DOCUMENT in self.documents:
            self._article()  # a changed article text is archived as a new snapshot
        self._load_claims(seed[Claim])
        self._load_links(seed[ClaimLink])
        withdrawn = self._withdraw_links()
        self._retract_claims()

        self.stdout.write(
            "Seed data: " + ", ".join(f"{count} {name} created" for name, count in self.counts.items())
            + "; corrected " + ", ".join(f"{count} {name}" for name, count in self.corrected.items())
            + f"; {withdrawn} links withdrawn; {Claim.objects.public().count()} public claims, "
            f"{ClaimLink.objects.public().count()} public links."
        )

    def _note(self, kind: str, key: str) -> str:
        return self.notes.get(kind, {}).get(key) or CORRECTION_REASON

    @staticmethod
    def _named(found: dict[str, Any], field: models.ForeignKey, key: Any) -> Any:
        slug = key[0] if isinstance(key, list) and len(key) == 1 else None
        if slug not in found:
            raise CommandError(f"The seed fixture refers to a {field.remote_field.model._meta.verbose_name} "
                               f"{key!r} ({field.name}) that it does not define before.")
        return found[slug]

    # Sources and documents

    def _load_sources(self, entries: list[dict[str, Any]]) -> None:
        slugs = [entry.get("slug") for entry in entries] + [
            entry["affiliation"][0] for entry in entries if isinstance(entry.get("affiliation"), list)]
        self.sources = {source.slug: source for source in Source.objects.filter(slug__in=slugs)}
        new: list[Source] = []

        def refer(field: models.ForeignKey, key: Any) -> Any:
            if any(source.slug == (key[0] if isinstance(key, list) else None) for source in new):
                create()  # a source affiliated with one created just before it
            return self._named(self.sources, field, key)

        def create() -> None:
            made = source_services.sources_create(actor=self.fact_checker, reason=IMPORT_REASON, sources=[
                _fields(source, [*source_services.SOURCE_FIELDS, "slug"]) for source in new])
            self.sources |= {source.slug: source for source in made}
            self.counts["sources"] += len(made)
            new.clear()

        for entry in entries:
            wanted = _build(Source, entry, refer)
            current = self.sources.get(wanted.slug)
            if current is None:
                new.append(wanted)
                continue
            changes = _changes(current, wanted, source_services.SOURCE_FIELDS)
            if changes:
                self.sources[wanted.slug] = source_services.source_update(
                    source=current, actor=self.editor, version=current.version, changes=changes,
                    reason=self._note("sources", wanted.slug))
                self.corrected["sources"] += 1
        if new:
            create()

    def _load_documents(self, entries: list[dict[str, Any]]) -> None:
        self.documents = {document.slug: document for document in
                          Document.objects.filter(slug__in=[entry.get("slug") for entry in entries])}
        new: list[Document] = []
        for entry in entries:
            wanted = _build(Document, entry, lambda field, key: self._named(self.sources, field, key))
            current = self.documents.get(wanted.slug)
            if current is None:
                new.append(wanted)
                continue
            changes = _changes(current, wanted, source_services.DOCUMENT_FIELDS)
            if changes:
                self.documents[wanted.slug] = source_services.document_update(
                    document=current, actor=self.editor, version=current.version, changes=changes,
                    reason=self._note("documents", wanted.slug))
                self.corrected["documents"] += 1
        if new:
            made = source_services.documents_create(actor=self.fact_checker, reason=IMPORT_REASON, documents=[
                _fields(document, [*source_services.DOCUMENT_FIELDS, "slug"]) for document in new])
            self.documents |= {document.slug: document for document in made}
            self.counts["documents"] += len(made)

    def _article(self) -> Snapshot:
        """The snapshot of the article's current text (captured once; the same bytes dedupe)."""
        if self.article_snapshot is None:
            document = self.documents.get(ARTICLE_DOCUMENT)
            if document is None:
                raise CommandError(f"The seed fixture must define the document {ARTICLE_DOCUMENT!r} before its claims.")
            self.article_snapshot, created = source_services.snapshot_capture(
                document=document, actor=self.fact_checker, content=self.article_bytes,
                content_type="text/plain; charset=utf-8", origin="fixtures/drone-war-article.txt",
            )
            self.counts["snapshots"] += int(created)
        return self.article_snapshot

    # Claims

    def _anchors(self, claims: list[Claim]) -> list[Annotation]:
        """The annotations that anchor these claims' quotes in the article's snapshot, in order."""
        if not claims:
            return []
        snapshot = self._article()
        passages = []
        for claim in claims:
            start = snapshot.text.find(claim.quote)
            if not claim.quote or start < 0:
                raise CommandError(f"The quote of claim {claim.slug!r} is not in the article verbatim: {claim.quote!r}")
            passages.append(source_services.Passage(start, start + len(claim.quote), Annotation.Motivation.ASSESSING,
                                                    f"Quoted by claim {claim.slug}."))
        return source_services.annotations_create(snapshot=snapshot, actor=self.fact_checker, passages=passages,
                                                  reason=IMPORT_REASON)

    def _load_claims(self, entries: list[dict[str, Any]]) -> None:
        existing = {claim.slug: claim for claim in Claim.objects.select_related("annotation").filter(
            slug__in=[entry.get("slug") for entry in entries])}

        def refer(field: models.ForeignKey, key: Any) -> Any:
            return self._named(self.documents if field.name == "document" else self.sources, field, key)

        wanted = [_build(Claim, entry, refer) for entry in entries]
        # In the data set's order: new claims, and those whose content it changes (with a new
        # anchor when their quote changed).
        steps: list[tuple[Claim, Claim | None, dict[str, Any]]] = []
        to_anchor: list[Claim] = []
        for claim in wanted:
            current = existing.get(claim.slug)
            if current is None:
                steps.append((claim, None, {}))
                to_anchor.append(claim)
                continue
            changes = _changes(current, claim, CLAIM_FIELDS)
            if changes:
                steps.append((claim, current, changes))
                if current.annotation is None or current.annotation.exact != claim.quote:
                    to_anchor.append(claim)
        anchors = dict(zip([claim.slug for claim in to_anchor], self._anchors(to_anchor), strict=True))

        drafts = [{"slug": claim.slug, "annotation": anchors[claim.slug], **_fields(claim, CLAIM_FIELDS)}
                  for claim, current, _ in steps if current is None]
        created = iter(claim_services.claims_create(actor=self.fact_checker, reason=IMPORT_REASON, drafts=drafts)
                       if drafts else [])
        to_submit: list[Claim] = []
        to_publish: list[tuple[Claim, str]] = []
        for claim, current, changes in steps:
            if current is None:
                loaded = next(created)
                to_submit.append(loaded)
                to_publish.append((loaded, ""))
                self.counts["claims"] += 1
                continue
            if claim.slug in anchors:
                changes["annotation"] = anchors[claim.slug]
            note = self._note("claims", claim.slug)
            loaded = claim_services.claim_update(claim=current, actor=self.fact_checker, version=current.version,
                                                 changes=changes, reason=note)
            if loaded.status in {ClaimStatus.DRAFT, ClaimStatus.CHANGES_REQUESTED}:
                to_submit.append(loaded)
            to_publish.append((loaded, note if loaded.first_published_at else ""))
            self.corrected["claims"] += 1
        if to_submit:
            submitted = claim_services.claims_submit(claims=[(claim, claim.version) for claim in to_submit],
                                                     actor=self.fact_checker)
            versions = {claim.pk: claim.version for claim in submitted}
        else:
            versions = {}
        if to_publish:
            # Together: their rationales cite one another.
            claim_services.claims_publish(actor=self.editor, comment=REVIEW_COMMENT, publications=[
                claim_services.Publication(claim, versions.get(claim.pk, claim.version), note)
                for claim, note in to_publish])

    # Links

    def _load_links(self, entries: list[dict[str, Any]]) -> None:
        slugs = {key[0] for entry in entries for key in (entry.get("from_claim"), entry.get("to_claim"))
                 if isinstance(key, list) and key}
        claims = {claim.slug: claim for claim in Claim.objects.filter(slug__in=slugs)}
        existing = {(link.from_claim_id, link.to_claim_id, link.link_type): link for link in
                    ClaimLink.objects.filter(from_claim__slug__in=slugs)}
        new: list[ClaimLink] = []
        for entry in entries:
            wanted = _build(ClaimLink, entry, lambda field, key: self._named(claims, field, key))
            current = existing.get((wanted.from_claim_id, wanted.to_claim_id, wanted.link_type))
            if current is None:
                new.append(wanted)
                continue
            if current.rationale == wanted.rationale and current.status == LinkStatus.ACCEPTED:
                continue
            self._propose_and_accept(new)  # those before it first: the records keep the data set's order
            self._correct_link(current, wanted)
        self._propose_and_accept(new)

    def _propose_and_accept(self, new: list[ClaimLink]) -> None:
        if not new:
            return
        links = claim_services.links_propose(actor=self.fact_checker, proposals=[
            claim_services.Proposal(link.from_claim, link.to_claim, link.link_type, link.rationale) for link in new])
        claim_services.links_accept(actor=self.editor, comment=REVIEW_COMMENT, reviews=[
            claim_services.Review(link, link.version) for link in links])
        self.counts["links"] += len(links)
        new.clear()

    def _correct_link(self, current: ClaimLink, wanted: ClaimLink) -> None:
        key = [wanted.from_claim.slug, wanted.to_claim.slug, wanted.link_type]
        note = next((entry[3] for entry in self.notes.get("links_changed", []) if entry[:3] == key), CORRECTION_REASON)
        if current.rationale != wanted.rationale:
            current = claim_services.link_update(link=current, actor=self.fact_checker, version=current.version,
                                                 changes={"rationale": wanted.rationale}, reason=note)
        if current.status == LinkStatus.PROPOSED:
            claim_services.link_accept(link=current, actor=self.editor, version=current.version,
                                       comment=REVIEW_COMMENT, note=note)
        self.corrected["links"] += 1

    def _withdraw_links(self) -> int:
        entries = self.notes.get("links_withdrawn", [])
        if not entries:
            return 0
        accepted = {(link.from_claim.slug, link.to_claim.slug, link.link_type): link for link in
                    ClaimLink.objects.filter(status=LinkStatus.ACCEPTED,
                                             from_claim__slug__in={entry[0] for entry in entries})
                    .select_related("from_claim", "to_claim").order_by("pk")}
        withdrawn = 0
        for from_slug, to_slug, link_type, note in entries:
            link = accepted.pop((from_slug, to_slug, link_type), None)
            if link is not None:
                claim_services.link_withdraw(link=link, actor=self.editor, version=link.version, reason=note)
                withdrawn += 1
        return withdrawn

    def _retract_claims(self) -> None:
        retracted = self.notes.get("retracted", {})
        if not retracted:
            return
        public = {claim.slug: claim for claim in Claim.objects.filter(
            slug__in=list(retracted), published_version__isnull=False).exclude(status=ClaimStatus.RETRACTED)}
        for slug, note in retracted.items():
            claim = public.get(slug)
            if claim is not None:
                claim_services.claim_retract(claim=claim, actor=self.editor, version=claim.version, reason=note)
