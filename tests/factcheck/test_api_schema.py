"""The OpenAPI schema and docs, and a schemathesis run against the live schema, in-process:
whatever it sends, no 5xx, and every documented response matches the schema."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error, response_schema_conformance

from factcheck.wsgi import application
from tests.conftest import make_claim, make_link, publish

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


def test_the_schema_and_the_docs_are_served(client: Any, db: Any) -> None:
    spec = client.get("/api/schema/?format=json").json()
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in ["/api/v1/claims/", "/api/v1/claims/{id}/publish/", "/api/v1/claims/{id}/provenance/",
                 "/api/v1/links/{id}/accept/", "/api/v1/snapshots/", "/api/v1/annotations/{id}/",
                 "/api/v1/auth/token/", "/api/v1/sources/{id}/revert/"]:
        assert path in paths, path
    assert paths["/api/v1/claims/"]["post"]["requestBody"]["content"]["application/json"]["examples"]
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
def test_anonymous_clients_never_get_a_server_error(case: Any, world: str) -> None:
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])


@pytest.mark.django_db
@schema.parametrize()
@SETTINGS
def test_fact_checkers_never_get_a_server_error(case: Any, world: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Token {world}"},
                           checks=[not_a_server_error, response_schema_conformance])
