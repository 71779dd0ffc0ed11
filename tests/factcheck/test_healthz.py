from typing import Any
from unittest import mock

from django.db import OperationalError


def test_it_answers_ok_when_the_database_answers(client: Any, db: Any) -> None:
    """GET /healthz is 200 with the database check passed."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_database_is_unreachable(client: Any, db: Any) -> None:
    """A database that cannot be reached makes the service unhealthy."""
    with mock.patch("factcheck.views.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_it_refuses_writes(client: Any, db: Any) -> None:
    assert client.post("/healthz").status_code == 405
