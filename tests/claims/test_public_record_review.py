"""Defects found by trying the public record from outside, each pinned by a test."""

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from rest_framework.test import APIClient

from claims import services
from claims.models import ClaimLink
from publicrecord.models import Record
from sources import services as source_services
from tests.conftest import make_claim, make_link, publish


def test_a_claimants_pending_edit_is_shown_to_the_editor_before_publishing(client: Any, alice: Any, bob: Any,
                                                                            carol: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    source = claim.claimant
    source.refresh_from_db()
    source_services.source_update(source=source, actor=bob, version=source.version,
                                  changes={"reliability": "E", "reliability_rationale": "We fell out with them."},
                                  reason="Regrade")
    claim = services.claim_update(claim=claim, actor=alice, version=claim.version,
                                  changes={"credibility_rationale": "Reworded."}, reason="Wording")
    client.force_login(carol)
    page = client.get(f"/desk/claims/{claim.slug}/").content.decode()
    assert "What readers will see change" in page
    assert "the claimant&#x27;s reliability went from B to E" in page or "reliability went from B to E" in page
    assert "the claimant&#x27;s reliability rationale was rewritten" in page or "rationale was rewritten" in page


def test_a_retraction_or_new_evidence_never_brings_back_older_source_data(client: Any, alice: Any, bob: Any,
                                                                          carol: Any) -> None:
    first = publish(make_claim(alice, text="First"), author=alice, editor=bob)
    second = publish(make_claim(alice, text="Second", document=first.document), author=alice, editor=bob)
    source = first.claimant
    source.refresh_from_db()
    source_services.source_update(source=source, actor=bob, version=source.version,
                                  changes={"name": "Renamed outlet"}, reason="Its name")
    second = services.claim_update(claim=second, actor=alice, version=second.version,
                                   changes={"credibility": 3}, reason="Regrade")
    services.claim_publish(claim=second, actor=carol, version=second.version, note="Regraded.")
    assert "Renamed outlet" in client.get(source.get_absolute_url()).content.decode()
    first.refresh_from_db()
    services.claim_retract(claim=first, actor=bob, version=first.version, reason="Misread.")
    link = make_link(alice, first, second)
    services.link_accept(link=link, actor=bob, version=link.version)
    assert "Renamed outlet" in client.get(source.get_absolute_url()).content.decode()
    assert APIClient().get(f"/api/v1/sources/{source.pk}/").json()["name"] == "Renamed outlet"


def test_a_retraction_keeps_its_reason_and_a_correction_its_notice_after_new_evidence(client: Any, alice: Any,
                                                                                      bob: Any, carol: Any) -> None:
    corrected = publish(make_claim(alice, text="Corrected claim"), author=alice, editor=bob)
    corrected = services.claim_update(claim=corrected, actor=alice, version=corrected.version,
                                      changes={"credibility": 3}, reason="Regrade")
    corrected = services.claim_publish(claim=corrected, actor=carol, version=corrected.version,
                                       note="Only one source saw the filings.")
    retracted = publish(make_claim(alice, text="Retracted claim"), author=alice, editor=bob)
    retracted = services.claim_retract(claim=retracted, actor=bob, version=retracted.version,
                                       reason="The filing was misread.")
    link = make_link(alice, corrected, retracted)
    services.link_accept(link=link, actor=carol, version=link.version, note="Linked as supporting evidence.")
    page = client.get(retracted.get_absolute_url()).content.decode()
    assert "The filing was misread." in page and "Retracted." in page
    review = client.get(f"{retracted.get_absolute_url()}claimreview.json").json()
    assert review["correction"]["text"] == "Retracted: The filing was misread."
    assert APIClient().get(f"/api/v1/claims/{retracted.pk}/").json()["retraction_reason"] == "The filing was misread."
    page = client.get(corrected.get_absolute_url()).content.decode()
    assert "Only one source saw the filings." in page and "Corrected" in page
    assert "published by carol" in page  # the editor who published the content, not the one who linked


def test_the_snapshot_page_names_the_document_as_recorded(client: Any, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    document = claim.document
    document.refresh_from_db()
    source_services.document_update(document=document, actor=bob, version=document.version,
                                    changes={"title": "Unpublished new title"}, reason="Retitled")
    page = client.get(claim.annotation.snapshot.get_absolute_url()).content.decode()
    assert "Unpublished new title" not in page and claim.document.title in page


HUGE = "9223372036854775808"


@pytest.mark.parametrize("url", [f"/api/v1/claims/{HUGE}/", f"/api/v1/claims/{HUGE}/provenance/",
                                 f"/api/v1/claims/{HUGE}/claimreview/", "/api/v1/claims/²/"])
def test_huge_or_odd_ids_are_json_404s(db: Any, url: str) -> None:
    response = APIClient().get(url)
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_verify_record_catches_a_projection_edited_behind_the_applications_back(alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    call_command("verify_record", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE claims_publicclaim SET credibility = 1 WHERE claim_id = %s", [claim.pk])
    with pytest.raises(CommandError, match=f"claim {claim.pk} is listed with values"):
        call_command("verify_record", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE claims_publicclaim SET credibility = 2 WHERE claim_id = %s", [claim.pk])
        cursor.execute("UPDATE publicrecord_projection SET data = %s WHERE kind = 'source'",
                       [json.dumps({"name": "TAMPERED"})])
    with pytest.raises(CommandError, match=r"source .* is not shown as record"):
        call_command("verify_record", stdout=io.StringIO())


def test_an_accepted_link_can_be_withdrawn_with_a_public_reason(client: Any, alice: Any, bob: Any) -> None:
    total = publish(make_claim(alice, text="Total"), author=alice, editor=bob)
    part = publish(make_claim(alice, text="Part"), author=alice, editor=bob)
    link = services.link_accept(link=make_link(alice, part, total), actor=bob, version=1)
    api = APIClient()
    api.force_authenticate(alice)
    assert api.post(f"/api/v1/links/{link.pk}/withdraw/", {"version": link.version, "comment": "No."},
                    format="json").status_code == 403
    api.force_authenticate(bob)
    assert api.post(f"/api/v1/links/{link.pk}/withdraw/", {"version": link.version}, format="json").status_code == 400
    response = api.post(f"/api/v1/links/{link.pk}/withdraw/", {"version": link.version,
                                                               "comment": "A plausible size is not support."},
                        format="json")
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert not ClaimLink.objects.public().exists()
    page = client.get(total.get_absolute_url()).content.decode()
    assert "Supported by" not in page
    latest = json.loads(Record.objects.order_by("-index").first().body)
    assert latest["event"] == "evidence" and latest["note"] == "A plausible size is not support."


def test_public_cache_control_is_valid(client: Any, alice: Any, bob: Any, erin: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    header = client.get(claim.get_absolute_url())["Cache-Control"]
    assert sorted(part.strip() for part in header.split(",")) == ["max-age=60", "public"]
    client.force_login(erin)
    header = client.get(claim.get_absolute_url())["Cache-Control"]
    assert "private" in header and "public" not in header and "=False" not in header


def test_each_version_has_its_own_permalink(client: Any, alice: Any, bob: Any, carol: Any) -> None:
    claim = publish(make_claim(alice, text="Original wording"), author=alice, editor=bob)
    claim = services.claim_update(claim=claim, actor=alice, version=claim.version,
                                  changes={"text": "Corrected wording"}, reason="Fix")
    services.claim_publish(claim=claim, actor=carol, version=claim.version, note="Reworded.")
    first, second = Record.objects.filter(subject=f"claim:{claim.pk}").order_by("index").values_list("index",
                                                                                                     flat=True)
    history = client.get(f"{claim.get_absolute_url()}history/").content.decode()
    assert f"?version={first}" in history and f"?version={second}" in history
    old = client.get(f"{claim.get_absolute_url()}?version={first}").content.decode()
    assert "Original wording" in old and "An earlier version" in old
    current = client.get(f"{claim.get_absolute_url()}?version={second}").content.decode()
    assert "Corrected wording" in current and "An earlier version" not in current
    today = client.get(f"{claim.get_absolute_url()}?as_of=2099-01-01")
    assert today.status_code == 404  # the future is refused
    assert client.get(f"{claim.get_absolute_url()}?version=99999").status_code == 404


@pytest.mark.parametrize("url", ["/transparency/entries/-1.json", "/transparency/proof/-3.json",
                                 "/transparency/entries/1e3.json"])
def test_odd_transparency_paths_are_json_404s(db: Any, client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_transparency_endpoints_answer_405_to_writes(db: Any, client: Any) -> None:
    assert client.post("/transparency/head.json").status_code == 405
