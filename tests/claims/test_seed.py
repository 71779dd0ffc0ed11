"""The seed data set: the drone-war article as graded, linked, published claims."""

import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from claims.models import Claim, ClaimLink, ReviewEvent
from sources.models import Annotation, Document, Snapshot, Source

ARTICLE = (Path(__file__).resolve().parents[2] / "fixtures" / "drone-war-article.txt").read_text(encoding="utf-8")
FIGURES = ["$304 million", "$107 million", "$411 million", "$110 million", "$87 million", "$64 million",
           "$66 million", "$37 million", "$577 million"]


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """Load the seed once for the module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_seed", stdout=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


pytestmark = pytest.mark.usefixtures("seeded")


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in
            (Source, Document, Snapshot, Annotation, Claim, ClaimLink, ReviewEvent)} | {
        f"history {model._meta.label}": model.history.count() for model in (Source, Document, Claim, ClaimLink)}


@pytest.mark.django_db
def test_every_claim_is_complete_and_published() -> None:
    claims = Claim.objects.select_related("claimant", "document", "annotation__snapshot")
    assert claims.count() >= 45
    for claim in claims:
        assert claim.status == "published", claim.slug
        assert claim.claimant_id and claim.document_id, claim.slug
        assert (claim.asserted_on is None) == (claim.asserted_precision == "unknown"), claim.slug
        assert claim.credibility_rationale.strip(), claim.slug
        assert claim.quote in ARTICLE, claim.slug


@pytest.mark.django_db
def test_every_quote_is_anchored_in_the_article_snapshot() -> None:
    snapshot = Snapshot.objects.get(document__slug="drone-war-article")
    assert snapshot.text == ARTICLE
    for claim in Claim.objects.select_related("annotation"):
        annotation = claim.annotation
        assert annotation is not None, claim.slug
        assert annotation.snapshot_id == snapshot.pk
        assert snapshot.text[annotation.start:annotation.end] == claim.quote == annotation.exact
        assert snapshot.text[max(0, annotation.start - 32):annotation.start] == annotation.prefix


@pytest.mark.django_db
def test_every_figure_of_the_article_is_a_claim() -> None:
    quotes = " ".join(Claim.objects.values_list("quote", flat=True))
    for figure in FIGURES:
        assert figure in quotes, figure


@pytest.mark.django_db
def test_the_figures_are_reconciled_by_links() -> None:
    total = Claim.objects.get(quote__contains="totaling $411 million")
    supporting = ClaimLink.objects.filter(to_claim=total, link_type="supports")
    quotes = " ".join(supporting.values_list("from_claim__quote", flat=True))
    assert "$304 million" in quotes and "$107 million" in quotes


@pytest.mark.django_db
def test_the_denial_is_weighed_not_turned_into_a_contradiction_of_the_stake() -> None:
    """Beijing denies supplying lethal weapons; a private 5% stake is not a weapon, so the stake
    qualifies the denial's reach and does not contradict it."""
    denial = Claim.objects.get(slug="prc-mfa-denies-providing-lethal-weapons")
    stake = Claim.objects.get(slug="wang-holds-5pct-of-rustakt")
    links = ClaimLink.objects.filter(from_claim=stake, to_claim=denial)
    assert list(links.values_list("link_type", flat=True)) == ["qualifies"]
    assert not ClaimLink.objects.filter(link_type="contradicts").filter(from_claim=stake).exists()


@pytest.mark.django_db
def test_dates_keep_their_precision() -> None:
    assert Document.objects.get(slug="sayari-report-2025-10").published_display == "October 2025"
    assert Document.objects.get(slug="ft-expose-2025-11-29").published_display == "29 November 2025"


@pytest.mark.django_db
def test_everything_has_its_initial_history_and_review_by_a_second_person() -> None:
    for model in (Source, Document, Claim, ClaimLink, Annotation):
        for obj in model.objects.all():
            first = obj.history.earliest()
            assert first.history_type == "+"
            assert first.history_username == "seed-fact-checker"
    publishers = set(ReviewEvent.objects.filter(action__in=["publish", "accept"]).values_list("actor_username",
                                                                                               flat=True))
    assert publishers == {"seed-editor"}


@pytest.mark.django_db
def test_loading_twice_changes_nothing() -> None:
    before = _counts()
    call_command("load_seed", stdout=StringIO())
    assert _counts() == before


@pytest.mark.django_db
def test_slugs_are_readable() -> None:
    for slug in Claim.objects.values_list("slug", flat=True):
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
