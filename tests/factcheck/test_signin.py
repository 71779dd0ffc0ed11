"""One limit on guessing passwords, per account and per address, shared by every door."""

import logging
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from factcheck.api import CountedInWindows
from factcheck.signin import TokenView

LIMIT = 3


@pytest.fixture(autouse=True)
def _small_limit(settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = LIMIT


def page_login(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def admin_login(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password}, **extra)


def token_login(client: Client, username: str, password: str, **extra: Any) -> Any:
    return APIClient().post("/api/v1/auth/token/", {"username": username, "password": password}, format="json",
                            **extra)


DOORS = {"page": page_login, "admin": admin_login, "token": token_login}


def signed_in(door: str, response: Any) -> bool:
    if door == "token":
        return response.status_code == 200 and "token" in response.json()
    return response.status_code == 302


@pytest.mark.parametrize("door", DOORS)
def test_it_locks_the_door_after_the_limit_even_to_the_right_password(door: str, alice: Any) -> None:
    login = DOORS[door]
    for n in range(LIMIT - 1):
        response = login(Client(), "alice", f"wrong-{n}")
        assert response.status_code in (200, 401), response.status_code  # the form again, or a 401 (token)
    locked = login(Client(), "alice", "wrong-last")
    assert locked.status_code == 429
    right = login(Client(), "alice", "alice-password")
    assert right.status_code == 429 and not signed_in(door, right)
    assert int(right["Retry-After"]) > 0
    if door == "token":
        assert right.json()["error"] == "locked_out"
        assert "Too many failed sign-ins" in right.json()["detail"] and right.json()["fields"] == {}
    else:
        assert "Too many failed sign-ins" in right.content.decode()
        assert "_auth_user_id" not in Client().session


def test_the_right_password_within_the_limit_signs_in(alice: Any) -> None:
    for n in range(LIMIT - 1):
        page_login(Client(), "alice", f"wrong-{n}")
    assert page_login(Client(), "alice", "alice-password").status_code == 302
    assert signed_in("token", token_login(Client(), "alice", "alice-password"))


def test_every_door_draws_on_the_same_allowance(alice: Any) -> None:
    page_login(Client(), "alice", "wrong-1")
    admin_login(Client(), "alice", "wrong-2")
    assert token_login(Client(), "alice", "wrong-3").status_code == 429
    assert page_login(Client(), "alice", "alice-password").status_code == 429
    assert admin_login(Client(), "alice", "alice-password").status_code == 429


def test_the_limit_is_per_account_whatever_the_address(alice: Any) -> None:
    for n in range(LIMIT):
        page_login(Client(), "alice", f"wrong-{n}", REMOTE_ADDR=f"192.0.2.{n + 1}")
    assert page_login(Client(), "alice", "alice-password", REMOTE_ADDR="198.51.100.7").status_code == 429


def test_the_limit_is_per_address_whatever_the_account(alice: Any, bob: Any) -> None:
    for n in range(LIMIT):
        token_login(Client(), f"nobody-{n}", "guess", REMOTE_ADDR="192.0.2.50")
    assert token_login(Client(), "bob", "bob-password", REMOTE_ADDR="192.0.2.50").status_code == 429
    # Another address and another account are not held up.
    assert signed_in("token", token_login(Client(), "bob", "bob-password", REMOTE_ADDR="192.0.2.51"))


def test_a_forwarded_for_header_does_not_buy_new_attempts(alice: Any) -> None:
    for n in range(LIMIT):
        token_login(Client(), f"nobody-{n}", "guess", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert token_login(Client(), "alice", "alice-password", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_failed_and_locked_out_sign_ins_are_logged(alice: Any, caplog: Any) -> None:
    with caplog.at_level(logging.WARNING):
        for n in range(LIMIT + 1):
            page_login(Client(), "alice", f"wrong-{n}")
    text = caplog.text
    assert "login failure" in text and "Locking out" in text and "Sign-in refused, locked out" in text


def test_throttled_api_calls_are_logged(db: Any, caplog: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1/minute", "user": "1000/minute"})
    cache.clear()
    api = APIClient()
    with caplog.at_level(logging.WARNING):
        api.get("/api/v1/claims/")
        assert api.get("/api/v1/claims/").status_code == 429
    assert "Throttled" in caplog.text
    cache.clear()


def test_the_throttles_and_the_lockout_count_where_every_worker_reads(settings: Any) -> None:
    """Not in a worker's memory: the lockout in the database cache (or Redis), the API's rate
    limits in the database (factcheck.ratecounts)."""
    assert settings.AXES_CACHE == "default" and settings.AXES_HANDLER == "axes.handlers.cache.AxesCacheHandler"
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in ("factcheck.caching.SharedDatabaseCache", "django.core.cache.backends.redis.RedisCache")
    for throttle in api_settings.DEFAULT_THROTTLE_CLASSES:
        assert issubclass(throttle, CountedInWindows)
    assert issubclass(TokenView.throttle_classes[0], CountedInWindows)
