"""load_seed's cost in queries: the whole data set in a few hundred, a reload with nothing to
change in a few dozen (it was over 27,000: every object, history row, review event and record
written, validated and notified one at a time). Bad input still changes nothing."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from claims.models import Claim, ClaimLink, ReviewEvent
from publicrecord.models import Record
from sources.models import Annotation, Document, Snapshot, Source

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed.json"
# Measured: 269 on SQLite and 247 on PostgreSQL, for 14 sources, 12 documents, 91 claims and
# 49 links (about 1,900 rows with their history, review events and 189 records).
FIRST_LOAD = 320
# Measured: 20 on SQLite and on PostgreSQL.
RELOAD = 30


@contextmanager
def counted() -> Iterator[list[str]]:
    """Every statement run inside, however many (CaptureQueriesContext keeps only 9,000)."""
    statements: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield statements


def _load(**options: Any) -> None:
    call_command("load_seed", stdout=StringIO(), **options)


@pytest.mark.django_db
def test_the_seed_loads_in_a_few_hundred_queries_and_reloads_in_a_few_dozen(
        django_capture_on_commit_callbacks: Any) -> None:
    # The notifications' address lookups run on commit: counted as a real load runs them.
    with counted() as first, django_capture_on_commit_callbacks(execute=True):
        _load()
    assert Claim.objects.count() == 91 and ClaimLink.objects.public().count() == 49
    assert len(first) <= FIRST_LOAD, f"{len(first)} queries"
    with counted() as again, django_capture_on_commit_callbacks(execute=True):
        _load()
    assert len(again) <= RELOAD, f"{len(again)} queries"


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count()
            for model in (Source, Document, Snapshot, Annotation, Claim, ClaimLink, ReviewEvent, Record)}


@pytest.mark.django_db
def test_a_quote_missing_from_the_article_is_refused_and_nothing_is_saved(tmp_path: Path) -> None:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    last = max(i for i, item in enumerate(seed) if item["model"] == "claims.claim")
    seed[last]["fields"]["quote"] = "words the article never printed"
    fixture = tmp_path / "seed.json"
    fixture.write_text(json.dumps(seed), encoding="utf-8")
    before = _counts()
    with pytest.raises(CommandError, match="is not in the article verbatim"):
        _load(fixture=str(fixture))
    assert _counts() == before


@pytest.mark.django_db
def test_a_claimant_the_fixture_does_not_define_is_named_in_the_error(tmp_path: Path) -> None:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    claim = next(item for item in seed if item["model"] == "claims.claim")
    claim["fields"]["claimant"] = ["nobody-of-that-name"]
    fixture = tmp_path / "seed.json"
    fixture.write_text(json.dumps(seed), encoding="utf-8")
    with pytest.raises(CommandError, match=r"source \['nobody-of-that-name'\] \(claimant\)"):
        _load(fixture=str(fixture))
    assert _counts() == dict.fromkeys(_counts(), 0)


@pytest.mark.django_db
def test_an_object_of_another_kind_is_refused(tmp_path: Path) -> None:
    fixture = tmp_path / "seed.json"
    fixture.write_text(json.dumps([{"model": "auth.user", "fields": {"username": "x"}}]), encoding="utf-8")
    with pytest.raises(CommandError, match=r"may not hold auth\.user objects"):
        _load(fixture=str(fixture))
