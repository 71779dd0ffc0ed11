"""/api/v1/claims/ and /api/v1/links/: each endpoint for each role, preconditions, pages, budgets."""

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from prov.constants import PROV_DERIVATION
from prov.model import ProvDocument
from rest_framework.test import APIClient

from claims import services
from claims.models import Claim, ClaimLink
from factcheck.caching import forget_pages
from publicrecord.models import Record
from sources import services as source_services
from tests.conftest import make_claim, make_document, make_link, make_snapshot, publish


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _as(api: APIClient, user: Any) -> APIClient:
    api.force_authenticate(user)
    return api


def _body(document: Any, **overrides: Any) -> dict:
    body = {"text": "Rustakt makes the VT-40.", "quote": "Rustakt manufactures the VT-40",
            "claimant": document.publisher.slug, "document": document.slug, "asserted_on": "2025-11-29",
            "credibility": 2, "credibility_rationale": "Company filings."}
    body.update(overrides)
    return body


def test_anonymous_lists_only_published_claims_as_published(api: APIClient, alice: Any, bob: Any) -> None:
    public = publish(make_claim(alice, text="Published text"), author=alice, editor=bob)
    services.claim_update(claim=public, actor=alice, version=public.version, changes={"text": "Unreviewed"},
                          reason="Edit")
    make_claim(alice, text="Draft text")
    results = api.get("/api/v1/claims/").json()["results"]
    assert [claim["text"] for claim in results] == ["Published text"]
    assert results[0]["status"] == "published" and results[0]["admiralty_code"] == "B2"
    assert api.get(f"/api/v1/claims/{public.pk}/").json()["text"] == "Published text"


def test_the_team_lists_work_in_progress(api: APIClient, alice: Any, dave: Any) -> None:
    make_claim(alice, text="Draft text")
    assert [c["text"] for c in _as(api, dave).get("/api/v1/claims/").json()["results"]] == ["Draft text"]


def test_a_draft_is_a_404_to_anonymous_and_readers(api: APIClient, alice: Any, erin: Any) -> None:
    draft = make_claim(alice)
    assert api.get(f"/api/v1/claims/{draft.pk}/").status_code == 404
    body = _as(api, erin).get(f"/api/v1/claims/{draft.pk}/").json()
    assert body == {"error": "not_found", "detail": "Not found.", "fields": {}}


