"""One statement on the database driver's own cursor, for the few that every request makes.

Django's cursor wrapper, and the health check its first cursor of a request runs (a `SELECT 1`
when CONN_HEALTH_CHECKS is on), cost more than the statements themselves: the public record's
state lookups (publicrecord.querysets) and the API's rate count (factcheck.ratecounts) run here.
"""

import functools
import logging
from typing import Any

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)


def fetch_one(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
    """The first row of `sql` (`%s` placeholders), run on the driver's own cursor.

    Errors are Django's, and mark the connection as Django's cursor would, so a broken one is
    closed at the end of the request. A connection the server dropped since the last request
    (a restart, an idle timeout) is what Django's health check would have found: outside a
    transaction, it is closed and the statement runs once more on a new one. When queries are
    being logged (DEBUG, a test that counts them) the statement goes through Django's cursor
    and is logged like any other.
    """
    db = connections[DEFAULT_DB_ALIAS]
    if db.queries_logged:
        return _through_django(db, sql, params)
    db.ensure_connection()
    try:
        with db.wrap_database_errors:
            return _on_driver(db, sql, params)
    except (OperationalError, InterfaceError):
        if db.in_atomic_block or db.is_usable():
            raise
        logger.warning("The database connection was lost since the last request; reconnecting.")
        db.close()
        return _through_django(db, sql, params)


def _on_driver(db: BaseDatabaseWrapper, sql: str, params: list[Any] | tuple[Any, ...]) -> tuple[Any, ...] | None:
    cursor = db.connection.cursor()
    try:
        cursor.execute(_for_driver(sql, db.vendor), params)
        return cursor.fetchone()
    finally:
        cursor.close()


def _through_django(db: BaseDatabaseWrapper, sql: str, params: list[Any] | tuple[Any, ...]) -> tuple[Any, ...] | None:
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


@functools.cache
def _for_driver(sql: str, vendor: str) -> str:
    # sqlite3 takes qmark placeholders; psycopg takes %s, as Django's cursors do.
    return sql.replace("%s", "?") if vendor == "sqlite" else sql
