"""HTTP as RFC 9110 says, on every endpoint through the shared API plumbing: PUT replaces and
PATCH merges, an unknown or read-only field in a write is a 400 naming it, and
`If-None-Match: *` on a create by natural key is a 412 when that object exists."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from claims.models import Claim, ClaimLink
from sources.models import Snapshot, Source
from tests.conftest import make_claim, make_document, make_snapshot, make_source


@pytest.fixture
def api(alice: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(alice)
    return client


def test_a_source_patch_with_a_slug_is_refused_not_ignored(api: APIClient, alice: Any) -> None:
    source = make_source(alice, name="Example Source")
    response = api.patch(f"/api/v1/sources/{source.pk}/", {"slug": "renamed", "reason": "r"}, format="json",
                         HTTP_IF_MATCH='"1"')
    assert response.status_code == 400
    assert response.json()["fields"]["slug"] == ["Set when it is created; it never changes."]
    assert "slug" in response.json()["detail"]
    source.refresh_from_db()
    assert source.slug == "example-source" and source.version == 1


@pytest.mark.parametrize("field,message", [("reliabilty", "Unknown field."), ("public_since", "Read-only: it cannot "
                                                                                              "be written."),
                                           ("id", "Read-only: it cannot be written.")])
def test_an_unknown_or_read_only_field_is_a_400_naming_it(api: APIClient, db: Any, field: str, message: str) -> None:
    body = {"name": "Example Firm", "kind": "research_firm", "reliability": "B", "reliability_rationale": "r",
            field: "B"}
    response = api.post("/api/v1/sources/", body, format="json")
    assert response.status_code == 400 and response.json()["fields"] == {field: [message]}
    assert not Source.objects.exists()


def test_every_write_refuses_unknown_fields(api: APIClient, alice: Any) -> None:
    claim = make_claim(alice)
    snapshot = make_snapshot(alice, make_document(alice))
    writes = [
        ("post", f"/api/v1/claims/{claim.pk}/submit/", {"version": 1, "coment": "typo"}),
        ("post", "/api/v1/links/", {"from_claim": claim.slug, "to_claim": claim.slug, "link_type": "supports",
                                    "rationale": "r", "weight": 3}),
        ("post", "/api/v1/snapshots/", {"document": snapshot.document_id, "text": "t", "sha256": "0" * 64}),
        ("post", "/api/v1/annotations/", {"snapshot": snapshot.pk, "start": 0, "end": 3, "exact": "Wan"}),
        ("post", "/api/v1/claimreview-imports/", {"content": "{}", "dry_run": True}),
        ("post", f"/api/v1/claims/{claim.pk}/revert/", {"version": 1, "history_id": 1, "reason": "r", "x": 1}),
        ("patch", f"/api/v1/claims/{claim.pk}/", {"version": 1, "reason": "r", "status": "published"}),
    ]
    for method, url, data in writes:
        response = getattr(api, method)(url, data, format="json")
        assert response.status_code == 400, (url, response.json())
        assert set(response.json()["fields"]) == set(data) - {"version", "reason", "from_claim", "to_claim",
                                                               "link_type", "rationale", "document", "text",
                                                               "snapshot", "start", "end", "content", "history_id"}
    claim.refresh_from_db()
    assert claim.status == "draft" and claim.version == 1


def test_an_annotations_place_is_set_once(api: APIClient, alice: Any) -> None:
    snapshot = make_snapshot(alice, make_document(alice))
    created = api.post("/api/v1/annotations/", {"snapshot": snapshot.pk, "start": 0, "end": 4}, format="json")
    url = f"/api/v1/annotations/{created.json()['id']}/"
    moved = api.patch(url, {"start": 1, "reason": "r"}, format="json", HTTP_IF_MATCH='"1"')
    assert moved.status_code == 400 and set(moved.json()["fields"]) == {"start"}
    assert api.patch(url, {"body": "A note", "reason": "r"}, format="json", HTTP_IF_MATCH='"1"').status_code == 200


def test_put_replaces_and_patch_merges_a_source(api: APIClient, alice: Any) -> None:
    source = make_source(alice, name="Example Outlet", homepage="https://outlet.example.org/",
                         description="A described outlet.")
    url = f"/api/v1/sources/{source.pk}/"
    merged = api.patch(url, {"reliability": "C", "reason": "Regraded"}, format="json", HTTP_IF_MATCH='"1"')
    assert merged.status_code == 200
    assert merged.json()["homepage"] == "https://outlet.example.org/" and merged.json()["reliability"] == "C"
    missing_required = api.put(url, {"kind": "news_outlet", "reliability": "C", "reason": "r"}, format="json",
                               HTTP_IF_MATCH='"2"')
    assert missing_required.status_code == 400 and "name" in missing_required.json()["fields"]
    replaced = api.put(url, {"name": "Example Outlet", "kind": "news_outlet", "reliability": "C",
                             "reliability_rationale": "Regraded.", "reason": "Replaced"}, format="json",
                       HTTP_IF_MATCH='"2"')
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json()["homepage"] == "" and replaced.json()["description"] == ""
    source.refresh_from_db()
    assert (source.homepage, source.description, source.version) == ("", "", 3)


def test_put_replaces_a_claims_content(api: APIClient, alice: Any) -> None:
    second = make_source(alice, name="Second Source")
    claim = make_claim(alice, primary_source=second)
    body = {"text": "A replaced claim.", "claimant": claim.claimant.slug, "document": claim.document.slug,
            "asserted_on": "2025-11-29", "credibility": 3, "credibility_rationale": "Replaced.", "reason": "r"}
    url = f"/api/v1/claims/{claim.pk}/"
    without_text = api.put(url, {key: value for key, value in body.items() if key != "text"}, format="json",
                           HTTP_IF_MATCH='"1"')
    assert without_text.status_code == 400 and "text" in without_text.json()["fields"]
    replaced = api.put(url, body, format="json", HTTP_IF_MATCH='"1"')
    assert replaced.status_code == 200, replaced.json()
    claim.refresh_from_db()
    assert claim.text == "A replaced claim." and claim.quote == "" and claim.primary_source is None
    assert claim.annotation is None


def test_if_none_match_star_refuses_a_create_whose_natural_key_exists(api: APIClient, alice: Any) -> None:
    source = make_source(alice, name="Example Firm")
    body = {"name": "Example Firm", "slug": source.slug, "kind": "research_firm", "reliability": "B",
            "reliability_rationale": "r"}
    refused = api.post("/api/v1/sources/", body, format="json", HTTP_IF_NONE_MATCH="*")
    assert refused.status_code == 412 and refused.json()["error"] == "already_exists"
    fresh = api.post("/api/v1/sources/", {**body, "slug": "another-firm"}, format="json", HTTP_IF_NONE_MATCH="*")
    assert fresh.status_code == 201
    snapshot = make_snapshot(alice, make_document(alice), text="Archived words.")
    again = {"document": snapshot.document_id, "text": "Archived words."}
    assert api.post("/api/v1/snapshots/", again, format="json").status_code == 200  # the same bytes: the same
    assert api.post("/api/v1/snapshots/", again, format="json", HTTP_IF_NONE_MATCH="*").status_code == 412
    assert Snapshot.objects.filter(document=snapshot.document).count() == 1
    first, second = make_claim(alice, text="First."), make_claim(alice, text="Second.")
    link = {"from_claim": first.slug, "to_claim": second.slug, "link_type": "supports", "rationale": "r"}
    assert api.post("/api/v1/links/", link, format="json", HTTP_IF_NONE_MATCH="*").status_code == 201
    assert api.post("/api/v1/links/", link, format="json", HTTP_IF_NONE_MATCH="*").status_code == 412
    assert ClaimLink.objects.count() == 1
    claim = {"text": "Third.", "slug": first.slug, "claimant": first.claimant.slug, "document": first.document.slug,
             "asserted_on": "2025-11-29", "credibility": 3, "credibility_rationale": "r"}
    assert api.post("/api/v1/claims/", claim, format="json", HTTP_IF_NONE_MATCH="*").status_code == 412
    assert Claim.objects.count() == 2


def test_a_create_whose_natural_key_is_taken_is_a_conflict_not_bad_input(api: APIClient, alice: Any) -> None:
    source = make_source(alice, name="Example Firm")
    body = {"name": "Example Firm", "slug": source.slug, "kind": "research_firm", "reliability": "B",
            "reliability_rationale": "r"}
    taken = api.post("/api/v1/sources/", body, format="json")
    assert taken.status_code == 409 and taken.json()["error"] == "conflict" and "slug" in taken.json()["detail"]
    assert Source.objects.count() == 1


def test_if_match_takes_a_list_of_tags_or_a_star(api: APIClient, alice: Any) -> None:
    """RFC 9110, 13.1.1: If-Match is `*` or a list of entity tags, compared strongly."""
    source = make_source(alice)
    url = f"/api/v1/sources/{source.pk}/"

    def patch(if_match: str, reliability: str) -> int:
        return api.patch(url, {"reliability": reliability, "reason": "Regraded"}, format="json",
                         HTTP_IF_MATCH=if_match).status_code

    assert patch('"x", "1"', "C") == 200  # the current tag among others
    assert patch("*", "D") == 200  # any current representation
    assert patch('"1", "x"', "E") == 412  # stale now (version 3)
    assert patch('W/"3"', "E") == 412  # a weak tag never matches strongly
    source.refresh_from_db()
    assert (source.version, source.reliability) == (3, "D")


def test_a_body_version_that_disagrees_with_if_match_is_refused(api: APIClient, alice: Any) -> None:
    """Two preconditions that disagree are a mistake to report, not one to ignore silently."""
    source = make_source(alice)
    url = f"/api/v1/sources/{source.pk}/"
    refused = api.patch(url, {"reliability": "C", "reason": "Regraded", "version": 7}, format="json",
                        HTTP_IF_MATCH='"1"')
    assert refused.status_code == 400 and "disagree" in refused.json()["fields"]["version"][0]
    source.refresh_from_db()
    assert (source.version, source.reliability) != (2, "C")
    same = api.patch(url, {"reliability": "C", "reason": "Regraded", "version": 1}, format="json",
                     HTTP_IF_MATCH='"1"')
    assert same.status_code == 200
    # `*` says only that it exists: the body's version is then the one compared.
    stale = api.patch(url, {"reliability": "D", "reason": "Regraded", "version": 1}, format="json",
                      HTTP_IF_MATCH="*")
    assert stale.status_code == 412
    assert Source.objects.get(pk=source.pk).reliability == "C"


def test_if_none_match_star_refuses_a_link_named_by_its_claims_ids(api: APIClient, alice: Any) -> None:
    first, second = make_claim(alice, text="First."), make_claim(alice, text="Second.")
    api.force_authenticate(alice)
    by_id = {"from_claim": first.pk, "to_claim": second.pk, "link_type": "supports", "rationale": "r"}
    assert api.post("/api/v1/links/", by_id, format="json", HTTP_IF_NONE_MATCH="*").status_code == 201
    again = api.post("/api/v1/links/", by_id, format="json", HTTP_IF_NONE_MATCH="*")
    assert again.status_code == 412 and again.json()["error"] == "already_exists"
    by_slug = {**by_id, "from_claim": first.slug, "to_claim": second.slug}
    assert api.post("/api/v1/links/", by_slug, format="json", HTTP_IF_NONE_MATCH="*").status_code == 412
    assert ClaimLink.objects.count() == 1


@pytest.mark.parametrize("kind", ["claims", "sources", "documents", "links", "annotations"])
def test_a_write_of_the_state_it_already_has_succeeds_and_saves_nothing(api: APIClient, alice: Any,
                                                                         kind: str) -> None:
    """RFC 9110, 9.3.4: the same rule for every kind, a 200 with the object as it is, no new
    version and no revision; a stale one is still refused."""
    from claims import services

    claim = make_claim(alice, text="First.")
    link = services.link_propose(actor=alice, from_claim=claim, to_claim=make_claim(alice, text="Second."),
                                 link_type="supports", rationale="r")
    objects = {"claims": (claim, {"text": "First."}), "sources": (claim.claimant, {"name": claim.claimant.name}),
               "documents": (claim.document, {"title": claim.document.title}),
               "links": (link, {"rationale": "r"}), "annotations": (claim.annotation, {"body": claim.annotation.body})}
    obj, same = objects[kind]
    url = f"/api/v1/{kind}/{obj.pk}/"
    revisions = type(obj).history.filter(id=obj.pk).count()
    response = api.patch(url, {**same, "reason": "Checked"}, format="json", HTTP_IF_MATCH=f'"{obj.version}"')
    assert response.status_code == 200, response.json()
    assert response["ETag"] == f'"{obj.version}"' and response.json()["version"] == obj.version
    assert type(obj).history.filter(id=obj.pk).count() == revisions
    stale = api.patch(url, {**same, "reason": "Checked"}, format="json", HTTP_IF_MATCH=f'"{obj.version + 5}"')
    assert stale.status_code == 412


def test_if_none_match_star_reads_a_json_string_of_digits_as_a_slug(api: APIClient, alice: Any) -> None:
    """As the create itself does: in JSON a string is a slug, an integer an id."""
    first, second = make_claim(alice, text="First."), make_claim(alice, text="Second.")
    api.force_authenticate(alice)
    by_id = {"from_claim": first.pk, "to_claim": second.pk, "link_type": "supports", "rationale": "r"}
    assert api.post("/api/v1/links/", by_id, format="json").status_code == 201
    digits = {**by_id, "from_claim": str(first.pk), "to_claim": str(second.pk)}
    refused = api.post("/api/v1/links/", digits, format="json", HTTP_IF_NONE_MATCH="*")
    assert refused.status_code == 400  # no claim has that slug, as without the header
