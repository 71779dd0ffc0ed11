"""The Atom feed of publications and corrections."""

from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claims.choices import ReviewAction
from claims.models import ReviewEvent
from claims.querysets import as_published

LABELS = {ReviewAction.PUBLISH: "Published", ReviewAction.RETRACT: "Retracted"}


class PublicationsFeed(Feed):
    feed_type = Atom1Feed
    subtitle = "Every claim published, corrected or retracted, with its grade."

    def title(self) -> str:
        return f"{settings.FACTCHECK_PUBLISHER_NAME}: publications and corrections"

    def link(self) -> str:
        return reverse("claims:home")

    def items(self) -> list[Any]:
        # Only steps on claims the public may see; the claim shown is its published revision.
        events = list(ReviewEvent.objects.filter(action__in=list(LABELS), claim__published_version__isnull=False)
                      .select_related("claim__claimant", "claim__document", "claim__document__publisher")
                      .order_by("-created_at", "-pk")[:50])
        shown = {claim.pk: claim for claim in as_published({e.claim_id: e.claim for e in events}.values())}
        return [(event, shown[event.claim_id]) for event in events if event.claim_id in shown]

    def item_title(self, item: Any) -> str:
        event, claim = item
        return f"{LABELS[event.action]}: {claim.text} ({claim.claimant.reliability}{claim.credibility})"

    def item_description(self, item: Any) -> str:
        event, claim = item
        if event.action == ReviewAction.RETRACT:
            return f"Retracted: {event.comment}"
        return f"{claim.claimant.name}, {claim.asserted_display}. {claim.get_credibility_display()}: " \
               f"{claim.credibility_rationale}"

    def item_link(self, item: Any) -> str:
        return item[1].get_absolute_url()

    def item_guid(self, item: Any) -> str:
        return f"{item[1].get_absolute_url()}#event-{item[0].pk}"

    def item_pubdate(self, item: Any) -> Any:
        return item[0].created_at

    def item_updateddate(self, item: Any) -> Any:
        return item[0].created_at
