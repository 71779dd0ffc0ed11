"""The Atom feed of publications, corrections and retractions, read from the public record."""

import json
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claims.publication import shown_from_record
from publicrecord.models import Record, RecordKind

KINDS = [RecordKind.PUBLICATION, RecordKind.CORRECTION, RecordKind.RETRACTION]


class PublicationsFeed(Feed):
    """Atom (RFC 4287): absolute ids, the desk as author, each entry's time of record."""

    feed_type = Atom1Feed
    subtitle = "Every claim published, corrected or retracted, with its grade."

    def author_name(self) -> str:
        return settings.FACTCHECK_PUBLISHER_NAME

    def item_author_name(self, claim: Any) -> str:
        return claim.editor_name or settings.FACTCHECK_PUBLISHER_NAME

    def title(self) -> str:
        return f"{settings.FACTCHECK_PUBLISHER_NAME}: publications and corrections"

    def link(self) -> str:
        return reverse("claims:home")

    def items(self) -> list[Any]:
        records = Record.objects.filter(subject__startswith="claim:", kind__in=KINDS).order_by("-index")[:50]
        return [shown_from_record(json.loads(record.body), index=record.index) for record in records]

    def item_title(self, claim: Any) -> str:
        return f"{RecordKind(claim.record_event).label}: {claim.text} ({claim.claimant.reliability}{claim.credibility})"

    def item_description(self, claim: Any) -> str:
        said = f"{claim.claimant.name}, {claim.asserted_display or 'undated'}. {claim.get_credibility_display()}: " \
               f"{claim.credibility_rationale}"
        return f"{claim.public_note} {said}" if claim.public_note else said

    def item_link(self, claim: Any) -> str:
        # The version this entry announces; Django makes it absolute, and it is also the entry's id.
        return f"{claim.get_absolute_url()}?version={claim.record_index}"

    def item_pubdate(self, claim: Any) -> Any:
        return claim.recorded_at

    def item_updateddate(self, claim: Any) -> Any:
        return claim.recorded_at
