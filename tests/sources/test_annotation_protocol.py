"""The annotations API in the W3C Web Annotation Protocol, read by a JSON-LD processor (pyld)
against the bundled W3C context, with a document loader that never goes to the network."""

import copy
import json
from typing import Any

import pytest
from pyld import jsonld
from rest_framework.test import APIClient

from sources import annotation_protocol, services
from sources.models import Annotation
from tests.conftest import make_claim, make_document, make_snapshot, publish

PROFILE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
OA = "http://www.w3.org/ns/oa#"
AS = "http://www.w3.org/ns/activitystreams#"


def offline_loader(url: str, options: Any = None) -> dict[str, Any]:
    """Serves the bundled W3C context and nothing else: no test reaches the network."""
    if url.rstrip("/") not in {"http://www.w3.org/ns/anno.jsonld", "https://www.w3.org/ns/anno.jsonld"}:
        raise AssertionError(f"the test tried to load {url}")
    return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(annotation_protocol.bundled_context())}


def expand(data: dict[str, Any]) -> list[dict[str, Any]]:
    return jsonld.expand(data, {"documentLoader": offline_loader})


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _annotations(alice: Any, count: int) -> list[Any]:
    snapshot = make_snapshot(alice, make_document(alice), text="Wang acquired a 5% stake in Rustakt. " * 3)
    return [services.annotation_create(snapshot=snapshot, actor=alice, start=0, end=4 + n % 5,
                                       motivation="assessing" if n % 2 else "questioning", body=f"Note {n}")
            for n in range(count)]


def test_an_annotation_is_a_w3c_web_annotation_with_the_protocols_headers(api: APIClient, alice: Any) -> None:
    annotation = _annotations(alice, 2)[1]  # motivation: assessing, a term the W3C context lacks
    api.force_authenticate(alice)
    response = api.get(f"/api/v1/annotations/{annotation.pk}/", HTTP_ACCEPT=PROFILE)
    assert response.status_code == 200
    assert response["Content-Type"] == PROFILE
    # The W3C form's own tag: our JSON of the same version is another representation (RFC 9110, 8.8.1).
    assert response["ETag"] == '"1-ld"'
    plain = api.get(f"/api/v1/annotations/{annotation.pk}/")
    assert plain["ETag"] == '"1"'
    assert api.get(f"/api/v1/annotations/{annotation.pk}/", HTTP_IF_NONE_MATCH='"1-ld"').status_code == 200
    assert api.get(f"/api/v1/annotations/{annotation.pk}/", HTTP_ACCEPT=PROFILE,
                   HTTP_IF_NONE_MATCH='"1-ld"').status_code == 304
    assert APIClient().get(f"/api/v1/annotations/{annotation.pk}/", HTTP_ACCEPT=PROFILE).status_code == 404  # a draft's
    assert '<http://www.w3.org/ns/ldp#Resource>; rel="type"' in response["Link"]
    assert {"GET", "HEAD", "OPTIONS"} <= {method.strip() for method in response["Allow"].split(",")}
    assert "Accept" in response["Vary"]
    [node] = expand(response.json())
    assert node["@id"] == f"http://testserver/api/v1/annotations/{annotation.pk}/"
    assert node["@type"] == [f"{OA}Annotation"]
    assert node[f"{OA}motivatedBy"] == [{"@id": f"{OA}assessing"}]
    [target] = node[f"{OA}hasTarget"]
    assert target[f"{OA}hasSource"] == [{"@id": f"http://testserver/snapshots/{annotation.snapshot_id}/"}]
    quote, position = target[f"{OA}hasSelector"]
    assert quote["@type"] == [f"{OA}TextQuoteSelector"] and quote[f"{OA}exact"] == [{"@value": annotation.exact}]
    assert position[f"{OA}start"][0]["@value"] == annotation.start
    [text] = node[f"{OA}hasBody"]
    assert text["@type"] == [f"{OA}TextualBody"]
    assert text["http://www.w3.org/1999/02/22-rdf-syntax-ns#value"] == [{"@value": "Note 1"}]
    assert api.get(f"/api/v1/annotations/{annotation.pk}/", HTTP_ACCEPT=PROFILE,
                   HTTP_IF_NONE_MATCH='"1-ld"').status_code == 304


