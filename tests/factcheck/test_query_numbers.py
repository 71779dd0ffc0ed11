"""Bad numbers in addresses and query strings are the client's mistake: 400 or 404, never a 500."""

import base64
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from factcheck.params import BadNumber, number_param, whole_number
from tests.conftest import make_claim, make_link, publish

TOO_BIG = "99999999999999999999"  # past 2**63 - 1: SQLite raises OverflowError comparing it


def test_whole_number_accepts_only_digits_within_bounds() -> None:
    assert whole_number("42") == 42
    assert whole_number(str(2**63 - 1)) == 2**63 - 1
    for value in [None, "", "-1", "1.5", "1e3", " 1", "٣", TOO_BIG, "0" * 30 + "1"]:
        assert whole_number(value) is None, value
    assert whole_number("0", minimum=1) is None


def test_number_param_names_the_parameter() -> None:
    assert number_param({}, "a", default=7) == 7
    assert number_param({"a": ""}, "a") is None
    with pytest.raises(BadNumber) as refused:
        number_param({"a": TOO_BIG}, "a", minimum=1)
    assert refused.value.name == "a" and "whole number" in refused.value.message


@pytest.fixture
def claim(alice: Any, bob: Any) -> Any:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    make_link(alice, claim, make_claim(alice, text="Another claim"))
    return claim


@pytest.mark.parametrize("query", [f"a={TOO_BIG}&b=1", f"a=1&b={TOO_BIG}", "a=-1&b=1", "a=x&b=1"])
def test_the_history_diff_refuses_a_bad_revision_number_in_words(client: Client, bob: Any, claim: Any,
                                                                 query: str) -> None:
    client.force_login(bob)
    response = client.get(f"/desk/history/claim/{claim.pk}/?{query}")
    assert response.status_code == 400
    assert "must be a whole number" in response.content.decode()


def test_the_history_diff_still_compares_two_revisions(client: Client, bob: Any, claim: Any) -> None:
    client.force_login(bob)
    first, last = claim.history.order_by("history_id")[0], claim.history.order_by("history_id").last()
    response = client.get(f"/desk/history/claim/{claim.pk}/?a={first.history_id}&b={last.history_id}")
    assert response.status_code == 200 and response.context["compared"] is not None


def test_a_cursor_holding_an_impossible_id_is_an_invalid_cursor(bob: Any, claim: Any) -> None:
    cursor = base64.b64encode(f"p={TOO_BIG}".encode()).decode()
    for who in (None, bob):
        api = APIClient()
        if who:
            api.force_authenticate(who)
        response = api.get(f"/api/v1/claims/?cursor={cursor}")
        assert response.status_code == 400 and list(response.json()["fields"]) == ["cursor"]


@pytest.mark.parametrize("url", [
    "/desk/history/claim/{pk}/?page=" + TOO_BIG, "/desk/history/claim/" + TOO_BIG + "/", "/documents/" + TOO_BIG + "/",
    "/snapshots/" + TOO_BIG + "/", "/claims/?page=" + TOO_BIG, "/claimreview.json?page=" + TOO_BIG,
    "/claimreview.json?after=" + TOO_BIG,
    "{url}?version=" + TOO_BIG, "/transparency/proof/0.json?tree_size=" + TOO_BIG,
    "/transparency/consistency.json?first=1&second=" + TOO_BIG, "/transparency/entries/" + TOO_BIG + ".json",
    "/desk/claims/new/?annotation=" + TOO_BIG, "/desk/documents/" + TOO_BIG + "/versions/",
    "/api/v1/claims/" + TOO_BIG + "/", "/api/v1/links/?claim=" + TOO_BIG, "/api/v1/snapshots/?document=" + TOO_BIG,
    "/api/v1/annotations/?snapshot=" + TOO_BIG, "/api/v1/claims/?page_size=" + TOO_BIG,
    "/api/v1/review-events/?claim=" + TOO_BIG, "/api/v1/sources/" + TOO_BIG + "/",
])
def test_no_bad_number_is_a_server_error(bob: Any, claim: Any, url: str) -> None:
    url = url.format(pk=claim.pk, url=claim.get_absolute_url())
    client = Client(raise_request_exception=False)
    assert client.get(url).status_code < 500, "anonymous"
    client.force_login(bob)
    assert client.get(url).status_code < 500, "editor"
