"""SQLite: an FTS5 index of what the public record shows, for ranked search (claims/search.py)."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL searches through the GIN index of migration 0005
    schema_editor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS claims_publicclaim_fts "
                          "USING fts5(search_text, tokenize = 'porter unicode61')")
    PublicClaim = apps.get_model("claims", "PublicClaim")
    for claim_id, text in PublicClaim.objects.values_list("claim_id", "search_text").iterator():
        schema_editor.execute("INSERT INTO claims_publicclaim_fts (rowid, search_text) VALUES (%s, %s)",
                              [claim_id, text])


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS claims_publicclaim_fts")


class Migration(migrations.Migration):
    dependencies = [("claims", "0009_link_withdrawn")]
    operations = [migrations.RunPython(create_index, drop_index)]
