"""?as_of=YYYY-MM-DD: the page as it was published on a past day."""

import datetime
from typing import Any
from unittest import mock

from django.utils import timezone

from claims import services
from tests.conftest import make_claim, make_link, publish


def _on(day: str) -> Any:
    moment = datetime.datetime.fromisoformat(day + "T12:00:00+00:00")
    return mock.patch.object(timezone, "now", return_value=moment)


def test_as_of_across_a_correction_and_a_retraction(client: Any, alice: Any, bob: Any) -> None:
    with _on("2025-12-01"):
        claim = publish(make_claim(alice, text="Original wording", credibility=2), author=alice, editor=bob)
        supporting = publish(make_claim(alice, text="Supporting claim"), author=alice, editor=bob)
    with _on("2025-12-05"):
        link = make_link(alice, supporting, claim, "supports")
        services.link_accept(link=link, actor=bob, version=link.version)
    with _on("2025-12-10"):
        claim = services.claim_update(claim=claim, actor=alice, version=claim.version,
                                      changes={"text": "Corrected wording", "credibility": 3},
                                      reason="The figure was for 18 months")
        claim = services.claim_publish(claim=claim, actor=bob, version=claim.version, note="Corrected.")
    with _on("2025-12-20"):
        services.claim_retract(claim=claim, actor=bob, version=claim.version, reason="Source withdrew it")

    url = claim.get_absolute_url()
    assert client.get(f"{url}?as_of=2025-11-30").status_code == 404  # not public yet

    page = client.get(f"{url}?as_of=2025-12-01").content.decode()
    assert "Original wording" in page and "Corrected wording" not in page
    assert "An earlier version." in page and "1 December 2025" in page
    assert "Supporting claim" not in page  # the link was accepted on the 5th

    page = client.get(f"{url}?as_of=2025-12-06").content.decode()
    assert "Original wording" in page and "Supporting claim" in page

    page = client.get(f"{url}?as_of=2025-12-15").content.decode()
    assert "Corrected wording" in page and "Retracted." not in page
    assert "B3" in page

    page = client.get(f"{url}?as_of=2025-12-21").content.decode()
    assert "Corrected wording" in page and "Retracted." in page and "Source withdrew it" in page


def test_the_published_history_shows_what_changed_and_why(client: Any, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice, text="Original wording"), author=alice, editor=bob)
    claim = services.claim_update(claim=claim, actor=alice, version=claim.version,
                                  changes={"text": "Corrected wording"}, reason="Misquoted the total")
    page = client.get(f"{claim.get_absolute_url()}history/").content.decode()
    assert "Corrected wording" not in page  # the correction is not published yet
    services.claim_publish(claim=claim, actor=bob, version=claim.version, note="Corrected.")
    page = client.get(f"{claim.get_absolute_url()}history/").content.decode()
    assert "Corrected" in page and "First published" in page
    assert "Corrected." in page  # the editor's note to readers
    assert "the claim was reworded" in page  # what changed, in words
    assert "Misquoted the total" not in page  # the team's own reason stays on the desk
    assert "(changed: text" not in page and "credibility_rationale" not in page


def test_an_as_of_that_is_no_date_is_a_400_naming_it(client: Any, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    response = client.get(f"{claim.get_absolute_url()}?as_of=bad")
    assert response.status_code == 400 and "as_of" in response.content.decode()
