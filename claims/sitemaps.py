"""The sitemap of the public record: published claims, and the sources and documents they cite."""

from typing import Any

from django.contrib.sitemaps import Sitemap
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


class ProjectionSitemap(Sitemap):
    changefreq = "monthly"
    kind = ""
    url_name = ""

    def items(self) -> Any:
        return Projection.objects.filter(kind=self.kind).select_related("record").order_by("pk")

    def location(self, item: Projection) -> str:
        return reverse(self.url_name, args=[item.key])

    def lastmod(self, item: Projection) -> Any:
        return item.record.recorded_at


class SourceSitemap(ProjectionSitemap):
    kind, url_name = "source", "source-detail"


class DocumentSitemap(ProjectionSitemap):
    kind, url_name = "document", "document-detail"


SITEMAPS = {"claims": ClaimSitemap, "sources": SourceSitemap, "documents": DocumentSitemap}
