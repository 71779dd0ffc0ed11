from django.conf import settings
from django.db import migrations
from django.utils import timezone

REASON = "Undated: a document with no date is dated “not given”, not to a day, month or year"


def undated_documents_are_unknown(apps, schema_editor):
    """Documents written without a date were kept as day-precise (the API's default): say
    "not given", as a new revision with its reason, as a service would."""
    Document = apps.get_model("sources", "Document")
    HistoricalDocument = apps.get_model("sources", "HistoricalDocument")
    now = timezone.now()
    columns = [field.attname for field in Document._meta.concrete_fields]
    for document in Document.objects.filter(published_on__isnull=True).exclude(published_precision="unknown"):
        document.published_precision, document.version = "unknown", document.version + 1
        document.save(update_fields=["published_precision", "version", "updated_at"])
        HistoricalDocument.objects.create(**{name: getattr(document, name) for name in columns}, history_date=now,
                                          history_type="~", history_change_reason=REASON)


class Migration(migrations.Migration):

    dependencies = [
        ('sources', '0003_undated'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(undated_documents_are_unknown, migrations.RunPython.noop),
    ]
