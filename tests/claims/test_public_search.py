"""Search: through an index on both databases, stemmed, ranked, never a 500."""

from typing import Any

import pytest

from tests.conftest import make_claim, publish


def test_search_stems_and_ranks_the_best_match_first(client: Any, alice: Any, bob: Any) -> None:
    publish(make_claim(alice, text="China is embedding itself in the drone industry."), author=alice, editor=bob)
    publish(make_claim(alice, text="Drone parts: drone motors, drone batteries and drone controllers."),
            author=alice, editor=bob)
    publish(make_claim(alice, text="A claim about something else entirely."), author=alice, editor=bob)
    page = client.get("/search/", {"q": "embedded"}).content.decode()
    assert "embedding itself" in page and "1 result for" in page  # "embedded" finds "embedding"
    page = client.get("/search/", {"q": "drone"}).content.decode()  # every test document's title has "drone"
    assert "3 results for" in page
    assert page.index("batteries") < page.index("embedding itself") < page.index("something else")


@pytest.mark.parametrize("query", ['"', "AND", "drone OR", "NOT *", "^drone", "col:umn", "(((", "'); DROP", "\x00"])
def test_search_syntax_in_the_query_is_just_text(client: Any, alice: Any, bob: Any, query: str) -> None:
    publish(make_claim(alice, text="Drone parts."), author=alice, editor=bob)
    assert client.get("/search/", {"q": query}).status_code in (200, 400)


def test_search_keeps_the_lists_filters(client: Any, alice: Any, bob: Any) -> None:
    publish(make_claim(alice, text="Drone parts graded two", credibility=2), author=alice, editor=bob)
    publish(make_claim(alice, text="Drone parts graded four", credibility=4), author=alice, editor=bob)
    page = client.get("/search/", {"q": "parts", "credibility": "4"}).content.decode()
    assert "graded four" in page and "graded two" not in page and "1 result for" in page
    assert 'value="4" selected' in page  # the filter is kept on the page, and so in its links
    assert client.get("/search/", {"q": "parts", "credibility": "9"}).status_code == 400
