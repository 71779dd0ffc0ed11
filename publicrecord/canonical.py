"""Canonical JSON: the exact bytes a record is hashed and signed as.

RFC 8785 (JCS) for the values records hold (objects, arrays, strings, integers, booleans,
null; no floats): keys sorted, no whitespace, UTF-8 without escaping non-ASCII, control
characters escaped as JSON requires. For these values Python's sorted-keys output with
fixed separators is byte-for-byte JCS (every key is ASCII, so code-point order and JCS's
UTF-16 order agree). Floats are refused: their textual forms differ between encoders.
"""

import json
from typing import Any

MAX_SAFE_INTEGER = 2**53 - 1


def _check(value: Any, path: str = "$") -> None:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise ValueError(f"{path}: integer beyond the JSON-safe range")
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not key.isascii():
                raise ValueError(f"{path}: keys must be ASCII strings")
            _check(item, f"{path}.{key}")
        return
    raise ValueError(f"{path}: {type(value).__name__} has no canonical JSON form")


def canonical_bytes(value: Any) -> bytes:
    _check(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def is_canonical(data: bytes) -> bool:
    """Whether `data` is the canonical form of the JSON it holds."""
    try:
        return canonical_bytes(json.loads(data.decode("utf-8"))) == data
    except (ValueError, UnicodeDecodeError):
        return False
