"""What the public sees of a claim, frozen in the public record at each editorial act.

`ClaimRecords` builds the records the workflow services append inside their transactions
(publicrecord.services.append_many) and moves each claim's projection (PublicClaim) to its
latest; `record_publication`, `record_retraction` and `record_evidence` do so for one claim.
Everything the public reads about a claim (pages, lists, search, feeds, ClaimReview, the
anonymous API) is built from those records by `shown_from_record`, never from the working
rows. The payloads themselves are built by plain functions (`publication_data`,
`retraction_data`, `evidence_record_data`, `link_data`), which bench/ also calls to build
records in bulk.

The record of a claim, as canonical JSON:

    {"record": "claim", "schema": 1, "event": "publication" | "correction" | "retraction" | "evidence",
     "status": "published" | "retracted",
     "claim": {id, slug, text, quote, quote_language, asserted_on, asserted_precision,
               credibility, credibility_label, credibility_rationale},
     "claimant": SOURCE, "primary_source": SOURCE | null,
     "document": {id, slug, title, authors, url, language, published_on, published_precision,
                  publisher: SOURCE},
     "evidence": {id, annotation (its UUID), exact, prefix, suffix, start, end,
                  snapshot: {id, document, document_title, sha256, captured_at, content_type},
                  document: the archived document (the claim's, or the one relaying it)} | null,
     "evidence_exception": text | null,
     "links": [{id, type, direction: "from" | "to", rationale,
                claim: {id, slug, text, credibility, claimant, reliability}}],
     "note": this record's note to readers, "editor": the public name of the editor who made it,
     "recorded_at", "first_published_at", "published_at": ISO 8601 times,
     "published_by": who published the content shown,
     "correction": {note, recorded_at} of the latest correction | null,
     "retraction": {note, editor, recorded_at} | null,
     "previous": index of the claim's previous record | null}

A retraction or evidence record repeats the last published content, notes included.

    SOURCE = {id, slug, name, kind, homepage, description, reliability, reliability_label,
              reliability_rationale, affiliation: SOURCE without affiliation | null}
"""

import datetime
import functools
import json
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Max, Q, Subquery

from claims import search as search_index
from claims.choices import ClaimStatus, Credibility, LinkStatus
from claims.references import referenced_slugs
from factcheck.driver import fetch_one
from publicrecord import services as record_services
from publicrecord.models import Record, RecordKind
from publicrecord.querysets import as_aware
from publicrecord.watch import remembered
from sources.models import Annotation
from sources.public import document_data, document_from, passage_from, source_data, source_from

SCHEMA = 1


def subject_of(claim_id: int) -> str:
    return f"claim:{claim_id}"


def public_name(user: Any) -> str:
    """How an editor signs in public: their full name, else their user name."""
    return (user.get_full_name() or user.get_username()).strip()


# Freezing working rows into record data

def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def evidence_data(annotation: Any) -> dict[str, Any] | None:
    if annotation is None:
        return None
    snapshot = annotation.snapshot
    return {
        "id": annotation.pk, "annotation": str(annotation.uuid), "exact": annotation.exact, "prefix": annotation.prefix,
        "suffix": annotation.suffix, "start": annotation.start, "end": annotation.end,
        "snapshot": {"id": snapshot.pk, "document": snapshot.document_id,
                     "document_title": snapshot.document.title, "sha256": snapshot.sha256,
                     "captured_at": _time(snapshot.captured_at), "content_type": snapshot.content_type},
        "document": document_data(snapshot.document),
    }


def evidence_problem(claim: Any) -> str | None:
    """Why the claim's quote is not anchored in an archived copy, or None.

    The archived copy is of the claim's document, or of the document that relays it (a
    second-hand claim quoted in an article): the record names which, with its hash.
    """
    annotation = claim.annotation
    if annotation is None:
        return "Its quote is not anchored in an archived snapshot."
    if annotation.anchoring != Annotation.Anchoring.ANCHORED:
        return "The passage anchoring its quote is orphaned: anchor it again in the newest snapshot."
    if not claim.quote.strip():
        return "It has no quote to check against the archived passage."
    if annotation.exact.strip() != claim.quote.strip():
        return "Its quote differs from the archived passage that should anchor it."
    return None


