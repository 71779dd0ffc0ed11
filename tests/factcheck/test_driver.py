"""Statements on the driver's own cursor (factcheck.driver): no health check of their own, and
a connection the server dropped is opened again, as Django's health check would have done."""

from typing import Any
from unittest import mock

import psycopg
import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction

from factcheck.driver import fetch_one
from factcheck.ratecounts import count_request

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="a PostgreSQL server that drops the connection")


def test_the_rate_count_runs_no_health_check_of_its_own(db: Any) -> None:
    assert count_request("throttle_anon_10.0.0.1", window=7, expires=480, now=430.0) == 1  # the window begins
    database = connections[DEFAULT_DB_ALIAS]
    database.health_check_enabled, database.health_check_done = True, False  # as the next request finds it
    with mock.patch.object(type(database), "is_usable", return_value=True) as health_check:
        assert count_request("throttle_anon_10.0.0.1", window=7, expires=480, now=431.0) == 2
    health_check.assert_not_called()  # one round trip a request: the count alone


def _dropped_by_the_server() -> None:
    """The server ends this connection's session, as a restart or an idle timeout would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    params = connection.get_connection_params()
    with psycopg.connect(**{name: params[name] for name in ("dbname", "user", "host", "port") if name in params},
                         autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_dropped_is_opened_again() -> None:
    _dropped_by_the_server()
    assert fetch_one("SELECT %s", [3]) == (3,)
    assert connection.is_usable()
    assert count_request("throttle_anon_10.0.0.1", window=7, expires=480, now=430.0) == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_within_a_transaction_a_dropped_connection_is_an_error_not_a_new_one(caplog: Any) -> None:
    with pytest.raises(OperationalError), transaction.atomic():
        _dropped_by_the_server()
        fetch_one("SELECT %s", [3])  # a new connection would not hold the transaction's work
    assert "reconnecting" not in caplog.text  # the error is the dropped connection's, not a retry's
    connection.close()

