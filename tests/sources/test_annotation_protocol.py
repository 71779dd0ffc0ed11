"""The annotations API in the W3C Web Annotation Protocol, read by a JSON-LD processor (pyld)
against the bundled W3C context, with a document loader that never goes to the network."""

import copy
from typing import Any

import pytest
from pyld import jsonld
from rest_framework.test import APIClient

from sources import annotation_protocol, services
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
    assert response["ETag"] == '"1"'
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
                   HTTP_IF_NONE_MATCH='"1"').status_code == 304


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
        assert page.status_code == 200 and "Link" not in page  # a page is not a container
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