def content_data(claim: Any) -> dict[str, Any]:
    """The claim's own content, as the editor approves it."""
    return {
        "id": claim.pk, "slug": claim.slug, "text": claim.text, "quote": claim.quote,
        "quote_language": claim.quote_language, "asserted_on": _date(claim.asserted_on),
        "asserted_precision": claim.asserted_precision, "credibility": claim.credibility,
        "credibility_label": Credibility(claim.credibility).label,
        "credibility_rationale": claim.credibility_rationale,
    }


def links_data(claim_id: int) -> list[dict[str, Any]]:
    """The accepted links between this claim and other public claims, each with the other
    claim as its latest record shows it. Three queries."""
    return ClaimRecords(lock=False).links_data(claim_id)


def link_data(link: Any, *, claim_id: int, other: dict[str, Any]) -> dict[str, Any]:
    """An accepted link as the record of `claim_id` shows it, with the other claim as `other`
    (that claim's latest record) shows it."""
    other_id = link.to_claim_id if link.from_claim_id == claim_id else link.from_claim_id
    return {
        "id": link.pk, "type": link.link_type, "rationale": link.rationale,
        "direction": "from" if link.from_claim_id == claim_id else "to",
        "claim": {"id": other_id, "slug": other["claim"]["slug"], "text": other["claim"]["text"],
                  "credibility": other["claim"]["credibility"],
                  "claimant": other["claimant"]["name"], "reliability": other["claimant"]["reliability"]},
    }


# Appending records

def entities(payload: dict[str, Any], previous: dict[str, Any] | None) -> list[tuple[str, str, Any]]:
    """The sources, document, passage and links this record shows, for the projection.

    Only a publication or correction shows its sources, document and passage anew: a
    retraction or an evidence record repeats the last published ones, which a later record
    of another claim may have superseded, so it updates only the links.
    """
    found: list[tuple[str, str, Any]] = []
    if payload["event"] in {RecordKind.PUBLICATION, RecordKind.CORRECTION}:
        found += _content_entities(payload)
    claim_id = payload["claim"]["id"]
    for link in payload["links"]:
        ends = (claim_id, link["claim"]["id"]) if link["direction"] == "from" else (link["claim"]["id"], claim_id)
        found.append(("link", str(link["id"]), {"id": link["id"], "type": link["type"],
                                                "rationale": link["rationale"], "from_claim": ends[0],
                                                "to_claim": ends[1]}))
    if previous is not None:
        kept = {link["id"] for link in payload["links"]}
        found += [("link", str(link["id"]), None) for link in previous["links"] if link["id"] not in kept]
    return found


def _content_entities(payload: dict[str, Any]) -> list[tuple[str, str, Any]]:
    entities: list[tuple[str, str, Any]] = []
    for source in (payload["claimant"], payload["primary_source"], payload["document"]["publisher"]):
        if source is None:
            continue
        entities.append(("source", source["slug"], source))
        if source.get("affiliation"):
            entities.append(("source", source["affiliation"]["slug"], {**source["affiliation"], "affiliation": None}))
    entities.append(("document", str(payload["document"]["id"]), payload["document"]))
    evidence = payload["evidence"]
    if evidence:
        archived = evidence["document"]
        if archived["id"] != payload["document"]["id"]:
            entities.append(("document", str(archived["id"]), archived))
            entities.append(("source", archived["publisher"]["slug"], archived["publisher"]))
        entities.append(("snapshot", str(evidence["snapshot"]["id"]), evidence["snapshot"]))
        entities.append(("passage", evidence["annotation"], {**evidence, "claim": payload["claim"]["slug"],
                                                            "claim_text": payload["claim"]["text"]}))
    return entities


def linked_claims(payload: dict[str, Any], previous: dict[str, Any] | None) -> set[int]:
    """The other ends of the claim's accepted links, before and after this record: their
    pages show it."""
    return {link["claim"]["id"] for record in (payload, previous or {"links": []}) for link in record["links"]}


def cited_slugs(payload: dict[str, Any]) -> list[str]:
    """The claims the record's texts cite ([[claim:slug]]): its page shows their texts."""
    return referenced_slugs(payload["claim"]["credibility_rationale"], payload["claimant"]["reliability_rationale"],
                            *(link["rationale"] for link in payload["links"]))


