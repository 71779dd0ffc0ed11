"""This worker's memory of the public record's state lookups, kept current by PostgreSQL.

Every anonymous request asks the state of what its page shows (the log's size, a claim page's
latest record: `fetch_state`), and on PostgreSQL that question is a network round trip that
cost more than the rest of a 304. The answers change only when a record is appended, so a
worker remembers them until the database says the log grew: each append notifies the channel
`CHANNEL` in its transaction (delivered when it commits), and the worker listens on a
connection of its own and reads its socket, without waiting, before answering from memory.

The order keeps it right: the worker listens before it remembers anything, so no append it
has not heard of can be older than an answer it holds; an append in this process forgets at
once (the one that appends need not wait for its own notification); and a connection that
fails forgets everything and falls back to asking the database each time. As a guard against
a listener that dies without a word, nothing is remembered for longer than
PUBLIC_STATE_MEMORY_SECONDS.

Only on PostgreSQL (SQLite answers in the process, for less than the bookkeeping), and never
while queries are being logged (DEBUG, a test counting them): those see every lookup.
"""

import contextlib
import threading
import time
from collections.abc import Callable
from typing import Any

import cachetools
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

CHANNEL = "factcheck_public_record"
# The libpq parameters a listening connection shares with Django's (not Django's own options).
_LIBPQ_KEYS = {"dbname", "user", "password", "host", "port", "sslmode", "sslrootcert", "sslcert", "sslkey",
               "connect_timeout", "options", "service", "passfile", "application_name", "target_session_attrs"}


class LogWatch:
    def __init__(self) -> None:
        self.lock = threading.Lock()  # a worker may serve on several threads
        self.listener: Any = None
        self.answers: cachetools.LRUCache[Any, Any] = cachetools.LRUCache(maxsize=20_000)
        self.generation = 0  # counts the times everything was forgotten
        self.fresh_until = 0.0

    def answers_now(self) -> cachetools.LRUCache[Any, Any] | None:
        """The remembered answers, current as far as the database has said; None when they
        cannot be kept (not PostgreSQL, queries logged, the listener unavailable)."""
        db = connections[DEFAULT_DB_ALIAS]
        seconds = settings.PUBLIC_STATE_MEMORY_SECONDS
        if db.vendor != "postgresql" or db.queries_logged or seconds <= 0:
            return None
        try:
            if self.listener is None:
                self.listener = self._listen(db)
                self.clear()  # whatever was remembered before now went unheard
            pgconn = self.listener.pgconn
            pgconn.consume_input()  # what the socket holds, without waiting
            heard = False
            while pgconn.notifies() is not None:
                heard = True
        except Exception:  # any failure: ask the database until a listener works again
            self.close()
            return None
        now = time.monotonic()
        if heard or now >= self.fresh_until:
            self.clear()
            self.fresh_until = now + seconds
        return self.answers

    def clear(self) -> None:
        self.answers.clear()
        self.generation += 1

    @staticmethod
    def _listen(db: Any) -> Any:
        import psycopg

        params = {key: value for key, value in db.get_connection_params().items() if key in _LIBPQ_KEYS}
        listener = psycopg.connect(**params, autocommit=True)
        listener.execute(f"LISTEN {CHANNEL}")
        return listener

    def forget(self) -> None:
        with self.lock:
            self.clear()

    def close(self) -> None:
        self.clear()
        listener, self.listener = self.listener, None
        if listener is not None:
            with contextlib.suppress(Exception):  # closing a broken connection: nothing to do
                listener.close()


_watch = LogWatch()


def remembered(key: Any, lookup: Callable[[], Any]) -> Any:
    """`lookup()`'s answer, remembered under `key` until the log grows (see the module)."""
    with _watch.lock:
        answers = _watch.answers_now()
        if answers is None:
            return lookup()
        if key in answers:
            return answers[key]
        generation = _watch.generation
    value = lookup()
    with _watch.lock:
        # Kept only if nothing was heard meanwhile: the lookup may have read the older state.
        if _watch.answers_now() is not None and _watch.generation == generation:
            _watch.answers[key] = value
    return value


def appended() -> None:
    """This process appended to the log: forget now, without waiting for the notice. (A request
    on another thread that remembers the state before it commits forgets it when the notice
    comes: this worker listens too.)"""
    _watch.forget()


def forget() -> None:
    """Forget every remembered answer (tests, the benchmark)."""
    _watch.forget()


def stop_listening() -> None:
    _watch.close()
