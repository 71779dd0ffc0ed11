"""The shared database cache counts failed sign-ins from many workers at once without losing one."""

import threading
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection, connections

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks across connections"),
]

THREADS, EACH = 4, 10


def test_concurrent_increments_are_never_lost(settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "factcheck.caching.SharedDatabaseCache", "LOCATION": "factcheck_cache"}}
    cache = caches["default"]
    cache.set("failures", 0)
    barrier = threading.Barrier(THREADS)

    def count() -> None:
        try:
            barrier.wait()
            for _ in range(EACH):
                caches["default"].incr("failures")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=count) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("failures") == THREADS * EACH
    cache.delete("failures")
