from typing import Any

from django.contrib.sitemaps import Sitemap

from claims.models import Claim
from sources.models import Document, Source


class ClaimSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self) -> Any:
        return Claim.objects.public().only("slug", "published_at").order_by("pk")

    def lastmod(self, claim: Claim) -> Any:
        return claim.published_at


class SourceSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> Any:
        return Source.objects.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, source: Source) -> Any:
        return source.updated_at


class DocumentSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> Any:
        return Document.objects.public().only("pk", "updated_at").order_by("pk")

    def lastmod(self, document: Document) -> Any:
        return document.updated_at


SITEMAPS = {"claims": ClaimSitemap, "sources": SourceSitemap, "documents": DocumentSitemap}
