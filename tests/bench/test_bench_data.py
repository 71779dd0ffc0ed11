"""bench_data: a small synthetic data set in the shapes the services write, whose public record
verifies and whose public pages render. No timings here: `make bench` measures."""

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from claims import publication
from claims.choices import ClaimStatus, LinkStatus
from claims.models import Claim, ClaimLink, PublicClaim, ReviewEvent
from publicrecord.models import LogState, Projection, Record, TreeHead
from sources.models import Annotation, Document, Snapshot, Source

CLAIMS = 60


@pytest.fixture
def generated(db: Any) -> str:
    out = io.StringIO()
    call_command("bench_data", claims=CLAIMS, seed=7, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_writes_the_counts_asked_for(generated: str) -> None:
    """N claims, N/10 documents with one snapshot each, an annotation per claim, about two
    accepted links per claim, every claim public and in the log."""
    assert Claim.objects.count() == CLAIMS
    assert Source.objects.count() == 3  # N/50, at least 3
    assert Document.objects.count() == Snapshot.objects.count() == CLAIMS // 10
    assert Annotation.objects.count() == CLAIMS
    links = ClaimLink.objects.count()
    assert 1.5 * CLAIMS <= links <= 2 * CLAIMS
    assert ClaimLink.objects.exclude(status=LinkStatus.ACCEPTED).count() == 0
    assert PublicClaim.objects.count() == CLAIMS
    assert set(Claim.objects.values_list("status", flat=True)) == {ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED}
    size = LogState.objects.get().tree_size
    assert size == Record.objects.count() == TreeHead.objects.count() > CLAIMS
    assert Projection.objects.filter(kind="passage").count() == CLAIMS
    assert f"{CLAIMS} claims" in generated


def test_each_claim_has_the_history_the_services_leave(generated: str) -> None:
    """Created, submitted, published: three revisions and three review events at least."""
    for claim in Claim.objects.all():
        assert claim.history.count() >= 3
        assert ReviewEvent.objects.filter(claim=claim).count() >= 3
        assert claim.published_version is not None and claim.published_version <= claim.version
        assert claim.annotation.exact == claim.quote
    annotation = Annotation.objects.select_related("snapshot").first()
    assert annotation.snapshot.text[annotation.start:annotation.end] == annotation.exact
    assert Source.objects.filter(public_since__isnull=False).count() == Source.history.filter(
        history_change_reason="Made public: cited by a published claim").count()


def test_the_public_record_verifies(generated: str) -> None:
    out = io.StringIO()
    call_command("verify_record", stdout=out)
    assert "The public record is intact." in out.getvalue()


def test_records_are_what_publishing_the_rows_would_record(generated: str) -> None:
    """Each claim's latest record holds what claims.publication builds from its rows now: the
    generator and the services agree on the record's shape. (A linked claim's frozen text and
    grade may be older: the records of its links froze it before it was corrected.)"""
    for claim in Claim.objects.with_parties().select_related("annotation__snapshot__document__publisher"):
        _, latest = publication.latest_payload(claim.pk)
        _, _, now = publication.publication_payload(claim=claim, editor="", at=claim.published_at, note="",
                                                    exception="")
        for part in ("claim", "claimant", "primary_source", "document", "evidence", "evidence_exception"):
            assert latest[part] == now[part], (claim.pk, part)
        assert [(link["id"], link["type"], link["direction"], link["claim"]["id"]) for link in latest["links"]] == [
            (link["id"], link["type"], link["direction"], link["claim"]["id"]) for link in now["links"]]
        assert latest["status"] == claim.status


def test_the_public_pages_render(generated: str, settings: Any) -> None:
    """Every page make bench measures answers 200 (and the ETag path 304)."""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]  # bench_pages asks as make bench's server is asked
    out = io.StringIO()
    call_command("bench_pages", stdout=out)
    pages = json.loads(out.getvalue())["pages"]
    assert len(pages) == 12
    for page in pages:
        assert page["status"] == (304 if page.get("etag") else 200), page
        assert page["queries"] >= 1
    assert any(page["path"].startswith("/search/") and page["bytes"] > 0 for page in pages)


def test_it_refuses_a_database_that_holds_claims(generated: str) -> None:
    with pytest.raises(CommandError, match="already holds"):
        call_command("bench_data", claims=10, stdout=io.StringIO(), stderr=io.StringIO())
    assert Claim.objects.count() == CLAIMS


def test_search_finds_the_generated_claims(generated: str) -> None:
    """The generator fills the search index as the publication service does."""
    from claims.models import PublicClaim
    from claims.views.public import search_public_claims

    word = PublicClaim.objects.first().search_text.split()[0]
    assert search_public_claims(word).exists()