def page_states(records: Iterable[Any]) -> dict[int, tuple[int, datetime.datetime]]:
    """claim id → (index, time) of the latest record that changes its page, rebuilt from the
    claims' records in order by the rule `_project` keeps: a claim's page changes with its own
    records and with those of the claims it links to or cites."""
    pages: dict[int, tuple[int, datetime.datetime]] = {}
    latest: dict[int, dict[str, Any]] = {}
    cited_by: dict[str, set[int]] = {}
    for record in records:
        payload = json.loads(record.body)
        claim_id, previous = payload["claim"]["id"], latest.get(payload["claim"]["id"])
        changed = (record.index, record.recorded_at)
        pages[claim_id] = changed
        for other in linked_claims(payload, previous) | cited_by.get(payload["claim"]["slug"], set()):
            if other in latest and other != claim_id:
                pages[other] = changed
        for slug in cited_slugs(previous) if previous else []:
            cited_by.get(slug, set()).discard(claim_id)
        for slug in cited_slugs(payload):
            cited_by.setdefault(slug, set()).add(claim_id)
        latest[claim_id] = payload
    return pages


@functools.cache
def _page_state_sql(vendor: str) -> str:
    from claims.models import PublicClaim

    quote = connection.ops.quote_name
    return (f"SELECT {quote('page_index')}, {quote('page_changed_at')} "  # noqa: S608 (names, no input)
            f"FROM {quote(PublicClaim._meta.db_table)} WHERE {quote('slug')} = %s")


def page_state(slug: str) -> tuple[int, datetime.datetime | None] | None:
    """(index, time) of the latest record that changes this public claim's page, or None.

    One lookup on the slug's unique index, in SQL of our own: every anonymous request for a
    claim page asks, and building the query through the ORM cost more than running it.
    Remembered by the worker until the log grows (publicrecord.watch)."""
    row = remembered(("claim-page", slug), lambda: fetch_one(_page_state_sql(connection.vendor), [slug]))
    return (row[0], as_aware(row[1])) if row else None


def projected_columns(payload: dict[str, Any]) -> dict[str, Any]:
    """What PublicClaim keeps of a claim's latest record, for filters, sorting and search."""
    evidence = payload["evidence"]
    return {
        "slug": payload["claim"]["slug"], "status": payload["status"],
        "claimant_slug": payload["claimant"]["slug"],
        "primary_source_slug": (payload["primary_source"] or {}).get("slug", ""),
        "publisher_slug": payload["document"]["publisher"]["slug"],
        "document_id": payload["document"]["id"],
        "snapshot_id": evidence["snapshot"]["id"] if evidence else None,
        "credibility": payload["claim"]["credibility"],
        "asserted_on": datetime.date.fromisoformat(payload["claim"]["asserted_on"])
        if payload["claim"]["asserted_on"] else None,
        "first_published_at": datetime.datetime.fromisoformat(payload["first_published_at"]),
        "published_at": datetime.datetime.fromisoformat(payload["published_at"]),
        "recorded_at": datetime.datetime.fromisoformat(payload["recorded_at"]), "search_text": search_text(payload),
        "cites": "".join(f" {slug} " for slug in cited_slugs(payload)),
    }


def search_text(payload: dict[str, Any]) -> str:
    return "\n".join([payload["claim"]["text"], payload["claim"]["quote"], payload["claimant"]["name"],
                      payload["document"]["title"], payload["claim"]["credibility_rationale"]])


def public_claim_texts(slugs: Iterable[str]) -> dict[str, str]:
    """slug → text of the public claims among `slugs`, as their latest records show them; one query."""
    from claims.models import PublicClaim

    slugs = list(dict.fromkeys(slugs))
    if not slugs:
        return {}
    return {row.slug: row.content["claim"]["text"] for row in PublicClaim.objects.filter(slug__in=slugs)
            .select_related("record")}


def latest_payload(claim_id: int) -> tuple[int, dict[str, Any]] | None:
    """(index, data) of the claim's latest record, or None if it never was public."""
    record = Record.objects.filter(subject=subject_of(claim_id)).order_by("-index").first()
    return (record.index, json.loads(record.body)) if record else None


def publication_payload(*, claim: Any, editor: str, at: datetime.datetime, note: str,
                        exception: str) -> tuple[int | None, dict[str, Any] | None, dict[str, Any]]:
    """(index and data of the claim's latest record, the record publishing it now would append)."""
    return ClaimRecords(lock=False).publication_payload(claim=claim, editor=editor, at=at, note=note,
                                                        exception=exception)


