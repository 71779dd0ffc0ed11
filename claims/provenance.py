"""A claim's provenance as W3C PROV-JSON (https://www.w3.org/submissions/prov-json/), read
from its records in the public record.

Each publication or correction is an entity attributed to the claimant, derived from the
archived snapshot it quotes (prov:Quotation) or its document, from the primary source it
reports second-hand (prov:PrimarySource), and from the previous publication (prov:Revision).
PROV-JSON has no record of its own for those three: each is a wasDerivedFrom with its type.

Every identifier resolves: the `fc:` names are our public pages and the public record's
entries, and the terms of our own (`fcv:`) are described on the vocabulary page.
"""

import json
from typing import Any

from django.conf import settings

from claims.publication import subject_of
from publicrecord.models import Record, RecordKind

AGENT_TYPES = {"analyst": "prov:Person"}

# Our own terms in the PROV we give, as /vocabulary/ describes each (under its own anchor).
VOCABULARY = {
    "credibility": "Our credibility grade of the claim as this record published it: 1 (confirmed by other "
                   "sources) to 6 (truth cannot be judged), as How we grade, section 4, defines them.",
    "reliability": "Our reliability grade of the source as this record published it: A (completely reliable) to "
                   "F (reliability cannot be judged), as How we grade, section 5, defines them.",
    "record": "The index of the record in our public record (the transparency log) that published this form of "
              "the claim; /transparency/entries/<index>.json is the record itself.",
    "Snapshot": "An archived copy of a document, as captured: its bytes never change. The claim's quote is "
                "anchored in its text.",
    "sha256": "The SHA-256 digest of a snapshot's archived bytes, in hexadecimal.",
}


def _qualified(name: str) -> dict[str, str]:
    return {"$": name, "type": "prov:QUALIFIED_NAME"}


def prov_document(claim_id: int, *, absolute_url: Any) -> dict[str, Any]:
    records = Record.objects.filter(subject=subject_of(claim_id),
                                    kind__in=[RecordKind.PUBLICATION, RecordKind.CORRECTION]).order_by("index")
    doc: dict[str, Any] = {
        "prefix": {"fc": absolute_url("/"), "fcv": absolute_url("/vocabulary/#"), "schema": "https://schema.org/"},
        "entity": {}, "agent": {}, "activity": {}, "wasAttributedTo": {}, "wasDerivedFrom": {},
        "specializationOf": {}, "wasGeneratedBy": {}, "wasAssociatedWith": {},
    }
    desk = "fc:transparency/#publisher"
    doc["agent"][desk] = {"prov:type": _qualified("prov:Organization"), "prov:label": settings.FACTCHECK_PUBLISHER_NAME}
    previous = None
    for n, record in enumerate(records, start=1):
        data = json.loads(record.body)
        claim, claimant = data["claim"], data["claimant"]
        entity = f"fc:transparency/entries/{record.index}.json"
        doc["entity"][entity] = {
            "prov:type": _qualified("schema:Claim"), "prov:label": claim["text"], "prov:value": claim["quote"],
            "fcv:credibility": claim["credibility"], "fcv:record": record.index,
            "prov:generatedAtTime": data["recorded_at"],
        }
        agent = f"fc:sources/{claimant['slug']}/"
        doc["agent"][agent] = {"prov:type": _qualified(AGENT_TYPES.get(claimant["kind"], "prov:Organization")),
                               "prov:label": claimant["name"], "fcv:reliability": claimant["reliability"]}
        doc["wasAttributedTo"][f"_:attributed{n}"] = {"prov:entity": entity, "prov:agent": agent}
        document = f"fc:documents/{data['document']['id']}/"
        doc["entity"][document] = {"prov:type": _qualified("schema:CreativeWork"),
                                   "prov:label": data["document"]["title"],
                                   **({"prov:location": data["document"]["url"]} if data["document"]["url"] else {})}
        quoted = document
        if data["evidence"]:
            snapshot = data["evidence"]["snapshot"]
            quoted = f"fc:snapshots/{snapshot['id']}/"
            doc["entity"][quoted] = {"prov:type": _qualified("fcv:Snapshot"), "fcv:sha256": snapshot["sha256"],
                                     "prov:generatedAtTime": snapshot["captured_at"]}
            # The archived copy is the document as it stood when captured (its own, when the quote
            # is archived from another document).
            archived = data["evidence"].get("document") or data["document"]
            source_document = f"fc:documents/{archived['id']}/"
            if source_document not in doc["entity"]:
                doc["entity"][source_document] = {"prov:type": _qualified("schema:CreativeWork"),
                                                  "prov:label": archived["title"]}
            doc["specializationOf"][f"_:archived{n}"] = {"prov:specificEntity": quoted,
                                                         "prov:generalEntity": source_document}
            if source_document != document:
                # Quoted from another document's archived copy (one relaying the claim): the claim
                # itself comes from its own document.
                doc["wasDerivedFrom"][f"_:asserted{n}"] = {"prov:generatedEntity": entity,
                                                           "prov:usedEntity": document}
        doc["wasDerivedFrom"][f"_:quoted{n}"] = {"prov:generatedEntity": entity, "prov:usedEntity": quoted,
                                                 "prov:type": _qualified("prov:Quotation")}
        if data["primary_source"] is not None:
            primary = f"fc:sources/{data['primary_source']['slug']}/#record"
            doc["entity"][primary] = {"prov:type": _qualified("prov:PrimarySource"),
                                      "prov:label": data["primary_source"]["name"]}
            doc["wasDerivedFrom"][f"_:primary{n}"] = {"prov:generatedEntity": entity, "prov:usedEntity": primary,
                                                      "prov:type": _qualified("prov:PrimarySource")}
        publish = f"fc:transparency/entries/{record.index}.json#publication"
        doc["activity"][publish] = {"prov:label": RecordKind(record.kind).label, "prov:endTime": data["recorded_at"]}
        doc["wasGeneratedBy"][f"_:generated{n}"] = {"prov:entity": entity, "prov:activity": publish}
        doc["wasAssociatedWith"][f"_:associated{n}"] = {"prov:activity": publish, "prov:agent": desk}
        if previous is not None:
            doc["wasDerivedFrom"][f"_:revision{n}"] = {"prov:generatedEntity": entity, "prov:usedEntity": previous,
                                                       "prov:type": _qualified("prov:Revision")}
        previous = entity
    return {key: value for key, value in doc.items() if value}
