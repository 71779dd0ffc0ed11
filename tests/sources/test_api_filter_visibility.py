"""A filter naming something the reader cannot see answers exactly as one naming nothing at all."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from sources import services as source_services
from tests.conftest import make_claim, make_document, make_snapshot, publish

UNKNOWN = 987654


@pytest.fixture
def unpublished(alice: Any) -> Any:
    """A document, its snapshot and an annotation in it that no published claim cites."""
    snapshot = make_snapshot(alice, make_document(alice, title="Work in progress"), "Unpublished words here.")
    source_services.annotation_create(snapshot=snapshot, actor=alice, start=0, end=11)
    return snapshot


def reader(who: Any) -> APIClient:
    api = APIClient()
    if who is not None:
        api.force_authenticate(who)
    return api


@pytest.mark.parametrize("who", [None, "erin"])
@pytest.mark.parametrize("url", ["/api/v1/snapshots/?document={document}", "/api/v1/annotations/?snapshot={snapshot}"])
def test_an_id_the_reader_cannot_see_is_answered_like_an_unknown_one(who: str | None, url: str, unpublished: Any,
                                                                     request: Any) -> None:
    """Both name nothing this reader may see: the same empty list (a malformed id is a 400)."""
    api = reader(request.getfixturevalue(who) if who else None)
    hidden = api.get(url.format(document=unpublished.document_id, snapshot=unpublished.pk))
    unknown = api.get(url.format(document=UNKNOWN, snapshot=UNKNOWN))
    assert unknown.status_code == 200 and unknown.json()["results"] == []
    assert (hidden.status_code, hidden.json()) == (unknown.status_code, unknown.json())
    assert api.get(url.format(document="not%20an%20id!", snapshot="x")).status_code == 400


def test_published_ids_filter_for_everyone(alice: Any, bob: Any, unpublished: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    snapshot = claim.annotation.snapshot
    documents = reader(None).get(f"/api/v1/snapshots/?document={snapshot.document_id}")
    assert documents.status_code == 200 and [row["id"] for row in documents.json()["results"]] == [snapshot.pk]
    annotations = reader(None).get(f"/api/v1/annotations/?snapshot={snapshot.pk}")
    assert annotations.status_code == 200 and len(annotations.json()["results"]) == 1


def test_the_team_filters_on_work_in_progress(alice: Any, unpublished: Any) -> None:
    api = reader(alice)
    snapshots = api.get(f"/api/v1/snapshots/?document={unpublished.document_id}")
    assert [row["id"] for row in snapshots.json()["results"]] == [unpublished.pk]
    annotations = api.get(f"/api/v1/annotations/?snapshot={unpublished.pk}")
    assert len(annotations.json()["results"]) == 1