def test_reads_carry_an_etag_and_answer_304(api: APIClient, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    response = api.get(f"/api/v1/claims/{claim.pk}/")
    etag = response["ETag"]
    assert api.get(f"/api/v1/claims/{claim.pk}/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    services.claim_retract(claim=claim, actor=bob, version=claim.version, reason="Withdrawn")
    after = api.get(f"/api/v1/claims/{claim.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200 and after.json()["status"] == "retracted"  # a retraction is a new ETag
    team = APIClient()
    team.force_authenticate(alice)
    assert team.get(f"/api/v1/claims/{claim.pk}/")["ETag"] == f'"{claim.version + 1}"'  # the version to send


def test_creating_a_claim(api: APIClient, alice: Any, erin: Any) -> None:
    claim = make_claim(alice)  # for its document and claimant
    assert api.post("/api/v1/claims/", _body(claim.document), format="json").status_code == 401
    assert _as(api, erin).post("/api/v1/claims/", _body(claim.document), format="json").status_code == 403
    response = _as(api, alice).post("/api/v1/claims/", _body(claim.document), format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "draft" and response["ETag"] == '"1"'


def test_bad_input_is_a_400_with_fields_and_nothing_is_saved(api: APIClient, alice: Any) -> None:
    claim = make_claim(alice)
    response = _as(api, alice).post("/api/v1/claims/", _body(claim.document, credibility=9, claimant="nobody",
                                                             asserted_on="soon"), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid" and set(body["fields"]) == {"credibility", "claimant", "asserted_on"}
    response = api.post("/api/v1/claims/", _body(claim.document, asserted_on="2025-11-15",
                                                 asserted_precision="month"), format="json")
    assert response.status_code == 400
    assert "stored as the 1st" in response.json()["fields"]["asserted_on"][0]
    assert Claim.objects.count() == 1


def test_a_change_must_name_its_version(api: APIClient, alice: Any, bob: Any) -> None:
    claim = make_claim(alice)
    _as(api, alice)
    url = f"/api/v1/claims/{claim.pk}/"
    missing = api.patch(url, {"text": "New", "reason": "Fix"}, format="json")
    assert missing.status_code == 428 and missing.json()["error"] == "precondition_required"
    services.claim_update(claim=claim, actor=bob, version=1, changes={"credibility": 3}, reason="Bob")
    stale = api.patch(url, {"text": "New", "reason": "Fix"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2 and "changed by bob" in stale.json()["detail"]
    assert Claim.objects.get(pk=claim.pk).text != "New"
    done = api.patch(url, {"text": "New", "reason": "Fix"}, format="json", HTTP_IF_MATCH=stale["ETag"])
    assert done.status_code == 200 and done.json()["text"] == "New" and done["ETag"] == '"3"'
    assert api.delete(url).status_code == 405


def test_the_workflow_by_api(api: APIClient, alice: Any, bob: Any, carol: Any) -> None:
    claim = make_claim(alice)
    url = f"/api/v1/claims/{claim.pk}"
    assert _as(api, alice).post(f"{url}/submit/", {"version": 1}, format="json").json()["status"] == "in_review"
    assert api.post(f"{url}/publish/", {"version": 2}, format="json").status_code == 403
    assert _as(api, bob).post(f"{url}/request-changes/", {"version": 2}, format="json").status_code == 400
    assert api.post(f"{url}/request-changes/", {"version": 2, "comment": "Source?"},
                    format="json").json()["status"] == "changes_requested"
    assert api.post(f"{url}/publish/", {"version": 3}, format="json").status_code == 409
    _as(api, alice).post(f"{url}/submit/", {"version": 3}, format="json")
    assert _as(api, carol).post(f"{url}/publish/", {"version": 4}, format="json").json()["status"] == "published"
    assert api.post(f"{url}/retract/", {"version": 5}, format="json").status_code == 400  # reason required
    assert api.post(f"{url}/retract/", {"version": 5, "comment": "Wrong"}, format="json").json()["status"] == \
        "retracted"
    api.force_authenticate(None)
    assert api.post(f"{url}/submit/", {"version": 6}, format="json").status_code == 401


def test_history_and_revert(api: APIClient, alice: Any, bob: Any) -> None:
    claim = make_claim(alice)
    claim = services.claim_update(claim=claim, actor=alice, version=1, changes={"text": "Changed"}, reason="Edit")
    url = f"/api/v1/claims/{claim.pk}"
    assert api.get(f"{url}/history/").status_code == 404  # a draft: not even found
    history = _as(api, alice).get(f"{url}/history/").json()
    assert [row["version"] for row in history] == [2, 1]
    assert history[0]["changes"][0]["field"] == "text" and history[0]["reason"] == "Edit"
    first = history[1]["history_id"]
    assert api.post(f"{url}/revert/", {"version": 2, "history_id": first, "reason": "Back"},
                    format="json").status_code == 403
    reverted = _as(api, bob).post(f"{url}/revert/", {"version": 2, "history_id": first, "reason": "Back"},
                                  format="json")
    assert reverted.status_code == 200 and reverted.json()["text"] == "Wang Dinghua acquired a 5% stake in Rustakt."


def test_provenance_as_prov_json(api: APIClient, alice: Any, bob: Any) -> None:
    from tests.conftest import make_source

    customs = make_source(alice, name="Customs records", kind="official_record")
    claim = publish(make_claim(alice, primary_source=customs), author=alice, editor=bob)
    claim = services.claim_update(claim=claim, actor=alice, version=claim.version, changes={"credibility": 3},
                                  reason="Regrade")
    claim = services.claim_publish(claim=claim, actor=bob, version=claim.version, note="Corrected.")
    response = api.get(f"/api/v1/claims/{claim.pk}/provenance/")
    prov = response.json()
    first, second = [f"fc:transparency/entries/{index}.json" for index in
                     Record.objects.filter(subject=f"claim:{claim.pk}").order_by("index").values_list("index",
                                                                                                      flat=True)]
    assert set(prov["entity"]) >= {first, second}
    assert {"prov:entity": second, "prov:agent": f"fc:sources/{claim.claimant.slug}/"} in \
        prov["wasAttributedTo"].values()
    derivations = {(rel["prov:generatedEntity"], rel["prov:usedEntity"], rel["prov:type"]["$"])
                   for rel in prov["wasDerivedFrom"].values()}
    assert (second, first, "prov:Revision") in derivations
    assert (second, f"fc:snapshots/{claim.annotation.snapshot_id}/", "prov:Quotation") in derivations
    assert (second, f"fc:sources/{customs.slug}/#record", "prov:PrimarySource") in derivations
    # The archived copy is a specialization of its document, which is so related to the claim.
    assert {"prov:specificEntity": f"fc:snapshots/{claim.annotation.snapshot_id}/",
            "prov:generalEntity": f"fc:documents/{claim.document_id}/"} in prov["specializationOf"].values()
    # The prov package (the W3C PROV reference model for Python) reads it back.
    document = ProvDocument.deserialize(content=response.content.decode(), format="json")
    derived = [record for record in document.get_records() if record.get_type() == PROV_DERIVATION]
    assert len(derived) == len(prov["wasDerivedFrom"])
    assert {str(value) for record in derived for value in record.get_attribute("prov:type")} >= {
        "prov:Quotation", "prov:PrimarySource", "prov:Revision"}
    draft = make_claim(alice, text="Draft")
    assert _as(api, alice).get(f"/api/v1/claims/{draft.pk}/provenance/").status_code == 404


def test_links_by_api(api: APIClient, alice: Any, bob: Any) -> None:
    first = publish(make_claim(alice, text="A"), author=alice, editor=bob)
    second = publish(make_claim(alice, text="B"), author=alice, editor=bob)
    body = {"from_claim": first.slug, "to_claim": second.slug, "link_type": "supports", "rationale": "Adds up."}
    assert api.post("/api/v1/links/", body, format="json").status_code == 401
    created = _as(api, alice).post("/api/v1/links/", body, format="json")
    assert created.status_code == 201
    duplicate = api.post("/api/v1/links/", body, format="json")
    assert duplicate.status_code == 409 and duplicate.json()["error"] == "conflict"  # taken, not bad input
    link = created.json()["id"]
    assert api.post(f"/api/v1/links/{link}/accept/", {"version": 1}, format="json").status_code == 403
    api.force_authenticate(None)
    assert api.get("/api/v1/links/").json()["results"] == []  # proposed: not public
    assert _as(api, bob).post(f"/api/v1/links/{link}/accept/", {"version": 1}, format="json").status_code == 200
    api.force_authenticate(None)
    assert [row["id"] for row in api.get(f"/api/v1/links/?claim={first.pk}").json()["results"]] == [link]


def test_a_link_offered_for_editing_can_be_edited(api: APIClient, alice: Any, bob: Any, erin: Any) -> None:
    """`edit` in a link's allowed_steps is a PATCH or PUT that takes it: the change goes back to
    review and the accepted link leaves the public evidence until it is accepted again."""
    first = publish(make_claim(alice, text="A"), author=alice, editor=bob)
    second = publish(make_claim(alice, text="B"), author=alice, editor=bob)
    link = make_link(alice, first, second)
    services.link_accept(link=link, actor=bob, version=link.version)
    url = f"/api/v1/links/{link.pk}/"
    shown = _as(api, alice).get(url)
    assert "edit" in shown.json()["allowed_steps"]
    edited = api.patch(url, {"rationale": "Both figures come from the same filings.", "reason": "Name the filings."},
                       format="json", HTTP_IF_MATCH=shown["ETag"])
    assert edited.status_code == 200, edited.json()
    assert (edited.json()["rationale"], edited.json()["status"], edited.json()["version"]) == (
        "Both figures come from the same filings.", "proposed", link.version + 2)
    api.force_authenticate(None)
    assert api.get("/api/v1/links/").json()["results"] == []  # back in review: not public
    # PUT replaces both; a field left out is a 400, and so is a change with no reason.
    _as(api, alice)
    partial = api.put(url, {"rationale": "Only this.", "reason": "r"}, format="json", HTTP_IF_MATCH=edited["ETag"])
    assert partial.status_code == 400 and "link_type" in partial.json()["fields"]
    no_reason = api.patch(url, {"link_type": "contradicts"}, format="json", HTTP_IF_MATCH=edited["ETag"])
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    fixed = api.put(url, {"link_type": "contradicts", "rationale": "They disagree.", "reason": "Misread"},
                    format="json", HTTP_IF_MATCH=edited["ETag"])
    assert fixed.status_code == 200 and fixed.json()["link_type"] == "contradicts"
    stale = api.patch(url, {"rationale": "Again.", "reason": "r"}, format="json", HTTP_IF_MATCH=edited["ETag"])
    assert stale.status_code == 412
    assert _as(api, erin).patch(url, {"rationale": "Mine.", "reason": "r"}, format="json",
                                HTTP_IF_MATCH=fixed["ETag"]).status_code in (403, 404)
    assert ClaimLink.objects.get(pk=link.pk).rationale == "They disagree."


def test_every_name_in_the_provenance_resolves(client: Any, api: APIClient, alice: Any, bob: Any) -> None:
    """Each entity, agent and activity is one of our pages or a record of the public record, and
    each term of ours is described, under its own anchor, on the vocabulary page."""
    from tests.conftest import make_source

    customs = make_source(alice, name="Customs records", kind="official_record")
    claim = publish(make_claim(alice, primary_source=customs), author=alice, editor=bob)
    prov = api.get(f"/api/v1/claims/{claim.pk}/provenance/").json()
    ours = prov["prefix"]["fc"]
    names = [*prov["entity"], *prov["agent"], *prov["activity"]]
    terms = {key for section in ("entity", "agent", "activity") for attributes in prov[section].values()
             for key in attributes if key.startswith("fcv:")}
    terms |= {attributes["prov:type"]["$"] for attributes in prov["entity"].values()
              if attributes["prov:type"]["$"].startswith("fcv:")}
    assert terms == {"fcv:credibility", "fcv:record", "fcv:reliability", "fcv:Snapshot", "fcv:sha256"}
    for name in names:
        assert name.startswith("fc:"), name
        path, _, fragment = (ours + name.removeprefix("fc:")).removeprefix("http://testserver").partition("#")
        page = client.get(path)
        assert page.status_code == 200, name
        if fragment and path.endswith("/"):  # an HTML page: the fragment names an element of it
            assert f'id="{fragment}"' in page.content.decode(), name
    vocabulary = client.get("/vocabulary/")
    assert prov["prefix"]["fcv"] == "http://testserver/vocabulary/#"
    for term in terms:
        assert f'id="{term.removeprefix("fcv:")}"' in vocabulary.content.decode(), term
    assert 'id="publisher"' in client.get("/transparency/").content.decode()
    related = {value for section in ("wasDerivedFrom", "specializationOf", "wasAttributedTo")
               for relation in prov[section].values() for value in relation.values() if isinstance(value, str)}
    assert set(prov["entity"]) <= related  # no entity stands unrelated
    # Nor when the quote is archived from another document than the claim's own.
    relaying = make_document(alice, title="A report relaying it")
    snapshot = make_snapshot(alice, relaying, text="It says Wang acquired a 5% equity stake in Rustakt.")
    passage = "Wang acquired a 5% equity stake in Rustakt"
    start = snapshot.text.index(passage)
    annotation = source_services.annotation_create(snapshot=snapshot, actor=alice, start=start,
                                                   end=start + len(passage), motivation="assessing")
    other = publish(make_claim(alice, text="Relayed.", quote=passage, annotation=annotation), author=alice,
                    editor=bob)
    prov = api.get(f"/api/v1/claims/{other.pk}/provenance/").json()
    related = {value for section in ("wasDerivedFrom", "specializationOf", "wasAttributedTo")
               for relation in prov[section].values() for value in relation.values() if isinstance(value, str)}
    assert f"fc:documents/{other.document_id}/" in prov["entity"] and set(prov["entity"]) <= related
    ProvDocument.deserialize(content=json.dumps(prov), format="json")


def test_review_events_are_for_the_team(api: APIClient, alice: Any) -> None:
    make_claim(alice)
    assert api.get("/api/v1/review-events/").json()["results"] == []
    assert len(_as(api, alice).get("/api/v1/review-events/").json()["results"]) == 1


def test_pages_are_stable_under_inserts(api: APIClient, alice: Any, bob: Any) -> None:
    for n in range(5):
        publish(make_claim(alice, text=f"Claim {n}"), author=alice, editor=bob)
    first = api.get("/api/v1/claims/?page_size=2").json()
    for n in range(5, 8):
        publish(make_claim(alice, text=f"Claim {n}"), author=alice, editor=bob)  # newer, would shift offsets
    second = api.get(first["next"]).json()
    third = api.get(second["next"]).json()
    texts = [c["text"] for page in (first, second, third) for c in page["results"]]
    assert texts == ["Claim 4", "Claim 3", "Claim 2", "Claim 1", "Claim 0"]


def test_a_list_runs_the_same_queries_for_2_or_50_claims(api: APIClient, alice: Any, bob: Any) -> None:
    def add(n: int) -> None:
        claim = publish(make_claim(alice, text=f"Claim {n}"), author=alice, editor=bob)
        if n % 2:
            services.claim_update(claim=claim, actor=alice, version=claim.version, changes={"credibility": 4},
                                  reason="In review")
        make_link(alice, claim, make_claim(alice, text=f"Other {n}"))

    for n in range(2):
        add(n)
    api.get("/api/v1/claims/?page_size=50")
    forget_pages()  # each measured list is rendered, not read from the cache of public pages
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/claims/?page_size=50")
    for n in range(2, 40):
        add(n)
    forget_pages()
    with CaptureQueriesContext(connection) as many:
        assert len(api.get("/api/v1/claims/?page_size=50").json()["results"]) == 40
    assert len(many) == len(few)
    assert ClaimLink.objects.count() == 40


def test_filters_take_slugs_as_create_does_and_refuse_bad_values(api: APIClient, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    for who in [None, alice]:
        api.force_authenticate(who)
        assert [c["id"] for c in api.get(f"/api/v1/claims/?document={claim.document.slug}").json()["results"]] == [
            claim.pk]
        assert [c["id"] for c in api.get(f"/api/v1/claims/?document={claim.document.pk}").json()["results"]] == [
            claim.pk]
        assert api.get("/api/v1/claims/?document=no-such-document").json()["results"] == []
        response = api.get("/api/v1/claims/?credibility=9")
        assert response.status_code == 400 and "credibility" in response.json()["fields"]


def test_an_undated_claim_is_written_undated_and_round_trips(api: APIClient, alice: Any) -> None:
    """Undated stays undated: the API takes a claim its source does not date, and a GET of one
    PUT back as it is changes nothing, with no date to invent."""
    document = make_document(alice)
    body = {"text": "Drones are made in a day.", "claimant": document.publisher.slug, "document": document.slug,
            "credibility": 6, "credibility_rationale": "The source gives no date and no evidence."}
    _as(api, alice)
    created = api.post("/api/v1/claims/", body, format="json")
    assert created.status_code == 201, created.json()
    assert (created.json()["asserted_on"], created.json()["asserted_precision"]) == (None, "unknown")
    url = f"/api/v1/claims/{created.json()['id']}/"
    shown = api.get(url).json()
    again = {name: shown[name] for name in ("text", "quote", "quote_language", "annotation", "asserted_on",
                                            "asserted_precision", "credibility", "credibility_rationale")}
    again.update(claimant=shown["claimant"]["slug"], document=shown["document"]["slug"])
    put = api.put(url, {**again, "reason": "Checked"}, format="json", HTTP_IF_MATCH=api.get(url)["ETag"])
    assert put.status_code == 200 and put.json()["version"] == created.json()["version"], put.json()
    no_date = api.post("/api/v1/claims/", {**body, "asserted_precision": "month"}, format="json")
    assert no_date.status_code == 400 and "asserted_on" in no_date.json()["fields"]
    assert Claim.objects.count() == 1
