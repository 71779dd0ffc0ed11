"""Bad input never gives a 500, forbidden steps are 403s, and diffs stay escaped and bounded."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.models import Claim
from factcheck.diffs import MAX_DIFF_WORK, word_diff
from sources import services as source_services
from tests.conftest import make_claim, make_document, make_link, make_snapshot, publish


@pytest.mark.parametrize("model", ["claims/claim", "sources/source", "sources/document"])
def test_an_editor_opens_every_admin_add_page(client: Any, bob: Any, model: str) -> None:
    client.force_login(bob)
    page = client.get(f"/admin/{model}/add/")
    assert page.status_code == 200
    assert 'name="reason"' not in page.content.decode()


def test_an_editor_adds_a_source_in_the_admin_and_cannot_change_its_slug(client: Any, bob: Any) -> None:
    client.force_login(bob)
    response = client.post("/admin/sources/source/add/", {
        "name": "DroneXL", "slug": "dronexl", "kind": "news_outlet", "reliability": "C",
        "reliability_rationale": "Trade site."})
    assert response.status_code == 302
    source = source_services.Source.objects.get(slug="dronexl")
    page = client.get(f"/admin/sources/source/{source.pk}/change/").content.decode()
    assert 'name="slug"' not in page and 'name="reason"' in page
    with pytest.raises(ValidationError, match="cannot be changed here"):
        source_services.source_update(source=source, actor=bob, version=source.version, changes={"slug": "x"},
                                      reason="Rename")


@pytest.mark.parametrize("version", ["abc", "", "1.5"])
def test_an_admin_action_with_a_bad_version_changes_nothing(client: Any, alice: Any, bob: Any, version: str) -> None:
    claim = services.claim_submit(claim=make_claim(alice), actor=alice, version=1)
    client.force_login(bob)
    response = client.post("/admin/claims/claim/", {"action": "publish", "_selected_action": [claim.pk],
                                                    "confirmed": "yes", "version": [version]}, follow=True)
    assert response.status_code == 200
    assert "Say which version" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "in_review"


def test_an_admin_action_refuses_a_nul_in_the_comment(client: Any, alice: Any, bob: Any) -> None:
    claim = services.claim_submit(claim=make_claim(alice), actor=alice, version=1)
    client.force_login(bob)
    response = client.post("/admin/claims/claim/", {"action": "request_changes", "_selected_action": [claim.pk],
                                                    "confirmed": "yes", "version": [claim.version],
                                                    "comment": "bad\x00comment"}, follow=True)
    # Refused before any view, naming the field (factcheck.params.refuse_nul_middleware).
    assert response.status_code == 400 and "`comment`" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "in_review"


def test_nul_characters_in_searches_and_reverts_are_refused_cleanly(client: Any, alice: Any, bob: Any) -> None:
    claim = make_claim(alice)
    assert client.get("/search/?q=ab%00cd").status_code == 400
    client.force_login(bob)
    assert client.get(f"/desk/claims/{claim.slug}/link/?q=ab%00cd").status_code == 400
    claim = services.claim_update(claim=claim, actor=alice, version=claim.version, changes={"text": "New"},
                                  reason="Edit")
    response = client.post(f"/desk/history/claim/{claim.pk}/revert/", {
        "history_id": claim.history.earliest().history_id, "version": claim.version, "reason": "a\x00b"},
        follow=True)
    assert response.status_code == 400 and "`reason`" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).text == "New"


def test_the_link_search_never_offers_the_claim_itself(client: Any, alice: Any) -> None:
    first = make_claim(alice, text="Rustakt shipments one")
    make_claim(alice, text="Rustakt shipments two")
    client.force_login(alice)
    page = client.get(f"/desk/claims/{first.slug}/link/?q=Rustakt").content.decode()
    offered = page.split("<legend>The other claim</legend>")[1].split("</fieldset>")[0]
    assert "Rustakt shipments two" in offered and "Rustakt shipments one" not in offered


@pytest.mark.parametrize("persona,expected", [("dave", 302), ("erin", 403), ("alice", 302)])
def test_forbidden_desk_steps_change_nothing(client: Any, request: Any, bob: Any, carol: Any, persona: str,
                                             expected: int) -> None:
    """The team is sent back to the page with the reason; anyone else is refused the desk (403)."""
    claim = services.claim_submit(claim=make_claim(carol), actor=carol, version=1)
    link = make_link(carol, make_claim(carol, text="A"), make_claim(carol, text="B"))
    client.force_login(request.getfixturevalue(persona))
    assert client.post(f"/desk/claims/{claim.slug}/publish/", {"version": claim.version}).status_code == expected
    assert client.post(f"/desk/links/{link.pk}/accept/", {"version": link.version}).status_code == expected
    assert Claim.objects.get(pk=claim.pk).status == "in_review"
    link.refresh_from_db()
    assert link.status == "proposed"


def test_anonymous_desk_steps_go_to_sign_in(client: Any, alice: Any) -> None:
    claim = make_claim(alice)
    response = client.post(f"/desk/claims/{claim.slug}/submit/", {"version": claim.version})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_fact_checker_editing_a_public_source_gets_a_403(client: Any, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    source = claim.claimant
    source.refresh_from_db()
    client.force_login(alice)
    response = client.post(f"/desk/sources/{source.slug}/edit/", {
        "name": "Renamed", "kind": source.kind, "reliability": "E", "reliability_rationale": "x",
        "seen_version": source.version, "reason": "Because"})
    assert response.status_code == 403


def test_markup_in_a_diff_is_escaped() -> None:
    diff = word_diff("<b>old</b> text", "<script>alert(1)</script> text <i>")
    assert "<script>" not in diff and "<b>" not in diff and "<i>" not in diff
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in diff and "&lt;b&gt;old&lt;/b&gt;" in diff


def test_a_huge_repetitive_diff_falls_back_to_a_plain_replacement() -> None:
    words = int(MAX_DIFF_WORK ** 0.5) + 10
    old, new = " ".join(["0", "1"] * words), " ".join(["1", "0"] * words) + " <x>"
    diff = word_diff(old, new)
    assert diff.startswith("<del>") and diff.endswith("&lt;x&gt;</ins>")
    assert word_diff("a b c", "a x c") == "a <del>b</del> <ins>x</ins> c"


def _annotated_claim(actor: Any, text: str) -> Any:
    document = make_document(actor, title=f"Doc for {text}")
    snapshot = make_snapshot(actor, document, text=f"Quoted words for {text}.")
    annotation = source_services.annotation_create(snapshot=snapshot, actor=actor, start=0, end=12)
    return make_claim(actor, document=document, annotation=annotation, text=text, quote=annotation.exact)


def test_the_review_queue_and_history_with_annotated_claims_run_fixed_queries(client: Any, alice: Any, bob: Any,
                                                                             carol: Any) -> None:
    def queue_one(n: int) -> Any:
        claim = publish(_annotated_claim(alice, f"Annotated {n}"), author=alice, editor=carol)
        return services.claim_update(claim=claim, actor=alice, version=claim.version,
                                     changes={"credibility": 3}, reason="Regrade")

    first = queue_one(0)
    client.force_login(bob)
    urls = ["/desk/review/", f"/desk/history/claim/{first.pk}/", f"/desk/claims/{first.slug}/"]
    counts = []
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))
    for n in range(1, 6):
        queue_one(n)
        first = services.claim_update(claim=first, actor=alice, version=Claim.objects.get(pk=first.pk).version,
                                      changes={"text": f"Annotated 0, edit {n}"}, reason=f"Edit {n}")
    for url, before in zip(urls, counts, strict=True):
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert len(queries) == before, url
