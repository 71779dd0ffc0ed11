"""Writes to sources and documents: reasons, permissions, and publication."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sources import services
from tests.conftest import make_claim, make_source, publish


def test_an_edit_needs_a_reason(alice: Any) -> None:
    source = make_source(alice)
    with pytest.raises(ValidationError, match="what you changed"):
        services.source_update(source=source, actor=alice, version=source.version, changes={"reliability": "E"},
                               reason=" ")
    source.refresh_from_db()
    assert source.reliability == "B"


def test_once_public_only_editors_change_a_source(alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    source = claim.claimant
    source.refresh_from_db()
    with pytest.raises(PermissionDenied, match="only editors"):
        services.source_update(source=source, actor=alice, version=source.version, changes={"reliability": "E"},
                               reason="Downgrade")
    source = services.source_update(source=source, actor=bob, version=source.version,
                                    changes={"reliability": "C"}, reason="New evidence of errors")
    assert source.reliability == "C"


def test_publishing_marks_each_cited_object_public_once(alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    source = claim.claimant  # claimant and the document's publisher: the same row
    made_public = source.history.filter(history_change_reason__startswith="Made public")
    assert made_public.count() == 1


def test_an_unpublished_affiliation_is_not_named_on_a_public_source_page(client: Any, alice: Any, bob: Any) -> None:
    group = make_source(alice, name="Secret Group")
    person = make_source(alice, name="Analyst", affiliation=group)
    claim = publish(make_claim(alice, claimant=person), author=alice, editor=bob)
    page = client.get(claim.claimant.get_absolute_url()).content.decode()
    assert "Analyst" in page and "Secret Group" not in page
    client.force_login(alice)
    assert "Secret Group" in client.get(claim.claimant.get_absolute_url()).content.decode()
