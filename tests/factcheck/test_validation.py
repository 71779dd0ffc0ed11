"""full_clean_all validates a batch as full_clean validates each object, in a few queries."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, ClaimLink
from factcheck.validation import full_clean_all
from sources.models import Source
from tests.conftest import make_claim, make_link, make_source


def _errors(check: Callable[[], None]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        check()
    return raised.value.message_dict


def _draft(claim: Claim, **changes: Any) -> Claim:
    """An unsaved claim like `claim`, with a slug of its own."""
    fields = {field.attname: getattr(claim, field.attname) for field in Claim._meta.concrete_fields
              if not field.primary_key}
    draft = Claim(**{**fields, "slug": f"{claim.slug}-copy"})
    for name, value in changes.items():
        setattr(draft, name, value)
    return draft


BAD_CLAIMS: dict[str, dict[str, Any]] = {
    "a grade out of range": {"credibility": 9},
    "a date without its precision": {"asserted_on": None, "asserted_precision": "day"},
    "a slug taken": {"slug": "taken"},
    "a claimant that does not exist": {"claimant_id": 999_999},
    "the claimant as its own primary source": {"primary_source_id": "same"},
    "a published version ahead of the claim": {"published_version": 5, "version": 2, "status": "published"},
    "two rules of the model broken": {"version": 0, "published_version": 3, "status": "published"},
    "several faults at once": {"credibility": 0, "slug": "taken", "document_id": 999_999, "status": "nonsense"},
}


@pytest.mark.parametrize("fault", list(BAD_CLAIMS))
def test_it_refuses_what_full_clean_refuses_with_the_same_errors(alice: Any, fault: str) -> None:
    existing = make_claim(alice)
    Claim.objects.filter(pk=existing.pk).update(slug="taken")
    existing.refresh_from_db()
    changes = {name: existing.claimant_id if value == "same" else value for name, value in BAD_CLAIMS[fault].items()}
    draft = _draft(existing, **changes)
    expected = _errors(draft.full_clean)
    assert _errors(lambda: full_clean_all([_draft(existing, **changes)])) == expected


def test_it_refuses_a_duplicate_link_and_a_self_link_as_full_clean_does(alice: Any) -> None:
    first, second = make_claim(alice), make_claim(alice, text="Another claim")
    link = make_link(alice, first, second)
    for bad in (ClaimLink(from_claim=first, to_claim=second, link_type=link.link_type, rationale="Again."),
                ClaimLink(from_claim=first, to_claim=first, link_type="supports", rationale="Itself.")):
        expected = _errors(bad.full_clean)
        assert _errors(lambda bad=bad: full_clean_all([bad])) == expected
    assert expected == {"__all__": ["A claim cannot be linked to itself."]}


def test_a_source_affiliated_with_itself_is_refused(alice: Any) -> None:
    source = make_source(alice)
    source.affiliation = source
    assert _errors(lambda: full_clean_all([source])) == _errors(source.full_clean)


def test_a_valid_batch_passes_and_an_edit_keeps_its_own_values(alice: Any) -> None:
    claim = make_claim(alice)
    full_clean_all([claim, _draft(claim), _draft(claim, slug="another-slug")])


def test_two_new_objects_with_one_slug_are_refused_as_if_the_first_were_saved(alice: Any) -> None:
    claim = make_claim(alice)
    assert _errors(lambda: full_clean_all([_draft(claim), _draft(claim)])) == {
        "slug": ["Claim with this Slug already exists."]}


def test_a_value_an_earlier_edit_in_the_batch_gives_up_may_be_taken(alice: Any) -> None:
    """As saving in turn would: the first claim leaves its slug, then a new one takes it."""
    claim = make_claim(alice)
    old_slug = claim.slug
    claim.slug = "renamed"
    full_clean_all([claim, _draft(claim, slug=old_slug)])
    with pytest.raises(ValidationError, match="already exists"):
        full_clean_all([_draft(claim, slug=old_slug), claim])  # the other way round, it is still taken


def test_the_queries_do_not_grow_with_the_batch(alice: Any) -> None:
    claim = make_claim(alice, asserted_on=datetime.date(2025, 11, 29))

    def drafts(count: int) -> list[Claim]:
        return [_draft(claim, slug=f"draft-{i}", credibility=1 + i % 6,
                       asserted_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=i)) for i in range(count)]

    with CaptureQueriesContext(connection) as few:
        full_clean_all(drafts(2))
    with CaptureQueriesContext(connection) as many:
        full_clean_all(drafts(40))
    assert len(many) == len(few) <= 12
    one = _draft(claim)
    with CaptureQueriesContext(connection) as alone:
        full_clean_all([one])
    with CaptureQueriesContext(connection) as django:
        one.full_clean()
    assert len(alone) < len(django) / 2


def test_objects_of_two_models_are_refused(alice: Any) -> None:
    claim = make_claim(alice)
    with pytest.raises(TypeError):
        full_clean_all([claim, Source.objects.first()])
