"""Sources, documents and snapshots as the public record freezes them, and read back.

`*_data` turn working rows into the plain data a record holds; `*_from` turn that data back
into unsaved model instances, so that templates and serializers read a record as they read
the rows. Nothing built by `*_from` is ever saved. A record does not say since when what it
shows is public: `public_since` stays empty here, and a reader that shows it fills it in
(`PublicSinceQuerySet.first_published`).
"""

import datetime
from typing import Any

from sources.models import Annotation, Document, Reliability, Snapshot, Source


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def source_data(source: Any, *, nested: bool = True) -> dict[str, Any] | None:
    if source is None:
        return None
    data = {
        "id": source.pk, "slug": source.slug, "name": source.name, "kind": source.kind,
        "homepage": source.homepage, "description": source.description, "reliability": source.reliability,
        "reliability_label": Reliability(source.reliability).label,
        "reliability_rationale": source.reliability_rationale,
    }
    if nested:
        # Named only once it is public itself: citing a person does not publish their employer.
        affiliation = source.affiliation if source.affiliation_id else None
        public = affiliation is not None and affiliation.public_since is not None
        data["affiliation"] = source_data(affiliation, nested=False) if public else None
    return data


def document_data(document: Any) -> dict[str, Any]:
    return {
        "id": document.pk, "slug": document.slug, "title": document.title, "authors": document.authors,
        "url": document.url, "language": document.language, "published_on": _date(document.published_on),
        "published_precision": document.published_precision, "publisher": source_data(document.publisher),
    }


def _source(data: dict[str, Any] | None) -> Source | None:
    if data is None:
        return None
    source = Source(id=data["id"], slug=data["slug"], name=data["name"], kind=data["kind"],
                    homepage=data["homepage"], description=data["description"], reliability=data["reliability"],
                    reliability_rationale=data["reliability_rationale"])
    affiliation = _source(data.get("affiliation"))
    if affiliation is not None:
        source.affiliation = affiliation
    return source


def document_from(data: dict[str, Any]) -> Document:
    published_on = data["published_on"]
    return Document(id=data["id"], slug=data["slug"], title=data["title"], authors=data["authors"], url=data["url"],
                    language=data["language"],
                    published_on=datetime.date.fromisoformat(published_on) if published_on else None,
                    published_precision=data["published_precision"], publisher=_source(data["publisher"]))


def source_from(data: dict[str, Any] | None) -> Source | None:
    return _source(data)


def snapshot_from(data: dict[str, Any]) -> Snapshot:
    return Snapshot(id=data["id"], sha256=data["sha256"], content_type=data["content_type"],
                    captured_at=datetime.datetime.fromisoformat(data["captured_at"]),
                    document=Document(id=data["document"], title=data["document_title"]))


def passage_from(data: dict[str, Any]) -> Annotation:
    return Annotation(id=data.get("id"), uuid=data["annotation"], exact=data["exact"], prefix=data["prefix"],
                      suffix=data["suffix"],
                      start=data["start"], end=data["end"], motivation=Annotation.Motivation.ASSESSING,
                      snapshot=snapshot_from(data["snapshot"]))
