"""bench/run.py's servers: a server that never becomes ready is stopped, not left serving."""

import os

import pytest

from bench import run


def test_a_server_that_never_answers_ready_is_stopped() -> None:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"} | run.BENCH_ENV
    run.VAR.mkdir(parents=True, exist_ok=True)
    server = run.Server("bench.bare_wsgi:application", env, "/not-there", ready_within=3)
    with pytest.raises(RuntimeError, match="did not answer"), server:
        pass
    assert server.process.poll() is not None  # stopped, its port free again