def publication_data(*, claim: Any, links: list[dict[str, Any]], previous_index: int | None,
                     previous: dict[str, Any] | None, editor: str, at: datetime.datetime, note: str,
                     exception: str) -> dict[str, Any]:
    """The record publishing `claim` (with its related rows loaded) and these `links` (links_data),
    after the claim's latest record `previous` if it has one: a correction then."""
    return {
        "record": "claim", "schema": SCHEMA,
        "event": RecordKind.CORRECTION if previous else RecordKind.PUBLICATION,
        "status": ClaimStatus.PUBLISHED,
        "claim": content_data(claim),
        "claimant": source_data(claim.claimant), "primary_source": source_data(claim.primary_source),
        "document": document_data(claim.document),
        "evidence": None if evidence_problem(claim) else evidence_data(claim.annotation),
        "evidence_exception": exception or None,
        "links": links,
        "note": note, "editor": editor, "recorded_at": _time(at),
        "first_published_at": previous["first_published_at"] if previous else _time(at),
        "published_at": _time(at), "published_by": editor,
        "correction": {"note": note, "recorded_at": _time(at)} if previous else None,
        "retraction": None, "previous": previous_index,
    }


def record_publication(*, claim: Any, editor: str, at: datetime.datetime, note: str, exception: str) -> Record:
    """The claim as the editor publishes it (its first publication or a correction)."""
    records = ClaimRecords()
    records.publication(claim=claim, editor=editor, at=at, note=note, exception=exception)
    return records.append()[0]


def pending_changes(claim: Any) -> list[str] | None:
    """What readers would see change if the claim were published now, in words: its own edits,
    and the edits since made to its claimant, document and archived passage. None if never public."""
    _, previous, payload = publication_payload(claim=claim, editor="", at=datetime.datetime.now(tz=datetime.UTC),
                                               note="", exception=claim.evidence_exception)
    return summarize_changes(previous, payload) if previous else None


def record_retraction(*, claim: Any, editor: str, at: datetime.datetime, note: str) -> Record:
    """The last published content, withdrawn with the note: a retraction publishes no edit."""
    records = ClaimRecords()
    records.retraction(claim_id=claim.pk, editor=editor, at=at, note=note)
    return records.append()[0]


def retraction_data(*, previous_index: int, previous: dict[str, Any], editor: str, at: datetime.datetime,
                    note: str) -> dict[str, Any]:
    return {**previous, "event": RecordKind.RETRACTION, "status": ClaimStatus.RETRACTED, "note": note,
            "editor": editor, "recorded_at": _time(at), "previous": previous_index,
            "retraction": {"note": note, "editor": editor, "recorded_at": _time(at)}}


def record_evidence(*, claim_id: int, editor: str, at: datetime.datetime, note: str) -> Record | None:
    """The last published content with the accepted links as they are now; None when the
    claim is not public or its links did not change."""
    records = ClaimRecords()
    if not records.evidence(claim_id=claim_id, editor=editor, at=at, note=note):
        return None
    return records.append()[0]


def evidence_record_data(*, previous_index: int, previous: dict[str, Any], links: list[dict[str, Any]],
                         editor: str, at: datetime.datetime, note: str) -> dict[str, Any]:
    """The claim's latest record `previous` again, with its accepted links as they are now."""
    return {**previous, "event": RecordKind.EVIDENCE, "links": links, "note": note,
            "editor": editor, "recorded_at": _time(at), "previous": previous_index}


@dataclass
class _Staged:
    claim_id: int
    index: int
    kind: str
    payload: dict[str, Any]
    previous: dict[str, Any] | None
    at: datetime.datetime


