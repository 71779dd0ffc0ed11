"""Benchmark data at scale, in the shapes the services write, without going through them.

The services take a lock, validate and save one row at a time: right for the desk, far too
slow for 100,000 claims. This module plays the same editorial history in memory and writes
it in bulk (bench.rows: bulk_create's loop without its per-value cost, in a writer process), in
one transaction:

- sources (N/50), documents (N/10), one archived snapshot of each document with its text;
- N claims, each quoting a sentence of its document's snapshot, anchored by an annotation,
  created, submitted and published (three revisions and three review events each); about 1%
  later corrected (an edit and a second publish) and 0.5% retracted;
- about 2 accepted links per claim, to earlier claims (two revisions and two review events
  each), accepted before the later claim is published;
- the public record as claims.publication builds it: for each publish the claim's record,
  then an evidence record for each earlier claim it links to (as claim_publish appends them),
  and the records of corrections and retractions; payloads from the same builders
  (publication_data, link_data, retraction_data, evidence_record_data, projected_columns,
  entities), leaves and the frontier from publicrecord.merkle, one signed tree head per append
  (signing.tree_head_bytes), and the projection (PublicClaim, publicrecord.Projection) as the
  last record naming each object left it;
- every history row the services would leave (django-simple-history), including the
  "made public" revisions of what the first publish citing it made public.

Claims are published in id order, one every `span / N`; everything about claim i happens
around its publish time, so the log's records are in time order. A claim can change only
within `WINDOW` claims of its publish (links reach back at most that far, corrections and
retractions come at most that much later), so its final rows are written once it falls
out of the window and memory stays bounded.
"""

import base64
import datetime
import hashlib
import json
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group, User
from django.db import connection, models
from django.utils.text import slugify

from bench import synthetic
from bench.rows import RowWriter
from claims import publication
from claims.choices import ClaimStatus, LinkStatus, ReviewAction
from claims.models import Claim, ClaimLink, PublicClaim, ReviewEvent
from factcheck.dates import DatePrecision
from factcheck.roles import EDITORS, FACT_CHECKERS
from publicrecord import merkle
from publicrecord.models import LogState, Projection, Record, RecordKind, TreeHead
from publicrecord.signing import public_key_bytes, signing_key, tree_head_bytes
from sources.models import Annotation, Document, Snapshot, Source

START = datetime.datetime(2023, 1, 2, 8, 0, tzinfo=datetime.UTC)
SPAN = datetime.timedelta(days=730)
WINDOW = 400  # how far back a link reaches, and how much later a correction or retraction comes
CORRECTED, RETRACTED = 0.01, 0.005

FACT_CHECKER_NAMES = [("bench-fc-1", "Ada", "Lindgren"), ("bench-fc-2", "Bo", "Marsh"), ("bench-fc-3", "Cem", "Arslan")]
EDITOR_NAMES = [("bench-editor-1", "Dana", "Whitfield"), ("bench-editor-2", "Emil", "Sorensen"),
                ("bench-editor-3", "Farah", "Qureshi")]
TRACKED = [Source, Document, Snapshot, Annotation, Claim, ClaimLink, ReviewEvent]


class NotEmpty(Exception):
    """The database already holds what the generator would write."""


@dataclass
class Counts:
    sources: int = 0
    documents: int = 0
    snapshots: int = 0
    annotations: int = 0
    claims: int = 0
    links: int = 0
    review_events: int = 0
    history_rows: int = 0
    records: int = 0
    tree_heads: int = 0
    projection_rows: int = 0
    public_claims: int = 0
    corrected: int = 0
    retracted: int = 0


def refuse_unless_empty() -> None:
    held = {model._meta.verbose_name_plural: model.objects.count() for model in
            (Claim, Source, Document, Record)}
    held = {name: count for name, count in held.items() if count}
    if held:
        raise NotEmpty("This database already holds " + ", ".join(f"{count} {name}" for name, count in held.items())
                       + ": bench_data fills an empty, migrated database only. Point DATABASE_URL at a new one "
                       "(e.g. DATABASE_URL=sqlite:///var/bench/mine.sqlite3) and run migrate first.")


