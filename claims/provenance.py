"""A claim's provenance as W3C PROV-JSON (https://www.w3.org/submissions/prov-json/).

Each published revision is an entity, attributed to the claimant, quoted from the archived
snapshot (or the document), with the primary source it reports second-hand, and each a
revision of the one published before it.
"""

from typing import Any

from django.conf import settings

from claims.choices import ReviewAction
from claims.models import Claim
from sources.models import Annotation

AGENT_TYPES = {"analyst": "prov:Person"}


def prov_document(claim: Claim, *, absolute_url: Any) -> dict[str, Any]:
    versions = list(claim.review_events.filter(action=ReviewAction.PUBLISH).order_by("created_at", "pk")
                    .values_list("version", flat=True))
    records = {r.version: r for r in claim.history.filter(version__in=versions)
               .select_related("claimant", "primary_source", "document", "annotation")}
    published = [records[v] for v in versions if v in records]
    doc: dict[str, Any] = {
        "prefix": {"fc": absolute_url("/"), "schema": "https://schema.org/"},
        "entity": {}, "agent": {}, "wasAttributedTo": {}, "wasQuotedFrom": {}, "hadPrimarySource": {},
        "wasRevisionOf": {}, "wasGeneratedBy": {}, "activity": {},
    }
    desk = "fc:organisation"
    doc["agent"][desk] = {"prov:type": "prov:Organization", "prov:label": settings.FACTCHECK_PUBLISHER_NAME}
    annotations = {a.pk: a for a in Annotation.objects.select_related("snapshot").defer("snapshot__content",
                                                                                          "snapshot__text")
                   .filter(pk__in={r.annotation_id for r in published if r.annotation_id})}
    previous = None
    for n, record in enumerate(published, start=1):
        entity = f"fc:claims/{claim.slug}/v{record.version}"
        doc["entity"][entity] = {
            "prov:type": "schema:Claim", "prov:label": record.text, "prov:value": record.quote,
            "fc:credibility": record.credibility, "fc:version": record.version,
            "prov:generatedAtTime": record.published_at.isoformat() if record.published_at else None,
        }
        claimant = f"fc:sources/{record.claimant.slug}"
        doc["agent"][claimant] = {"prov:type": AGENT_TYPES.get(record.claimant.kind, "prov:Organization"),
                                  "prov:label": record.claimant.name, "fc:reliability": record.claimant.reliability}
        doc["wasAttributedTo"][f"_:attributed{n}"] = {"prov:entity": entity, "prov:agent": claimant}
        document = f"fc:documents/{record.document_id}"
        doc["entity"][document] = {"prov:type": "schema:CreativeWork", "prov:label": record.document.title,
                                   **({"prov:location": record.document.url} if record.document.url else {})}
        annotation = annotations.get(record.annotation_id)
        if annotation is not None:
            snapshot = f"fc:snapshots/{annotation.snapshot_id}"
            doc["entity"][snapshot] = {"prov:type": "fc:Snapshot", "fc:sha256": annotation.snapshot.sha256,
                                       "prov:generatedAtTime": annotation.snapshot.captured_at.isoformat()}
            doc["wasQuotedFrom"][f"_:quoted{n}"] = {"prov:generatedEntity": entity, "prov:usedEntity": snapshot}
        else:
            doc["wasQuotedFrom"][f"_:quoted{n}"] = {"prov:generatedEntity": entity, "prov:usedEntity": document}
        if record.primary_source is not None:
            primary = f"fc:sources/{record.primary_source.slug}/record"
            doc["entity"][primary] = {"prov:type": "prov:PrimarySource", "prov:label": record.primary_source.name}
            doc["hadPrimarySource"][f"_:primary{n}"] = {"prov:generatedEntity": entity, "prov:usedEntity": primary}
        publish = f"fc:claims/{claim.slug}/publish/v{record.version}"
        doc["activity"][publish] = {"prov:label": "Published by the desk",
                                    "prov:endTime": record.published_at.isoformat() if record.published_at else None}
        doc["wasGeneratedBy"][f"_:generated{n}"] = {"prov:entity": entity, "prov:activity": publish}
        if previous is not None:
            doc["wasRevisionOf"][f"_:revision{n}"] = {"prov:generatedEntity": entity, "prov:usedEntity": previous}
        previous = entity
    return {key: value for key, value in doc.items() if value}
