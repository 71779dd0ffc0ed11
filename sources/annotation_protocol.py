"""The W3C Web Annotation Protocol's shapes: the annotation container as an
AnnotationCollection read in AnnotationPages, and the headers the protocol asks for.
Plain functions over plain values; the API view fetches and calls them.

`jsonld/anno.jsonld` is the Web Annotation JSON-LD context exactly as the W3C publishes it at
http://www.w3.org/ns/anno.jsonld (byte for byte the file `admin/ns/anno.jsonld` of the
w3c/web-annotation repository, commit 946cdac, "Updated the ns version of anno.jsonld"). It is
bundled so that nothing is fetched at run or test time: the tests expand our output against it.
"""

import functools
import json
from pathlib import Path
from typing import Any

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'
CONTEXT_FILE = Path(__file__).resolve().parent / "jsonld" / "anno.jsonld"

# Link headers (RFC 8288) the protocol requires: the container is an LDP Basic Container bound by
# the protocol's constraints (§4.1); each annotation is an LDP Resource and an Annotation (§3).
CONTAINER_LINKS = ('<http://www.w3.org/ns/ldp#BasicContainer>; rel="type", '
                   '<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"')
ANNOTATION_LINKS = '<http://www.w3.org/ns/ldp#Resource>; rel="type", <http://www.w3.org/ns/oa#Annotation>; rel="type"'


@functools.cache
def bundled_context() -> dict[str, Any]:
    """The W3C context document, as bundled."""
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))


def motivation_term(motivation: str) -> str:
    """The motivation as the context names it. The published context defines no term for
    `assessing` (the vocabulary has oa:assessing), so a bare word there would expand to an IRI
    relative to the document: motivations the context lacks are written as oa: compact IRIs."""
    return motivation if motivation in bundled_context()["@context"] else f"oa:{motivation}"


def page(items: list[dict[str, Any]], *, number: int, size: int, total: int, page_url: Any,
         collection: dict[str, Any] | None = None) -> dict[str, Any]:
    """One AnnotationPage (§4.3): its items in the collection's order, its neighbours, and
    (served on its own) the collection it is part of."""
    data: dict[str, Any] = {"id": page_url(number), "type": "AnnotationPage"}
    if collection is not None:
        data["partOf"] = collection
    data["startIndex"] = number * size
    if number > 0:
        data["prev"] = page_url(number - 1)
    if (number + 1) * size < total:
        data["next"] = page_url(number + 1)
    data["items"] = [{key: value for key, value in item.items() if key != "@context"} for item in items]
    return data


def last_page(total: int, size: int) -> int:
    return max(0, (total - 1) // size)


def collection(*, collection_id: str, label: str, total: int, modified: str | None) -> dict[str, Any]:
    """What a page says of the collection it is part of: its IRI, size and last change."""
    data: dict[str, Any] = {"id": collection_id, "type": "AnnotationCollection", "label": label, "total": total}
    if modified:
        data["modified"] = modified
    return data


def container(first_items: list[dict[str, Any]], *, collection_id: str, label: str, total: int,
              modified: str | None, size: int, page_url: Any) -> dict[str, Any]:
    """The container's description (§4.2): the collection with its first page embedded (the
    protocol's default, PreferContainedDescriptions) and a link to the last; none when empty."""
    data = {"@context": ANNO_CONTEXT,
            **collection(collection_id=collection_id, label=label, total=total, modified=modified)}
    if total:
        data["first"] = page(first_items, number=0, size=size, total=total, page_url=page_url)
        data["last"] = page_url(last_page(total, size))
    return data


def standalone_page(items: list[dict[str, Any]], *, number: int, size: int, total: int, page_url: Any,
                    collection_id: str, label: str, modified: str | None) -> dict[str, Any]:
    return {"@context": ANNO_CONTEXT,
            **page(items, number=number, size=size, total=total, page_url=page_url,
                   collection=collection(collection_id=collection_id, label=label, total=total,
                                         modified=modified))}
