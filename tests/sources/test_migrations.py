"""Data migrations of sources, run on rows as the code before them wrote them."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("sources", "0003_undated")]


@pytest.mark.django_db(transaction=True)
def test_documents_kept_as_day_precise_with_no_date_become_undated() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    publisher = old.get_model("sources", "Source").objects.create(
        slug="sayari", name="Sayari", kind="research_firm", reliability="B", reliability_rationale="Records.")
    Document = old.get_model("sources", "Document")
    undated = Document.objects.create(slug="undated", title="Undated", publisher=publisher, published_on=None,
                                      published_precision="day")
    dated = Document.objects.create(slug="dated", title="Dated", publisher=publisher, published_precision="month",
                                    published_on=datetime.date(2025, 10, 1))

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from sources.models import Document as Current

    after: Any = Current.objects.get(pk=undated.pk)
    assert (after.published_on, after.published_precision, after.version) == (None, "unknown", 2)
    assert after.history.latest().history_change_reason.startswith("Undated:")
    assert Current.objects.get(pk=dated.pk).published_precision == "month"
