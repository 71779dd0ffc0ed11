#!/usr/bin/env python3
"""Check that a fact-check page is in our public log, and that the log only ever grew.

    python3 verify_claim.py https://factcheck.example.org/claims/some-claim/
    python3 verify_claim.py https://factcheck.example.org/ 41 --previous-head head.json

It fetches the log's signed tree head, the claim's record and the proof that the record is
in the tree, and checks them itself, following RFC 9162 (sections 2.1.3.2 and 2.1.4.2). The
signature is checked when the `cryptography` package is installed (pip install cryptography).
With --previous-head (a head.json you saved earlier) it also checks that today's log extends
the one you saw then. Only the Python standard library is needed otherwise; read it first.
"""

import argparse
import base64
import hashlib
import json
import re
import struct
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(index: int, size: int, leaf: bytes, path: list[bytes], root: bytes) -> bool:
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, path: list[bytes]) -> bool:
    if first == second:
        return first_root == second_root and not path
    if not path or not 0 < first < second:
        return False
    if first & (first - 1) == 0:
        path = [first_root, *path]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


def check_signature(head: dict[str, Any]) -> bool | None:
    """True or False; None when the `cryptography` package is not installed."""
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        return None
    signed = struct.pack(">BBQQ", 0, 1, head["timestamp"], head["tree_size"]) + bytes.fromhex(head["root_hash"])
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(head["public_key"])).verify(
            base64.b64decode(head["signature"]), signed)
    except (InvalidSignature, ValueError):
        return False
    return True


def fetch_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (the reader's own URL)
        return json.loads(response.read().decode("utf-8"))


def fetch_text(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
        return response.read().decode("utf-8")


def verify(base: str, index: int, *, fetch: Callable[[str], Any] = fetch_json,
           previous_head: dict[str, Any] | None = None, say: Callable[[str], None] = print,
           expected_slug: str = "") -> bool:
    """Every check on record `index` of the log at `base`; True when all pass."""
    ok = True

    def check(passed: bool, what: str) -> None:
        nonlocal ok
        ok = ok and passed
        say(f"{'ok  ' if passed else 'FAIL'} {what}")

    head = fetch(urljoin(base, "/transparency/head.json"))
    signature = check_signature(head)
    if signature is None:
        say("skip the tree head's signature (pip install cryptography to check it)")
    else:
        check(signature, f"the tree head of size {head['tree_size']} is signed by key {head['public_key']}")
    entry = fetch(urljoin(base, f"/transparency/entries/{index}.json"))
    leaf = leaf_hash(entry["record"].encode("utf-8"))
    check(leaf.hex() == entry["leaf_hash"], f"record {index} hashes to its leaf hash {leaf.hex()}")
    proof = fetch(urljoin(base, f"/transparency/proof/{index}.json?tree_size={head['tree_size']}"))
    check(verify_inclusion(index, head["tree_size"], leaf, [bytes.fromhex(p) for p in proof["audit_path"]],
                           bytes.fromhex(head["root_hash"])),
          f"record {index} is in the signed tree of size {head['tree_size']}")
    if previous_head is not None:
        first, second = previous_head["tree_size"], head["tree_size"]
        if first > second:
            check(False, f"the log shrank from {first} to {second} records")
        elif first:
            consistency = fetch(urljoin(base, f"/transparency/consistency.json?first={first}&second={second}"))
            check(verify_consistency(first, second, bytes.fromhex(previous_head["root_hash"]),
                                     bytes.fromhex(head["root_hash"]),
                                     [bytes.fromhex(p) for p in consistency["consistency_path"]]),
                  f"the log of {second} records extends the one of {first} you saved")
    record = json.loads(entry["record"])
    if expected_slug and record.get("claim", {}).get("slug") != expected_slug:
        check(False, f"record {index} is of claim {record.get('claim', {}).get('slug')!r}, not of the page "
                     f"{expected_slug!r}")
    if record.get("record") == "claim":
        claim = record["claim"]
        say(f"\nRecord {index} ({record['event']}, {record['recorded_at']}): “{claim['text']}”")
        say(f"  claimed by {record['claimant']['name']}, graded {record['claimant']['reliability']}"
            f"{claim['credibility']} ({claim['credibility_label'].lower()}); status {record['status']}")
        if record["evidence"]:
            say(f"  quote “{record['evidence']['exact']}” in the archived copy with SHA-256 "
                f"{record['evidence']['snapshot']['sha256']}")
        say("Compare these with the page you read.")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="a claim page, or the site's address with INDEX")
    parser.add_argument("index", nargs="?", type=int, help="the record's number (read from the page if omitted)")
    parser.add_argument("--previous-head", help="a head.json saved earlier, to check the log only grew")
    args = parser.parse_args()
    index = args.index
    if index is None:
        found = re.search(r"/transparency/entries/(\d+)\.json", fetch_text(args.url))
        if not found:
            print("This page names no record of the public log.", file=sys.stderr)
            return 2
        index = int(found.group(1))
    previous = json.loads(open(args.previous_head).read()) if args.previous_head else None  # noqa: SIM115
    page = re.search(r"/claims/([a-z0-9-]+)/", args.url)
    try:
        return 0 if verify(args.url, index, previous_head=previous, expected_slug=page.group(1) if page else "") else 1
    except urllib.error.HTTPError as error:
        print(f"FAIL the log answered {error.code} for {error.url}: {error.read().decode(errors='replace')}",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
