"""The public pages are well-formed HTML5 with landmarks, one h1 and no skipped heading level."""

import itertools
import re
from typing import Any

import html5lib
import pytest

from claims import services
from tests.conftest import make_claim, make_link, publish


@pytest.fixture
def published(alice: Any, bob: Any) -> Any:
    claim = publish(make_claim(alice, text="A claim with <b>markup</b> & “quotes”"), author=alice, editor=bob)
    other = publish(make_claim(alice, text="Other claim"), author=alice, editor=bob)
    link = make_link(alice, other, claim, "supports")
    services.link_accept(link=link, actor=bob, version=link.version)
    return claim


def _pages(claim: Any) -> list[str]:
    return ["/", "/claims/", "/search/?q=claim", claim.get_absolute_url(), f"{claim.get_absolute_url()}history/",
            claim.claimant.get_absolute_url(), claim.document.get_absolute_url(), "/accounts/login/"]


def test_pages_parse_as_html5_without_errors(client: Any, published: Any) -> None:
    for url in _pages(published):
        parser = html5lib.HTMLParser(strict=True)
        parser.parse(client.get(url).content.decode())  # raises on the first parse error
        assert not parser.errors, (url, parser.errors)


def test_pages_have_landmarks_and_ordered_headings(client: Any, published: Any) -> None:
    for url in _pages(published):
        page = client.get(url).content.decode()
        assert '<main id="main">' in page and "<header" in page and "<footer" in page, url
        assert 'class="skip-link" href="#main"' in page, url
        levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", page)]
        assert levels.count(1) == 1, url
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (url, levels)
