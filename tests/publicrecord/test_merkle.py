"""The Merkle tree against RFC 9162, checked by an independent implementation written here
from the RFC's text (section 2.1), not by the module's own verifiers."""

import hashlib

import pytest

from publicrecord import merkle


def rfc_mth(entries: list[bytes]) -> bytes:
    """MTH(D[n]) exactly as RFC 9162 section 2.1.1 defines it, over the entries themselves."""
    n = len(entries)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + entries[0]).digest()
    k = 1 << ((n - 1).bit_length() - 1)  # the largest power of two smaller than n
    return hashlib.sha256(b"\x01" + rfc_mth(entries[:k]) + rfc_mth(entries[k:])).digest()


def rfc_verify_inclusion(leaf_index: int, tree_size: int, leaf: bytes, path: list[bytes], root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2, step by step."""
    if leaf_index >= tree_size:
        return False
    fn, sn, r = leaf_index, tree_size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            r = hashlib.sha256(b"\x01" + p + r).digest()
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn //= 2
                    sn //= 2
        else:
            r = hashlib.sha256(b"\x01" + r + p).digest()
        fn //= 2
        sn //= 2
    return sn == 0 and r == root


def rfc_verify_consistency(first: int, second: int, first_hash: bytes, second_hash: bytes,
                           path: list[bytes]) -> bool:
    """RFC 9162 section 2.1.4.2, step by step."""
    if not path:
        return False
    if first & (first - 1) == 0:
        path = [first_hash, *path]
    fn, sn = first - 1, second - 1
    while fn % 2 == 1:
        fn //= 2
        sn //= 2
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            fr = hashlib.sha256(b"\x01" + c + fr).digest()
            sr = hashlib.sha256(b"\x01" + c + sr).digest()
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn //= 2
                    sn //= 2
        else:
            sr = hashlib.sha256(b"\x01" + sr + c).digest()
        fn //= 2
        sn //= 2
    return fr == first_hash and sr == second_hash and sn == 0


ENTRIES = [f"record {n}".encode() for n in range(33)]
LEAVES = [merkle.leaf_hash(entry) for entry in ENTRIES]


def test_roots_match_the_rfc_definition_for_every_size() -> None:
    frontier: list[bytes] = []
    assert merkle.root([]) == rfc_mth([]) == merkle.frontier_root(frontier)
    for size in range(1, len(ENTRIES) + 1):
        assert merkle.root(LEAVES[:size]) == rfc_mth(ENTRIES[:size])
        frontier = merkle.append_to_frontier(frontier, size - 1, LEAVES[size - 1])
        assert merkle.frontier_root(frontier) == rfc_mth(ENTRIES[:size]), f"incremental root at size {size}"


def test_every_inclusion_proof_verifies_by_the_rfc_algorithm() -> None:
    for size in range(1, len(ENTRIES) + 1):
        root = rfc_mth(ENTRIES[:size])
        for index in range(size):
            path = merkle.inclusion_path(index, LEAVES[:size])
            assert rfc_verify_inclusion(index, size, LEAVES[index], path, root), (index, size)
            assert merkle.verify_inclusion(index, size, LEAVES[index], path, root)


def test_every_consistency_proof_verifies_by_the_rfc_algorithm() -> None:
    for second in range(1, len(ENTRIES) + 1):
        for first in range(1, second):
            path = merkle.consistency_path(first, LEAVES[:second])
            assert rfc_verify_consistency(first, second, rfc_mth(ENTRIES[:first]), rfc_mth(ENTRIES[:second]),
                                          path), (first, second)
            assert merkle.verify_consistency(first, second, rfc_mth(ENTRIES[:first]),
                                             rfc_mth(ENTRIES[:second]), path)


def test_proofs_fail_for_a_changed_leaf_a_wrong_index_or_a_rewritten_history() -> None:
    size, root = 13, rfc_mth(ENTRIES[:13])
    path = merkle.inclusion_path(5, LEAVES[:size])
    assert not rfc_verify_inclusion(5, size, merkle.leaf_hash(b"edited"), path, root)
    assert not rfc_verify_inclusion(6, size, LEAVES[5], path, root)
    assert not merkle.verify_inclusion(5, size, merkle.leaf_hash(b"edited"), path, root)
    rewritten = [*ENTRIES[:3], b"rewritten", *ENTRIES[4:13]]
    path = merkle.consistency_path(7, LEAVES[:13])
    assert not rfc_verify_consistency(7, 13, rfc_mth(rewritten[:7]), root, path)
    assert not merkle.verify_consistency(7, 13, rfc_mth(rewritten[:7]), root, path)


def test_out_of_range_proofs_are_refused() -> None:
    with pytest.raises(ValueError):
        merkle.inclusion_path(3, LEAVES[:3])
    with pytest.raises(ValueError):
        merkle.consistency_path(0, LEAVES[:3])
    with pytest.raises(ValueError):
        merkle.consistency_path(4, LEAVES[:3])
