"""PostgreSQL: each public claim's search vector stored beside its text, and the GIN index on it.

Ranking read the vector back from the text (to_tsvector on every match): 1.3 s for a common word
at 100,000 claims, where reading a stored one takes about 50 ms. A generated column, so nothing
that writes the table names it; SQLite searches through its FTS5 table (0010) and gets none.
"""

from django.db import migrations

VECTOR = "to_tsvector('english'::regconfig, COALESCE(search_text, ''))"


def _store_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE claims_publicclaim ADD COLUMN search_vector tsvector "
                              f"GENERATED ALWAYS AS ({VECTOR}) STORED")
        schema_editor.execute("CREATE INDEX public_claim_search_vector ON claims_publicclaim USING gin (search_vector)")
        schema_editor.execute("DROP INDEX IF EXISTS public_claim_search_gin")


def _compute_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS public_claim_search_gin ON claims_publicclaim USING gin ({VECTOR})")
        schema_editor.execute("ALTER TABLE claims_publicclaim DROP COLUMN search_vector")  # its index goes with it


class Migration(migrations.Migration):

    dependencies = [
        ("claims", "0013_public_claim_pages"),
    ]

    operations = [migrations.RunPython(_store_vector, _compute_vector)]
