"""The seed says only what the article says (issue: the seed graded by a published method).

Read beside fixtures/drone-war-article.txt: quotes verbatim, no URL the article lacks, every
figure from the article or derived in the rationale, claimants as the article names them,
links that cite both their claims, the method page with its worked examples, and a reload
over the first edition of the seed that corrects rather than duplicates.
"""

import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from claims.models import Claim, ClaimLink, PublicClaim
from claims.references import REFERENCE, referenced_slugs
from publicrecord.models import Record

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = (ROOT / "fixtures" / "drone-war-article.txt").read_text(encoding="utf-8")
SEED = json.loads((ROOT / "fixtures" / "seed.json").read_text(encoding="utf-8"))
CORRECTIONS = json.loads((ROOT / "fixtures" / "seed-corrections.json").read_text(encoding="utf-8"))
METHOD = (ROOT / "claims" / "methodology.md").read_text(encoding="utf-8")
CLAIMS = {item["fields"]["slug"]: item["fields"] for item in SEED if item["model"] == "claims.claim"}
LINKS = [item["fields"] for item in SEED if item["model"] == "claims.claimlink"]
SOURCES = {item["fields"]["slug"]: item["fields"] for item in SEED if item["model"] == "sources.source"}

# How the article names each claimant (None: the article speaking in its own voice).
NAMED_IN_THE_ARTICLE = {
    "drone-war-article-publisher": None,
    "financial-times": "Financial Times",
    "sayari": "Sayari",
    "centre-for-defence-reforms": "Centre for Defence Reforms",
    "oleksandr-danylyuk": "Oleksandr Danylyuk",
    "frontelligence-former-ukrainian-officer": "A former Ukrainian officer, now with the analytical group "
                                               "Frontelligence Insight",
    "prc-ministry-of-foreign-affairs": "The foreign ministry in Beijing",
    "dronexl": "DroneXL",
    "velina-tchakarova": "Velina Tchakarova",
    "other-analysts": "Tchakarova and other analysts warn",
    "shenzhen-kiosk-staff-member": "A staff member",
}
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    return []


def test_every_quote_is_verbatim_in_the_article() -> None:
    for slug, claim in CLAIMS.items():
        assert claim["quote"] and claim["quote"] in ARTICLE, slug


def test_no_url_anywhere_in_the_seed_unless_the_article_has_it() -> None:
    assert not re.search(r"https?://|www\.", ARTICLE)  # the article contains no address
    for text in _strings(SEED) + _strings(CORRECTIONS) + [METHOD]:
        assert not re.search(r"https?://|www\.|\.(com|org|net)\b", text), text[:120]
    for source in SOURCES.values():
        assert source["homepage"] == ""


def test_every_number_in_a_claim_is_the_articles_or_derived_in_its_rationale() -> None:
    article_numbers = set(NUMBER.findall(ARTICLE))
    for slug, claim in CLAIMS.items():
        for number in NUMBER.findall(claim["text"]):
            assert number in article_numbers or number in claim["credibility_rationale"], (slug, number)


def test_every_claimant_is_named_by_the_article_as_the_seed_attributes_it() -> None:
    for slug, claim in CLAIMS.items():
        claimant = claim["claimant"][0]
        assert claimant in NAMED_IN_THE_ARTICLE, (slug, claimant)
        name = NAMED_IN_THE_ARTICLE[claimant]
        assert name is None or name.lower() in ARTICLE.lower(), (slug, name)


def test_undated_statements_stay_undated() -> None:
    dated = {slug: (claim["asserted_on"], claim["asserted_precision"]) for slug, claim in CLAIMS.items()
             if claim["asserted_on"]}
    for slug, claim in CLAIMS.items():
        assert (claim["asserted_on"] is None) == (claim["asserted_precision"] == "unknown"), slug
    tchakarova = {slug: date for slug, date in dated.items() if CLAIMS[slug]["claimant"] == ["velina-tchakarova"]}
    # "As Tchakarova wrote on November 30, 2025, …": her one dated quotation, two sentences.
    assert set(tchakarova.values()) <= {("2025-11-30", "day")}
    assert 1 <= len(tchakarova) <= 2
    article = next(item["fields"] for item in SEED if item["fields"].get("slug") == "drone-war-article")
    assert article["published_on"] is None and article["published_precision"] == "unknown"