class ClaimRecords:
    """The records of some claims as they stand, and the records appended to them next.

    Each record is built as the services have always built it: from the claim's latest
    record, and its accepted links to public claims as they are now. Each record built counts
    as appended for those built after it (a claim published first shows on the pages of the
    claims published after it; a link accepted first shows in the records of the next), so
    that a step taken on many claims or links at once (a data set: publish these claims,
    accept these links) records exactly what taking it on each in turn would have, and
    `append` writes them all at once (publicrecord.services.append_many).

    Made with `lock=True` (the default), it holds the log's lock from the start, as every
    service that appends must before it reads what it builds on; `lock=False` only reads.
    """

    def __init__(self, *, lock: bool = True) -> None:
        self.next_index = record_services.lock() if lock else None
        self.latest: dict[int, tuple[int, dict[str, Any]] | None] = {}  # claim id → its latest record
        self.links: dict[int, Any] = {}  # the accepted links of the claims loaded, by id
        self.loaded: set[int] = set()  # the claims whose accepted links are all in self.links
        self.changed: set[int] = set()  # links whose status this step set (link_changed)
        self.staged: list[_Staged] = []

    # Reading what is recorded

    def load(self, claim_ids: Iterable[int]) -> None:
        """Read these claims' latest records and accepted links, and the latest records of the
        claims those link to: three queries for as many claims as given."""
        from claims.models import ClaimLink

        new = sorted(set(claim_ids) - self.loaded)
        ends = set(new)
        for chunk in _chunks(new, 400):
            for link in ClaimLink.objects.filter(Q(from_claim_id__in=chunk) | Q(to_claim_id__in=chunk),
                                                 status=LinkStatus.ACCEPTED).order_by("pk"):
                if link.pk not in self.changed:
                    self.links.setdefault(link.pk, link)
                ends |= {link.from_claim_id, link.to_claim_id}
        self.loaded.update(new)
        self._load_latest(ends)

    def _load_latest(self, claim_ids: Iterable[int]) -> None:
        wanted = sorted(set(claim_ids) - set(self.latest))
        for chunk in _chunks(wanted, 400):
            subjects = {subject_of(claim_id): claim_id for claim_id in chunk}
            latest = (Record.objects.filter(subject__in=list(subjects)).values("subject")
                      .annotate(latest=Max("index")).values("latest"))
            for record in Record.objects.filter(index__in=Subquery(latest)):
                self.latest[subjects[record.subject]] = (record.index, json.loads(record.body))
        for claim_id in wanted:
            self.latest.setdefault(claim_id, None)

    def link_changed(self, link: Any) -> None:
        """This link's new status counts from here on: it shows if accepted, else no more."""
        self.changed.add(link.pk)
        if link.status == LinkStatus.ACCEPTED:
            self.links[link.pk] = link
        else:
            self.links.pop(link.pk, None)

    def _links_of(self, claim_id: int) -> list[Any]:
        self.load([claim_id])
        return sorted((link for link in self.links.values() if claim_id in {link.from_claim_id, link.to_claim_id}),
                      key=lambda link: link.pk)

    def linked_claim_ids(self, claim_id: int) -> list[int]:
        """The claims at the other end of this claim's accepted links."""
        return sorted({link.to_claim_id if link.from_claim_id == claim_id else link.from_claim_id
                       for link in self._links_of(claim_id)})

    def links_data(self, claim_id: int) -> list[dict[str, Any]]:
        """The claim's accepted links to public claims, each with the other claim as its
        latest record shows it."""
        links = self._links_of(claim_id)
        others = [link.to_claim_id if link.from_claim_id == claim_id else link.from_claim_id for link in links]
        self._load_latest(others)
        return [link_data(link, claim_id=claim_id, other=self.latest[other][1])
                for link, other in zip(links, others, strict=True) if self.latest[other] is not None]

    def publication_payload(self, *, claim: Any, editor: str, at: datetime.datetime, note: str,
                            exception: str) -> tuple[int | None, dict[str, Any] | None, dict[str, Any]]:
        """(index and data of the claim's latest record, the record publishing it now would append)."""
        self.load([claim.pk])
        previous_index, previous = self.latest[claim.pk] or (None, None)
        payload = publication_data(claim=claim, links=self.links_data(claim.pk), previous_index=previous_index,
                                   previous=previous, editor=editor, at=at, note=note, exception=exception)
        return previous_index, previous, payload

    # Building the next records

    def publication(self, *, claim: Any, editor: str, at: datetime.datetime, note: str, exception: str) -> None:
        """The claim as the editor publishes it (its first publication or a correction)."""
        _, previous, payload = self.publication_payload(claim=claim, editor=editor, at=at, note=note,
                                                        exception=exception)
        self._stage(claim.pk, payload, previous=previous, at=at)

    def retraction(self, *, claim_id: int, editor: str, at: datetime.datetime, note: str) -> None:
        """The last published content, withdrawn with the note."""
        self.load([claim_id])
        previous_index, previous = self.latest[claim_id]
        payload = retraction_data(previous_index=previous_index, previous=previous, editor=editor, at=at, note=note)
        self._stage(claim_id, payload, previous=previous, at=at)

    def evidence(self, *, claim_id: int, editor: str, at: datetime.datetime, note: str) -> bool:
        """The last published content with the accepted links as they are now; False (and
        nothing) when the claim is not public or its links did not change."""
        self.load([claim_id])
        if self.latest[claim_id] is None:
            return False
        previous_index, previous = self.latest[claim_id]
        links = self.links_data(claim_id)
        if links == previous["links"]:
            return False
        payload = evidence_record_data(previous_index=previous_index, previous=previous, links=links,
                                       editor=editor, at=at, note=note)
        self._stage(claim_id, payload, previous=previous, at=at)
        return True

    def _stage(self, claim_id: int, payload: dict[str, Any], *, previous: dict[str, Any] | None,
               at: datetime.datetime) -> None:
        if self.next_index is None:
            raise RuntimeError("Only ClaimRecords made with the log's lock append.")
        index = self.next_index + len(self.staged)
        self.staged.append(_Staged(claim_id=claim_id, index=index, kind=payload["event"], payload=payload,
                                   previous=previous, at=at))
        self.latest[claim_id] = (index, payload)

    # Writing them

    def append(self) -> list[Record]:
        """Append the records built, in order, and move what the public reads to them."""
        staged, self.staged = self.staged, []
        if not staged:
            return []
        records = record_services.append_many([
            record_services.Entry(subject=subject_of(item.claim_id), kind=item.kind, payload=item.payload,
                                  at=item.at, entities=entities(item.payload, item.previous)) for item in staged])
        if records[0].index != staged[0].index:
            raise RuntimeError("The log grew while its lock was held: nothing is appended.")
        self.next_index = staged[-1].index + 1
        _project(staged)
        return records


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _project(staged: list[_Staged]) -> None:
    """Move each claim's projection (PublicClaim) to its latest record, and the page of every
    public claim that shows it (linked or citing) to the latest record that changes it."""
    from claims.models import PublicClaim

    slugs = {item.payload["claim"]["slug"] for item in staged}
    recorded = {item.claim_id for item in staged}
    citing: dict[str, set[int]] = {}  # slug → the public claims outside this step that cite it
    for chunk in _chunks(sorted(slugs), 200):
        rows = PublicClaim.objects.filter(functools.reduce(operator.or_, (Q(cites__contains=f" {slug} ")
                                                                          for slug in chunk)))
        for claim_id, cites in rows.values_list("claim_id", "cites"):
            if claim_id not in recorded:
                for slug in set(cites.split()) & slugs:
                    citing.setdefault(slug, set()).add(claim_id)
    # One record at a time, in order: the rule page_states rebuilds from the records.
    pages: dict[int, tuple[int, datetime.datetime]] = {}
    cites_now: dict[int, set[str]] = {}
    latest: dict[int, _Staged] = {}
    for item in staged:
        slug = item.payload["claim"]["slug"]
        cites_now[item.claim_id] = set(cited_slugs(item.payload))
        latest[item.claim_id] = item
        shown_on = (linked_claims(item.payload, item.previous) | citing.get(slug, set())
                    | {claim_id for claim_id, cites in cites_now.items() if slug in cites})
        for claim_id in shown_on | {item.claim_id}:
            pages[claim_id] = (item.index, item.at)
    columns = {claim_id: projected_columns(item.payload) for claim_id, item in latest.items()}
    rows = [PublicClaim(claim_id=claim_id, record_id=item.index, page_index=pages[claim_id][0],
                        page_changed_at=pages[claim_id][1], **columns[claim_id]) for claim_id, item in latest.items()]
    PublicClaim.objects.bulk_create(rows, update_conflicts=True, unique_fields=["claim"],
                                    update_fields=["record", "page_index", "page_changed_at", *columns[rows[0].pk]])
    others = [PublicClaim(claim_id=claim_id, page_index=index, page_changed_at=at)
              for claim_id, (index, at) in pages.items() if claim_id not in latest]
    if others:
        PublicClaim.objects.bulk_update(others, ["page_index", "page_changed_at"])
    search_index.index_claims({claim_id: columns[claim_id]["search_text"] for claim_id in latest})


