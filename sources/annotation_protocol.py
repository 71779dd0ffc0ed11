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
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sources.anchoring import occurrences

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


def page(items: list[Any], *, number: int, size: int, total: int, page_url: Any,
         collection: dict[str, Any] | None = None) -> dict[str, Any]:
    """One AnnotationPage (§4.3): its items (descriptions, or IRIs) in the collection's order, its
    neighbours, and (served on its own) the collection it is part of."""
    data: dict[str, Any] = {"id": page_url(number), "type": "AnnotationPage"}
    if collection is not None:
        data["partOf"] = collection
    data["startIndex"] = number * size
    if number > 0:
        data["prev"] = page_url(number - 1)
    if (number + 1) * size < total:
        data["next"] = page_url(number + 1)
    data["items"] = [item if isinstance(item, str) else {key: value for key, value in item.items() if key != "@context"}
                     for item in items]
    return data


def last_page(total: int, size: int) -> int:
    return max(0, (total - 1) // size)


def collection(*, collection_id: str, label: str, total: int, modified: str | None) -> dict[str, Any]:
    """What a page says of the collection it is part of: its IRI, size and last change."""
    data: dict[str, Any] = {"id": collection_id, "type": "AnnotationCollection", "label": label, "total": total}
    if modified:
        data["modified"] = modified
    return data


def container(first_items: list[Any], *, collection_id: str, label: str, total: int,
              modified: str | None, size: int, page_url: Any, minimal: bool = False) -> dict[str, Any]:
    """The container's description (§4.2): the collection with its first page embedded (the
    protocol's default), or only linked when the client prefers a minimal container, and a link
    to the last; no pages when it is empty."""
    data = {"@context": ANNO_CONTEXT,
            **collection(collection_id=collection_id, label=label, total=total, modified=modified)}
    if total:
        data["first"] = (page_url(0) if minimal else
                         page(first_items, number=0, size=size, total=total, page_url=page_url))
        data["last"] = page_url(last_page(total, size))
    return data


def standalone_page(items: list[Any], *, number: int, size: int, total: int, page_url: Any,
                    collection_id: str, label: str, modified: str | None) -> dict[str, Any]:
    return {"@context": ANNO_CONTEXT,
            **page(items, number=number, size=size, total=total, page_url=page_url,
                   collection=collection(collection_id=collection_id, label=label, total=total,
                                         modified=modified))}


# Writes (§5): a W3C Annotation in, what our services take out.

MEDIA_TYPE_NAME = "application/ld+json"
CONTEXTS = (ANNO_CONTEXT, "https://www.w3.org/ns/anno.jsonld")
OA = "http://www.w3.org/ns/oa#"
# Said by the server, not the client (§5.1: the server assigns the IRI; it knows who and when):
# accepted so that what was read can be sent back, and not kept.
SERVER_SET = ("id", "created", "modified", "creator")
QUOTE, POSITION = "TextQuoteSelector", "TextPositionSelector"
SELECTOR_KEYS = {QUOTE: ("type", "exact", "prefix", "suffix"), POSITION: ("type", "start", "end")}
BODY_KEYS = ("type", "value", "format")
TARGET_KEYS = ("type", "source", "selector")


class Refused(Exception):
    """A W3C annotation this server does not take: what is wrong, by the JSON path of the field."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in fields.items()))
        self.fields = fields


@dataclass(frozen=True)
class Quote:
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Position:
    start: int
    end: int


@dataclass(frozen=True)
class Sent:
    """What a W3C annotation sent to the container asks for: a passage of the source (by quote,
    position or both), a motivation and a note."""

    source: str
    quote: Quote | None
    position: Position | None
    motivation: str
    body: str


def motivation_names(motivations: Iterable[str]) -> dict[str, str]:
    """Each way of writing each motivation under the W3C context → our motivation: the term
    the context defines (as we write it), the oa: compact IRI and the full IRI."""
    names = {}
    for motivation in motivations:
        for name in (motivation_term(motivation), f"oa:{motivation}", f"{OA}{motivation}"):
            names[name] = motivation
    return names


def _string(data: dict[str, Any], key: str, path: str, problems: dict[str, str], *,
            required: bool = False, blank: bool = True) -> str | None:
    """data[key] if it is a string (not empty unless `blank`); None, and a problem, if it is
    anything else (null included) or missing but required; None if it is left out."""
    if key not in data and not required:
        return None
    value = data.get(key)
    if not isinstance(value, str) or (not blank and not value):
        problems[f"{path}{key}"] = "A string." if blank else "A non-empty string."
        return None
    return value


def _unknown(data: dict[str, Any], allowed: Iterable[str], path: str, problems: dict[str, str]) -> None:
    for key in data:
        if key not in allowed:
            problems[f"{path}{key}"] = "Not a property this server keeps; nothing was saved."


def _whole(value: Any, name: str, problems: dict[str, str]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        problems[name] = "A whole number of code points, 0 or more."
        return None
    return value


def _selectors(value: Any, problems: dict[str, str]) -> tuple[Quote | None, Position | None]:
    name = "target.selector"
    selectors = value if isinstance(value, list) else [value]
    if value is None or not selectors:
        problems[name] = "A TextQuoteSelector, a TextPositionSelector, or both: the passage annotated."
        return None, None
    quote = position = None
    for n, selector in enumerate(selectors):
        path = f"{name}[{n}]." if isinstance(value, list) else f"{name}."
        kind = selector.get("type") if isinstance(selector, dict) else None
        if not isinstance(kind, str) or kind not in SELECTOR_KEYS:
            problems[path.rstrip(".")] = ("Only a TextQuoteSelector or a TextPositionSelector (an object with its "
                                          "`type`) is read here.")
            continue
        _unknown(selector, SELECTOR_KEYS[kind], path, problems)
        if (quote if kind == QUOTE else position) is not None:
            problems[path.rstrip(".")] = f"A second {kind}: send one of each at most."
        elif kind == QUOTE:
            exact = _string(selector, "exact", path, problems, required=True, blank=False)
            prefix = _string(selector, "prefix", path, problems) or ""
            suffix = _string(selector, "suffix", path, problems) or ""
            quote = Quote(exact, prefix, suffix) if exact else None
        else:
            start = _whole(selector.get("start"), f"{path}start", problems)
            end = _whole(selector.get("end"), f"{path}end", problems)
            if start is not None and end is not None:
                if end <= start:
                    problems[f"{path}end"] = "The end comes after the start: a passage holds a character at least."
                else:
                    position = Position(start, end)
    return quote, position


def _body(data: dict[str, Any], problems: dict[str, str]) -> str:
    """The note: a TextualBody's value (in plain text), or `bodyValue`; empty when there is none."""
    if "body" in data and "bodyValue" in data:
        problems["bodyValue"] = "Send the note as `body` or as `bodyValue`, not both."
        return ""
    if "bodyValue" in data:
        return _string(data, "bodyValue", "", problems) or ""
    body = data.get("body")
    if body is None:
        return ""
    if not isinstance(body, dict):
        problems.setdefault("body", "A TextualBody (an object with its `value`): this server keeps notes in "
                                    "plain text.")
        return ""
    _unknown(body, BODY_KEYS, "body.", problems)
    body = _singles(body, problems, ("type",), "body.")
    if body.get("type", "TextualBody") != "TextualBody":
        problems["body.type"] = "Only a TextualBody is kept here."
    if body.get("format", "text/plain") != "text/plain":
        problems["body.format"] = "Notes are plain text here: `text/plain`, or leave it out."
    return _string(body, "value", "body.", problems, required=True) or ""


# The Web Annotation Data Model lets these be one value or an array of them; this server keeps
# one of each, so an array of one is that value, and a longer one is refused by name.
ONE_OR_MORE = ("@context", "type", "motivation", "body", "target")


def _singles(data: dict[str, Any], problems: dict[str, str], names: Iterable[str] = ONE_OR_MORE,
             path: str = "") -> dict[str, Any]:
    single = dict(data)
    for name in names:
        value = data.get(name)
        if isinstance(value, list):
            if len(value) == 1:
                single[name] = value[0]
            else:
                problems[f"{path}{name}"] = (f"One `{name}`: this server keeps one per annotation (an array of one "
                                             "is taken).")
                single.pop(name)
    return single


def read_annotation(data: Any, *, motivations: Iterable[str]) -> Sent:
    """A W3C Annotation (JSON-LD, compacted with the W3C context) as sent to the container, read
    as strictly as the rest of the API: anything this server would not keep is refused, by name,
    never silently dropped. Raises Refused."""
    if not isinstance(data, dict):
        raise Refused({"non_field_errors": "A W3C Annotation is a JSON object."})
    problems: dict[str, str] = {}
    data = _singles(data, problems)
    _unknown(data, ("@context", "type", "motivation", "body", "bodyValue", "target", *SERVER_SET), "", problems)
    if data.get("@context") not in CONTEXTS:
        problems.setdefault("@context", f"The W3C Web Annotation context, \"{ANNO_CONTEXT}\".")
    if data.get("type") != "Annotation":
        problems.setdefault("type", "\"Annotation\".")
    for name in ("id", "created", "modified"):
        _string(data, name, "", problems)
    if "creator" in data and not isinstance(data["creator"], str | dict):
        problems["creator"] = "An IRI or an object (not kept: the creator is who sends it)."
    names = motivation_names(motivations)
    motivation = data.get("motivation", "highlighting")
    if not isinstance(motivation, str) or motivation not in names:
        problems.setdefault("motivation", f"One of {', '.join(sorted(names))}.")
    body = _body(data, problems)
    target = data.get("target")
    source, quote, position = "", None, None
    if not isinstance(target, dict):
        problems.setdefault("target", "An object: the `source` (the archived snapshot's IRI, as we publish it) "
                                      "and its `selector`.")
    else:
        _unknown(target, TARGET_KEYS, "target.", problems)
        target = _singles(target, problems, ("type",), "target.")
        if target.get("type", "SpecificResource") != "SpecificResource":
            problems["target.type"] = "\"SpecificResource\", or leave it out."
        source = _string(target, "source", "target.", problems, required=True, blank=False) or ""
        quote, position = _selectors(target.get("selector"), problems)
    if problems:
        raise Refused(problems)
    return Sent(source=source, quote=quote, position=position, motivation=names[motivation], body=body)


def passage(text: str, *, quote: Quote | None, position: Position | None) -> Position:
    """Where in `text` the selectors point (code points): the position, which the quote must agree
    with when both are sent; else the one place the quote, with its prefix and suffix, occurs.
    Raises Refused when they point nowhere, disagree, or could point at several places."""
    name = "target.selector"
    if position is not None:
        if position.end > len(text):
            raise Refused({name: f"The TextPositionSelector ({position.start}–{position.end}) runs past the end "
                                 f"of the archived text ({len(text)} code points)."})
        if quote is not None:
            selected = text[position.start:position.end]
            if selected != quote.exact:
                raise Refused({name: f"The TextQuoteSelector's exact text is not the passage the "
                                     f"TextPositionSelector selects ({selected[:80]!r})."})
            if not text[:position.start].endswith(quote.prefix) or not text[position.end:].startswith(quote.suffix):
                raise Refused({name: "The TextQuoteSelector's prefix or suffix is not what surrounds the passage "
                                     "the TextPositionSelector selects."})
        return position
    if quote is None:
        raise Refused({name: "A TextQuoteSelector, a TextPositionSelector, or both: the passage annotated."})
    found = [start for start in occurrences(text, quote.exact)
             if text[:start].endswith(quote.prefix) and text[start + len(quote.exact):].startswith(quote.suffix)]
    if not found:
        raise Refused({name: "The TextQuoteSelector's text (with its prefix and suffix) is not in the archived "
                             "text word for word."})
    if len(found) > 1:
        raise Refused({name: f"The TextQuoteSelector's text occurs {len(found)} times in the archived text: add a "
                             "longer prefix or suffix, or a TextPositionSelector."})
    return Position(found[0], found[0] + len(quote.exact))


# Container preferences (§4.2.1, with LDP §7.2 and RFC 7240)

PREFER_MINIMAL = "http://www.w3.org/ns/ldp#PreferMinimalContainer"
PREFER_IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"
PREFER_DESCRIPTIONS = "http://www.w3.org/ns/oa#PreferContainedDescriptions"
_OUTSIDE_QUOTES = r'(?=(?:[^"]*"[^"]*")*[^"]*$)'


def preferred(prefer: str) -> set[str]:
    """The container preferences a Prefer header asks for: the IRIs `include`d in its
    `return=representation` preference. Any other preference, or a malformed one, is ignored,
    as RFC 7240 says: a preference is never an error."""
    included: set[str] = set()
    for preference in re.split(f",{_OUTSIDE_QUOTES}", prefer):
        token, *parameters = [part.strip() for part in re.split(f";{_OUTSIDE_QUOTES}", preference)]
        if token.replace(" ", "").lower() != "return=representation":
            continue
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "include":
                included.update(value.strip().strip('"').split())
    return included & {PREFER_MINIMAL, PREFER_IRIS, PREFER_DESCRIPTIONS}


@dataclass(frozen=True)
class Representation:
    """How the container is shown: with its first page embedded or not, its annotations as IRIs
    or as descriptions; and which preferences that applied."""

    minimal: bool = False
    iris: bool = False
    applied: bool = False


def representation(included: set[str], *, iris: bool) -> Representation:
    """The protocol's default is descriptions embedded; PreferContainedIRIs and
    PreferContainedDescriptions together cannot both be honoured, so neither is."""
    both = {PREFER_IRIS, PREFER_DESCRIPTIONS} <= included
    if not both and PREFER_IRIS in included:
        iris = True
    elif not both and PREFER_DESCRIPTIONS in included:
        iris = False
    applied = PREFER_MINIMAL in included or (not both and bool(included & {PREFER_IRIS, PREFER_DESCRIPTIONS}))
    return Representation(minimal=PREFER_MINIMAL in included, iris=iris, applied=applied)
