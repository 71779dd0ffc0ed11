"""Load the seed data set: the drone-war article as sources, documents, graded claims and links.

Idempotent: objects already present (by natural key) are left as they are. Everything new
goes through the services, so each object gets its initial history record, and claims and
links arrive reviewed and published by a seed editor who is not the seed fact-checker.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims import services as claim_services
from claims.models import Claim, ClaimLink
from factcheck.roles import EDITORS, FACT_CHECKERS
from sources import services as source_services
from sources.models import Annotation, Document, Snapshot, Source

SEED_FACT_CHECKER = "seed-fact-checker"
SEED_EDITOR = "seed-editor"
ARTICLE_DOCUMENT = "drone-war-article"
IMPORT_REASON = "Imported from the seed data set"


def _seed_user(username: str, group: str) -> Any:
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()  # a signature on the record, never an account to sign in with
        user.save()
    user.groups.add(Group.objects.get(name=group))
    return user


class Command(BaseCommand):
    help = "Load the drone-war seed data set (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        fixtures = Path(settings.BASE_DIR) / "fixtures"
        parser.add_argument("--fixture", default=str(fixtures / "seed.json"))
        parser.add_argument("--article", default=str(fixtures / "drone-war-article.txt"))

    @transaction.atomic
    def handle(self, *args: Any, fixture: str, article: str, **options: Any) -> None:
        fixture_path, article_path = Path(fixture), Path(article)
        for path in (fixture_path, article_path):
            if not path.is_file():
                raise CommandError(f"Seed file not found: {path}")
        self.fact_checker = _seed_user(SEED_FACT_CHECKER, FACT_CHECKERS)
        self.editor = _seed_user(SEED_EDITOR, EDITORS)
        self.created = {"sources": 0, "documents": 0, "snapshots": 0, "claims": 0, "links": 0}
        self.article_bytes = article_path.read_bytes()
        self.article_snapshot: Snapshot | None = None

        with fixture_path.open(encoding="utf-8") as stream:
            for item in serializers.deserialize("json", stream):
                obj = item.object
                if obj.pk is not None:
                    continue  # already loaded: its natural key resolved to an existing row
                self._load(obj)
        if Document.objects.filter(slug=ARTICLE_DOCUMENT).exists():
            self._article()  # a changed article text is archived as a new snapshot

        self.stdout.write(
            "Seed data: " + ", ".join(f"{count} {name} created" for name, count in self.created.items())
            + f"; {Claim.objects.public().count()} public claims, "
            f"{ClaimLink.objects.public().count()} public links."
        )

    def _load(self, obj: Any) -> None:
        if isinstance(obj, Source):
            source_services.source_create(actor=self.fact_checker, reason=IMPORT_REASON,
                                          **_fields(obj, [*source_services.SOURCE_FIELDS, "slug"]))
            self.created["sources"] += 1
        elif isinstance(obj, Document):
            source_services.document_create(actor=self.fact_checker, reason=IMPORT_REASON,
                                            **_fields(obj, [*source_services.DOCUMENT_FIELDS, "slug"]))
            self.created["documents"] += 1
        elif isinstance(obj, Claim):
            self._load_claim(obj)
        elif isinstance(obj, ClaimLink):
            link = claim_services.link_propose(
                actor=self.fact_checker, from_claim=obj.from_claim, to_claim=obj.to_claim,
                link_type=obj.link_type, rationale=obj.rationale,
            )
            claim_services.link_accept(link=link, actor=self.editor, version=link.version,
                                       comment="Reviewed for the seed data set")
            self.created["links"] += 1
        else:
            raise CommandError(f"The seed fixture may not hold {obj._meta.label} objects.")

    def _capture_article(self, document: Document) -> None:
        self.article_snapshot, created = source_services.snapshot_capture(
            document=document, actor=self.fact_checker, content=self.article_bytes,
            content_type="text/plain; charset=utf-8", origin="fixtures/drone-war-article.txt",
        )
        self.created["snapshots"] += int(created)

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
        content = _fields(obj, [name for name in claim_services.CLAIM_CONTENT_FIELDS if name != "annotation"])
        claim = claim_services.claim_create(
            actor=self.fact_checker, slug=obj.slug, reason=IMPORT_REASON,
            annotation=self._anchor(obj.quote, obj.slug), **content,
        )
        claim = claim_services.claim_submit(claim=claim, actor=self.fact_checker, version=claim.version)
        claim_services.claim_publish(claim=claim, actor=self.editor, version=claim.version,
                                     comment="Reviewed for the seed data set")
        self.created["claims"] += 1


def _fields(obj: Any, names: list[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}
