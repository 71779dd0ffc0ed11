"""On PostgreSQL the rate counts skip the write-ahead log (an UNLOGGED table): every API read
updates a count, and waiting for the log to reach the disk each time cost more than the rest
of the read. A crash empties the table, which only gives every caller a fresh window."""

from django.db import migrations


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE factcheck_ratecount SET UNLOGGED")


def logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE factcheck_ratecount SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0003_rate_counts")]

    operations = [migrations.RunPython(unlogged, logged)]