def check_projection() -> tuple[str, list[str]]:
    """Rebuild what readers see of claims from the records and compare it with the projection
    the pages read (PublicClaim and publicrecord.Projection): an edit of either behind the
    application's back shows here."""
    from claims.models import PublicClaim
    from publicrecord.models import Projection

    latest: dict[int, tuple[int, dict[str, Any]]] = {}
    shown: dict[tuple[str, str], tuple[int, Any]] = {}
    for record in Record.objects.filter(subject__startswith="claim:").order_by("index").iterator(chunk_size=2000):
        payload = json.loads(record.body)
        claim_id = payload["claim"]["id"]
        for kind, key, data in entities(payload, latest.get(claim_id, (None, None))[1]):
            shown[(kind, key)] = (record.index, data)
        latest[claim_id] = (record.index, payload)
    problems = []
    pages = page_states(Record.objects.filter(subject__startswith="claim:").order_by("index")
                        .only("index", "recorded_at", "body").iterator(chunk_size=2000))
    rows = {row.claim_id: row for row in PublicClaim.objects.all()}
    for claim_id, (index, payload) in latest.items():
        row = rows.pop(claim_id, None)
        if row is None:
            problems.append(f"claim {claim_id} has record {index} but is not shown")
        elif row.record_id != index:
            problems.append(f"claim {claim_id} is shown from record {row.record_id}, not its latest, {index}")
        elif any(getattr(row, name) != value for name, value in projected_columns(payload).items()):
            problems.append(f"claim {claim_id} is listed with values its record {index} does not hold")
        elif (row.page_index, row.page_changed_at) != pages[claim_id]:
            problems.append(f"claim {claim_id}'s page is keyed to record {row.page_index}, not {pages[claim_id][0]}")
    problems += [f"claim {claim_id} is shown with no record" for claim_id in rows]
    projected = {(row.kind, row.key): row for row in Projection.objects.all()}
    for (kind, key), (index, data) in shown.items():
        row = projected.pop((kind, key), None)
        if data is None:
            if row is not None:
                problems.append(f"{kind} {key} is still shown though record {index} withdrew it")
        elif row is None or row.record_id != index or row.data != data:
            problems.append(f"{kind} {key} is not shown as record {index} has it")
    problems += [f"{kind} {key} is shown with no record" for kind, key in projected]
    return f"{len(latest)} public claims and {len(shown)} objects they show rebuilt from the records: " \
           "the pages read them as recorded.", problems


