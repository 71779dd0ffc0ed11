"""The shared database cache counts failed sign-ins from many workers at once without losing one."""

from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection

from tests.conftest import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks across connections"),
]

THREADS, EACH = 4, 10


def test_concurrent_increments_are_never_lost(settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "factcheck.caching.SharedDatabaseCache", "LOCATION": "factcheck_cache"}}
    cache = caches["default"]
    cache.set("failures", 0)
    at_once(lambda: [caches["default"].incr("failures") for _ in range(EACH)], threads=THREADS)
    assert cache.get("failures") == THREADS * EACH
    cache.delete("failures")
