"""Records in the public record for every claim published before it existed (the seed too)."""

from django.db import migrations


def backfill(apps, schema_editor):
    # The current code builds the records, as the publish service does. It runs only where
    # published claims have no record yet; a new database has none, so later changes to the
    # models cannot break a fresh migrate.
    from claims.models import Claim, PublicClaim

    if not Claim.objects.filter(published_version__isnull=False).exclude(
            pk__in=PublicClaim.objects.values("claim_id")).exists():
        return
    from claims.publication import backfill as build_records

    build_records()


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_public_claim"), ("publicrecord", "0001_initial")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
