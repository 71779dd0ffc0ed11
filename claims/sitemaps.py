"""The sitemap of the public record: published claims, and the sources and documents they cite."""

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from claims.models import PublicClaim
from publicrecord.models import Projection


class ClaimSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self) -> Any:
        return PublicClaim.objects.only("slug", "recorded_at").order_by("pk")

    def lastmod(self, claim: PublicClaim) -> Any:
        return claim.recorded_at

    def get_latest_lastmod(self) -> Any:
        # Django's would call lastmod() on every item for the index: one aggregate instead.
        return PublicClaim.objects.aggregate(latest=Max("recorded_at"))["latest"]


class ProjectionSitemap(Sitemap):
    changefreq = "monthly"
    kind = ""
    url_name = ""

    def items(self) -> Any:
        # The record's time, not its body: a section lists up to `limit` of them.
        return (Projection.objects.filter(kind=self.kind).select_related("record")
                .only("key", "record__recorded_at").order_by("pk"))

    def location(self, item: Projection) -> str:
        return reverse(self.url_name, args=[item.key])

    def lastmod(self, item: Projection) -> Any:
        return item.record.recorded_at

    def get_latest_lastmod(self) -> Any:
        return Projection.objects.filter(kind=self.kind).aggregate(latest=Max("record__recorded_at"))["latest"]


class SourceSitemap(ProjectionSitemap):
    kind, url_name = "source", "source-detail"


class DocumentSitemap(ProjectionSitemap):
    kind, url_name = "document", "document-detail"


SITEMAPS = {"claims": ClaimSitemap, "sources": SourceSitemap, "documents": DocumentSitemap}
