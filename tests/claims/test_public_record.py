"""Readers see only what an editor published: every public surface reads the public record."""

import io
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from claims import services
from claims.models import Claim, PublicClaim
from publicrecord.models import LogState, Projection, Record, TreeHead
from sources import services as source_services
from tests.conftest import body, make_claim, make_document, make_snapshot, make_source, publish

ARTICLE = "Analysts agree. Rustakt's role in Russia's drone program is pivotal. The Centre says so."
QUOTE = "Rustakt's role in Russia's drone program is pivotal"


def _anchored_claim(alice: Any, bob: Any) -> Claim:
    document = make_document(alice)
    snapshot = make_snapshot(alice, document, ARTICLE)
    start = ARTICLE.index(QUOTE)
    annotation = source_services.annotation_create(snapshot=snapshot, actor=alice, start=start,
                                                   end=start + len(QUOTE), motivation="assessing")
    return publish(make_claim(alice, document=document, annotation=annotation, quote=QUOTE,
                              text="Rustakt is pivotal to Russia's drone programme."), author=alice, editor=bob)


def _public_surfaces(client: Any, api: APIClient, claim: Claim) -> dict[str, str]:
    urls = ["/", "/claims/", "/search/?q=Rustakt", claim.get_absolute_url(), f"{claim.get_absolute_url()}history/",
            f"{claim.get_absolute_url()}claimreview.json", "/claimreview.json", "/feed.atom", "/sitemap.xml",
            "/sitemap-claims.xml", "/sitemap-sources.xml", "/sitemap-documents.xml",
            claim.claimant.get_absolute_url(), claim.document.get_absolute_url()]
    pages = {url: body(client.get(url)) for url in urls}
    for url in [f"/api/v1/claims/{claim.pk}/", "/api/v1/claims/", f"/api/v1/claims/{claim.pk}/provenance/",
                "/api/v1/sources/", "/api/v1/documents/", "/api/v1/annotations/", "/api/v1/links/"]:
        pages[url] = api.get(url).content.decode()
    return pages


def test_a_new_snapshot_changes_nothing_public_until_an_editor_publishes(client: Any, alice: Any, bob: Any,
                                                                         carol: Any) -> None:
    claim = _anchored_claim(alice, bob)
    api = APIClient()
    page = client.get(claim.get_absolute_url())
    etag, api_etag = page["ETag"], api.get(f"/api/v1/claims/{claim.pk}/")["ETag"]
    before = _public_surfaces(client, api, claim)

    # A fact-checker archives a newer copy with one word changed; the passage re-anchors onto it.
    newer, _ = source_services.snapshot_capture(document=claim.document, actor=alice,
                                                content=ARTICLE.replace("pivotal", "marginal").encode(),
                                                content_type="text/plain", origin="test")
    claim.annotation.refresh_from_db()
    assert claim.annotation.snapshot_id == newer.pk and "marginal" in claim.annotation.exact

    after = _public_surfaces(client, api, claim)
    assert after == before
    assert "marginal" not in "".join(after.values())
    assert client.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert api.get(f"/api/v1/claims/{claim.pk}/", HTTP_IF_NONE_MATCH=api_etag).status_code == 304
    assert client.get(newer.get_absolute_url()).status_code == 404  # no record cites it yet

    # The fact-checker takes the new wording; only the editor's publication shows it.
    claim = services.claim_update(claim=claim, actor=alice, version=claim.version,
                                  changes={"quote": claim.annotation.exact}, reason="The article changed")
    assert claim.status == "in_review" and "marginal" not in client.get(claim.get_absolute_url()).content.decode()
    services.claim_publish(claim=claim, actor=carol, version=claim.version, note="The article now says marginal.")
    page = client.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert page.status_code == 200
    assert "marginal" in page.content.decode() and newer.sha256 in page.content.decode()
    assert "The article now says marginal." in page.content.decode()
    assert api.get(f"/api/v1/claims/{claim.pk}/")["ETag"] != api_etag


