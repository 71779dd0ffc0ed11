"""What the create endpoints refuse, stated in the OpenAPI schema so that schema-valid data is
accepted and invalid data refused (issue 16): text is a JSON string, a host name is at most 253
characters, a partial date is kept as factcheck.dates says, and a form has no null."""

import re
from typing import Any

import jsonschema
import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from rest_framework.test import APIClient

from factcheck.api_schema import WEB_ADDRESS
from tests.conftest import make_document, make_source


@pytest.fixture
def spec(client: Any, db: Any) -> dict[str, Any]:
    return client.get("/api/schema/?format=json").json()


def test_a_json_number_or_boolean_is_not_text(alice: Any) -> None:
    document = make_document(alice)
    api = APIClient()
    api.force_authenticate(alice)
    response = api.post("/api/v1/snapshots/", {"document": document.pk, "text": 0}, format="json")
    assert response.status_code == 400 and response.json()["fields"]["text"] == ["Not a valid string."]
    response = api.post("/api/v1/sources/", {"name": True, "kind": "other", "reliability": "A",
                                             "reliability_rationale": "Made up for the test."}, format="json")
    assert response.status_code == 400 and response.json()["fields"]["name"] == ["Not a valid string."]
    # A form's values are text: "0" is a name there.
    response = api.post("/api/v1/sources/", {"name": "0", "kind": "other", "reliability": "A",
                                             "reliability_rationale": "Made up for the test."}, format="multipart")
    assert response.status_code == 201, response.content


def test_the_web_address_pattern_takes_what_django_takes() -> None:
    validate = URLValidator(schemes=["http", "https"])
    label = "a" * 63
    longest = ".".join([label, label, label, "a" * 56, "test"])  # 253 characters
    too_long = ".".join([label, label, label, "a" * 57, "test"])  # every label within 63
    assert (len(longest), len(too_long)) == (253, 254)
    for host, allowed in [(longest, True), (too_long, False), ("example.org", True)]:
        url = f"https://{host}/a/page"
        assert bool(re.search(WEB_ADDRESS, url)) is allowed, host
        try:
            validate(url)
        except ValidationError:
            assert not allowed, host
        else:
            assert allowed, host