BACKFILL_EXCEPTION = "Published before the desk required an archived copy of every quote."


def backfill() -> int:
    """Records for claims published before the public record existed; the number appended.

    Each claim's published revision is recorded as published, with its accepted links, then
    its retraction if it was retracted; run by claims migration 0006 and safe to run again.
    """
    from claims.choices import ReviewAction
    from claims.models import Claim, PublicClaim, ReviewEvent
    from claims.querysets import as_published

    missing = list(Claim.objects.filter(published_version__isnull=False).exclude(
        pk__in=PublicClaim.objects.values("claim_id")).with_parties().order_by("first_published_at", "pk"))
    if not missing:
        return 0
    record_services.lock()
    editors = {event.claim_id: event.actor_username for event in ReviewEvent.objects.filter(
        claim__in=missing, action=ReviewAction.PUBLISH).order_by("created_at", "pk")}
    appended = 0
    for claim, shown in zip(missing, as_published(missing), strict=False):
        problem = evidence_problem(shown)
        record_publication(claim=shown, editor=editors.get(claim.pk, ""), at=claim.published_at, note="",
                           exception=claim.evidence_exception or (BACKFILL_EXCEPTION if problem else ""))
        appended += 1
    for claim in missing:
        appended += record_evidence(claim_id=claim.pk, editor=editors.get(claim.pk, ""), at=claim.published_at,
                                    note="") is not None
    for claim in missing:
        if claim.status == ClaimStatus.RETRACTED:
            record_retraction(claim=claim, editor=editors.get(claim.pk, ""), at=claim.updated_at,
                              note=claim.retraction_reason)
            appended += 1
    return appended


# Reading records back: unsaved model instances, so templates, ClaimReview and serializers
# read a record as they would read a claim. They are never saved.

