"""The public pages never show what is not published."""

from typing import Any

from claims import services
from factcheck.caching import forget_pages
from tests.conftest import make_claim, publish


def test_the_home_page_lists_published_claims_only(client: Any, alice: Any, bob: Any) -> None:
    publish(make_claim(alice, text="Published claim"), author=alice, editor=bob)
    make_claim(alice, text="Draft claim")
    response = client.get("/")
    assert response.status_code == 200
    assert b"Published claim" in response.content
    assert b"Draft claim" not in response.content


def test_a_draft_is_a_404_to_the_public_and_the_team_is_sent_to_its_desk_page(client: Any, alice: Any) -> None:
    claim = make_claim(alice)
    assert client.get(claim.get_absolute_url()).status_code == 404
    assert client.get(claim.document.get_absolute_url()).status_code == 404
    assert client.get(claim.claimant.get_absolute_url()).status_code == 404
    client.force_login(alice)
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == f"/desk/claims/{claim.slug}/"
    assert client.get(claim.document.get_absolute_url()).status_code == 200  # its working copy, for the team


def test_the_public_reads_the_published_version_while_an_edit_is_in_review(client: Any, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice, text="Original wording"), author=alice, editor=bob)
    services.claim_update(claim=claim, actor=alice, version=claim.version,
                          changes={"text": "Unreviewed wording"}, reason="Correction")
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Original wording" in page
    assert "Unreviewed wording" not in page
    assert "29 November 2025" in page


def test_user_text_is_escaped(client: Any, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice, text="<script>alert(1)</script>"), author=alice, editor=bob)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_claim_page_shows_accepted_evidence_between_public_claims(client: Any, alice: Any, bob: Any) -> None:
    from tests.conftest import make_link

    total = publish(make_claim(alice, text="Total of 411 million"), author=alice, editor=bob)
    part = publish(make_claim(alice, text="Part of 304 million"), author=alice, editor=bob)
    draft = make_claim(alice, text="Unpublished part")
    accepted = make_link(alice, part, total, "supports")
    services.link_accept(link=accepted, actor=bob, version=accepted.version)
    to_draft = make_link(alice, draft, total, "supports")  # accepted, but the other end is a draft
    services.link_accept(link=to_draft, actor=bob, version=to_draft.version)
    proposed = make_link(alice, part, total, "qualifies")  # not yet accepted
    page = client.get(total.get_absolute_url()).content.decode()
    assert "Supported by" in page and "Part of 304 million" in page
    assert "Unpublished part" not in page
    assert "Qualified by" not in page
    assert proposed.rationale  # the proposed link exists, and only the team sees it
    client.force_login(alice)
    assert "Qualified by" not in client.get(total.get_absolute_url()).content.decode()  # the public record
    assert "qualifies" in client.get(f"/desk/claims/{part.slug}/").content.decode().lower()


def test_the_claim_page_runs_a_fixed_number_of_queries(client: Any, alice: Any, bob: Any,
                                                       django_assert_max_num_queries: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_link

    claim = publish(make_claim(alice, text="Hub"), author=alice, editor=bob)

    def link_one(n: int) -> None:
        other = publish(make_claim(alice, text=f"Spoke {n}"), author=alice, editor=bob)
        link = make_link(alice, other, claim, "supports")
        services.link_accept(link=link, actor=bob, version=link.version)
        # An edit in review on the other claim: the public page must read its published revision.
        services.claim_update(claim=other, actor=alice, version=other.version, changes={"credibility": 4},
                              reason="Regraded")

    link_one(0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(claim.get_absolute_url()).status_code == 200
    for n in range(1, 8):
        link_one(n)
    with CaptureQueriesContext(connection) as many:
        page = client.get(claim.get_absolute_url()).content.decode()
    assert len(many) == len(few), "\n".join(q["sql"][:120] for q in many.captured_queries)
    assert page.count("Spoke ") >= 8
    assert "B4" not in page  # the regrading in review is not published yet


def test_a_second_hand_claim_names_its_primary_source(client: Any, alice: Any, bob: Any) -> None:
    from tests.conftest import make_source

    customs = make_source(alice, name="Russian customs records", kind="official_record")
    claim = publish(make_claim(alice, primary_source=customs), author=alice, editor=bob)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Primary source" in page and "Russian customs records" in page
    assert client.get(customs.get_absolute_url()).status_code == 200  # made public by the publish


def test_the_home_page_lists_corrections_and_retractions_not_first_publications(client: Any, alice: Any,
                                                                                bob: Any) -> None:
    corrected = publish(make_claim(alice, text="Corrected claim"), author=alice, editor=bob)
    publish(make_claim(alice, text="Plain claim"), author=alice, editor=bob)
    corrected = services.claim_update(claim=corrected, actor=alice, version=corrected.version,
                                      changes={"credibility": 3}, reason="Regraded")
    services.claim_publish(claim=corrected, actor=bob, version=corrected.version, note="Corrected.")
    page = client.get("/").content.decode()
    corrections = page.split('id="corrections-heading"')[1].split("</section>")[0]
    assert "Corrected claim" in corrections and "Corrected." in corrections  # the text and the public note
    assert "Plain claim" not in corrections


def _anchored_claim(alice: Any, bob: Any, n: int, document: Any) -> Any:
    from sources import services as source_services

    snapshot = document.snapshots.first()
    text = snapshot.text
    start = text.index(f"Passage {n}.")
    annotation = source_services.annotation_create(snapshot=snapshot, actor=alice, start=start,
                                                   end=start + len(f"Passage {n}."))
    return publish(make_claim(alice, document=document, text=f"Claim {n}", quote=f"Passage {n}.",
                              annotation=annotation), author=alice, editor=bob)


def test_source_document_and_snapshot_pages_show_cited_passages_in_fixed_queries(client: Any, alice: Any,
                                                                                 bob: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_document, make_snapshot

    document = make_document(alice)
    snapshot = make_snapshot(alice, document, text=" ".join(f"Passage {n}." for n in range(40)))
    _anchored_claim(alice, bob, 0, document)
    make_claim(alice, document=document, text="Draft claim in the same document")
    urls = [document.get_absolute_url(), document.publisher.get_absolute_url(), snapshot.get_absolute_url()]
    counts = []
    for url in urls:
        client.get(url)
        forget_pages()  # count what rendering costs, not a cache hit
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        counts.append(len(queries))
        assert "Claim 0" in page or 'id="passage-0"' in page, url
        assert "Draft claim" not in page, url
    for n in range(1, 12):
        _anchored_claim(alice, bob, n, document)
    for url, before in zip(urls, counts, strict=True):
        forget_pages()
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        assert len(queries) == before, url
    snapshot_page = client.get(snapshot.get_absolute_url()).content.decode()
    assert snapshot_page.count('<mark id="passage-') == 12
    assert snapshot.sha256 in snapshot_page


def test_the_feed_is_titled_with_the_publisher_from_settings(client: Any, alice: Any, bob: Any,
                                                             settings: Any) -> None:
    settings.FACTCHECK_PUBLISHER_NAME = "Test Desk"
    publish(make_claim(alice), author=alice, editor=bob)
    assert "<title>Test Desk: publications and corrections</title>" in client.get("/feed.atom").content.decode()
