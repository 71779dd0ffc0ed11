"""Input limits: deep or large bodies, NUL characters and over-long values are refused in words,
and every API error, Django's own included, answers in the one JSON shape."""

import json
from typing import Any

import pytest
from django.db import models
from django.test import Client
from rest_framework import serializers
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from claims import serializers as claim_serializers
from claims.models import Claim
from sources import serializers as source_serializers
from sources.models import Snapshot, Source
from tests.conftest import make_claim, make_document, make_source


def assert_error_shape(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    payload = json.loads(response.content)
    assert set(payload) >= {"error", "detail", "fields"} and isinstance(payload["detail"], str)
    return payload


def test_a_thousand_nested_brackets_are_a_400_not_a_recursion_error(db: Any) -> None:
    response = Client().post("/api/v1/auth/token/", "[" * 1000, content_type="application/json")
    payload = assert_error_shape(response, 400)
    assert "nests deeper" in payload["detail"]


def test_json_nested_past_the_limit_is_refused_and_within_it_read(alice: Any) -> None:
    api = APIClient()
    api.force_authenticate(alice)
    deep: Any = "x"
    for _ in range(40):
        deep = {"a": deep}
    body = {"name": "Deep", "kind": "other", "reliability": "F", "reliability_rationale": "r", "description": deep}
    assert "nests deeper" in assert_error_shape(api.post("/api/v1/sources/", body, format="json"), 400)["detail"]
    assert not Source.objects.filter(name="Deep").exists()


def test_a_json_body_past_the_size_limit_is_a_413(alice: Any, settings: Any) -> None:
    settings.API_MAX_BODY_BYTES = 2000
    api = APIClient()
    api.force_authenticate(alice)
    body = {"name": "Big", "kind": "other", "reliability": "F", "reliability_rationale": "r" * 3000}
    payload = assert_error_shape(api.post("/api/v1/sources/", body, format="json"), 413)
    assert payload["error"] == "too_large"
    assert not Source.objects.filter(name="Big").exists()


def test_a_form_body_past_django_s_limit_is_a_413_in_the_api_and_on_pages(alice: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(alice)
    body = {"name": "Big", "kind": "other", "reliability": "F", "reliability_rationale": "r" * 3000}
    assert assert_error_shape(api.post("/api/v1/sources/", body), 413)["error"] == "too_large"
    page = Client(raise_request_exception=False).post("/accounts/login/", {"username": "x" * 3000, "password": "p"})
    assert page.status_code == 413 and "larger than we accept" in page.content.decode()


@pytest.mark.parametrize("where", ["json", "form", "key"])
def test_nul_characters_are_refused_naming_the_field(alice: Any, where: str) -> None:
    document = make_document(alice)
    api = APIClient()
    api.force_authenticate(alice)
    body = {"text": "A claim.", "claimant": document.publisher.slug, "document": document.slug + "\x00",
            "credibility": 6, "credibility_rationale": "r", "asserted_precision": "unknown"}
    if where == "key":
        body = {**body, "document": document.slug, "ex\x00tra": "x"}
    response = api.post("/api/v1/claims/", body, format="json" if where != "form" else None)
    payload = assert_error_shape(response, 400)
    field = "ex\\x00tra" if where == "key" else "document"
    assert "NUL" in payload["fields"][field][0]
    assert not Claim.objects.exists()


def test_nul_in_a_sign_in_is_refused_in_words(db: Any) -> None:
    response = APIClient().post("/api/v1/auth/token/", {"username": "a\x00b", "password": "p"}, format="json")
    assert "username" in assert_error_shape(response, 400)["fields"]


def test_a_value_over_a_column_s_length_is_a_400_naming_it(alice: Any) -> None:
    api = APIClient()
    api.force_authenticate(alice)
    body = {"name": "N" * 201, "kind": "other", "reliability": "F", "reliability_rationale": "r"}
    payload = assert_error_shape(api.post("/api/v1/sources/", body, format="json"), 400)
    assert "name" in payload["fields"]
    assert not Source.objects.exists()


def test_a_value_over_a_column_s_length_is_a_form_error_on_pages(client: Client, alice: Any) -> None:
    client.force_login(alice)
    response = client.post("/desk/sources/new/", {"name": "N" * 201, "kind": "other", "reliability": "F",
                                                  "reliability_rationale": "r"})
    assert response.status_code == 400 and response.context["form"].errors["name"]
    assert not Source.objects.exists()


WRITE_SERIALIZERS = {
    claim_serializers.ClaimWriteSerializer: Claim, claim_serializers.LinkSerializer: None,
    source_serializers.SourceSerializer: None, source_serializers.DocumentSerializer: None,
    source_serializers.SnapshotCaptureSerializer: Snapshot, source_serializers.AnnotationSerializer: None,
}


@pytest.mark.parametrize("serializer_class", WRITE_SERIALIZERS, ids=lambda cls: cls.__name__)
def test_every_text_field_written_to_a_column_is_bounded_by_it(serializer_class: Any) -> None:
    """Validated before the database, so SQLite and PostgreSQL refuse the same values."""
    model = WRITE_SERIALIZERS[serializer_class] or serializer_class.Meta.model
    columns = {field.name: field for field in model._meta.concrete_fields}
    for name, field in serializer_class().fields.items():
        column = columns.get(field.source if field.source != "*" else name)
        if field.read_only or not isinstance(field, serializers.CharField) or column is None:
            continue
        if isinstance(column, models.CharField):
            assert field.max_length is not None and field.max_length <= column.max_length, name


def test_every_api_error_is_json_in_the_one_shape(alice: Any, erin: Any, bob: Any, settings: Any,
                                                  monkeypatch: Any) -> None:
    claim = make_claim(alice)
    anonymous, team, reader = APIClient(), APIClient(), APIClient()
    team.force_authenticate(alice)
    reader.force_authenticate(erin)
    source = {"name": "S", "kind": "other", "reliability": "F", "reliability_rationale": "r"}
    assert_error_shape(team.post("/api/v1/sources/", {}, format="json"), 400)
    assert_error_shape(anonymous.post("/api/v1/sources/", source, format="json"), 401)
    assert_error_shape(reader.post("/api/v1/sources/", source, format="json"), 403)
    assert_error_shape(anonymous.get("/api/v1/nothing/"), 404)
    assert_error_shape(anonymous.get("/api/nothing/"), 404)
    assert_error_shape(team.delete(f"/api/v1/claims/{claim.pk}/"), 405)
    assert_error_shape(team.post(f"/api/v1/claims/{claim.pk}/submit/", {}, format="json", HTTP_IF_MATCH='"9"'), 412)
    assert_error_shape(team.post(f"/api/v1/claims/{claim.pk}/submit/", {}, format="json"), 428)
    assert_error_shape(team.post("/api/v1/sources/", "<source/>", content_type="application/xml"), 415)
    settings.API_MAX_BODY_BYTES = 10
    assert_error_shape(team.post("/api/v1/sources/", source, format="json"), 413)
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "0/minute", "user": "1000/minute"})
    assert_error_shape(anonymous.get("/api/v1/claims/"), 429)
    monkeypatch.undo()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    from claims.api import ClaimViewSet

    monkeypatch.setattr(ClaimViewSet, "list", broken)
    assert_error_shape(APIClient(raise_request_exception=False).get("/api/v1/claims/"), 500)


