"""The transparency endpoints, the reader's verifier, and verify_record."""

import base64
import importlib.util
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from claims import services
from publicrecord import merkle
from publicrecord.models import AppendOnlyError, Record, TreeHead
from publicrecord.signing import verify_tree_head
from tests.conftest import make_claim, publish


@pytest.fixture
def log(alice: Any, bob: Any) -> list[Any]:
    """Five claims published, one corrected and one retracted: seven records."""
    claims = [publish(make_claim(alice, text=f"Claim {n}"), author=alice, editor=bob) for n in range(5)]
    edited = services.claim_update(claim=claims[0], actor=alice, version=claims[0].version,
                                   changes={"credibility": 3}, reason="Regrade")
    publish_correction = services.claim_publish(claim=edited, actor=bob, version=edited.version,
                                                note="Only one source has seen the filings.")
    services.claim_retract(claim=claims[1], actor=bob, version=claims[1].version, reason="The filing was misread.")
    return [publish_correction, *claims[1:]]


def _verifier() -> Any:
    path = Path(__file__).resolve().parents[2] / "publicrecord" / "verify_claim.py"
    spec = importlib.util.spec_from_file_location("verify_claim", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_head_is_signed_and_matches_the_records(client: Any, log: Any) -> None:
    head = client.get("/transparency/head.json").json()
    assert head["tree_size"] == Record.objects.count() == 7
    leaves = [bytes.fromhex(value) for value in Record.objects.order_by("index").values_list("leaf_hash", flat=True)]
    assert head["root_hash"] == merkle.root(leaves).hex()
    assert len(base64.b64decode(head["public_key"])) == 32
    assert verify_tree_head(public_key=base64.b64decode(head["public_key"]),
                            signature=base64.b64decode(head["signature"]), tree_size=head["tree_size"],
                            timestamp=head["timestamp"], root_hash=bytes.fromhex(head["root_hash"]))
    assert not verify_tree_head(public_key=base64.b64decode(head["public_key"]),
                                signature=base64.b64decode(head["signature"]), tree_size=head["tree_size"] + 1,
                                timestamp=head["timestamp"], root_hash=bytes.fromhex(head["root_hash"]))


def test_an_entry_is_the_record_as_hashed(client: Any, log: Any) -> None:
    entry = client.get("/transparency/entries/5.json").json()
    assert merkle.leaf_hash(entry["record"].encode()).hex() == entry["leaf_hash"]
    record = json.loads(entry["record"])
    assert record["event"] == "correction" and record["note"] == "Only one source has seen the filings."
    assert record["editor"] == "bob" and record["claim"]["credibility"] == 3


def test_the_readers_verifier_checks_a_claim_and_that_the_log_only_grew(client: Any, log: Any, alice: Any,
                                                                         bob: Any) -> None:
    verifier = _verifier()
    fetch = lambda url: client.get(url.removeprefix("http://testserver")).json()  # noqa: E731
    said: list[str] = []
    saved_head = client.get("/transparency/head.json").json()
    publish(make_claim(alice, text="Later claim"), author=alice, editor=bob)
    assert verifier.verify("http://testserver/", 5, fetch=fetch, previous_head=saved_head, say=said.append)
    assert all(not line.startswith("FAIL") for line in said)
    assert any("extends the one of 7" in line for line in said)
    page = client.get(log[0].get_absolute_url()).content.decode()
    assert "/transparency/entries/5.json" in page  # the page names its record

    forged = {**saved_head, "root_hash": "00" * 32}
    said.clear()
    assert not verifier.verify("http://testserver/", 5, fetch=fetch, previous_head=forged, say=said.append)


@pytest.mark.parametrize(("url", "status"), [
    ("/transparency/entries/99.json", 404),
    ("/transparency/entries/99999999999999999999.json", 404),
    ("/transparency/proof/7.json", 404),
    ("/transparency/proof/1.json?tree_size=8", 400),
    ("/transparency/proof/1.json?tree_size=x", 400),
    ("/transparency/proof/1.json?tree_size=²", 400),
    ("/transparency/consistency.json?first=5&second=3", 400),
    ("/transparency/consistency.json?first=0&second=3", 400),
    ("/transparency/consistency.json?first=3&second=9", 400),
    ("/transparency/consistency.json", 400),
])
def test_bad_indexes_and_sizes_are_errors_in_the_api_shape(client: Any, log: Any, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert set(response.json()) == {"error", "detail", "fields"}


def test_proofs_from_the_endpoints_verify(client: Any, log: Any) -> None:
    verifier = _verifier()
    head = client.get("/transparency/head.json").json()
    for index in range(head["tree_size"]):
        proof = client.get(f"/transparency/proof/{index}.json?tree_size={head['tree_size']}").json()
        assert verifier.verify_inclusion(index, head["tree_size"], bytes.fromhex(proof["leaf_hash"]),
                                         [bytes.fromhex(p) for p in proof["audit_path"]],
                                         bytes.fromhex(head["root_hash"]))
    consistency = client.get("/transparency/consistency.json?first=3&second=7").json()
    old = TreeHead.objects.get(tree_size=3)
    assert verifier.verify_consistency(3, 7, bytes.fromhex(old.root_hash), bytes.fromhex(head["root_hash"]),
                                       [bytes.fromhex(p) for p in consistency["consistency_path"]])


def test_the_transparency_page_explains_and_offers_the_verifier(client: Any, log: Any) -> None:
    page = client.get("/transparency/").content.decode()
    assert "verify_claim.py" in page and "RFC 9162" in page
    script = b"".join(client.get("/transparency/verify_claim.py").streaming_content)
    assert b"def verify_inclusion" in script


def test_records_cannot_be_changed_or_deleted_through_the_application(log: Any) -> None:
    record = Record.objects.get(index=0)
    record.body = "{}"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(AppendOnlyError):
        Record.objects.filter(index=0).update(body="{}")
    with pytest.raises(AppendOnlyError):
        TreeHead.objects.all().delete()


def test_verify_record_passes_on_an_intact_log(log: Any) -> None:
    out = io.StringIO()
    call_command("verify_record", stdout=out)
    assert "7 records" in out.getvalue() and "intact" in out.getvalue()


def test_verify_record_names_a_record_edited_behind_the_applications_back(log: Any) -> None:
    record = Record.objects.get(index=3)
    body = record.body.replace('"Claim', '"Edited claim')
    with connection.cursor() as cursor:
        cursor.execute("UPDATE publicrecord_record SET body = %s WHERE \"index\" = %s", [body, 3])
    with pytest.raises(CommandError, match="entry 3 does not match its leaf hash"):
        call_command("verify_record", stdout=io.StringIO())


def test_verify_record_catches_a_record_and_its_hash_rewritten_together(log: Any) -> None:
    record = Record.objects.get(index=2)
    body = record.body.replace('"Claim', '"Edited claim')
    with connection.cursor() as cursor:
        cursor.execute("UPDATE publicrecord_record SET body = %s, leaf_hash = %s WHERE \"index\" = %s",
                       [body, merkle.leaf_hash(body.encode()).hex(), 2])
    with pytest.raises(CommandError, match="tree head 3 does not match the records"):
        call_command("verify_record", stdout=io.StringIO())


def test_verify_record_catches_a_deleted_record(log: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM claims_publicclaim")
        cursor.execute("DELETE FROM publicrecord_projection")
        cursor.execute("DELETE FROM publicrecord_record WHERE \"index\" = 4")
    with pytest.raises(CommandError, match="entry 4 is missing"):
        call_command("verify_record", stdout=io.StringIO())
