"""Each projection row keeps its object's id (as its record gives it) in a column of its own, so
public lists page through a kind by it, on an index."""

from typing import Any

from django.db import migrations, models


def fill_object_ids(apps: Any, schema_editor: Any) -> None:
    Projection = apps.get_model("publicrecord", "Projection")
    rows = []
    for row in Projection.objects.using(schema_editor.connection.alias).only("pk", "data").iterator(chunk_size=2000):
        value = row.data.get("id") if isinstance(row.data, dict) else None
        if isinstance(value, int):
            row.object_id = value
            rows.append(row)
    Projection.objects.using(schema_editor.connection.alias).bulk_update(rows, ["object_id"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("publicrecord", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="projection",
            name="object_id",
            field=models.BigIntegerField(null=True),
        ),
        migrations.RunPython(fill_object_ids, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="projection",
            index=models.Index(fields=["kind", "object_id"], name="projection_kind_object_id"),
        ),
    ]