def test_a_pending_change_of_claimant_or_document_moves_nothing_public(client: Any, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice, text="Shipped 304 million"), author=alice, editor=bob)
    old_source, old_document = claim.claimant, claim.document
    other_source = make_source(alice, name="Sayari")
    other_document = make_document(alice, publisher=other_source, title="Sayari report")
    services.claim_update(claim=claim, actor=alice, version=claim.version,
                          changes={"claimant": other_source, "document": other_document}, reason="Reattributed")
    assert "Shipped 304 million" in client.get(old_source.get_absolute_url()).content.decode()
    assert "Shipped 304 million" in client.get(old_document.get_absolute_url()).content.decode()
    assert client.get(other_source.get_absolute_url()).status_code == 404
    assert client.get(other_document.get_absolute_url()).status_code == 404
    assert "Sayari" not in client.get("/claims/").content.decode()
    assert client.get(f"/claims/?claimant={other_source.slug}").content.decode().count('class="pill') == 0
    assert client.get(f"/claims/?claimant={old_source.slug}").content.decode().count('class="pill') == 1
    assert APIClient().get(f"/api/v1/claims/?claimant={other_source.slug}").json()["results"] == []
    assert APIClient().get(f"/api/v1/claims/?claimant={old_source.slug}").json()["results"][0]["claimant"][
        "slug"] == old_source.slug


def test_the_teams_reasons_never_reach_a_public_surface(client: Any, alice: Any, bob: Any, carol: Any) -> None:
    claim = publish(make_claim(alice, text="Original wording"), author=alice, editor=bob)
    claim = services.claim_update(claim=claim, actor=alice, version=claim.version,
                                  changes={"text": "Softened wording", "credibility": 3},
                                  reason="INTERNAL-REASON softened after the call")
    claim = services.claim_request_changes(claim=claim, actor=carol, version=claim.version,
                                           comment="INTERNAL-SUBMIT rework")
    claim = services.claim_submit(claim=claim, actor=alice, version=claim.version, comment="INTERNAL-SUBMIT")
    services.claim_publish(claim=claim, actor=bob, version=claim.version, comment="INTERNAL-COMMENT",
                           note="We softened the wording: only one source has seen the filings.")
    pages = _public_surfaces(client, APIClient(), claim)
    text = "".join(pages.values())
    for secret in ["INTERNAL-REASON", "INTERNAL-SUBMIT", "INTERNAL-COMMENT", "changed: text"]:
        assert secret not in text, secret
    assert not any("credibility_rationale" in page for url, page in pages.items() if not url.startswith("/api/"))
    history = pages[f"{claim.get_absolute_url()}history/"]
    assert "only one source has seen the filings" in history
    assert "the claim was reworded" in history
    assert "the credibility went from 2 (probably true) to 3 (possibly true)" in history
    assert "first published" in client.get(claim.get_absolute_url()).content.decode().lower()


def test_publishing_needs_an_archived_quote_or_a_recorded_exception(client: Any, alice: Any, bob: Any) -> None:
    claim = make_claim(alice, anchored=False, text="Said at a briefing")
    claim = services.claim_submit(claim=claim, actor=alice, version=claim.version)
    with pytest.raises(ValidationError) as refused:
        services.claim_publish(claim=claim, actor=bob, version=claim.version)
    assert "not anchored in an archived snapshot" in str(refused.value)
    claim.refresh_from_db()
    assert claim.status == "in_review" and not Record.objects.exists() and not PublicClaim.objects.exists()

    api = APIClient()
    api.force_authenticate(bob)
    response = api.post(f"/api/v1/claims/{claim.pk}/publish/", {"version": claim.version}, format="json")
    assert response.status_code == 400 and "exception" in response.json()["fields"]
    assert not Record.objects.exists()

    response = api.post(f"/api/v1/claims/{claim.pk}/publish/", {
        "version": claim.version, "exception": "No archived copy: the statement was made orally at a briefing."},
        format="json")
    assert response.status_code == 200
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "No archived copy:" in page and "made orally at a briefing" in page