def shown_from_record(data: dict[str, Any], *, index: int) -> Any:
    """The claim as this record shows it to the public, as an unsaved Claim."""
    from claims.models import Claim

    content = data["claim"]
    document = document_from(data["document"])
    claim = Claim(
        id=content["id"], slug=content["slug"], text=content["text"], quote=content["quote"],
        quote_language=content["quote_language"],
        asserted_on=datetime.date.fromisoformat(content["asserted_on"]) if content["asserted_on"] else None,
        asserted_precision=content["asserted_precision"], credibility=content["credibility"],
        credibility_rationale=content["credibility_rationale"], status=data["status"],
        claimant=source_from(data["claimant"]), primary_source=source_from(data["primary_source"]),
        document=document,
        first_published_at=datetime.datetime.fromisoformat(data["first_published_at"]),
        published_at=datetime.datetime.fromisoformat(data["published_at"]),
        retraction_reason=(data["retraction"] or {}).get("note", ""),
    )
    if data["evidence"]:
        claim.annotation = passage_from(data["evidence"])
    claim.record_index = index
    claim.record_event = data["event"]
    claim.recorded_at = datetime.datetime.fromisoformat(data["recorded_at"])
    claim.created_at, claim.updated_at = claim.first_published_at, claim.recorded_at
    claim.public_note = data["note"]
    claim.editor_name = data["published_by"]
    claim.correction = data["correction"]
    claim.retraction = data["retraction"]
    claim.evidence_exception = data["evidence_exception"] or ""
    claim.record_links = data["links"]
    return claim


def shown_claims(rows: Iterable[Any]) -> list[Any]:
    """Each PublicClaim (with its record) as the public reads it."""
    return [shown_from_record(row.content, index=row.record_id) for row in rows]


# The public changelog: what changed between two records, in words

def _grade(data: dict[str, Any]) -> str:
    return f"{data['claimant']['reliability']}{data['claim']['credibility']}"


def summarize_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """What a reader would want to know changed from one record to the next, in words."""
    if before is None:
        return []
    old, new = before["claim"], after["claim"]
    said = []
    if old["text"] != new["text"]:
        said.append("the claim was reworded")
    if old["quote"] != new["quote"]:
        said.append("the quotation was changed")
    if old["credibility"] != new["credibility"]:
        said.append(f"the credibility went from {old['credibility']} ({old['credibility_label'].lower()}) "
                    f"to {new['credibility']} ({new['credibility_label'].lower()})")
    if old["credibility_rationale"] != new["credibility_rationale"]:
        said.append("the rationale was rewritten")
    if before["claimant"]["slug"] != after["claimant"]["slug"]:
        said.append(f"the claim is now attributed to {after['claimant']['name']} "
                    f"(was {before['claimant']['name']})")
    else:
        if before["claimant"]["reliability"] != after["claimant"]["reliability"]:
            said.append(f"the claimant's reliability went from {before['claimant']['reliability']} "
                        f"to {after['claimant']['reliability']}")
        if before["claimant"]["reliability_rationale"] != after["claimant"]["reliability_rationale"]:
            said.append("the claimant's reliability rationale was rewritten")
        if (before["claimant"]["name"], before["claimant"]["description"]) != (
                after["claimant"]["name"], after["claimant"]["description"]):
            said.append("the claimant's name or description was changed")
    if (before["primary_source"] or {}).get("slug") != (after["primary_source"] or {}).get("slug"):
        said.append("the primary source was changed")
    if before["document"]["id"] != after["document"]["id"]:
        said.append(f"the claim is now cited from “{after['document']['title']}”")
    elif {key: value for key, value in before["document"].items() if key != "publisher"} != {
            key: value for key, value in after["document"].items() if key != "publisher"}:
        said.append("the document's details (title, date, address or byline) were changed")
    if (old["asserted_on"], old["asserted_precision"]) != (new["asserted_on"], new["asserted_precision"]):
        said.append("the date of the assertion was changed")
    if (before["evidence"] or {}).get("snapshot") != (after["evidence"] or {}).get("snapshot"):
        said.append("the quotation is now checked against another archived copy")
    if before["evidence_exception"] != after["evidence_exception"] and after["evidence_exception"]:
        said.append("the note on why there is no archived copy was changed")
    old_links = {(link["id"], link["type"]) for link in before["links"]}
    new_links = {(link["id"], link["type"]) for link in after["links"]}
    if new_links - old_links:
        count = len(new_links - old_links)
        said.append(f"{count} linked claim{'s were' if count > 1 else ' was'} added to the evidence")
    if old_links - new_links:
        count = len(old_links - new_links)
        said.append(f"{count} linked claim{'s were' if count > 1 else ' was'} removed from the evidence")
    if not said and _grade(before) == _grade(after) and before["status"] == after["status"]:
        said.append("nothing a reader sees changed")
    return said
