"""The transparency endpoints: anyone can fetch the signed tree head, any record, and the
proofs that a record is in the log and that the log only ever grew (RFC 9162)."""

import base64
import time
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from factcheck.params import whole_number
from publicrecord import merkle
from publicrecord.models import Record, TreeHead
from publicrecord.querysets import latest_head, leaf_hashes
from publicrecord.signing import VERIFIER_PATH, sign_tree_head


def _error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"error": code, "detail": detail, "fields": {}}, status=status)


def _number(value: str | None, name: str) -> int:
    """A whole number from the query string; ValueError with a sentence otherwise."""
    if value is None or value == "":
        raise ValueError(f"`{name}` is required.")
    number = whole_number(value)
    if number is None:
        raise ValueError(f"`{name}` must be a whole number from 0.")
    return number


def _head_json(head: TreeHead) -> dict[str, Any]:
    return {"tree_size": head.tree_size, "root_hash": head.root_hash, "timestamp": head.timestamp,
            "signature": head.signature, "public_key": head.public_key, "algorithm": "Ed25519",
            "signed": "RFC 6962 TreeHeadSignature: version 0, signature_type 1, timestamp (ms, uint64), "
                      "tree_size (uint64), root_hash (32 bytes); big-endian, 50 bytes"}


@csrf_exempt
@require_safe
def head(request: HttpRequest) -> JsonResponse:
    """The latest signed tree head (an empty log signs its empty head now)."""
    latest = latest_head()
    if latest is None:
        timestamp, root = int(time.time() * 1000), merkle.root([])
        signature, public_key = sign_tree_head(tree_size=0, timestamp=timestamp, root_hash=root)
        latest = TreeHead(tree_size=0, root_hash=root.hex(), timestamp=timestamp,
                          signature=base64.b64encode(signature).decode(),
                          public_key=base64.b64encode(public_key).decode())
    response = JsonResponse(_head_json(latest))
    response["Cache-Control"] = "public, max-age=10"
    return response


def _path_index(value: str) -> int | None:
    return whole_number(value)


@csrf_exempt  # read-only: any other method is a 405, not a CSRF refusal
@require_safe
def entry(request: HttpRequest, index: str) -> JsonResponse:
    number = _path_index(index)
    record = Record.objects.filter(index=number).first() if number is not None else None
    if record is None:
        return _error(404, "not_found", f"The log has no entry {index}.")
    response = JsonResponse({"index": record.index, "record": record.body, "leaf_hash": record.leaf_hash,
                             "kind": record.kind, "subject": record.subject,
                             "recorded_at": record.recorded_at.isoformat()}, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=31536000, immutable"  # a record never changes
    return response


def _tree_size(request: HttpRequest, name: str, current: int, *, default: int | None = None) -> int:
    value = request.GET.get(name)
    size = default if (value is None and default is not None) else _number(value, name)
    if size > current:
        raise ValueError(f"`{name}` ({size}) is beyond the log's size ({current}).")
    return size


@csrf_exempt
@require_safe
def inclusion_proof(request: HttpRequest, index: str) -> JsonResponse:
    """The audit path of entry `index` in the tree of `tree_size` (default: the latest head)."""
    number = _path_index(index)
    if number is None:
        return _error(404, "not_found", f"The log has no entry {index}.")
    index = number
    latest = latest_head()
    current = latest.tree_size if latest else 0
    try:
        size = _tree_size(request, "tree_size", current, default=current)
    except ValueError as error:
        return _error(400, "invalid", str(error))
    if index >= size:
        return _error(404, "not_found", f"Entry {index} is not in the tree of size {size}.")
    leaves = leaf_hashes(size)
    return JsonResponse({
        "index": index, "tree_size": size, "leaf_hash": leaves[index].hex(),
        "root_hash": merkle.root(leaves).hex(),
        "audit_path": [node.hex() for node in merkle.inclusion_path(index, leaves)],
    })


@csrf_exempt
@require_safe
def consistency_proof(request: HttpRequest) -> JsonResponse:
    """The proof that the tree of size `first` is a prefix of the tree of size `second`."""
    latest = latest_head()
    current = latest.tree_size if latest else 0
    try:
        first = _tree_size(request, "first", current)
        second = _tree_size(request, "second", current, default=current)
    except ValueError as error:
        return _error(400, "invalid", str(error))
    if first == 0 or first > second:
        return _error(400, "invalid", "Need 0 < first ≤ second.")
    leaves = leaf_hashes(second)
    return JsonResponse({
        "first": first, "second": second, "first_root": merkle.root(leaves[:first]).hex(),
        "second_root": merkle.root(leaves).hex(),
        "consistency_path": [node.hex() for node in merkle.consistency_path(first, leaves)],
    })


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    """How a reader checks a claim page against the log, in words, with the verifier to download."""
    return render(request, "publicrecord/about.html", {"head": latest_head(),
                                                       "publisher_name": settings.FACTCHECK_PUBLISHER_NAME})


@require_safe
def verifier(request: HttpRequest) -> FileResponse:
    return FileResponse(VERIFIER_PATH.open("rb"), content_type="text/x-python; charset=utf-8",
                        as_attachment=True, filename="verify_claim.py")
