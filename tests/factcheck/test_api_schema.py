"""The OpenAPI schema and docs, and a schemathesis run against the live schema, in-process,
anonymous and signed in, through its examples, coverage and fuzzing phases, with every check
it has (no 5xx, responses as documented in status, content type, headers and body, schema-valid
requests accepted and invalid ones refused, authentication enforced where declared). Seeded and
derandomized: the same cases every run."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig

from factcheck.params import whole_number
from factcheck.wsgi import application
from tests.conftest import make_claim, make_link, publish

# Preconditions depend on what the server holds, not on the request's shape: a stale or missing
# version (412, 428) is a right answer to a well-formed write. The ClaimReview import takes a URL
# to fetch or markup to read, whose validity no JSON schema can state: refusing it is a 400.
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "412", "428", "429", "5xx"]
CONFIG = SchemathesisConfig.from_dict({
    "seed": 16,
    "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True},
               "stateful": {"enabled": False}},
    "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}},
    "operations": [{"include-path": "/api/v1/claimreview-imports/",
                    "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "400"]}}}],
})
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=CONFIG)


def with_existing_references(case: Any) -> Any:
    """A schema can say a reference is a slug or an id, not that it names something that exists:
    in a schema-valid body, references name objects of the test's world (a body naming nothing is
    a 400), and a schema-valid list is asked for without a cursor of its own making; negative
    cases are sent as generated."""
    from claims.models import Claim
    from sources.models import Document, Snapshot, Source

    if case.meta is None or not case.meta.generation.mode.is_positive:
        return case
    if case.query and "cursor" in case.query:
        # A cursor is one a page gave (its `next` or `previous`): no schema can say which; another is a 400.
        case.query = {name: value for name, value in case.query.items() if name != "cursor"}
    if not isinstance(case.body, dict):
        return case
    source = Source.objects.order_by("pk").first()
    document = Document.objects.order_by("pk").first()
    claims = list(Claim.objects.order_by("pk").values_list("slug", flat=True)[:2])
    existing = {"claimant": source.slug, "publisher": source.slug, "from_claim": claims[0], "to_claim": claims[-1],
                "document": document.pk if "/snapshots/" in case.operation.path else document.slug,
                "snapshot": Snapshot.objects.order_by("pk").values_list("pk", flat=True).first()}
    optional = {"primary_source", "affiliation", "annotation"}  # may be none: left out
    case.body = {name: existing.get(name, value) for name, value in case.body.items() if name not in optional}
    if case.operation.path == "/api/v1/annotations/" and "start" in case.body:
        case.body.update(start=0, end=1)  # a passage within the archived text, whose length no schema knows
    if case.operation.path.startswith("/api/v1/annotations/") and "target" in case.body:
        case.body["target"] = w3c_target(case)
    return case


def w3c_target(case: Any) -> dict[str, Any]:
    """A W3C annotation's target as the schema cannot say it: an archived snapshot of this site
    (schemathesis calls it as localhost) and a passage within its text; on PUT, the annotation's own."""
    from sources.models import Annotation, Snapshot

    annotation = Annotation.objects.filter(pk=whole_number(str(case.path_parameters.get("id"))) or 0).first() \
        if case.path_parameters else None
    snapshot, start, end = ((annotation.snapshot_id, annotation.start, annotation.end) if annotation is not None
                            else (Snapshot.objects.order_by("pk").values_list("pk", flat=True).first(), 0, 1))
    return {"source": f"http://localhost/snapshots/{snapshot}/",
            "selector": {"type": "TextPositionSelector", "start": start, "end": end}}


def checked(case: Any, **kwargs: Any) -> None:
    """Every check on every operation, the acceptance checks included: the schema states what the
    creates refuse (strict text, host names of at most 253 characters, partial dates, forms
    without null, bodies with required fields required; see factcheck.api_schema)."""
    with_existing_references(case).call_and_validate(**kwargs)


def test_the_schema_and_the_docs_are_served(client: Any, db: Any) -> None:
    spec = client.get("/api/schema/?format=json").json()
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in ["/api/v1/claims/", "/api/v1/claims/{id}/publish/", "/api/v1/claims/{id}/provenance/",
                 "/api/v1/links/{id}/accept/", "/api/v1/snapshots/", "/api/v1/annotations/{id}/",
                 "/api/v1/auth/token/", "/api/v1/sources/{id}/revert/"]:
        assert path in paths, path
    assert paths["/api/v1/claims/"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    # Every content type served is documented: the W3C forms of the annotations included.
    for path in ["/api/v1/annotations/", "/api/v1/annotations/{id}/"]:
        content = paths[path]["get"]["responses"]["200"]["content"]
        assert set(content) == {"application/json", "application/ld+json"}
    assert "AnnotationCollection" in str(paths["/api/v1/annotations/"]["get"]["responses"]["200"]["content"]
                                         ["application/ld+json"])
    # Public reads need no credentials; writes do.
    assert {} in paths["/api/v1/claims/"]["get"]["security"]
    assert {} not in paths["/api/v1/claims/"]["post"]["security"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page  # served from here, no CDN
    assert "cdn" not in page.lower()


@pytest.fixture
def world(db: Any, alice: Any, bob: Any) -> Iterator[str]:
    first = publish(make_claim(alice, text="Published claim"), author=alice, editor=bob)
    make_link(alice, first, make_claim(alice, text="Draft claim"))
    # Requests go straight to the WSGI app, whose request signals would close the test's
    # connection (and its transaction) after each one; Django's test client does the same.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield Token.objects.create(user=alice).key
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


SETTINGS = settings(max_examples=6, deadline=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))


@pytest.mark.django_db
@schema.parametrize()
@SETTINGS
def test_anonymous_clients_get_what_the_schema_promises(case: Any, world: str) -> None:
    checked(case)


@pytest.mark.django_db
@schema.parametrize()
@SETTINGS
def test_fact_checkers_get_what_the_schema_promises(case: Any, world: str) -> None:
    checked(case, headers={"Authorization": f"Token {world}"})
