"""Canonical JSON: sorted keys, no whitespace, UTF-8, no floats."""

import pytest

from publicrecord.canonical import canonical_bytes, is_canonical


def test_it_sorts_keys_and_keeps_unicode_as_utf8() -> None:
    data = canonical_bytes({"b": 1, "a": ["Київ", "深圳", None, True], "c": {"z": "\n\u0000"}})
    assert data == '{"a":["Київ","深圳",null,true],"b":1,"c":{"z":"\\n\\u0000"}}'.encode()
    assert is_canonical(data)
    assert not is_canonical(b'{"b": 1, "a": 2}')


def test_it_refuses_values_with_no_single_textual_form() -> None:
    for value in [{"x": 1.5}, {"x": 2**60}, {1: "key not a string"}]:
        with pytest.raises(ValueError):
            canonical_bytes(value)