def test_the_container_is_an_annotation_collection_read_in_pages(api: APIClient, alice: Any) -> None:
    annotations = _annotations(alice, 5)
    api.force_authenticate(alice)
    response = api.get("/api/v1/annotations/?page_size=2", HTTP_ACCEPT=PROFILE)
    assert response.status_code == 200 and response["Content-Type"] == PROFILE
    assert '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"' in response["Link"]
    assert ('<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"'
            in response["Link"])
    assert response["ETag"].startswith('"') and "Accept" in response["Vary"]
    assert {"GET", "POST", "HEAD", "OPTIONS"} <= {method.strip() for method in response["Allow"].split(",")}
    container = response.json()
    assert container["type"] == "AnnotationCollection" and container["total"] == 5
    assert container["id"] == response["Content-Location"] == "http://testserver/api/v1/annotations/?page_size=2"
    assert container["first"]["type"] == "AnnotationPage" and container["first"]["startIndex"] == 0
    assert container["last"] == "http://testserver/api/v1/annotations/?page_size=2&page=2"
    [node] = expand(container)
    assert node["@type"] == [f"{AS}OrderedCollection"]
    assert node[f"{AS}totalItems"][0]["@value"] == 5
    [first] = node[f"{AS}first"]
    assert first["@type"] == [f"{AS}OrderedCollectionPage"]
    assert [item["@id"] for item in first[f"{AS}items"][0]["@list"]] == [
        f"http://testserver/api/v1/annotations/{a.pk}/" for a in annotations[:2]]
    # Following `next` reads every annotation once, oldest first, each page part of the collection.
    seen, url = [], container["first"]["next"]
    seen += [item["id"] for item in container["first"]["items"]]
    while url:
        page = api.get(url, HTTP_ACCEPT=PROFILE)
        assert page.status_code == 200 and "rel=\"type\"" not in page["Link"]  # a page is not a container
        data = page.json()
        [page_node] = expand(data)
        assert page_node["@type"] == [f"{AS}OrderedCollectionPage"]
        assert page_node[f"{AS}partOf"][0]["@id"] == container["id"]
        assert data["prev"] and data["startIndex"] == len(seen)
        seen += [item["id"] for item in data["items"]]
        url = data.get("next")
    assert seen == [f"http://testserver/api/v1/annotations/{a.pk}/" for a in annotations]
    etag = response["ETag"]
    assert api.get("/api/v1/annotations/?page_size=2", HTTP_ACCEPT=PROFILE,
                   HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert api.get("/api/v1/annotations/?page=9", HTTP_ACCEPT=PROFILE).status_code == 404
    bad = api.get("/api/v1/annotations/?page=-1", HTTP_ACCEPT=PROFILE)
    assert bad.status_code == 400 and "page" in bad.json()["fields"]
    assert bad["Content-Type"] == "application/json"


def test_the_public_container_lists_the_passages_published_claims_quote(api: APIClient, alice: Any,
                                                                         bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    _annotations(alice, 2)  # unpublished notes: not in the public collection
    container = api.get("/api/v1/annotations/", HTTP_ACCEPT=PROFILE).json()
    assert container["total"] == 1
    [item] = container["first"]["items"]
    assert item["id"] == f"http://testserver/api/v1/annotations/{claim.annotation_id}/"
    assert item["creator"]["type"] == "Organization"
    expand(container)
    empty = api.get("/api/v1/annotations/?motivation=questioning", HTTP_ACCEPT=PROFILE).json()
    assert empty["total"] == 0 and "first" not in empty


def test_a_write_answers_in_json_with_the_container_headers(api: APIClient, alice: Any) -> None:
    snapshot = make_snapshot(alice, make_document(alice))
    api.force_authenticate(alice)
    created = api.post("/api/v1/annotations/", {"snapshot": snapshot.pk, "start": 0, "end": 4}, format="json")
    assert created.status_code == 201 and created["Content-Type"] == "application/json"
    assert "ldp#constrainedBy" in created["Link"]
    refused = api.post("/api/v1/annotations/", {"snapshot": snapshot.pk, "start": 0, "end": 99}, format="json",
                       HTTP_ACCEPT=PROFILE)
    assert refused.status_code in {400, 406} and "ldp#constrainedBy" in refused["Link"]


# Writes: create, replace and delete with W3C bodies (§5), through the services

TEXT = "Records were deleted. Wang acquired a 5% stake in Rustakt. The stake was 5% in Rustakt."
PASSAGE = "Wang acquired a 5% stake in Rustakt"


def _snapshot(alice: Any) -> Any:
    return make_snapshot(alice, make_document(alice), text=TEXT)


def w3c_annotation(snapshot: Any, **overrides: Any) -> dict[str, Any]:
    """A W3C Annotation as a protocol client sends it: no id of ours, the passage by both selectors."""
    start = TEXT.index(PASSAGE)
    annotation = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "motivation": "questioning",
        "body": {"type": "TextualBody", "value": "Which filing shows this?", "format": "text/plain"},
        "target": {"source": f"http://testserver/snapshots/{snapshot.pk}/", "selector": [
            {"type": "TextQuoteSelector", "exact": PASSAGE, "prefix": "deleted. ", "suffix": ". The"},
            {"type": "TextPositionSelector", "start": start, "end": start + len(PASSAGE)}]},
    }
    annotation.update(overrides)
    return annotation


def _post(api: APIClient, data: Any, **headers: Any) -> Any:
    return api.post("/api/v1/annotations/", json.dumps(data), content_type=PROFILE, HTTP_ACCEPT=PROFILE, **headers)


def _put(api: APIClient, pk: int, data: Any, **headers: Any) -> Any:
    return api.put(f"/api/v1/annotations/{pk}/", json.dumps(data), content_type=PROFILE, HTTP_ACCEPT=PROFILE,
                   **headers)


def test_a_w3c_annotation_posted_to_the_container_is_created(api: APIClient, alice: Any) -> None:
    snapshot = _snapshot(alice)
    api.force_authenticate(alice)
    sent = w3c_annotation(snapshot, id="http://client.example/anno/1", created="2020-01-01T00:00:00Z")
    response = _post(api, sent)
    assert response.status_code == 201, response.content
    annotation = Annotation.objects.get()
    iri = f"http://testserver/api/v1/annotations/{annotation.pk}/"
    assert response["Location"] == iri and response["ETag"] == '"1-ld"'
    assert response["Content-Type"] == PROFILE
    assert "ldp#constrainedBy" in response["Link"]  # the container's headers, on every response
    data = response.json()
    assert data["id"] == iri  # the server names it, whatever id the client sent (§5.1)
    assert data["created"] != sent["created"]
    [node] = expand(data)
    assert node["@id"] == iri and node[f"{OA}motivatedBy"] == [{"@id": f"{OA}questioning"}]
    [target] = node[f"{OA}hasTarget"]
    assert target[f"{OA}hasSource"] == [{"@id": f"http://testserver/snapshots/{snapshot.pk}/"}]
    # Made by the same service as a JSON create: the passage, its context, the author and the history.
    start = TEXT.index(PASSAGE)
    assert (annotation.start, annotation.end, annotation.exact) == (start, start + len(PASSAGE), PASSAGE)
    assert annotation.prefix == TEXT[:start] and annotation.body == "Which filing shows this?"
    assert annotation.author == alice and annotation.motivation == "questioning"
    assert annotation.history.get().history_change_reason == "Annotation created"


@pytest.mark.parametrize("selector,expected", [
    ({"type": "TextQuoteSelector", "exact": "Wang acquired"}, "Wang acquired"),  # once in the text
    ({"type": "TextQuoteSelector", "exact": "5% in Rustakt"}, "5% in Rustakt"),
    ({"type": "TextQuoteSelector", "exact": "5%", "prefix": "was "}, "5%"),  # the prefix tells which
    ({"type": "TextPositionSelector", "start": 0, "end": 7}, "Records"),
])
def test_one_selector_is_enough_when_it_points_at_one_passage(api: APIClient, alice: Any, selector: dict[str, Any],
                                                              expected: str) -> None:
    snapshot = _snapshot(alice)
    api.force_authenticate(alice)
    # The note as a TextualBody with only its value, or as bodyValue (the model's shorthand).
    note = {"bodyValue": "Check."} if "start" in selector else {"body": {"value": "Check."}}
    sent = w3c_annotation(snapshot, motivation="oa:assessing",
                          target={"source": f"http://testserver/snapshots/{snapshot.pk}/", "selector": selector})
    response = _post(api, {**{key: value for key, value in sent.items() if key != "body"}, **note})
    assert response.status_code == 201, response.content
    annotation = Annotation.objects.get()
    assert annotation.exact == expected and annotation.motivation == "assessing" and annotation.body == "Check."


def _bad(snapshot: Any, case: str) -> tuple[dict[str, Any], str]:
    """A W3C annotation with one thing wrong, and the field the error names."""
    good = w3c_annotation(snapshot)
    target = good["target"]
    quote, position = target["selector"]
    source = target["source"]
    cases: dict[str, tuple[dict[str, Any], str]] = {
        "unknown snapshot": ({**good, "target": {**target, "source": "http://testserver/snapshots/999999/"}},
                             "target.source"),
        "another site": ({**good, "target": {**target, "source": source.replace("testserver", "example.org")}},
                         "target.source"),
        "not a snapshot": ({**good, "target": {**target, "source": "http://testserver/claims/x/"}}, "target.source"),
        "quote not in the text": ({**good, "target": {**target, "selector": {**quote, "exact": "Not there"}}},
                                  "target.selector"),
        "quote and position disagree": ({**good, "target": {**target, "selector": [
            quote, {**position, "start": position["start"] + 1, "end": position["end"] + 1}]}}, "target.selector"),
        "prefix disagrees": ({**good, "target": {**target, "selector": [{**quote, "prefix": "Nope"}, position]}},
                             "target.selector"),
        "quote in two places": ({**good, "target": {**target, "selector": {"type": "TextQuoteSelector",
                                                                           "exact": "5%"}}}, "target.selector"),
        "past the end": ({**good, "target": {**target, "selector": {**position, "end": len(TEXT) + 1}}},
                         "target.selector"),
        "end before start": ({**good, "target": {**target, "selector": {**position, "end": position["start"]}}},
                             "target.selector.end"),
        "other selector": ({**good, "target": {**target, "selector": {"type": "CssSelector", "value": "p"}}},
                           "target.selector"),
        "two quotes": ({**good, "target": {**target, "selector": [quote, quote]}}, "target.selector[1]"),
        "no selector": ({**good, "target": {"source": source}}, "target.selector"),
        "target as an IRI": ({**good, "target": source}, "target"),
        "no target": ({key: value for key, value in good.items() if key != "target"}, "target"),
        "other context": ({**good, "@context": "https://schema.org"}, "@context"),
        "not an annotation": ({**good, "type": "Note"}, "type"),
        "a property not kept": ({**good, "rights": "https://creativecommons.org/licenses/by/4.0/"}, "rights"),
        "html body": ({**good, "body": {**good["body"], "format": "text/html"}}, "body.format"),
        "body as an IRI": ({**good, "body": "http://example.org/note"}, "body"),
        "motivation we do not keep": ({**good, "motivation": "tagging"}, "motivation"),
        "a term the context lacks": ({**good, "motivation": "assessing"}, "motivation"),
        "both body and bodyValue": ({**good, "bodyValue": "Also"}, "bodyValue"),
        "a null prefix": ({**good, "target": {**target, "selector": [{**quote, "prefix": None}, position]}},
                          "target.selector[0].prefix"),
        "a selector type that is an object": ({**good, "target": {**target, "selector": [{**position, "type": {}}]}},
                                              "target.selector[0]"),
        "a motivation that is a list of two": ({**good, "motivation": ["commenting", "questioning"]}, "motivation"),
    }
    return cases[case]


BAD_CASES = ["unknown snapshot", "another site", "not a snapshot", "quote not in the text",
             "quote and position disagree", "prefix disagrees", "quote in two places", "past the end",
             "end before start", "other selector", "two quotes", "no selector", "target as an IRI", "no target",
             "other context", "not an annotation", "a property not kept", "html body", "body as an IRI",
             "motivation we do not keep", "a term the context lacks", "both body and bodyValue", "a null prefix",
             "a selector type that is an object", "a motivation that is a list of two"]


@pytest.mark.parametrize("case", BAD_CASES)
def test_a_w3c_annotation_that_cannot_be_kept_is_a_400_naming_what_is_wrong(api: APIClient, alice: Any,
                                                                            case: str) -> None:
    snapshot = _snapshot(alice)
    api.force_authenticate(alice)
    data, field = _bad(snapshot, case)
    response = _post(api, data)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    error = response.json()
    assert error["error"] == "invalid" and field in error["fields"], error
    assert "ldp#constrainedBy" in response["Link"]
    assert not Annotation.objects.exists()


def test_a_w3c_create_needs_a_desk_role(api: APIClient, alice: Any, erin: Any) -> None:
    data = w3c_annotation(_snapshot(alice))
    assert _post(api, data).status_code == 401
    api.force_authenticate(erin)
    assert _post(api, data).status_code == 403
    assert not Annotation.objects.exists()


def test_a_w3c_put_replaces_the_annotation_with_if_match(api: APIClient, alice: Any) -> None:
    snapshot = _snapshot(alice)
    api.force_authenticate(alice)
    created = _post(api, w3c_annotation(snapshot))
    pk, etag = Annotation.objects.get().pk, created["ETag"]
    read = api.get(f"/api/v1/annotations/{pk}/", HTTP_ACCEPT=PROFILE)
    assert {"PUT", "DELETE", "PATCH"} <= {method.strip() for method in read["Allow"].split(",")}
    # The client sends back what it read, changed (§5.3): the server's id, dates and creator included.
    changed = {**read.json(), "motivation": "commenting",
               "body": {"type": "TextualBody", "value": "The FT saw the filing."}}
    assert _put(api, pk, changed).status_code == 428
    assert _put(api, pk, changed, HTTP_IF_MATCH='"9"').status_code == 412
    replaced = _put(api, pk, changed, HTTP_IF_MATCH=etag)
    assert replaced.status_code == 200, replaced.content
    assert replaced["Content-Type"] == PROFILE and replaced["ETag"] == '"2-ld"'
    assert '<http://www.w3.org/ns/ldp#Resource>; rel="type"' in replaced["Link"]
    [node] = expand(replaced.json())
    assert node[f"{OA}motivatedBy"] == [{"@id": f"{OA}commenting"}]
    annotation = Annotation.objects.get()
    assert (annotation.motivation, annotation.body, annotation.version) == ("commenting", "The FT saw the filing.", 2)
    assert annotation.history.first().history_change_reason == "Replaced through the W3C Web Annotation Protocol"
    # PUT replaces: a note left out is cleared, the motivation left out is the default.
    bare = {key: value for key, value in changed.items() if key not in {"body", "motivation"}}
    cleared = _put(api, pk, bare, HTTP_IF_MATCH='"2"')
    assert cleared.status_code == 200 and "body" not in cleared.json()
    assert (Annotation.objects.get().body, Annotation.objects.get().motivation) == ("", "highlighting")


def test_a_w3c_put_cannot_move_the_annotation(api: APIClient, alice: Any) -> None:
    snapshot = _snapshot(alice)
    api.force_authenticate(alice)
    _post(api, w3c_annotation(snapshot))
    annotation = Annotation.objects.get()
    elsewhere = w3c_annotation(snapshot, target={"source": f"http://testserver/snapshots/{snapshot.pk}/",
                                                 "selector": {"type": "TextPositionSelector", "start": 0, "end": 7}})
    response = _put(api, annotation.pk, elsewhere, HTTP_IF_MATCH='"1"')
    assert response.status_code == 400 and "target" in response.json()["fields"]
    bad = _put(api, annotation.pk, {**elsewhere, "type": "Note"}, HTTP_IF_MATCH='"1"')
    assert bad.status_code == 400 and "type" in bad.json()["fields"]
    assert Annotation.objects.get().version == 1


def test_a_json_put_replaces_too(api: APIClient, alice: Any) -> None:
    snapshot = _snapshot(alice)
    api.force_authenticate(alice)
    pk = _post(api, w3c_annotation(snapshot)).json()["id"].rstrip("/").rsplit("/", 1)[1]
    response = api.put(f"/api/v1/annotations/{pk}/", {"motivation": "commenting", "reason": "Only a comment"},
                       format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert (response.json()["motivation"], response.json()["body"]) == ("commenting", "")
    moved = api.put(f"/api/v1/annotations/{pk}/", {"start": 0, "reason": "r"}, format="json", HTTP_IF_MATCH='"2"')
    assert moved.status_code == 400 and "start" in moved.json()["fields"]
    patched = api.patch(f"/api/v1/annotations/{pk}/", json.dumps(w3c_annotation(snapshot)), content_type=PROFILE,
                        HTTP_IF_MATCH='"2"')
    assert patched.status_code == 415  # PATCH takes our JSON; a W3C annotation replaces with PUT


def test_a_w3c_delete_with_if_match(api: APIClient, alice: Any, erin: Any) -> None:
    snapshot = _snapshot(alice)
    api.force_authenticate(alice)
    _post(api, w3c_annotation(snapshot))
    annotation = Annotation.objects.get()
    url = f"/api/v1/annotations/{annotation.pk}/"
    assert api.delete(url).status_code == 428
    assert api.delete(url, HTTP_IF_MATCH='"2"').status_code == 412
    reader = APIClient()
    reader.force_authenticate(erin)
    assert reader.delete(url, HTTP_IF_MATCH='"1"').status_code == 403
    assert APIClient().delete(url, HTTP_IF_MATCH='"1"').status_code == 401
    assert Annotation.objects.exists()
    deleted = api.delete(url, HTTP_IF_MATCH='"1"')
    assert deleted.status_code == 204 and not deleted.content
    assert not Annotation.objects.exists()
    assert api.get(url, HTTP_ACCEPT=PROFILE).status_code == 404
    assert api.get("/api/v1/annotations/", HTTP_ACCEPT=PROFILE).json()["total"] == 0
    gone = Annotation.history.filter(id=annotation.pk).order_by("-history_id").first()
    assert gone.history_type == "-" and gone.history_user_id == alice.pk
    assert gone.history_change_reason == "Deleted through the API"


def test_a_deleted_annotations_history_stays_for_the_team(api: APIClient, alice: Any, erin: Any) -> None:
    """The history ends with the deletion and is still read at the annotation's address, by the team."""
    snapshot = _snapshot(alice)
    api.force_authenticate(alice)
    _post(api, w3c_annotation(snapshot))
    url = f"/api/v1/annotations/{Annotation.objects.get().pk}/"
    assert api.delete(url, HTTP_IF_MATCH='"1"').status_code == 204
    history = api.get(f"{url}history/")
    assert history.status_code == 200
    assert [row["history_type"] for row in history.json()] == ["-", "+"]
    assert history.json()[0]["reason"] == "Deleted through the API"
    reader = APIClient()
    reader.force_authenticate(erin)
    assert reader.get(f"{url}history/").status_code == 404  # to anyone else it is gone
    assert APIClient().get(f"{url}history/").status_code == 404
    assert api.get("/api/v1/annotations/999999/history/").status_code == 404


def test_an_annotation_a_claim_cites_is_not_deleted(api: APIClient, alice: Any, bob: Any) -> None:
    draft = make_claim(alice)
    published = publish(make_claim(alice, text="Another claim."), author=alice, editor=bob)
    api.force_authenticate(bob)
    for claim in (draft, published):
        url = f"/api/v1/annotations/{claim.annotation_id}/"
        response = api.delete(url, HTTP_IF_MATCH=api.get(url)["ETag"])
        assert response.status_code == 409 and response.json()["error"] == "in_use", response.content
    assert Annotation.objects.count() == 2


# Container preferences (§4.2.1)

def _container(api: APIClient, prefer: str | None = None, url: str = "/api/v1/annotations/?page_size=2") -> Any:
    headers = {"HTTP_PREFER": prefer} if prefer is not None else {}
    return api.get(url, HTTP_ACCEPT=PROFILE, **headers)


def test_the_container_honours_the_minimal_container_preference(api: APIClient, alice: Any) -> None:
    _annotations(alice, 3)
    api.force_authenticate(alice)
    response = _container(api, f'return=representation; include="{annotation_protocol.PREFER_MINIMAL}"')
    assert response.status_code == 200 and response["Preference-Applied"] == "return=representation"
    assert "Prefer" in response["Vary"] and "Accept" in response["Vary"]
    data = response.json()
    assert data["total"] == 3 and "items" not in str(data)
    assert data["first"] == "http://testserver/api/v1/annotations/?page_size=2&page=0"
    assert data["last"] == "http://testserver/api/v1/annotations/?page_size=2&page=1"
    [node] = expand(data)
    assert node[f"{AS}first"] == [{"@id": data["first"]}]
    assert "Preference-Applied" not in _container(api)  # no preference, the default: descriptions embedded
    assert response["ETag"] != _container(api)["ETag"]


def test_the_container_honours_contained_iris(api: APIClient, alice: Any) -> None:
    annotations = _annotations(alice, 3)
    api.force_authenticate(alice)
    iris = [f"http://testserver/api/v1/annotations/{a.pk}/" for a in annotations]
    response = _container(api, f'return=representation;include="{annotation_protocol.PREFER_IRIS}"')
    assert response["Preference-Applied"] == "return=representation"
    data = response.json()
    # The container's IRI says which representation this is, and the pages follow it (§4.2).
    assert data["id"] == response["Content-Location"] == "http://testserver/api/v1/annotations/?page_size=2&iris=1"
    assert data["first"]["items"] == iris[:2]
    [node] = expand(data)
    [first] = node[f"{AS}first"]
    assert [item["@id"] for item in first[f"{AS}items"][0]["@list"]] == iris[:2]
    page = api.get(data["first"]["next"], HTTP_ACCEPT=PROFILE).json()
    assert page["items"] == iris[2:] and page["partOf"]["id"] == data["id"]
    expand(page)
    minimal = _container(api, f'return=representation; include="{annotation_protocol.PREFER_MINIMAL} '
                              f'{annotation_protocol.PREFER_IRIS}"').json()
    assert minimal["first"] == "http://testserver/api/v1/annotations/?page_size=2&iris=1&page=0"
    bad = api.get("/api/v1/annotations/?iris=2", HTTP_ACCEPT=PROFILE)
    assert bad.status_code == 400 and "iris" in bad.json()["fields"]


def test_the_container_honours_contained_descriptions_and_ignores_contradictions(api: APIClient,
                                                                                 alice: Any) -> None:
    _annotations(alice, 1)
    api.force_authenticate(alice)
    described = _container(api, f'return=representation; include="{annotation_protocol.PREFER_DESCRIPTIONS}"',
                           url="/api/v1/annotations/?iris=1")
    assert described["Preference-Applied"] == "return=representation"
    assert described.json()["first"]["items"][0]["type"] == "Annotation"
    both = _container(api, f'return=representation; include="{annotation_protocol.PREFER_IRIS} '
                           f'{annotation_protocol.PREFER_DESCRIPTIONS}"')
    assert "Preference-Applied" not in both and both.json()["first"]["items"][0]["type"] == "Annotation"
    for prefer in ["", "respond-async", "return=minimal", 'return=representation; include="http://example.org/x"',
                   '"', "return=representation; include"]:
        response = _container(api, prefer)
        assert response.status_code == 200 and "Preference-Applied" not in response, prefer


def test_the_container_says_what_it_accepts(api: APIClient, alice: Any) -> None:
    api.force_authenticate(alice)
    for response in (_container(api), api.head("/api/v1/annotations/", HTTP_ACCEPT=PROFILE),
                     api.options("/api/v1/annotations/")):
        assert PROFILE in response["Accept-Post"] and "application/json" in response["Accept-Post"]


# The pure parts

@pytest.mark.parametrize("header,expected", [
    (f'return=representation; include="{annotation_protocol.PREFER_MINIMAL}"', {annotation_protocol.PREFER_MINIMAL}),
    (f'handling=lenient, return=representation;include="{annotation_protocol.PREFER_IRIS} http://x.example/y"',
     {annotation_protocol.PREFER_IRIS}),
    (f'RETURN = representation; include="{annotation_protocol.PREFER_DESCRIPTIONS}"',
     {annotation_protocol.PREFER_DESCRIPTIONS}),
    (f'return=minimal; include="{annotation_protocol.PREFER_MINIMAL}"', set()),
    ("", set()), ('"', set()), ("return=representation; include", set()),
])
def test_prefer_headers_are_read_as_rfc_7240_writes_them(header: str, expected: set[str]) -> None:
    assert annotation_protocol.preferred(header) == expected


def test_selectors_point_at_one_passage_or_are_refused() -> None:
    quote, position = annotation_protocol.Quote, annotation_protocol.Position
    start = TEXT.index(PASSAGE)
    found = annotation_protocol.passage(TEXT, quote=quote(PASSAGE), position=None)
    assert (found.start, found.end) == (start, start + len(PASSAGE))
    assert annotation_protocol.passage(TEXT, quote=None, position=position(0, 7)) == position(0, 7)
    for wrong in [dict(quote=quote("5%"), position=None), dict(quote=quote("absent"), position=None),
                  dict(quote=quote("Records"), position=position(1, 8)), dict(quote=None, position=position(0, 999))]:
        with pytest.raises(annotation_protocol.Refused):
            annotation_protocol.passage(TEXT, **wrong)


def test_options_answers_a_w3c_client_and_says_what_it_describes(api: APIClient, alice: Any) -> None:
    """The protocol has servers answer OPTIONS on the container (and an annotation): whatever a
    W3C client's Accept, with the container's or the annotation's Link headers."""
    snapshot = _snapshot(alice)
    api.force_authenticate(alice)
    pk = _post(api, w3c_annotation(snapshot)).json()["id"].rstrip("/").rsplit("/", 1)[1]
    container = api.options("/api/v1/annotations/", HTTP_ACCEPT=PROFILE)
    assert container.status_code == 200 and "ldp#BasicContainer" in container["Link"]
    one = api.options(f"/api/v1/annotations/{pk}/", HTTP_ACCEPT="application/ld+json")
    assert one.status_code == 200 and "ldp#Resource" in one["Link"] and "BasicContainer" not in one["Link"]
    for response in (api.delete(f"/api/v1/annotations/{pk}/"),  # 428: no If-Match
                     api.delete(f"/api/v1/annotations/{pk}/", HTTP_IF_MATCH='"1"')):
        assert "ldp#Resource" in response["Link"], response.status_code


def test_a_w3c_client_writes_with_the_tag_of_the_form_it_read(api: APIClient, alice: Any) -> None:
    snapshot = _snapshot(alice)
    api.force_authenticate(alice)
    created = _post(api, w3c_annotation(snapshot))
    pk = created.json()["id"].rstrip("/").rsplit("/", 1)[1]
    changed = w3c_annotation(snapshot, body={"type": "TextualBody", "value": "Which filings?"})
    replaced = _put(api, pk, changed, HTTP_IF_MATCH=created["ETag"])
    assert replaced.status_code == 200 and replaced["ETag"] == '"2-ld"'
    assert _put(api, pk, w3c_annotation(snapshot), HTTP_IF_MATCH=created["ETag"]).status_code == 412  # stale now
    assert api.delete(f"/api/v1/annotations/{pk}/", HTTP_IF_MATCH=replaced["ETag"]).status_code == 204


def test_the_data_models_arrays_of_one_are_taken_and_longer_ones_refused_by_name(api: APIClient,
                                                                                alice: Any) -> None:
    """The Web Annotation Data Model lets @context, type, motivation, body and target be arrays
    (as Hypothesis sends its target); this server keeps one of each."""
    snapshot = _snapshot(alice)
    api.force_authenticate(alice)
    sent = w3c_annotation(snapshot)
    arrays = {**sent, "@context": [sent["@context"]], "type": ["Annotation"], "motivation": ["questioning"],
              "body": [{**sent["body"], "type": ["TextualBody"]}],
              "target": [{**sent["target"], "type": ["SpecificResource"]}]}
    created = _post(api, arrays)
    assert created.status_code == 201, created.json()
    assert created.json()["body"]["value"] == sent["body"]["value"]
    two = _post(api, {**sent, "target": [sent["target"], sent["target"]]})
    assert two.status_code == 400 and "one per annotation" in two.json()["fields"]["target"][0]
    assert Annotation.objects.count() == 1


def test_a_w3c_client_patches_and_deletes_with_its_own_accept(api: APIClient, alice: Any) -> None:
    snapshot = _snapshot(alice)
    api.force_authenticate(alice)
    created = _post(api, w3c_annotation(snapshot))
    pk = created.json()["id"].rstrip("/").rsplit("/", 1)[1]
    url = f"/api/v1/annotations/{pk}/"
    patched = api.patch(url, {"body": "Which filings?", "reason": "Sharper"}, format="json", HTTP_ACCEPT=PROFILE,
                        HTTP_IF_MATCH=created["ETag"])
    assert patched.status_code == 200 and patched["Content-Type"] == PROFILE and patched["ETag"] == '"2-ld"'
    stale = api.delete(url, HTTP_ACCEPT=PROFILE, HTTP_IF_MATCH=created["ETag"])
    assert stale.status_code == 412 and stale["ETag"] == '"2-ld"'  # the current tag of the form it reads
    assert api.delete(url, HTTP_ACCEPT=PROFILE, HTTP_IF_MATCH=patched["ETag"]).status_code == 204