def _history_fields(model: type[models.Model]) -> list[str]:
    tracked = {f.attname for f in model.history.model._meta.concrete_fields}
    return [f.attname for f in model._meta.concrete_fields if f.attname in tracked]


@dataclass
class PendingClaim:
    """A claim still inside the window: it may yet be linked, corrected or retracted."""

    claim: Claim
    links: list[ClaimLink] = field(default_factory=list)  # accepted links touching it, by id
    latest: tuple[int, dict[str, Any]] | None = None  # its latest record (index, payload)
    page: tuple[int, datetime.datetime] | None = None  # the latest record that changes its page


class Generator:
    def __init__(self, *, claims: int, seed: int = 1, progress: Callable[[int, int], None] | None = None) -> None:
        self.n = claims
        self.rng = random.Random(seed)  # noqa: S311 (made-up data, reproducible by its seed)
        self.progress = progress or (lambda done, total: None)
        self.counts = Counts()
        self.step = SPAN / max(claims, 1)
        self.rows: RowWriter
        # model.history builds a manager on each access: look the historical models up once.
        self.history_models = {model: model.history.model for model in TRACKED}
        self.history_fields = {model: _history_fields(model) for model in TRACKED}
        # The public record as it grows.
        self.size = 0
        self.frontier: list[bytes] = []
        self.key = signing_key()
        self.public_key = base64.b64encode(public_key_bytes(self.key)).decode()
        self.shown: dict[tuple[str, str], tuple[int, Any]] = {}  # the projection, as services.append keeps it
        self.pending: dict[int, PendingClaim] = {}
        self.summaries: dict[int, dict[str, Any]] = {}  # claim id -> its latest record, for link_data
        self.link_id = 0
        self.statements: dict[int, synthetic.Statement] = {}  # what the claims of the current document say

    # Writing

    def add(self, obj: models.Model) -> None:
        self.rows.add_objects([obj])

    def history(self, obj: models.Model, *, at: datetime.datetime, change: str, reason: str, user: User) -> None:
        model = type(obj)
        values = {name: getattr(obj, name) for name in self.history_fields[model]}
        self.history_row(model, values, at=at, change=change, reason=reason, user=user)

    def history_row(self, model: type[models.Model], values: dict[str, Any], *, at: datetime.datetime, change: str,
                    reason: str, user: User) -> None:
        self.rows.add(self.history_models[model], {
            **values, "history_date": at, "history_type": change, "history_change_reason": reason,
            "history_user_id": user.pk, "history_username": user.username})
        self.counts.history_rows += 1

    def review_event(self, *, at: datetime.datetime, actor: User, action: str, from_status: str, to_status: str,
                     version: int, claim: Claim | None = None, link: ClaimLink | None = None,
                     comment: str = "") -> None:
        event = {"id": self.counts.review_events + 1, "claim_id": claim.pk if claim else None,
                 "link_id": link.pk if link else None, "action": action, "from_status": from_status,
                 "to_status": to_status, "version": version, "actor_id": actor.pk, "actor_username": actor.username,
                 "comment": comment, "created_at": at}
        self.rows.add(ReviewEvent, event)
        self.history_row(ReviewEvent, event, at=at, change="+", reason=ReviewAction(action).label, user=actor)
        self.counts.review_events += 1

    # The public record, as publicrecord.services.append writes it

    def append(self, *, claim_id: int, kind: str, payload: dict[str, Any], at: datetime.datetime,
               previous: dict[str, Any] | None) -> int:
        # canonical_bytes's encoding, without its walk over every value to refuse floats and the
        # like: measured at 0.3 ms a record. verify_record checks every record is canonical.
        body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False).encode("utf-8")
        leaf = merkle.leaf_hash(body)
        index = self.size
        self.rows.add(Record, {"index": index, "subject": publication.subject_of(claim_id), "kind": kind,
                               "body": body.decode("utf-8"), "leaf_hash": leaf.hex(), "recorded_at": at})
        self.frontier = merkle.append_to_frontier(self.frontier, self.size, leaf)
        self.size += 1
        root = merkle.frontier_root(self.frontier)
        timestamp = int(at.timestamp() * 1000)
        signature = self.key.sign(tree_head_bytes(tree_size=self.size, timestamp=timestamp, root_hash=root))
        self.rows.add(TreeHead, {"tree_size": self.size, "root_hash": root.hex(), "timestamp": timestamp,
                                 "signature": base64.b64encode(signature).decode(), "public_key": self.public_key})
        for entity_kind, key, data in publication.entities(payload, previous):
            if data is None:
                self.shown.pop((entity_kind, key), None)
            else:
                self.shown[(entity_kind, key)] = (index, data)
        pending = self.pending[claim_id]
        # publication._project's rule for pages (the synthetic texts cite no claim): this claim's
        # page and those of the public claims it links to change with this record.
        pending.page = (index, at)
        for other in publication.linked_claims(payload, previous):
            if other != claim_id and other in self.pending and self.pending[other].latest is not None:
                self.pending[other].page = (index, at)
        pending.latest = (index, payload)
        self.summaries[claim_id] = {"claim": payload["claim"], "claimant": payload["claimant"]}
        return index

    def links_now(self, claim_id: int, *, public_up_to: int) -> list[dict[str, Any]]:
        """links_data(claim_id) at this point: its accepted links to public claims, by link id."""
        data = []
        for link in self.pending[claim_id].links:
            other = link.to_claim_id if link.from_claim_id == claim_id else link.from_claim_id
            if other <= public_up_to:  # claims are published in id order
                data.append(publication.link_data(link, claim_id=claim_id, other=self.summaries[other]))
        return data

    # The data set

    def run(self) -> Counts:
        self.users()
        LogState.objects.get_or_create(id=1)
        self.rows = RowWriter()  # from here on, every write goes through it, in its one transaction
        try:
            self.plan()
            self.sources_and_documents()
            for i in range(1, self.n + 1):
                self.publish_slot(i)
                if i % 200 == 0 or i == self.n:
                    self.progress(i, self.n)
            for claim_id in sorted(self.pending):
                self.finish(claim_id)
            self.projection()
            self.rows.execute("UPDATE publicrecord_logstate SET tree_size = %s, frontier = %s WHERE id = 1",
                              [self.size, ",".join(item.hex() for item in self.frontier)])
        except BaseException:
            self.rows.abort()
            raise
        self.rows.close()
        self.reset_sequences()
        self.search_index()
        self.counts.records = self.counts.tree_heads = self.size
        return self.counts

    def users(self) -> None:
        def make(rows: list[tuple[str, str, str]], group: str) -> list[User]:
            made = []
            for username, first, last in rows:
                user, created = User.objects.get_or_create(username=username,
                                                           defaults={"first_name": first, "last_name": last})
                if created:
                    user.set_unusable_password()  # a signature on the record, never an account to sign in with
                    user.save()
                user.groups.add(Group.objects.get(name=group))
                made.append(user)
            return made

        self.fact_checkers = make(FACT_CHECKER_NAMES, FACT_CHECKERS)
        self.editors = make(EDITOR_NAMES, EDITORS)
        self.editor_names = {user.pk: publication.public_name(user) for user in self.editors}

    def publish_time(self, claim_id: int) -> datetime.datetime:
        return START + self.step * claim_id

    def editor_of(self, claim_id: int) -> User:
        """Who publishes claim `claim_id` (never its fact-checker: they are other people)."""
        return self.editors[claim_id % len(self.editors)]

    def plan(self) -> None:
        """Who says what where, decided first: a source or document is public from the first
        publish that cites it, and its rows say so from the start."""
        rng, n = self.rng, self.n
        self.source_count, self.document_count = max(3, n // 50), max(1, n // 10)
        # A few sources are cited far more than the rest, as in life.
        weights = [1 / (rank + 1) ** 0.9 for rank in range(self.source_count)]
        cumulative, total = [], 0.0
        for weight in weights:
            total += weight
            cumulative.append(total)
        popular = [s + 1 for s in range(self.source_count)]
        self.publisher = {d: rng.choices(popular, cum_weights=cumulative)[0] for d in range(1, self.document_count + 1)}
        self.document_of: dict[int, int] = {}
        self.claimant_of: dict[int, int] = {}
        self.primary_of: dict[int, int | None] = {}
        self.first_claim: dict[int, int] = {}
        first_citing: dict[tuple[str, int], int] = {}  # ("source" | "document", id) -> the first claim citing it
        for i in range(1, n + 1):
            document = (i - 1) * self.document_count // n + 1  # a document's claims are published together
            self.document_of[i] = document
            self.first_claim.setdefault(document, i)
            publisher = self.publisher[document]
            claimant = publisher if rng.random() < 0.5 else rng.choices(popular, cum_weights=cumulative)[0]
            primary = rng.choices(popular, cum_weights=cumulative)[0] if rng.random() < 0.2 else None
            self.claimant_of[i] = claimant
            self.primary_of[i] = primary if primary != claimant else None
            for key in [("source", claimant), ("source", publisher), ("document", document)] + (
                    [("source", self.primary_of[i])] if self.primary_of[i] else []):
                first_citing.setdefault(key, i)
        self.first_citing = first_citing
        fix = max(1, round(n * CORRECTED)) if n >= 20 else 0
        withdraw = max(1, round(n * RETRACTED)) if n >= 20 else 0
        chosen = rng.sample(range(1, n), fix + withdraw) if n > fix + withdraw else []
        self.later: dict[int, list[tuple[str, int]]] = {}  # slot -> (what, claim id) to do after its publish
        for position, claim_id in enumerate(chosen):
            slot = min(n, claim_id + rng.randint(1, WINDOW // 2))
            self.later.setdefault(slot, []).append(("correct" if position < fix else "retract", claim_id))

    def sources_and_documents(self) -> None:
        rng = self.rng
        fact_checker = self.fact_checkers[0]
        self.sources: dict[int, Source] = {}
        names: set[str] = set()
        for s in range(1, self.source_count + 1):
            kind = synthetic.weighted(rng, synthetic.KIND_WEIGHTS)
            name = synthetic.source_name(rng, kind)
            while name in names:
                name = f"{name} {rng.choice(synthetic.CITIES)}"
            names.add(name)
            grade = synthetic.weighted(rng, synthetic.RELIABILITY_WEIGHTS)
            created = START - datetime.timedelta(days=30) + datetime.timedelta(minutes=s)
            slug = f"{slugify(name)[:100]}-{s}"
            source = Source(id=s, name=name, slug=slug, kind=kind, homepage=f"https://{slug}.example.org/",
                            description=f"{name}, a {kind.replace('_', ' ')}.", reliability=grade,
                            reliability_rationale=synthetic.reliability_rationale(rng, grade),
                            created_by=fact_checker, created_at=created, updated_at=created)
            self.history(source, at=created, change="+", reason="Source created", user=fact_checker)
            self._made_public(source, ("source", s))
            self.sources[s] = source
            self.add(source)
        self.counts.sources = self.source_count

        self.documents: dict[int, Document] = {}
        self.snapshots: dict[int, Snapshot] = {}
        for d in range(1, self.document_count + 1):
            first = self.publish_time(self.first_claim.get(d, 1))
            published = (first - datetime.timedelta(days=rng.randint(3, 20))).date()
            precision = DatePrecision.DAY if rng.random() < 0.9 else DatePrecision.MONTH
            if precision == DatePrecision.MONTH:
                published = published.replace(day=1)
            title = synthetic.document_title(rng)
            slug = f"{slugify(title)[:120]}-{d}"
            publisher = self.sources[self.publisher[d]]
            created = first - datetime.timedelta(days=3)
            document = Document(id=d, slug=slug, title=title, publisher=publisher,
                                authors=synthetic.person(rng) if publisher.kind == "news_outlet" else "",
                                url=f"https://{publisher.slug}.example.org/{published:%Y/%m}/{slug}",
                                language="en", published_on=published, published_precision=precision,
                                created_by=fact_checker, created_at=created, updated_at=created)
            self.history(document, at=created, change="+", reason="Document created", user=fact_checker)
            self._made_public(document, ("document", d))
            self.documents[d] = document
            self.add(document)
        self.counts.documents = self.counts.snapshots = self.document_count

    def _made_public(self, obj: Source | Document, key: tuple[str, int]) -> None:
        """public_since set by the first publish citing it, with the revision mark_public saves."""
        claim_id = self.first_citing.get(key)
        if claim_id is None:
            return
        when = self.publish_time(claim_id)
        obj.public_since, obj.updated_at = when, when
        self.history(obj, at=when, change="~", reason="Made public: cited by a published claim",
                     user=self.editor_of(claim_id))

    def snapshot_of(self, document_id: int) -> tuple[Snapshot, dict[int, tuple[int, int]]]:
        """The document's archived copy: its claims' quotes among other sentences, and where each is."""
        cached = self.snapshots.get(document_id)
        if cached is not None:
            return cached
        rng = self.rng
        document = self.documents[document_id]
        first = self.first_claim[document_id]
        claim_ids = range(first, first + sum(1 for _ in self._claims_of(document_id)))
        parts, where, position = [document.title + "\n\n"], {}, len(document.title) + 2
        for claim_id in claim_ids:
            lead = synthetic.filler(rng) + " " + ("In its report, " if rng.random() < 0.5 else "Separately, ")
            parts.append(lead)
            position += len(lead)
            quote = self.statements[claim_id].quote
            where[claim_id] = (position, position + len(quote))
            parts.append(quote + ". ")
            position += len(quote) + 2
        parts.append(synthetic.filler(rng) + "\n")
        text = "".join(parts)
        content = text.encode("utf-8")
        fact_checker = self.fact_checkers[document_id % len(self.fact_checkers)]
        snapshot = Snapshot(id=document_id, document=document, origin=document.url,
                            captured_at=document.created_at + datetime.timedelta(hours=2),
                            content_type="text/plain; charset=utf-8", content=content, text=text,
                            sha256=hashlib.sha256(content).hexdigest(), captured_by=fact_checker)
        self.history(snapshot, at=snapshot.captured_at, change="+", reason=f"Captured from {document.url}",
                     user=fact_checker)
        self.add(snapshot)
        self.snapshots[document_id] = (snapshot, where)
        return snapshot, where

    def _claims_of(self, document_id: int) -> Iterator[int]:
        i = self.first_claim[document_id]
        while i <= self.n and self.document_of[i] == document_id:
            yield i
            i += 1

    def statement(self, claim_id: int) -> synthetic.Statement:
        if claim_id not in self.statements:
            claimant = self.sources[self.claimant_of[claim_id]].name
            year = self.documents[self.document_of[claim_id]].published_on.year
            self.statements[claim_id] = synthetic.statement(self.rng, claimant=claimant, year=year)
        return self.statements[claim_id]

    def publish_slot(self, i: int) -> None:
        """Claim i: written, anchored, linked to earlier claims, submitted and published; then the
        records claim_publish appends; then the corrections and retractions due now."""
        rng = self.rng
        document_id = self.document_of[i]
        for claim_id in self._claims_of(document_id) if i == self.first_claim[document_id] else ():
            self.statement(claim_id)  # the document's sentences, before its snapshot is archived
        snapshot, where = self.snapshot_of(document_id)
        said = self.statements.pop(i)
        at = self.publish_time(i)
        fact_checker = self.fact_checkers[i % len(self.fact_checkers)]
        editor = self.editor_of(i)
        created, submitted = at - datetime.timedelta(hours=40), at - datetime.timedelta(hours=20)

        start, end = where[i]
        text = snapshot.text
        annotation = Annotation(id=i, uuid=uuid.UUID(int=rng.getrandbits(128), version=4), snapshot=snapshot,
                                exact=said.quote, prefix=text[max(0, start - 32):start], suffix=text[end:end + 32],
                                start=start, end=end, motivation=Annotation.Motivation.ASSESSING,
                                author=fact_checker, created_at=created, updated_at=created)
        slug = f"{slugify(said.text)[:100].strip('-')}-{i}"
        self.history(annotation, at=created, change="+", reason="Annotation created", user=fact_checker)
        annotation.public_since = annotation.updated_at = at
        self.history(annotation, at=at, change="~", reason="Made public: cited by a published claim", user=editor)
        self.add(annotation)
        self.counts.annotations += 1

        # Earlier claims it bears on: first in the same document, else among recent ones.
        same_document = list(range(self.first_claim[document_id], i))
        others: list[int] = []
        for _ in range(2):
            pool = same_document if same_document and rng.random() < 0.6 else range(max(1, i - WINDOW), i)
            if len(pool):
                other = rng.choice(pool)
                if other not in others:
                    others.append(other)
        rationale = said.rationale
        if others and rng.random() < 0.1:
            rationale += f" See also [[claim:{self.pending[others[0]].claim.slug}]]."

        asserted, precision = self.documents[document_id].published_on, DatePrecision.DAY
        roll = rng.random()
        if roll < 0.1:
            asserted, precision = None, DatePrecision.UNKNOWN
        elif roll < 0.2:
            asserted, precision = asserted.replace(day=1), DatePrecision.MONTH
        claim = Claim(id=i, slug=slug, text=said.text, quote=said.quote, quote_language="en",
                      claimant=self.sources[self.claimant_of[i]], document=self.documents[document_id],
                      primary_source=self.sources[self.primary_of[i]] if self.primary_of[i] else None,
                      annotation=annotation, asserted_on=asserted, asserted_precision=precision,
                      credibility=said.credibility, credibility_rationale=rationale, status=ClaimStatus.DRAFT,
                      version=1, created_by=fact_checker, last_changed_by=fact_checker,
                      created_at=created, updated_at=created)
        self.history(claim, at=created, change="+", reason="Claim drafted", user=fact_checker)
        self.review_event(at=created, actor=fact_checker, action=ReviewAction.CREATE, from_status="",
                          to_status=ClaimStatus.DRAFT, version=1, claim=claim)
        claim.status, claim.version, claim.submitted_by, claim.updated_at = ClaimStatus.IN_REVIEW, 2, fact_checker, \
            submitted
        self.history(claim, at=submitted, change="~", reason="Submitted for review", user=fact_checker)
        self.review_event(at=submitted, actor=fact_checker, action=ReviewAction.SUBMIT, from_status=ClaimStatus.DRAFT,
                          to_status=ClaimStatus.IN_REVIEW, version=2, claim=claim)
        pending = self.pending[i] = PendingClaim(claim=claim)

        # Its links, proposed and accepted before it is published (no record then: it is not public).
        for other in others:
            self.link_id += 1
            proposed, accepted = at - datetime.timedelta(hours=16), at - datetime.timedelta(hours=12)
            from_claim, to_claim = (i, other) if rng.random() < 0.7 else (other, i)
            link = ClaimLink(id=self.link_id, from_claim_id=from_claim, to_claim_id=to_claim,
                             link_type=synthetic.weighted(rng, synthetic.LINK_TYPE_WEIGHTS),
                             rationale=rng.choice([
                                 "Both rest on the same customs filings.",
                                 "The later report gives a lower figure for the same shipments.",
                                 "The company's denial addresses only part of this.",
                                 "The same assertion, reported by another outlet.",
                             ]), status=LinkStatus.PROPOSED, version=1, proposed_by=fact_checker,
                             created_at=proposed, updated_at=proposed)
            self.history(link, at=proposed, change="+", reason="Link proposed", user=fact_checker)
            self.review_event(at=proposed, actor=fact_checker, action=ReviewAction.PROPOSE, from_status="",
                              to_status=LinkStatus.PROPOSED, version=1, link=link, comment=link.rationale)
            link.status, link.version, link.reviewed_by, link.reviewed_at, link.updated_at = \
                LinkStatus.ACCEPTED, 2, editor, accepted, accepted
            self.history(link, at=accepted, change="~", reason="Link accepted", user=editor)
            self.review_event(at=accepted, actor=editor, action=ReviewAction.ACCEPT,
                              from_status=LinkStatus.PROPOSED, to_status=LinkStatus.ACCEPTED, version=2, link=link)
            self.add(link)
            pending.links.append(link)
            self.pending[other].links.append(link)
            self.counts.links += 1

        # Published: claim_publish's revision, its record, the evidence records of the claims
        # it links to, and its review event.
        note = "Checked against the archived document." if rng.random() < 0.3 else ""
        claim.status, claim.version, claim.published_version = ClaimStatus.PUBLISHED, 3, 3
        claim.published_at = claim.first_published_at = claim.updated_at = at
        self.history(claim, at=at, change="~", reason="Published", user=editor)
        editor_name = self.editor_names[editor.pk]
        payload = publication.publication_data(claim=claim, links=self.links_now(i, public_up_to=i),
                                               previous_index=None, previous=None, editor=editor_name, at=at,
                                               note=note, exception="")
        self.append(claim_id=i, kind=payload["event"], payload=payload, at=at, previous=None)
        for other in sorted(others):
            previous_index, previous = self.pending[other].latest
            links = self.links_now(other, public_up_to=i)
            if links != previous["links"]:
                self.append(claim_id=other, kind=RecordKind.EVIDENCE, at=at, previous=previous,
                            payload=publication.evidence_record_data(previous_index=previous_index, previous=previous,
                                                                     links=links, editor=editor_name, at=at, note=""))
        self.review_event(at=at, actor=editor, action=ReviewAction.PUBLISH, from_status=ClaimStatus.IN_REVIEW,
                          to_status=ClaimStatus.PUBLISHED, version=3, claim=claim, comment=note)
        self.counts.claims += 1

        for what, claim_id in self.later.pop(i, []):
            (self.correct if what == "correct" else self.retract)(claim_id, at=at + datetime.timedelta(minutes=1),
                                                                  public_up_to=i)
        if i - 2 * WINDOW in self.pending:
            self.finish(i - 2 * WINDOW)  # nothing can change it any more

    def correct(self, claim_id: int, *, at: datetime.datetime, public_up_to: int) -> None:
        """A fact-checker changes the grade of a published claim; another editor publishes the correction."""
        pending = self.pending[claim_id]
        claim = pending.claim
        fact_checker = self.fact_checkers[(claim_id + 1) % len(self.fact_checkers)]
        editor = self.editors[(claim_id + 1) % len(self.editors)]
        edited = at - datetime.timedelta(seconds=30)
        old = claim.credibility
        claim.credibility = 4 if old != 4 else 3
        claim.credibility_rationale += " A later filing contradicts part of the figure."
        reason = "The grade did not reflect the later filing."
        claim.status, claim.version, claim.last_changed_by, claim.updated_at = ClaimStatus.IN_REVIEW, 4, fact_checker, \
            edited
        self.history(claim, at=edited, change="~", reason=reason, user=fact_checker)
        self.review_event(at=edited, actor=fact_checker, action=ReviewAction.EDIT, from_status=ClaimStatus.PUBLISHED,
                          to_status=ClaimStatus.IN_REVIEW, version=4, claim=claim,
                          comment=f"{reason} (changed: credibility, credibility_rationale)")
        note = f"We changed the credibility from {old} to {claim.credibility}: a later filing contradicts part of it."
        claim.status, claim.version, claim.published_version = ClaimStatus.PUBLISHED, 5, 5
        claim.published_at = claim.updated_at = at
        self.history(claim, at=at, change="~", reason="Published", user=editor)
        previous_index, previous = pending.latest
        payload = publication.publication_data(claim=claim, links=self.links_now(claim_id, public_up_to=public_up_to),
                                               previous_index=previous_index, previous=previous,
                                               editor=self.editor_names[editor.pk], at=at, note=note, exception="")
        self.append(claim_id=claim_id, kind=payload["event"], payload=payload, at=at, previous=previous)
        self.review_event(at=at, actor=editor, action=ReviewAction.PUBLISH, from_status=ClaimStatus.IN_REVIEW,
                          to_status=ClaimStatus.PUBLISHED, version=5, claim=claim, comment=note)
        self.counts.corrected += 1

    def retract(self, claim_id: int, *, at: datetime.datetime, public_up_to: int) -> None:
        pending = self.pending[claim_id]
        claim = pending.claim
        editor = self.editors[(claim_id + 2) % len(self.editors)]
        reason = "The documents this rested on were shown to be forged."
        claim.status, claim.retraction_reason, claim.updated_at = ClaimStatus.RETRACTED, reason, at
        claim.version += 1
        self.history(claim, at=at, change="~", reason=f"Retracted: {reason}", user=editor)
        previous_index, previous = pending.latest
        payload = publication.retraction_data(previous_index=previous_index, previous=previous,
                                              editor=self.editor_names[editor.pk], at=at, note=reason)
        self.append(claim_id=claim_id, kind=RecordKind.RETRACTION, payload=payload, at=at, previous=previous)
        self.review_event(at=at, actor=editor, action=ReviewAction.RETRACT, from_status=ClaimStatus.PUBLISHED,
                          to_status=ClaimStatus.RETRACTED, version=claim.version, claim=claim, comment=reason)
        self.counts.retracted += 1

    def finish(self, claim_id: int) -> None:
        """The claim's final rows: it and its projection as its latest record left them."""
        pending = self.pending.pop(claim_id)
        self.add(pending.claim)
        index, payload = pending.latest
        self.rows.add(PublicClaim, {"claim_id": claim_id, "record_id": index, "page_index": pending.page[0],
                                    "page_changed_at": pending.page[1], **publication.projected_columns(payload)})
        self.counts.public_claims += 1
        # Its summary stays only while a claim in the window may link to it.
        self.summaries.pop(claim_id - WINDOW * 3, None)

    def projection(self) -> None:
        for (kind, key), (index, data) in self.shown.items():
            self.rows.add(Projection, {"kind": kind, "key": key, "record_id": index, "data": data,
                                       "object_id": data.get("id")})
        self.counts.projection_rows = len(self.shown)

    def search_index(self) -> None:
        """SQLite's full-text index beside PublicClaim, as claims.search keeps it (PostgreSQL indexes itself)."""
        from claims.search import FTS_TABLE

        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE} (rowid, search_text) "  # noqa: S608 (a constant name)
                           "SELECT claim_id, search_text FROM claims_publicclaim")

    def reset_sequences(self) -> None:
        """Ids were given explicitly: move PostgreSQL's sequences past them (SQLite needs nothing)."""
        from django.core.management.color import no_style

        statements = connection.ops.sequence_reset_sql(no_style(), [Source, Document, Snapshot, Annotation, Claim,
                                                                    ClaimLink, ReviewEvent])
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
