"""Every page says how it may be cached, in a valid Cache-Control header (RFC 9111): anonymous
public pages public for a minute, any page holding a CSRF token or a signed-in person's data
private and unstored."""

import re
from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.conftest import make_claim, publish

TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
DIRECTIVE = re.compile(rf"({TOKEN})(?:=({TOKEN}|\"[^\"]*\"))?")
# Each directive we may send and what its value must be: none, seconds, or optional field names.
KNOWN = {"public": None, "private": "fields", "no-cache": "fields", "no-store": None, "max-age": "seconds",
         "s-maxage": "seconds", "must-revalidate": None, "proxy-revalidate": None, "immutable": None,
         "no-transform": None}


def parse(header: str) -> dict[str, str | None]:
    """The directives of a Cache-Control header; AssertionError on anything RFC 9111 does not allow."""
    directives: dict[str, str | None] = {}
    for part in header.split(","):
        match = DIRECTIVE.fullmatch(part.strip())
        assert match, f"not a directive: {part!r} in {header!r}"
        name, value = match[1].lower(), match[2]
        assert name in KNOWN and name not in directives, header
        if KNOWN[name] is None:
            assert value is None, f"{name} takes no value: {header!r}"
        elif KNOWN[name] == "seconds":
            assert value is not None and value.isdigit(), f"{name} needs seconds: {header!r}"
        else:
            assert value is None or value.startswith('"'), f"{name} takes field names in quotes: {header!r}"
        directives[name] = value
    assert not ("public" in directives and "private" in directives), header
    return directives


def test_the_parser_refuses_what_we_used_to_send() -> None:
    for header in ["public, private=False, max-age=60", "public=False, private", "max-age=soon", "public, private"]:
        with pytest.raises(AssertionError):
            parse(header)
    assert parse("public, max-age=60") == {"public": None, "max-age": "60"}


@pytest.fixture
def claim(alice: Any, bob: Any) -> Any:
    return publish(make_claim(alice), author=alice, editor=bob)


def public_urls(claim: Any) -> list[str]:
    return ["/", "/claims/", claim.get_absolute_url(), f"{claim.get_absolute_url()}history/", "/search/?q=Wang",
            "/corrections/", "/methodology/", "/vocabulary/", "/feed.atom", "/sitemap.xml", "/robots.txt",
            "/claimreview.json", "/claims.csv", f"/sources/{claim.claimant.slug}/", f"/documents/{claim.document.pk}/",
            "/transparency/"]


def other_urls(claim: Any) -> list[str]:
    return ["/transparency/head.json", "/transparency/entries/0.json", "/accounts/login/", "/desk/", "/desk/review/",
            f"/desk/claims/{claim.slug}/", f"/desk/history/claim/{claim.pk}/", "/admin/", "/admin/login/",
            "/api/v1/claims/", "/nothing/", "/healthz", "/api/docs/", "/api/schema/"]


def holds_csrf_token(response: Any) -> bool:
    return not response.streaming and b"csrfmiddlewaretoken" in response.content


def test_anonymous_public_pages_are_public_for_a_minute(client: Client, claim: Any) -> None:
    for url in public_urls(claim):
        response = client.get(url)
        assert response.status_code == 200, url
        assert parse(response["Cache-Control"]) == {"public": None, "max-age": "60"}, url
        # Conditional answers say the same.
        if response.has_header("ETag"):
            again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
            assert again.status_code == 304 and parse(again["Cache-Control"]) == parse(response["Cache-Control"])


@pytest.mark.parametrize("who", [None, "erin", "alice", "bob"])
def test_every_page_has_a_valid_header_and_none_holding_a_csrf_token_is_stored(who: str | None, claim: Any,
                                                                              request: Any) -> None:
    client = Client()
    if who:
        client.force_login(request.getfixturevalue(who))
    for url in public_urls(claim) + other_urls(claim):
        response = client.get(url)
        assert response.has_header("Cache-Control"), url
        directives = parse(response["Cache-Control"])
        if holds_csrf_token(response) or (who and url in public_urls(claim)):
            assert "private" in directives and "no-store" in directives, (url, response["Cache-Control"])
        if who or url.startswith(("/desk/", "/admin/", "/accounts/", "/api/")):
            assert "public" not in directives or url.startswith("/transparency/"), (url, response["Cache-Control"])


def test_api_answers_to_a_token_are_private(alice: Any, claim: Any) -> None:
    token = Token.objects.create(user=alice)
    response = Client().get("/api/v1/claims/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    directives = parse(response["Cache-Control"])
    assert "private" in directives and "no-store" in directives
