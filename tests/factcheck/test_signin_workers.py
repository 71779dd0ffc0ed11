"""The sign-in limit holds across app servers: a real gunicorn with two workers, on an SQLite file
and the database cache, where wrong passwords answered by either worker count against one limit."""
# ruff: noqa: S603, S310 (our own commands, and requests to our own local server)

import concurrent.futures
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LIMIT = 6
PASSWORD = "right-password-for-the-test"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    env = {
        **os.environ,
        "DEBUG": "1",  # plain static files: no collectstatic needed for the sign-in pages
        "DATABASE_URL": f"sqlite:///{tmp_path / 'workers.sqlite3'}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": "",  # the embedded default: the database cache
        "AXES_FAILURE_LIMIT": str(LIMIT),
        "API_THROTTLE_ANON": "100000/minute",
        "TRANSPARENCY_SIGNING_KEY_FILE": str(tmp_path / "signing.key"),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "createcachetable"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "shell", "-c",
                    f"from django.contrib.auth.models import User; User.objects.create_user('alice', "
                    f"password='{PASSWORD}', is_staff=True)"], env=env, cwd=ROOT, check=True)
    port = _free_port()
    access_log = tmp_path / "access.log"
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "factcheck.wsgi:application", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--access-logfile", str(access_log), "--access-logformat", "%(p)s %(m)s %(U)s %(s)s"],
        env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5)
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("gunicorn exited") from None
                time.sleep(0.1)
        yield base, access_log
    finally:
        process.terminate()
        process.wait(timeout=30)


def _post_form(base: str, path: str, password: str) -> tuple[int, str]:
    """Sign in through an HTML form as a browser does: read the form for its CSRF token, post it."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    page = opener.open(base + path, timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    body = urllib.parse.urlencode({"username": "alice", "password": password, "csrfmiddlewaretoken": token,
                                   "next": "/admin/" if "admin" in path else "/"}).encode()
    return _send(opener, urllib.request.Request(base + path, data=body, headers={"Referer": base + path}))


def _post_token(base: str, password: str) -> tuple[int, str]:
    body = json.dumps({"username": "alice", "password": password}).encode()
    request = urllib.request.Request(base + "/api/v1/auth/token/", data=body,
                                     headers={"Content-Type": "application/json"})
    return _send(urllib.request.build_opener(_NoRedirect()), request)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _send(opener: urllib.request.OpenerDirector, request: urllib.request.Request) -> tuple[int, str]:
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def attempt(base: str, door: str, password: str) -> tuple[int, str]:
    if door == "token":
        return _post_token(base, password)
    return _post_form(base, "/accounts/login/" if door == "page" else "/admin/login/", password)


def test_wrong_passwords_on_two_workers_meet_one_shared_limit(server: tuple[str, Path]) -> None:
    base, access_log = server
    # Two at a time, so that both workers answer: each sync worker serves one request at once.
    rounds = [["page", "token"], ["admin", "token"], ["page", "admin"]]
    failures = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for doors in rounds:
            if failures + len(doors) >= LIMIT:
                break
            results = list(pool.map(lambda door: attempt(base, door, "wrong"), doors))
            for status, _ in results:
                assert status in (200, 401), status  # the form again, or the API's 401: not yet locked
            failures += len(doors)
    while failures < LIMIT - 1:
        assert attempt(base, "token", "wrong")[0] == 401
        failures += 1
    status, text = attempt(base, "page", "wrong")
    assert status == 429 and "Too many failed sign-ins" in text
    # Locked out: the right password is refused too, at every door.
    for door in ("page", "admin", "token"):
        status, text = attempt(base, door, PASSWORD)
        assert status == 429, door
        assert "Too many failed sign-ins" in text
    assert json.loads(attempt(base, "token", PASSWORD)[1])["error"] == "locked_out"

    # The failures were answered by both workers, not counted in one worker's memory.
    workers = {line.split()[0] for line in access_log.read_text().splitlines()
               if line.split()[1] == "POST" and line.split()[3] in ("200", "401")}
    assert len(workers) == 2, access_log.read_text()
