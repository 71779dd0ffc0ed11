"""The public pages never show what is not published."""

from typing import Any

from claims import services
from tests.conftest import make_claim, publish


def test_the_home_page_lists_published_claims_only(client: Any, alice: Any, bob: Any) -> None:
    publish(make_claim(alice, text="Published claim"), author=alice, editor=bob)
    make_claim(alice, text="Draft claim")
    response = client.get("/")
    assert response.status_code == 200
    assert b"Published claim" in response.content
    assert b"Draft claim" not in response.content


def test_a_draft_is_a_404_to_the_public_and_readable_by_the_team(client: Any, alice: Any) -> None:
    claim = make_claim(alice)
    assert client.get(claim.get_absolute_url()).status_code == 404
    assert client.get(claim.document.get_absolute_url()).status_code == 404
    assert client.get(claim.claimant.get_absolute_url()).status_code == 404
    client.force_login(alice)
    assert client.get(claim.get_absolute_url()).status_code == 200


def test_the_public_reads_the_published_version_while_an_edit_is_in_review(client: Any, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice, text="Original wording"), author=alice, editor=bob)
    services.claim_update(claim=claim, actor=alice, version=claim.version,
                          changes={"text": "Unreviewed wording"}, reason="Correction")
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Original wording" in page
    assert "Unreviewed wording" not in page
    assert "29 November 2025" in page


def test_user_text_is_escaped(client: Any, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice, text="<script>alert(1)</script>"), author=alice, editor=bob)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
