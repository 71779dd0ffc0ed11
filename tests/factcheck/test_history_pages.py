"""The history pages: every revision, a diff between any two, and revert for editors."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from tests.conftest import make_claim, make_source


def _edited_claim(alice: Any, times: int = 2) -> Any:
    claim = make_claim(alice)
    for n in range(times):
        claim = services.claim_update(claim=claim, actor=alice, version=claim.version,
                                      changes={"text": f"Text number {n}"}, reason=f"Edit {n}")
    return claim


def test_anonymous_and_readers_cannot_read_the_history(client: Any, alice: Any, erin: Any) -> None:
    claim = make_claim(alice)
    assert client.get(f"/desk/history/claim/{claim.pk}/").status_code == 302
    client.force_login(erin)
    assert client.get(f"/desk/history/claim/{claim.pk}/").status_code == 403


def test_every_revision_with_who_when_why_and_what(client: Any, alice: Any, dave: Any) -> None:
    claim = _edited_claim(alice)
    client.force_login(dave)  # staff may read
    page = client.get(f"/desk/history/claim/{claim.pk}/").content.decode()
    assert "Edit 0" in page and "Edit 1" in page and "Claim drafted" in page
    assert "<del>number 0</del>" not in page  # words are diffed, not whole strings
    assert "<del>0</del> <ins>1</ins>" in page
    assert "Revert to version" not in page  # staff may not revert


def test_a_diff_between_any_two_revisions(client: Any, alice: Any) -> None:
    claim = _edited_claim(alice)
    first, last = claim.history.earliest(), claim.history.latest()
    client.force_login(alice)
    page = client.get(f"/desk/history/claim/{claim.pk}/?a={first.history_id}&b={last.history_id}").content.decode()
    assert "From version 1 to version 3" in page
    assert "<ins>Text number 1</ins>" in page


def test_an_editor_reverts_and_the_revert_is_a_new_revision(client: Any, alice: Any, bob: Any) -> None:
    claim = _edited_claim(alice)
    first = claim.history.earliest()
    client.force_login(alice)
    response = client.post(f"/desk/history/claim/{claim.pk}/revert/",
                           {"history_id": first.history_id, "version": claim.version, "reason": "Back"}, follow=True)
    # Refused on the history page, in words, not a bare 403 page; nothing reverted.
    assert response.redirect_chain[-1][0] == f"/desk/history/claim/{claim.pk}/"
    assert "Nothing was reverted: Only editors may revert this." in response.content.decode()
    assert claim.history.count() == 3
    client.force_login(bob)
    assert "Revert to version 1" in client.get(f"/desk/history/claim/{claim.pk}/").content.decode()
    client.post(f"/desk/history/claim/{claim.pk}/revert/",
                {"history_id": first.history_id, "version": claim.version, "reason": "The edits were wrong"})
    claim.refresh_from_db()
    assert claim.text == first.text
    assert claim.history.count() == 4


def test_a_stale_revert_is_refused(client: Any, alice: Any, bob: Any) -> None:
    claim = _edited_claim(alice)
    client.force_login(bob)
    response = client.post(f"/desk/history/claim/{claim.pk}/revert/", {
        "history_id": claim.history.earliest().history_id, "version": claim.version - 1, "reason": "x"}, follow=True)
    assert "changed by alice" in response.content.decode()
    assert claim.history.count() == 3


@pytest.mark.parametrize("kind", ["source", "document", "link"])
def test_sources_documents_and_links_have_history_pages(client: Any, alice: Any, kind: str) -> None:
    from tests.conftest import make_link

    claim = make_claim(alice)
    obj = {"source": claim.claimant, "document": claim.document,
           "link": make_link(alice, claim, make_claim(alice, text="B"))}[kind]
    client.force_login(alice)
    assert client.get(f"/desk/history/{kind}/{obj.pk}/").status_code == 200


def test_a_source_is_reverted_by_an_editor(client: Any, alice: Any, bob: Any) -> None:
    from sources import services as source_services

    source = make_source(alice)
    first = source.history.earliest()
    source = source_services.source_update(source=source, actor=alice, version=source.version,
                                           changes={"reliability": "E"}, reason="Downgrade")
    client.force_login(bob)
    client.post(f"/desk/history/source/{source.pk}/revert/",
                {"history_id": first.history_id, "version": source.version, "reason": "Unfounded"})
    source.refresh_from_db()
    assert source.reliability == "B"


def test_an_unknown_kind_is_a_404(client: Any, alice: Any) -> None:
    client.force_login(alice)
    assert client.get("/desk/history/user/1/").status_code == 404


def test_the_history_page_runs_a_fixed_number_of_queries(client: Any, alice: Any, bob: Any) -> None:
    claim = _edited_claim(alice, times=1)
    client.force_login(bob)
    client.get(f"/desk/history/claim/{claim.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/desk/history/claim/{claim.pk}/")
    for n in range(8):
        claim = services.claim_update(claim=claim, actor=alice, version=claim.version,
                                      changes={"text": f"More {n}", "credibility": 2 + n % 3}, reason=f"More {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(f"/desk/history/claim/{claim.pk}/")
    assert len(many) == len(few)