def test_an_orphaned_or_misquoted_passage_is_not_evidence(alice: Any, bob: Any) -> None:
    document = make_document(alice)
    snapshot = make_snapshot(alice, document, ARTICLE)
    annotation = source_services.annotation_create(snapshot=snapshot, actor=alice, start=0, end=15)
    claim = make_claim(alice, document=document, annotation=annotation, quote="Not what the passage says")
    claim = services.claim_submit(claim=claim, actor=alice, version=claim.version)
    with pytest.raises(ValidationError, match="differs from the archived passage"):
        services.claim_publish(claim=claim, actor=bob, version=claim.version)


def test_a_correction_needs_a_note_to_readers(alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    claim = services.claim_update(claim=claim, actor=alice, version=claim.version, changes={"credibility": 3},
                                  reason="Regrade")
    with pytest.raises(ValidationError, match="Tell readers"):
        services.claim_publish(claim=claim, actor=bob, version=claim.version)
    assert Record.objects.count() == 1


def test_a_failure_while_appending_leaves_neither_the_claim_nor_the_log_changed(alice: Any, bob: Any) -> None:
    claim = make_claim(alice)
    claim = services.claim_submit(claim=claim, actor=alice, version=claim.version)
    with mock.patch("publicrecord.services.sign_tree_head", side_effect=RuntimeError("key unavailable")), \
            pytest.raises(RuntimeError):
        services.claim_publish(claim=claim, actor=bob, version=claim.version)
    claim.refresh_from_db()
    assert claim.status == "in_review" and claim.published_version is None
    assert not Record.objects.exists() and not TreeHead.objects.exists() and not Projection.objects.exists()
    assert LogState.objects.filter(tree_size__gt=0).count() == 0


def test_public_etags_change_only_with_the_record(client: Any, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    api = APIClient()
    etag = client.get("/claims/")["ETag"]
    claim_etag = api.get(f"/api/v1/claims/{claim.pk}/")["ETag"]
    assert "review" not in claim_etag and "published" not in claim_etag
    make_claim(alice, text="A private draft")
    make_source(alice, name="A private source")
    services.claim_update(claim=claim, actor=alice, version=claim.version, changes={"credibility": 4},
                          reason="Pending")
    assert client.get("/claims/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert api.get(f"/api/v1/claims/{claim.pk}/")["ETag"] == claim_etag


def test_an_accepted_link_between_public_claims_appends_a_record_for_each(client: Any, alice: Any,
                                                                          bob: Any) -> None:
    from tests.conftest import make_link

    total = publish(make_claim(alice, text="Total of 411 million"), author=alice, editor=bob)
    part = publish(make_claim(alice, text="Part of 304 million"), author=alice, editor=bob)
    link = make_link(alice, part, total)
    before = Record.objects.count()
    services.link_accept(link=link, actor=bob, version=link.version)
    assert Record.objects.count() == before + 2
    assert set(Record.objects.order_by("-index")[:2].values_list("subject", flat=True)) == {
        f"claim:{total.pk}", f"claim:{part.pk}"}
    assert "Part of 304 million" in client.get(total.get_absolute_url()).content.decode()


def test_migration_builds_records_for_everything_already_published(client: Any, db: Any) -> None:
    """What migration 0006 does to a database published before the public record: the seed here."""
    from claims.publication import backfill

    call_command("load_seed", stdout=io.StringIO())
    published = Claim.objects.filter(published_version__isnull=False).count()
    with connection.cursor() as cursor:  # as before the public record existed
        for table in ["claims_publicclaim", "publicrecord_projection", "publicrecord_treehead",
                      "publicrecord_record", "publicrecord_logstate"]:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    assert backfill() >= published
    assert PublicClaim.objects.count() == published
    out = io.StringIO()
    call_command("verify_record", stdout=out)
    assert "intact" in out.getvalue()
    assert backfill() == 0  # runs once
    claim = PublicClaim.objects.first()
    assert client.get(f"/claims/{claim.slug}/").status_code == 200
