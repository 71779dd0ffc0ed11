"""The public pages `make bench` measures on this database, with their queries and sizes.

Prints JSON: for each page its label, path and request headers (the 304 path carries the
claim page's ETag), its status, the number of SQL queries one request makes (Django's
CaptureQueriesContext around the test client, after one request to warm the process), the
response's size in bytes, and the queries and milliseconds of rendering it with the cache of
public pages emptied. bench/run.py then drives each path with the load generator.
"""

import json
import math
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims.choices import ClaimStatus
from claims.models import PublicClaim
from claims.views.public import MAX_PAGES, PAGE_SIZE
from factcheck.caching import forget_pages

SEARCH_WORD = "Aerotech"  # a company name in about one claim in thirty (bench/synthetic.py)


def pages() -> list[dict[str, Any]]:
    """The pages to measure, chosen on this database's data."""
    published = PublicClaim.objects.filter(status=ClaimStatus.PUBLISHED).order_by("claim_id")
    total = published.count()
    if not total:
        raise CommandError("No published claims here: run bench_data first.")
    claim = published[total // 2]  # a claim from the middle of the log, with links both ways
    source = (PublicClaim.objects.values("claimant_slug").annotate(claims=Count("claim_id"))
              .order_by("-claims", "claimant_slug").first())
    last_page = max(1, min(math.ceil(PublicClaim.objects.count() / PAGE_SIZE), MAX_PAGES) - 1)
    return [
        {"label": "claim page", "path": f"/claims/{claim.slug}/"},
        {"label": "claim page, 304 (If-None-Match)", "path": f"/claims/{claim.slug}/", "etag": True},
        {"label": "claim list", "path": "/claims/"},
        {"label": "claim list, next to last page", "path": f"/claims/?page={last_page}"},
        {"label": f"search ({SEARCH_WORD})", "path": f"/search/?q={SEARCH_WORD}"},
        {"label": f"source page (most cited: {source['claims']} claims)",
         "path": f"/sources/{source['claimant_slug']}/"},
        {"label": "document page", "path": f"/documents/{claim.document_id}/"},
        {"label": "home", "path": "/"},
        {"label": "API claims, 50", "path": "/api/v1/claims/?page_size=50"},
        {"label": "sitemap", "path": "/sitemap.xml"},
        {"label": "ClaimReview feed", "path": "/claimreview.json"},
        {"label": "Atom feed", "path": "/feed.atom"},
    ]


FRESH_RENDERS = 5


def measure(client: Client, page: dict[str, Any], etags: dict[str, str]) -> dict[str, Any]:
    """Queries of a request served as readers mostly get it (kept, or 304), and the queries and
    time of rendering it afresh (the cache emptied; templates and code already warm): the
    median of FRESH_RENDERS such renders."""
    headers = {"if_none_match": etags[page["path"]]} if page.get("etag") else {}
    client.get(page["path"], headers=headers)  # warm: templates, URL resolvers, content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page["path"], headers=headers)
    if response.has_header("ETag"):
        etags.setdefault(page["path"], response["ETag"])
    body = b"".join(response.streaming_content) if response.streaming else response.content
    timings = []
    for _ in range(FRESH_RENDERS):  # one alone measured the machine's hiccups as much as the page
        forget_pages()
        with CaptureQueriesContext(connection) as rendering:
            started = time.perf_counter()
            rendered = client.get(page["path"])
            if rendered.streaming:
                b"".join(rendered.streaming_content)
            timings.append((time.perf_counter() - started) * 1e3)
    return {**page, "headers": {"If-None-Match": headers["if_none_match"]} if headers else {},
            "status": response.status_code, "queries": len(queries), "bytes": len(body),
            "render_queries": len(rendering), "render_ms": statistics.median(timings)}


class Command(BaseCommand):
    help = "List the public pages make bench measures, with SQL queries per request and response sizes (JSON)."

    def handle(self, *args: Any, **options: Any) -> None:
        client = Client(HTTP_HOST="127.0.0.1")
        etags: dict[str, str] = {}
        measured = [measure(client, page, etags) for page in pages()]
        self.stdout.write(json.dumps({"claims": PublicClaim.objects.count(), "pages": measured}, indent=1))