def test_every_link_rationale_cites_both_its_claims_and_every_reference_exists() -> None:
    for link in LINKS:
        cited = set(referenced_slugs(link["rationale"]))
        assert {link["from_claim"][0], link["to_claim"][0]} <= cited, link
    texts = [claim["credibility_rationale"] for claim in CLAIMS.values()] + [link["rationale"] for link in LINKS] \
        + [source["reliability_rationale"] for source in SOURCES.values()] + [METHOD]
    for slug in referenced_slugs(*texts):
        assert slug in CLAIMS, slug


def test_no_pair_is_linked_as_the_same_assertion_and_as_something_else() -> None:
    types: dict[frozenset[str], set[str]] = {}
    for link in LINKS:
        types.setdefault(frozenset([link["from_claim"][0], link["to_claim"][0]]), set()).add(link["link_type"])
    for pair, kinds in types.items():
        assert not ("same_assertion" in kinds and len(kinds) > 1), pair


def test_judgements_are_graded_6_and_every_grade_names_its_rule() -> None:
    for slug, claim in CLAIMS.items():
        rationale = claim["credibility_rationale"]
        assert ("Graded 6" in rationale) == (claim["credibility"] == 6), slug
        assert f"Graded {claim['credibility']}" in rationale or "under the method" in rationale, slug
    assert not [slug for slug, claim in CLAIMS.items() if claim["credibility"] == 1]  # no two independent sources


@pytest.mark.django_db
def test_the_method_page_renders_the_worked_examples(client: Any) -> None:
    call_command("load_seed", stdout=StringIO())
    page = client.get("/methodology/").content.decode()
    assert "How we grade" in page and "<table>" in page
    for slug in set(REFERENCE.findall(METHOD)):
        assert f'href="/claims/{slug}/"' in page, slug
    claim = Claim.objects.get(slug="wang-holds-5pct-of-rustakt")
    assert 'href="/methodology/"' in client.get(claim.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_rationales_cite_their_evidence_as_links(client: Any) -> None:
    call_command("load_seed", stdout=StringIO())
    page = client.get("/claims/minghuaxin-shipments-total-411m/").content.decode()
    assert 'href="/claims/minghuaxin-shipped-304m-to-rustakt/"' in page
    assert "[[claim:" not in page


@pytest.mark.django_db
def test_reloading_over_the_first_edition_corrects_rather_than_duplicates(client: Any) -> None:
    call_command("load_seed", fixture=str(ROOT / "tests" / "data" / "seed-2025-12-first-edition.json"),
                 corrections="/nonexistent", stdout=StringIO())
    first = {claim.slug: claim.pk for claim in Claim.objects.all()}
    assert len(first) == 72
    call_command("load_seed", stdout=StringIO())
    assert Claim.objects.count() == len(CLAIMS)
    assert {slug: pk for slug, pk in Claim.objects.values_list("slug", "pk") if slug in first} == first
    for slug, note in CORRECTIONS["claims"].items():
        corrections = [json.loads(body) for body in Record.objects.filter(
            subject=f"claim:{first[slug]}", kind="correction").values_list("body", flat=True)]
        assert [data["note"] for data in corrections] == [note], slug
    page = client.get("/claims/china-no-longer-watching-from-sidelines/history/").content.decode()
    assert "Corrected" in page and "First published" in page
    for from_slug, to_slug, link_type, _ in CORRECTIONS["links_withdrawn"]:
        assert not ClaimLink.objects.public().filter(from_claim__slug=from_slug, to_claim__slug=to_slug,
                                                     link_type=link_type).exists()
    public = {(link.from_claim.slug, link.to_claim.slug, link.link_type)
              for link in ClaimLink.objects.public().select_related("from_claim", "to_claim")}
    assert public == {(link["from_claim"][0], link["to_claim"][0], link["link_type"]) for link in LINKS}
    size = Record.objects.count()
    call_command("load_seed", stdout=StringIO())
    assert Record.objects.count() == size  # nothing left to correct
    assert PublicClaim.objects.count() == len(CLAIMS)
    call_command("verify_record", stdout=StringIO())
