"""Anonymous lists of sources and documents read the public record's projection; they are still
ordered, and paged, by the objects' own ids, as the team's lists are."""

import base64
import urllib.parse
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.conftest import make_claim, make_document, make_source, publish


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _cursor_position(url: str) -> str:
    cursor = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["cursor"][0]
    return urllib.parse.parse_qs(base64.b64decode(cursor).decode())["p"][0]


@pytest.mark.parametrize("kind", ["sources", "documents"])
def test_anonymous_lists_are_ordered_and_paged_by_the_objects_ids(api: APIClient, alice: Any, bob: Any,
                                                                  kind: str) -> None:
    older, newer = make_source(alice, name="Older source"), make_source(alice, name="Newer source")
    older_document = make_document(alice, publisher=older, title="Older document")
    newer_document = make_document(alice, publisher=newer, title="Newer document")
    # Published the other way round: the newer objects reach the public record first.
    publish(make_claim(alice, document=newer_document, claimant=newer, text="First published."),
            author=alice, editor=bob)
    publish(make_claim(alice, document=older_document, claimant=older, text="Second published."),
            author=alice, editor=bob)
    ids = sorted([older.pk, newer.pk] if kind == "sources" else [older_document.pk, newer_document.pk])

    oldest_first = api.get(f"/api/v1/{kind}/?ordering=id").json()["results"]
    assert [row["id"] for row in oldest_first] == ids
    newest_first = api.get(f"/api/v1/{kind}/").json()["results"]
    assert [row["id"] for row in newest_first] == ids[::-1]
    # A cursor names the object's id, and the next page goes on from it.
    first_page = api.get(f"/api/v1/{kind}/?ordering=id&page_size=1").json()
    assert [row["id"] for row in first_page["results"]] == ids[:1]
    assert _cursor_position(first_page["next"]) == str(ids[0])
    assert [row["id"] for row in api.get(first_page["next"]).json()["results"]] == ids[1:]
