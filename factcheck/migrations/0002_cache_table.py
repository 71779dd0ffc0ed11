"""The database cache's table (CACHES in settings), made by `migrate` wherever it runs.

`createcachetable` does nothing for a cache that is not in the database (Redis), and nothing
when the table is there already, so this is safe to run on every database.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0001_roles")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
