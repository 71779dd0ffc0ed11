"""A small public record that has every kind of page a reader meets: a claim with twelve
links, a corrected claim, a retracted claim, their sources, documents and archived copies."""

from typing import Any

from claims import services
from tests.conftest import make_claim, make_link, publish


def reader_pages(alice: Any, bob: Any, carol: Any) -> dict[str, str]:
    """The URLs of each page type, by name, once the data is published."""
    hub = publish(make_claim(alice, text="Minghuaxin's documented shipments total $411 million."),
                  author=alice, editor=bob)
    for n in range(12):
        spoke = publish(make_claim(alice, text=f"Linked claim {n}: a claim with a fairly long text about "
                                               f"shipments, stakes and the records that show them."),
                        author=alice, editor=bob)
        link = make_link(alice, spoke, hub, ["supports", "contradicts", "qualifies", "same_assertion"][n % 4])
        services.link_accept(link=link, actor=bob, version=link.version)
    corrected = publish(make_claim(alice, text="Wang Dinghua acquired a 5% stake in Rustakt."), author=alice,
                        editor=bob)
    corrected = services.claim_update(claim=corrected, actor=alice, version=corrected.version,
                                      changes={"credibility": 3}, reason="Regrade")
    services.claim_publish(claim=corrected, actor=carol, version=corrected.version,
                           note="Only one source has seen the filings, so we now grade it possibly true.")
    retracted = publish(make_claim(alice, text="A claim we withdrew."), author=alice, editor=bob)
    services.claim_retract(claim=retracted, actor=bob, version=retracted.version,
                           reason="The filing was misread: nothing in it supports the claim.")
    corrected.refresh_from_db()
    return {
        "home": "/", "list": "/claims/", "search": "/search/?q=shipments", "claim": hub.get_absolute_url(),
        "corrected": corrected.get_absolute_url(), "retracted": retracted.get_absolute_url(),
        "history": f"{corrected.get_absolute_url()}history/", "methodology": "/methodology/",
        "corrections": "/corrections/", "source": corrected.claimant.get_absolute_url(),
        "document": corrected.document.get_absolute_url(),
        "snapshot": f"{corrected.annotation.snapshot.get_absolute_url()}?claim={corrected.slug}",
        "transparency": "/transparency/", "vocabulary": "/vocabulary/",
    }