def test_partial_dates_are_stated_in_the_create_bodies(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    claim = schemas["ClaimWriteRequest"]
    field = claim["properties"]["asserted_precision"]
    reference = field.get("$ref") or field["allOf"][0]["$ref"]
    precision = schemas[reference.rsplit("/", 1)[-1]]
    assert "unknown" in precision["enum"]  # undated stays undated, through the API too
    rules = {"anyOf": claim["anyOf"]}
    assert_valid = jsonschema.Draft4Validator(rules).is_valid
    assert assert_valid({"asserted_on": "2025-11-29"})  # "day" when left out
    assert assert_valid({}) and assert_valid({"asserted_on": None, "asserted_precision": "unknown"})
    assert not assert_valid({"asserted_precision": "day"}) and not assert_valid({"asserted_on": None,
                                                                                "asserted_precision": "month"})
    assert assert_valid({"asserted_on": "2025-01-01", "asserted_precision": "year"})
    assert not assert_valid({"asserted_on": "2025-11-29", "asserted_precision": "year"})
    assert not assert_valid({"asserted_on": "2025-11-29", "asserted_precision": "month"})
    document_rules = {"anyOf": schemas["DocumentRequest"]["anyOf"]}
    assert jsonschema.Draft4Validator(document_rules).is_valid({"published_precision": "unknown"})
    assert not jsonschema.Draft4Validator(document_rules).is_valid(
        {"published_on": "2025-11-29", "published_precision": "unknown"})


def test_the_schema_says_a_day_month_or_year_needs_a_date(spec: dict[str, Any]) -> None:
    """Left out, the precision follows the date (factcheck.dates.implied_precision); given, a
    day, month or year with no date is refused, as the server refuses it."""
    is_valid = jsonschema.Draft4Validator({"anyOf": spec["components"]["schemas"]["DocumentRequest"]["anyOf"]}).is_valid
    assert is_valid({}) and is_valid({"published_on": None}) and is_valid({"published_on": "2025-11-29"})
    for precision in ["day", "month", "year"]:
        assert not is_valid({"published_precision": precision})
        assert not is_valid({"published_on": None, "published_precision": precision})


def test_form_bodies_have_no_null(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    body = spec["paths"]["/api/v1/documents/"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"]["$ref"].endswith("/DocumentRequest")
    form = body["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert schemas["DocumentRequest"]["properties"]["published_on"].get("nullable")
    assert not schemas[form]["properties"]["published_on"].get("nullable")
    assert schemas[form]["additionalProperties"] is False


def test_a_form_leaves_an_empty_optional_field_out(alice: Any) -> None:
    """What the form bodies say: an empty optional slug or reason is left out, not refused."""
    api = APIClient()
    api.force_authenticate(alice)
    response = api.post("/api/v1/documents/", {"title": "A made-up report", "publisher": make_source(alice).slug,
                                               "slug": "", "reason": "", "published_on": "",
                                               "published_precision": "unknown"}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["published_on"] is None and response.json()["slug"]


def test_a_body_with_required_fields_is_itself_required(spec: dict[str, Any], alice: Any) -> None:
    """OpenAPI's request bodies are optional unless marked: a snapshot create without its body
    read as schema-valid, and the server rightly refused it (what schemathesis found)."""
    schemas = spec["components"]["schemas"]

    def requires(schema: dict[str, Any]) -> bool:
        schema = schemas[schema["$ref"].rsplit("/", 1)[-1]] if "$ref" in schema else schema
        branches = schema.get("oneOf") or schema.get("anyOf")
        return all(requires(branch) for branch in branches) if branches else bool(schema.get("required"))

    checked = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if body and all(requires(media["schema"]) for media in body["content"].values()):
                assert body.get("required") is True, f"{method.upper()} {path}"
                checked += 1
    assert checked >= 10
    assert spec["paths"]["/api/v1/snapshots/"]["post"]["requestBody"]["required"] is True
    api = APIClient()
    api.force_authenticate(alice)
    response = api.post("/api/v1/snapshots/")
    assert response.status_code == 400 and "document" in response.json()["fields"]


def _unions_with_an_empty_string(value: Any, keyword: str) -> list[Any]:
    """Every `keyword` union in the schema that has the empty-string branch drf-spectacular adds."""
    found = []
    if isinstance(value, dict):
        if {"type": "string", "maxLength": 0} in value.get(keyword, []):
            found.append(value)
        for child in value.values():
            found += _unions_with_an_empty_string(child, keyword)
    elif isinstance(value, list):
        for child in value:
            found += _unions_with_an_empty_string(child, keyword)
    return found


def test_an_empty_address_is_valid_to_a_validator_without_a_uri_format_checker(spec: dict[str, Any]) -> None:
    """An empty `homepage` or `url` matched both branches of oneOf [uri, empty] when `uri` is not
    checked (a format is an annotation unless a checker is given), so it was invalid: anyOf."""
    schemas = spec["components"]["schemas"]
    assert not _unions_with_an_empty_string(spec, "oneOf")
    assert _unions_with_an_empty_string(spec, "anyOf")
    for component, field in [("SourceRequest", "homepage"), ("DocumentRequest", "url"), ("Source", "homepage"),
                             ("Document", "url"), ("PatchedSourceUpdateRequest", "homepage"),
                             ("DocumentUpdateFormRequest", "url")]:
        validator = jsonschema.Draft4Validator(schemas[component]["properties"][field])  # no format checker
        assert validator.is_valid("") and validator.is_valid("https://example.org/a/page"), (component, field)
    assert not jsonschema.Draft4Validator(schemas["SourceRequest"]["properties"]["homepage"]).is_valid("not an address")
