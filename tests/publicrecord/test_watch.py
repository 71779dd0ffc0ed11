"""A worker remembers the public record's state lookups until PostgreSQL says the log grew
(publicrecord.watch): what another worker publishes is heard, what this one publishes is
forgotten at once, and a failure falls back to asking the database."""

import time
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.publication import page_state
from factcheck.roles import EDITORS, FACT_CHECKERS
from publicrecord import watch
from publicrecord.querysets import latest_state
from tests.conftest import at_once, make_claim, publish

pytestmark = [pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's LISTEN/NOTIFY"),
              pytest.mark.django_db(transaction=True)]  # committed, as other workers see them


@pytest.fixture(autouse=True)
def _roles() -> None:
    """The roles' groups, which a committed test's flush empties with every table."""
    for name in (EDITORS, FACT_CHECKERS):
        Group.objects.get_or_create(name=name)


def _lookups(call: Any) -> int:
    """How many state lookups `call` asks the database (counted at fetch_one: counting with
    CaptureQueriesContext would turn the memory off, as DEBUG does)."""
    import claims.publication
    import publicrecord.querysets

    original, counted = publicrecord.querysets.fetch_one, []

    def counting(*args: Any, **kwargs: Any) -> Any:
        counted.append(args)
        return original(*args, **kwargs)

    publicrecord.querysets.fetch_one = claims.publication.fetch_one = counting
    try:
        call()
    finally:
        publicrecord.querysets.fetch_one = claims.publication.fetch_one = original
    return len(counted)


def test_a_lookup_is_asked_once_then_remembered(alice: Any, bob: Any, settings: Any) -> None:
    settings.PUBLIC_STATE_MEMORY_SECONDS = 60
    claim = publish(make_claim(alice), author=alice, editor=bob)
    assert _lookups(lambda: (latest_state(), page_state(claim.slug))) == 2
    assert _lookups(lambda: (latest_state(), page_state(claim.slug))) == 0


def test_what_another_worker_publishes_is_heard(alice: Any, bob: Any, settings: Any, monkeypatch: Any) -> None:
    settings.PUBLIC_STATE_MEMORY_SECONDS = 60  # only the notice can explain a fresh answer
    claim = publish(make_claim(alice), author=alice, editor=bob)
    size, _ = latest_state()
    page, _ = page_state(claim.slug)
    # Another worker: its own connection, and nothing of this process's memory told directly.
    monkeypatch.setattr(watch, "appended", lambda: None)
    at_once(lambda: publish(make_claim(alice, text="Published elsewhere."), author=alice, editor=bob), threads=1)
    monkeypatch.undo()
    deadline = time.monotonic() + 10
    while latest_state()[0] == size and time.monotonic() < deadline:
        time.sleep(0.01)  # the notice is delivered on commit, asynchronously
    assert latest_state()[0] > size
    assert page_state(claim.slug)[0] == page  # its page did not change: the same answer, asked again


def test_without_the_notice_the_old_answer_is_kept(alice: Any, bob: Any, settings: Any, monkeypatch: Any) -> None:
    """What the notice is for: with it silenced, another worker's publication goes unheard."""
    settings.PUBLIC_STATE_MEMORY_SECONDS = 60
    publish(make_claim(alice), author=alice, editor=bob)
    size, _ = latest_state()
    monkeypatch.setattr(watch, "appended", lambda: None)
    monkeypatch.setattr(watch, "CHANNEL", "nobody_listens")
    at_once(lambda: publish(make_claim(alice, text="Published elsewhere."), author=alice, editor=bob), threads=1)
    time.sleep(0.2)
    assert latest_state()[0] == size
    settings.PUBLIC_STATE_MEMORY_SECONDS = 0  # and no memory at all asks every time
    assert latest_state()[0] > size


def test_this_worker_forgets_at_once_what_it_publishes(alice: Any, bob: Any, settings: Any,
                                                       monkeypatch: Any) -> None:
    settings.PUBLIC_STATE_MEMORY_SECONDS = 60
    publish(make_claim(alice), author=alice, editor=bob)
    size, _ = latest_state()
    monkeypatch.setattr(watch, "CHANNEL", "nobody_listens")  # no notice can arrive: the append itself forgets
    publish(make_claim(alice, text="Published here."), author=alice, editor=bob)
    assert latest_state()[0] > size


def test_a_broken_listener_falls_back_to_asking(alice: Any, bob: Any, settings: Any) -> None:
    settings.PUBLIC_STATE_MEMORY_SECONDS = 60
    publish(make_claim(alice), author=alice, editor=bob)
    latest_state()
    watch._watch.listener.pgconn.finish()  # the connection goes away under it
    assert _lookups(latest_state) == 1  # asked, not remembered
    assert watch._watch.listener is None
    assert _lookups(latest_state) == 1  # listening again: asked once, then remembered
    assert _lookups(latest_state) == 0


def test_while_queries_are_logged_every_lookup_is_asked(alice: Any, bob: Any, settings: Any) -> None:
    settings.PUBLIC_STATE_MEMORY_SECONDS = 60
    publish(make_claim(alice), author=alice, editor=bob)
    latest_state()
    with CaptureQueriesContext(connection) as queries:
        latest_state()
        latest_state()
    assert len(queries) == 2
