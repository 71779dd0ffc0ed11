"""Steps taken on many claims or links at once (loading a data set): what taking them one by
one would do, all or none, in a number of queries that does not grow with the batch."""

import itertools
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.models import Claim, PublicClaim, ReviewEvent
from publicrecord.models import Record
from tests.conftest import make_claim, make_link, publish


def _records_since(index: int) -> list[tuple[int, str, list[int]]]:
    """(claim id, event, ids of the links shown) of each record appended after `index`."""
    return [(int(record.subject.removeprefix("claim:")), record.kind,
             [link["id"] for link in json.loads(record.body)["links"]])
            for record in Record.objects.filter(index__gt=index).order_by("index")]


def _latest_index() -> int:
    return Record.objects.order_by("-index").values_list("index", flat=True).first() or -1


def test_links_accepted_together_record_what_accepting_them_in_turn_records(alice: Any, bob: Any,
                                                                           carol: Any) -> None:
    a, b, c = (publish(make_claim(alice, text=text), author=alice, editor=bob) for text in ("A", "B", "C"))
    ab, bc = make_link(alice, a, b), make_link(alice, b, c)
    start = _latest_index()
    services.links_accept(actor=carol, reviews=[services.Review(ab, ab.version), services.Review(bc, bc.version)])
    # B's first record shows only the first link: the second was not accepted yet.
    assert _records_since(start) == [(a.pk, "evidence", [ab.pk]), (b.pk, "evidence", [ab.pk]),
                                     (b.pk, "evidence", [ab.pk, bc.pk]), (c.pk, "evidence", [bc.pk])]
    assert PublicClaim.objects.get(claim=b).record_id == start + 3
    assert PublicClaim.objects.get(claim=a).page_index == start + 3  # B's page shows on A's through the link


def test_claims_published_together_may_cite_one_another(alice: Any, bob: Any) -> None:
    first = make_claim(alice, text="First", credibility_rationale="Together with [[claim:second]].")
    second = make_claim(alice, text="Second", slug="second", credibility_rationale="As [[claim:" + first.slug + "]].")
    first, second = services.claims_submit(actor=alice, claims=[(first, first.version), (second, second.version)])
    with pytest.raises(Exception, match="not published"):
        services.claim_publish(claim=first, actor=bob, version=first.version)
    first, second = services.claims_publish(actor=bob, publications=[services.Publication(first, first.version),
                                                                     services.Publication(second, second.version)])
    assert first.status == second.status == "published"
    assert [record.kind for record in Record.objects.order_by("index")] == ["publication", "publication"]
    # The first's page shows the second's text (it cites it): it changed with the second's record.
    assert PublicClaim.objects.get(claim=first).page_index == 1


def test_one_refusal_publishes_none(alice: Any, bob: Any) -> None:
    fine = services.claim_submit(claim=make_claim(alice), actor=alice, version=1)
    own = services.claim_submit(claim=make_claim(bob, text="Bob's own"), actor=bob, version=1)
    with pytest.raises(PermissionDenied, match="Four eyes"):
        services.claims_publish(actor=bob, publications=[services.Publication(fine, fine.version),
                                                         services.Publication(own, own.version)])
    assert Claim.objects.get(pk=fine.pk).status == "in_review"
    assert not Record.objects.exists()
    assert not ReviewEvent.objects.filter(action="publish").exists()


def _publish_many(author: Any, editor: Any, count: int) -> int:
    drafts = [make_claim(author, text=f"Claim {count}-{i}") for i in range(count)]
    with CaptureQueriesContext(connection) as queries:
        submitted = services.claims_submit(actor=author, claims=[(claim, claim.version) for claim in drafts])
        published = services.claims_publish(actor=editor, publications=[
            services.Publication(claim, claim.version) for claim in submitted])
        links = services.links_propose(actor=author, proposals=[
            services.Proposal(claim, other, "supports", "The figures add up.")
            for claim, other in itertools.pairwise(published)])
        services.links_accept(actor=editor, reviews=[services.Review(link, link.version) for link in links])
    return len(queries)


def test_the_queries_do_not_grow_with_the_number_of_claims(alice: Any, bob: Any) -> None:
    _publish_many(alice, bob, 2)  # the first publication also makes the log's row
    assert _publish_many(alice, bob, 3) == _publish_many(alice, bob, 8)
