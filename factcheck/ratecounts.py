"""Counting requests against a rate limit, shared by every app server.

One statement a request: an insert of the caller's window that adds one to it when it is there
already, returning the count (`INSERT … ON CONFLICT … DO UPDATE … RETURNING`, which SQLite and
PostgreSQL both run atomically), on the driver's own cursor (factcheck.driver): Django's
cursor would add its health check, a second round trip, to every API request. Django's cache
would read, add and write back a list of every request's time, several queries that grow with
the rate.
"""

import functools

from django.db import connection

from factcheck.driver import fetch_one
from factcheck.models import RateCount


@functools.cache
def _count_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    table = quote(RateCount._meta.db_table)
    return (f"INSERT INTO {table} ({quote('key')}, {quote('window')}, {quote('count')}, {quote('expires')}) "  # noqa: S608 (names, no input)
            f"VALUES (%s, %s, 1, %s) ON CONFLICT ({quote('key')}, {quote('window')}) "
            f"DO UPDATE SET {quote('count')} = {table}.{quote('count')} + 1 RETURNING {quote('count')}")


def count_request(key: str, *, window: int, expires: int, now: float) -> int:
    """Count one request of `key` in `window` (ending at `expires`, in seconds since 1970);
    how many it has made in that window, this one included."""
    (count,) = fetch_one(_count_sql(connection.vendor), [key, window, expires])
    if count == 1:  # a window begins: the ended ones go, one delete per caller per window
        RateCount.objects.filter(expires__lte=now).delete()
    return count
