from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError

PRODUCTION_STORAGE = "factcheck.storage.ForgivingManifestStaticFilesStorage"


@pytest.fixture
def manifest_storage(settings: Any, tmp_path: Path) -> Any:
    """Production's static storage over an empty STATIC_ROOT: collectstatic has not run."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
    return settings


def test_it_answers_ok_when_the_database_answers(client: Any, db: Any) -> None:
    """GET /healthz is 200 with the database check passed."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "static": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_database_is_unreachable(client: Any, db: Any) -> None:
    """A database that cannot be reached makes the service unhealthy."""
    with mock.patch("factcheck.views.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_it_refuses_writes(client: Any, db: Any) -> None:
    assert client.post("/healthz").status_code == 405


def test_it_answers_503_when_static_files_are_not_collected(client: Any, db: Any, manifest_storage: Any) -> None:
    """Production pages name hashed static files: without collectstatic the service is not healthy."""
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok",
                               "static": "static files are not collected: run `python manage.py collectstatic`"}


def test_pages_still_render_when_static_files_are_not_collected(client: Any, db: Any, manifest_storage: Any) -> None:
    """A missing manifest entry gives the file's plain address, not a 500 on every page."""
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/static/css/site.css"' in response.content.decode()


def test_it_answers_ok_once_static_files_are_collected(client: Any, db: Any, settings: Any, tmp_path: Path) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    # The manifest without whitenoise's compression, which the check does not need and is slow.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    call_command("collectstatic", "--no-input", verbosity=0)
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["static"] == "ok"
    (tmp_path / "static" / "staticfiles.json").unlink()
    assert client.get("/healthz").status_code == 200  # what this process loaded is what its pages use


def test_a_static_file_added_since_collectstatic_is_reported(client: Any, db: Any, settings: Any,
                                                             tmp_path: Path) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    extra = tmp_path / "extra"
    extra.mkdir()
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, extra]
    call_command("collectstatic", "--no-input", verbosity=0)
    (extra / "new.css").write_text("p { margin: 0; }")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["static"].startswith("1 static files are not collected (e.g. new.css)")
