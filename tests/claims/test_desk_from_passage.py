"""A claim made from an annotated passage: the form says where its fields came from, once."""

from typing import Any

from claims.models import Claim
from tests.conftest import anchor, body, make_claim, make_document

NOTE = "From the passage you selected"


def test_the_new_claim_form_says_its_fields_come_from_the_passage_as_a_note(client: Any, alice: Any) -> None:
    annotation = anchor(alice, make_document(alice), "Example Corp bought 5% of Example Ltd")
    client.force_login(alice)
    page = body(client.get(f"/desk/claims/new/?annotation={annotation.pk}"))
    assert NOTE in page
    assert f'<p class="info" role="note">{NOTE}' in page  # informational, not styled as an error
    assert NOTE not in body(client.get("/desk/claims/new/"))


def test_editing_a_claim_made_from_a_passage_does_not_repeat_the_note(client: Any, alice: Any) -> None:
    """Before, every edit of an annotation-backed claim showed the banner, styled like an error."""
    claim = make_claim(alice)
    assert claim.annotation_id is not None
    client.force_login(alice)
    page = body(client.get(f"/desk/claims/{claim.slug}/edit/"))
    assert NOTE not in page
    response = client.post(f"/desk/claims/{claim.slug}/edit/", {"text": "", "seen_version": claim.version})
    assert response.status_code == 400 and NOTE not in body(response)
    assert Claim.objects.get().version == claim.version