@pytest.mark.parametrize("url", ["/admin/claims/claim/?status=a%00b", "/claims/?claimant=a%00b", "/search/?q=a%00b",
                                 "/admin/autocomplete/?term=a%00b&app_label=claims&model_name=claim&field_name=claimant"])
def test_a_nul_in_a_query_string_is_a_400_naming_it(client: Client, bob: Any, url: str) -> None:
    """An admin filter or autocomplete with a NUL was a 500 on PostgreSQL."""
    client.force_login(bob)
    response = client.get(url)
    assert response.status_code == 400 and "NUL" in response.content.decode()


def test_a_nul_in_a_page_form_or_an_admin_action_is_a_400(client: Client, alice: Any, bob: Any) -> None:
    claim = make_claim(alice)
    client.force_login(bob)
    response = client.post("/admin/claims/claim/", {"action": "publish", "_selected_action": [f"{claim.pk}\x00"]})
    assert response.status_code == 400 and "_selected_action" in response.content.decode()
    client.force_login(alice)
    response = client.post("/desk/sources/new/", {"name": "a\x00b", "kind": "other", "reliability": "F",
                                                  "reliability_rationale": "r"})
    assert response.status_code == 400 and not Source.objects.filter(kind="other").exists()


def test_a_nul_in_an_api_query_string_is_a_400_in_the_error_shape(db: Any) -> None:
    payload = assert_error_shape(APIClient().get("/api/v1/claims/?claimant=a%00b"), 400)
    assert "NUL" in payload["fields"]["claimant"][0]


@pytest.mark.parametrize("url", ["/api/v1/claims/?claimant=a%00b", "/api/v1/no-such-endpoint/"])
def test_under_debug_the_api_still_answers_errors_in_its_json_shape(db: Any, settings: Any, url: str) -> None:
    """Django's debug pages are HTML: under DEBUG an API client would get one for a NUL in the
    query string or an address with no endpoint."""
    settings.DEBUG = True
    response = APIClient(raise_request_exception=False).get(url)
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) >= {"error", "detail", "fields"}


def test_a_json_name_given_twice_is_refused_and_nothing_is_saved(alice: Any) -> None:
    source = make_source(alice)
    api = APIClient()
    api.force_authenticate(alice)
    response = api.patch(f"/api/v1/sources/{source.pk}/", '{"description": "x", "description": "y", "reason": "r",'
                         ' "version": 1}', content_type="application/json")
    payload = assert_error_shape(response, 400)
    assert "'description' is given twice" in payload["detail"]
    source.refresh_from_db()
    assert source.version == 1
