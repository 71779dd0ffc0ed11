"""The API's rate limits: counted in fixed windows, one statement a request, in the database
every app server shares; nothing lost when workers count at once."""

import threading
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from factcheck.api import AnonymousRateThrottle, CountedInWindows
from factcheck.models import RateCount
from factcheck.ratecounts import count_request
from tests.conftest import at_once


def test_a_count_is_one_statement_and_windows_are_apart(db: Any) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert count_request("throttle_anon_10.0.0.1", window=7, expires=480, now=430.0) == 1
    assert len(queries) == 2  # the count, and the ended windows' delete as a window begins
    with CaptureQueriesContext(connection) as queries:
        assert count_request("throttle_anon_10.0.0.1", window=7, expires=480, now=431.0) == 2
    assert len(queries) == 1
    assert count_request("throttle_anon_10.0.0.2", window=7, expires=480, now=432.0) == 1  # another caller
    # The next window starts again from one, and the ended one is deleted.
    assert count_request("throttle_anon_10.0.0.1", window=8, expires=540, now=481.0) == 1
    assert list(RateCount.objects.values_list("key", "window", "count")) == [("throttle_anon_10.0.0.1", 8, 1)]


def test_a_caller_over_the_limit_waits_for_the_next_window(db: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "1000/minute"})
    monkeypatch.setattr(AnonRateThrottle, "timer", lambda self: 6000.0 + 10)  # 50 s before the window ends
    api = APIClient()
    assert [api.get("/api/v1/claims/").status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = api.get("/api/v1/claims/")
    assert refused.status_code == 429 and refused["Retry-After"] == "50"
    # Another address has its own count.
    assert APIClient(REMOTE_ADDR="10.0.0.9").get("/api/v1/claims/").status_code == 200
    monkeypatch.setattr(AnonRateThrottle, "timer", lambda self: 6060.0)  # the next window
    assert api.get("/api/v1/claims/").status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections to one database")
def test_workers_counting_at_once_lose_nothing() -> None:
    threads_count, each = 4, 10
    seen: list[int] = []
    at_once(lambda: seen.extend(count_request("throttle_anon_10.0.0.1", window=1, expires=2 ** 40, now=0.0)
                                for _ in range(each)), threads=threads_count)
    assert sorted(seen) == list(range(1, threads_count * each + 1))  # each count handed out once
    RateCount.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL table's persistence")
def test_on_postgresql_the_counts_skip_the_write_ahead_log(db: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = %s", [RateCount._meta.db_table])
        assert cursor.fetchone() == ("u",)  # unlogged: no wait for the log on every API read


def test_a_refused_caller_is_refused_without_a_write_until_the_window_ends(db: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "1000/minute"})
    monkeypatch.setattr(AnonRateThrottle, "timer", lambda self: 6000.0 + 10)
    api = APIClient()
    assert [api.get("/api/v1/claims/").status_code for _ in range(3)] == [200, 200, 429]
    (counted,) = RateCount.objects.values_list("count", flat=True)
    for _ in range(5):  # a flood: refused by the worker's memory, not by five more writes to one row
        refused = api.get("/api/v1/claims/")
        assert refused.status_code == 429 and refused["Retry-After"] == "50"
    assert RateCount.objects.get().count == counted == 3
    assert APIClient(REMOTE_ADDR="10.0.0.9").get("/api/v1/claims/").status_code == 200  # others are counted
    monkeypatch.setattr(AnonRateThrottle, "timer", lambda self: 6060.0)  # the next window: counted afresh
    assert api.get("/api/v1/claims/").status_code == 200
    assert RateCount.objects.get(key__endswith="127.0.0.1").count == 1


def test_a_worker_remembers_a_bounded_number_of_refused_callers(monkeypatch: Any) -> None:
    monkeypatch.setattr(CountedInWindows, "REFUSED_KEPT", 3)
    throttle = AnonymousRateThrottle()
    for number, window in enumerate([1, 1, 2]):
        throttle.key = f"caller-{number}"
        throttle._remember_refused(window)
    throttle.key = "caller-3"
    throttle._remember_refused(2)  # full: the callers of ended windows are forgotten first
    assert CountedInWindows.refused == {"caller-2": 2, "caller-3": 2}


def test_threads_remembering_refused_callers_at_once_never_fail(monkeypatch: Any) -> None:
    monkeypatch.setattr(CountedInWindows, "REFUSED_KEPT", 2000)
    errors: list[BaseException] = []

    def refuse_many(thread: int) -> None:
        throttle = AnonymousRateThrottle()
        try:
            for number in range(20000):
                throttle.key = f"caller-{thread}-{number}"
                throttle._remember_refused(number % 3)
        except Exception as error:  # any failure is the finding
            errors.append(error)

    threads = [threading.Thread(target=refuse_many, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(CountedInWindows.refused) <= 2000
