"""The desk reads `[[claim:slug]]` references as readers do: a link to a published claim."""

from typing import Any

from claims import services
from tests.conftest import make_claim, publish


def test_the_desk_claim_page_shows_references_as_links(client: Any, alice: Any, bob: Any) -> None:
    cited = publish(make_claim(alice, text="The cited claim"), author=alice, editor=bob)
    draft = make_claim(alice, text="A draft", credibility_rationale=f"As ([[claim:{cited.slug}]]) shows.")
    client.force_login(alice)
    page = client.get(f"/desk/claims/{draft.slug}/").content.decode()
    assert "[[claim:" not in page
    assert f'href="{cited.get_absolute_url()}"' in page and "“The cited claim”" in page


def test_the_queue_reads_a_link_rationale_citing_a_published_claim(client: Any, alice: Any, bob: Any) -> None:
    cited = publish(make_claim(alice, text="The cited claim"), author=alice, editor=bob)
    waiting = services.claim_submit(claim=make_claim(alice, text="Waiting for review"), actor=alice, version=1)
    link = services.link_propose(actor=alice, from_claim=waiting, to_claim=cited, link_type="supports",
                                 rationale=f"It rests on ([[claim:{cited.slug}]]).")
    services.link_accept(link=link, actor=bob, version=link.version)  # shown with the item, not as proposed
    client.force_login(bob)
    queue = client.get("/desk/review/").content.decode()
    assert "[[claim:" not in queue and "a claim not published" not in queue
    assert f'href="{cited.get_absolute_url()}"' in queue
