"""Fill the published grade and search text of claims published before 0003 added them."""

from django.db import migrations


def backfill(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    HistoricalClaim = apps.get_model("claims", "HistoricalClaim")
    Source = apps.get_model("sources", "Source")
    Document = apps.get_model("sources", "Document")
    for claim in Claim.objects.filter(published_version__isnull=False, published_search_text="").iterator():
        record = (HistoricalClaim.objects.filter(id=claim.pk, version=claim.published_version)
                  .order_by("-history_date").first())
        if record is None:
            continue
        claimant = Source.objects.filter(pk=record.claimant_id).values_list("name", flat=True).first() or ""
        title = Document.objects.filter(pk=record.document_id).values_list("title", flat=True).first() or ""
        # A derived column outside the history: a direct update writes no revision, on purpose.
        Claim.objects.filter(pk=claim.pk).update(
            published_credibility=record.credibility,
            published_search_text="\n".join(
                [record.text, record.quote, claimant, title, record.credibility_rationale]),
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_published_search"), ("sources", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
