"""Database invariants of claims, links and review events."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Claim, ClaimLink, ReviewEvent
from tests.conftest import make_claim, make_link, make_source


def _force(claim: Claim, **fields: Any) -> None:
    with transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(**fields)


def test_credibility_outside_1_to_6_is_refused(alice: Any) -> None:
    claim = make_claim(alice)
    for value in (0, 7):
        with pytest.raises(IntegrityError, match="claim_credibility_1_to_6"):
            _force(claim, credibility=value)


def test_credibility_outside_1_to_6_is_a_validation_error(alice: Any) -> None:
    with pytest.raises(ValidationError) as error:
        make_claim(alice, credibility=9)
    assert "credibility" in error.value.message_dict


def test_status_must_be_one_of_the_workflow_states(alice: Any) -> None:
    with pytest.raises(IntegrityError, match="claim_status_valid"):
        _force(make_claim(alice), status="approved")


def test_a_published_claim_must_have_a_published_version(alice: Any) -> None:
    with pytest.raises(IntegrityError, match="claim_public_status_has_published_version"):
        _force(make_claim(alice), status="published")


def test_precision_must_be_day_month_or_year(alice: Any) -> None:
    with pytest.raises(IntegrityError, match="claim_precision_valid"):
        _force(make_claim(alice), asserted_precision="week")


def test_no_self_link(alice: Any) -> None:
    claim = make_claim(alice)
    with pytest.raises(IntegrityError, match="link_no_self_link"), transaction.atomic():
        ClaimLink.objects.create(from_claim=claim, to_claim=claim, link_type="supports", rationale="r")


def test_self_link_is_a_validation_error_through_the_service(alice: Any) -> None:
    claim = make_claim(alice)
    with pytest.raises(ValidationError, match="cannot be linked to itself"):
        make_link(alice, claim, claim)


def test_one_link_per_from_to_and_type(alice: Any) -> None:
    first, second = make_claim(alice), make_claim(alice, text="Second claim")
    make_link(alice, first, second, "supports")
    with pytest.raises(ValidationError, match="already have a link of this type"):
        make_link(alice, first, second, "supports")
    duplicate = r"link_unique_from_to_type|UNIQUE constraint failed: claims_claimlink"
    with pytest.raises(IntegrityError, match=duplicate), transaction.atomic():
        ClaimLink.objects.create(from_claim=first, to_claim=second, link_type="supports", rationale="r")
    make_link(alice, first, second, "qualifies")  # another type is another link


def test_link_type_must_be_known(alice: Any) -> None:
    first, second = make_claim(alice), make_claim(alice, text="Second claim")
    with pytest.raises(IntegrityError, match="link_type_valid"), transaction.atomic():
        ClaimLink.objects.create(from_claim=first, to_claim=second, link_type="refutes", rationale="r")


def test_a_review_event_concerns_exactly_one_subject(alice: Any) -> None:
    first, second = make_claim(alice), make_claim(alice, text="Second claim")
    link = make_link(alice, first, second)
    for subject in ({}, {"claim": first, "link": link}):
        with pytest.raises(IntegrityError, match="review_event_one_subject"), transaction.atomic():
            ReviewEvent.objects.create(action="edit", version=1, **subject)


def test_the_primary_source_is_not_the_claimant(alice: Any) -> None:
    claim = make_claim(alice)
    claim.primary_source = claim.claimant
    with pytest.raises(ValidationError, match="leave it empty"):
        claim.full_clean()


def test_admiralty_code_combines_reliability_and_credibility(alice: Any) -> None:
    claim = make_claim(alice, claimant=make_source(alice, name="Sayari", reliability="C"), credibility=2)
    assert claim.admiralty_code == "C2"
