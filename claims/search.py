"""Full-text search over what the public record shows, through an index on both databases.

PostgreSQL: the vector to_tsvector('english', search_text) stored in a generated column with a
GIN index (claims migration 0014), used with @@ and ranked with ts_rank on the matches only.
SQLite: an FTS5 table with the Porter stemmer (claims migration 0010), kept beside PublicClaim
by `index_claims`, joined to it and ranked by bm25.
Both match every word of the query, and both stem ("embedded" finds "embedding").
"""

import re

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

FTS_TABLE = "claims_publicclaim_fts"
WORD = re.compile(r"\w+", re.UNICODE)


def index_claims(texts: dict[int, str]) -> None:
    """Keep the SQLite index in step with these claims' latest records (claim id → search
    text), two statements per 400 claims; PostgreSQL indexes itself."""
    if connection.vendor != "sqlite" or not texts:
        return
    items = list(texts.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), 400):
            chunk = items[start:start + 400]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})",  # noqa: S608
                           [claim_id for claim_id, _ in chunk])
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(f"INSERT INTO {FTS_TABLE} (rowid, search_text) VALUES {values}",  # noqa: S608
                           [value for item in chunk for value in item])


def fts_query(query: str) -> str:
    """The words of the query as FTS5 tokens, every one required; no operator syntax passes."""
    return " ".join(f'"{word}"' for word in WORD.findall(query))


def search(claims: QuerySet, query: str) -> QuerySet:
    """`claims` (PublicClaim rows) matching every word of `query`, best first."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField

        # The vector stored beside the text (claims migration 0014), which the model does not name.
        vector = RawSQL('"claims_publicclaim"."search_vector"', [], output_field=SearchVectorField())
        words = SearchQuery(query, config="english", search_type="websearch")
        return (claims.annotate(document=vector).filter(document=words)
                .annotate(rank=SearchRank(vector, words)).order_by("-rank", "-published_at", "-claim_id"))
    match = fts_query(query)
    if not match:
        return claims.none()
    # Joined to the index, which has no model: each match is found, and ranked (FTS5's `rank`,
    # bm25), once. A rank as a subquery per claim ran the whole match again for every claim:
    # 1.3 s for a common name at 100,000 claims, where the join takes 40 ms. The query is a
    # parameter; only our constant table name is formatted in.
    return claims.extra(  # noqa: S610
        tables=[FTS_TABLE], where=[f"{FTS_TABLE}.rowid = claims_publicclaim.claim_id", f"{FTS_TABLE} MATCH %s"],
        params=[match], select={"rank": f"{FTS_TABLE}.rank"},
    ).order_by("rank", "-published_at", "-claim_id")


# The desk's link finder searches working claims (drafts included), which the public index
# does not hold: PostgreSQL stems with its English configuration; SQLite with `stem` below,
# a few English suffixes, so "embedded" and "embedding" both become "embed".
SUFFIXES = ("ational", "ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly")
MIN_STEM = 3


def stem(word: str) -> str:
    """A light English stem: the word without its inflection, a doubled final consonant undone."""
    word = word.lower()
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            word = word[: -len(suffix)]
            if len(word) > MIN_STEM and word[-1] == word[-2] and word[-1] not in "aeiouls":
                word = word[:-1]
            break
    return word


def working_claims_matching(claims: QuerySet, query: str) -> QuerySet:
    """Working claims (Claim rows) whose text has every word of `query`, stemmed."""
    words = WORD.findall(query)
    if not words:
        return claims.none()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        return claims.annotate(words=SearchVector("text", config="english")).filter(
            words=SearchQuery(query, config="english", search_type="websearch"))
    for word in words:
        claims = claims.filter(text__icontains=stem(word))
    return claims
