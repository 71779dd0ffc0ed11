"""The annotation page and the versions page, without a browser (the path that needs no script)."""

import datetime
from typing import Any

from django.utils import timezone

from sources import services
from sources.models import Annotation
from tests.conftest import make_document


def _capture(actor: Any, document: Any, text: str, minutes: int = 0) -> Any:
    snapshot, _ = services.snapshot_capture(
        document=document, actor=actor, content=text.encode(), content_type="text/plain", origin="test",
        captured_at=timezone.now() + datetime.timedelta(minutes=minutes))
    return snapshot


TEXT = "Wang acquired a 5% equity stake in Rustakt. Rustakt makes the VT-40. Wang is 王定华."


def test_readers_and_anonymous_cannot_annotate(client: Any, alice: Any, erin: Any) -> None:
    snapshot = _capture(alice, make_document(alice), TEXT)
    assert client.get(f"/desk/snapshots/{snapshot.pk}/annotate/").status_code == 302
    client.force_login(erin)
    assert client.get(f"/desk/snapshots/{snapshot.pk}/annotate/").status_code == 403


def test_a_typed_passage_is_found_in_the_text(client: Any, alice: Any) -> None:
    snapshot = _capture(alice, make_document(alice), TEXT)
    client.force_login(alice)
    response = client.post(f"/desk/snapshots/{snapshot.pk}/annotate/", {
        "exact": "王定华", "motivation": "questioning", "body": "Same person?"})
    assert response.status_code == 302
    assert response["Location"] == f"/desk/snapshots/{snapshot.pk}/annotate/#note-{Annotation.objects.get().pk}"
    annotation = Annotation.objects.get()
    start = TEXT.index("王定华")
    assert (annotation.start, annotation.end, annotation.exact) == (start, start + 3, "王定华")
    page = client.get(f"/desk/snapshots/{snapshot.pk}/annotate/").content.decode()
    assert f'<mark id="note-{annotation.pk}" data-note="{annotation.pk}"' in page
    assert f'href="#note-{annotation.pk}"' in page  # the side list scrolls the text to it


def test_a_selection_picks_the_occurrence_it_was_made_on(client: Any, alice: Any) -> None:
    snapshot = _capture(alice, make_document(alice), TEXT)
    client.force_login(alice)
    second = TEXT.index("Rustakt makes")
    client.post(f"/desk/snapshots/{snapshot.pk}/annotate/", {
        "exact": "Rustakt", "start": second + 2, "end": second + 9, "motivation": "highlighting"})
    assert Annotation.objects.get().start == second


def test_a_passage_not_in_the_text_is_refused(client: Any, alice: Any) -> None:
    snapshot = _capture(alice, make_document(alice), TEXT)
    client.force_login(alice)
    response = client.post(f"/desk/snapshots/{snapshot.pk}/annotate/", {"exact": "Wang sold", "motivation":
                                                                         "commenting"})
    assert response.status_code == 400
    assert "not in the archived text, word for word" in response.content.decode()
    assert not Annotation.objects.exists()


def test_make_a_claim_from_the_passage(client: Any, alice: Any) -> None:
    document = make_document(alice)
    snapshot = _capture(alice, document, TEXT)
    client.force_login(alice)
    response = client.post(f"/desk/snapshots/{snapshot.pk}/annotate/", {
        "exact": "Wang acquired a 5% equity stake in Rustakt.", "motivation": "assessing", "make_claim": "on"})
    annotation = Annotation.objects.get()
    assert response["Location"] == f"/desk/claims/new/?annotation={annotation.pk}"
    form = client.get(response["Location"]).context["form"]
    assert form.initial["quote"] == "Wang acquired a 5% equity stake in Rustakt."
    assert (form.initial["document"], form.initial["claimant"], form.initial["annotation"]) == (
        document.pk, document.publisher_id, annotation.pk)


def test_an_orphan_is_listed_and_anchored_again(client: Any, alice: Any) -> None:
    document = make_document(alice)
    first = _capture(alice, document, TEXT)
    start = TEXT.index("Rustakt makes the VT-40.")
    services.annotation_create(snapshot=first, actor=alice, start=start, end=start + 24, body="Check the maker")
    second = _capture(alice, document, "Wang acquired a stake. The drone is built elsewhere now.", minutes=5)
    client.force_login(alice)
    page = client.get(f"/desk/snapshots/{second.pk}/annotate/").content.decode()
    assert "Notes not found in the newer version (1)" in page and "Rustakt makes the VT-40." in page
    orphan = Annotation.objects.get()
    client.post(f"/desk/snapshots/{second.pk}/annotate/", {"exact": "The drone is built elsewhere now.",
                                                           "motivation": "commenting", "orphan": orphan.pk})
    orphan.refresh_from_db()
    assert (orphan.snapshot_id, orphan.anchoring, orphan.body) == (second.pk, "anchored", "Check the maker")


def test_the_versions_page_shows_what_changed_and_which_notes_moved(client: Any, alice: Any) -> None:
    document = make_document(alice)
    first = _capture(alice, document, TEXT)
    services.annotation_create(snapshot=first, actor=alice, start=0, end=43)
    start = TEXT.index("Rustakt makes the VT-40.")
    services.annotation_create(snapshot=first, actor=alice, start=start, end=start + 24)
    _capture(alice, document, "Wang acquired a 5% equity stake in Rustakt. Wang is 王定华. Records were deleted.",
             minutes=5)
    client.force_login(alice)
    page = client.get(f"/desk/documents/{document.pk}/versions/").content.decode()
    assert "<del>Rustakt makes the VT-40.</del>" in page
    assert "<ins>Records were deleted.</ins>" in page
    assert "exact match (100%)" in page and "not found; orphaned" in page
