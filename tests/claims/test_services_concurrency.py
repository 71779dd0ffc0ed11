"""Two people acting on the same claim at the same moment: exactly one wins, nothing is lost."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from claims import services
from claims.models import Claim, ReviewEvent
from factcheck.errors import InvalidTransition, StaleVersion
from tests.conftest import make_claim

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks across connections"),
]


def _race(*actions: Callable[[], Any]) -> list[Any]:
    """Run the actions at once in threads, each on its own connection; their results or errors."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        from django.db import connections

        try:
            barrier.wait()
            results[index] = action()
        except (StaleVersion, InvalidTransition, PermissionDenied) as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_editors_publishing_at_once_exactly_one_wins(alice: Any, bob: Any, carol: Any) -> None:
    claim = make_claim(alice)
    claim = services.claim_submit(claim=claim, actor=alice, version=claim.version)
    seen = claim.version
    results = _race(
        lambda: services.claim_publish(claim=claim, actor=bob, version=seen, note="Corrected."),
        lambda: services.claim_publish(claim=claim, actor=carol, version=seen, note="Corrected."),
    )
    winners = [r for r in results if isinstance(r, Claim)]
    losers = [r for r in results if isinstance(r, StaleVersion)]
    assert len(winners) == 1 and len(losers) == 1, results
    claim.refresh_from_db()
    assert (claim.status, claim.version, claim.published_version) == ("published", seen + 1, seen + 1)
    assert ReviewEvent.objects.filter(claim=claim, action="publish").count() == 1
    assert list(claim.history.order_by("history_date").values_list("version", flat=True)) == [1, 2, 3]


def test_an_edit_and_a_publish_at_once_never_publish_unreviewed_text(alice: Any, bob: Any) -> None:
    claim = services.claim_submit(claim=make_claim(alice), actor=alice, version=1)
    seen = claim.version
    results = _race(
        lambda: services.claim_update(claim=claim, actor=alice, version=seen, changes={"text": "Late edit"},
                                      reason="Late edit"),
        lambda: services.claim_publish(claim=claim, actor=bob, version=seen, note="Corrected."),
    )
    assert sum(isinstance(r, Claim) for r in results) == 1, results
    claim.refresh_from_db()
    history = list(claim.history.order_by("history_date").values_list("version", "text"))
    assert [version for version, _ in history] == [1, 2, 3]  # complete, no gaps, no duplicates
    if claim.status == "published":
        assert claim.text != "Late edit"
    else:
        assert (claim.status, claim.text, claim.published_version) == ("in_review", "Late edit", None)


def test_publishes_at_once_append_records_in_order_without_gaps(alice: Any, bob: Any, carol: Any) -> None:
    import io

    from django.core.management import call_command

    from publicrecord.models import Record, TreeHead

    claims = [services.claim_submit(claim=make_claim(alice, text=f"Claim {n}"), actor=alice, version=1)
              for n in range(4)]
    results = _race(*[lambda claim=claim, editor=editor: services.claim_publish(
        claim=claim, actor=editor, version=claim.version) for claim, editor in zip(claims, [bob, carol] * 2,
                                                                                   strict=True)])
    assert all(isinstance(result, Claim) for result in results), results
    assert list(Record.objects.order_by("index").values_list("index", flat=True)) == [0, 1, 2, 3]
    assert sorted(Record.objects.values_list("subject", flat=True)) == sorted(f"claim:{c.pk}" for c in claims)
    assert list(TreeHead.objects.order_by("tree_size").values_list("tree_size", flat=True)) == [1, 2, 3, 4]
    call_command("verify_record", stdout=io.StringIO())
