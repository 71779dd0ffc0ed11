"""`manage.py backup` and `restore`: a restored copy has every row, every revision, and a public
record that verifies, on SQLite (online backup) and PostgreSQL (pg_dump / pg_restore)."""

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from claims import services
from claims.models import Claim
from tests.conftest import make_claim, make_link, publish

ROOT = Path(__file__).resolve().parents[2]
# Committed data: pg_dump reads from its own connection; groups come back after (see tests/browser).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

COUNT_ROWS = """
import json
from django.apps import apps
print(json.dumps({m._meta.label: m._default_manager.count() for m in apps.get_models()}))
"""


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _published_record(alice: Any, bob: Any, carol: Any) -> None:
    """Claims with several revisions each: published, corrected, retracted, linked."""
    first = publish(make_claim(alice, text="A first made-up claim for the backup test."), author=alice, editor=bob)
    second = publish(make_claim(alice, text="A second made-up claim for the backup test."), author=alice, editor=bob)
    link = make_link(alice, first, second)
    services.link_accept(link=link, actor=bob, version=link.version)
    second = services.claim_update(claim=second, actor=alice, version=second.version, changes={"credibility": 3},
                                   reason="Regrade")
    services.claim_publish(claim=second, actor=carol, version=second.version, note="Regraded after review.")
    services.claim_retract(claim=first, actor=bob, version=Claim.objects.get(pk=first.pk).version,
                           reason="Withdrawn: the made-up filing was misread.")


@pytest.fixture
def second_database(tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of the same kind as the test database, to restore into."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    yield f"postgres://{settings_dict['USER']}{password}@{host}:{port}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _manage(database_url: str, *arguments: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "factcheck.settings",
                   "LOG_LEVEL": "WARNING"}
    return subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=environment,  # noqa: S603
                          capture_output=True, text=True, check=False)


def test_a_restored_copy_has_every_revision_and_a_record_that_verifies(alice: Any, bob: Any, carol: Any,
                                                                      tmp_path: Path, second_database: str) -> None:
    _published_record(alice, bob, carol)
    expected = _row_counts()
    assert expected["claims.HistoricalClaim"] >= 8 and expected["publicrecord.Record"] >= 4
    backup = tmp_path / ("backup.sqlite3" if connection.vendor == "sqlite" else "backup.dump")

    call_command("backup", str(backup))

    restored = _manage(second_database, "restore", str(backup), "--no-input")
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "Restored from" in restored.stdout and "records: each canonical" in restored.stdout
    verified = _manage(second_database, "verify_record")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    counted = _manage(second_database, "shell", "-c", COUNT_ROWS)
    assert counted.returncode == 0, counted.stderr
    assert json.loads(counted.stdout.strip().splitlines()[-1]) == expected


def test_a_restore_puts_back_what_was_changed_since_the_backup(alice: Any, bob: Any, carol: Any,
                                                              tmp_path: Path) -> None:
    _published_record(alice, bob, carol)
    expected = _row_counts()
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    publish(make_claim(alice, text="A claim published after the backup."), author=alice, editor=bob)
    assert _row_counts() != expected

    call_command("restore", str(backup), interactive=False, stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert _row_counts() == expected


def test_a_backup_of_the_other_kind_or_no_backup_is_refused_in_words(tmp_path: Path, db: Any) -> None:
    other = tmp_path / "other"
    other.write_bytes(b"PGDMP..." if connection.vendor == "sqlite" else b"SQLite format 3\x00...")
    with pytest.raises(CommandError, match=r"is not an? .*backup; the configured database is"):
        call_command("restore", str(other), interactive=False)
    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore", str(tmp_path / "missing"), interactive=False)
