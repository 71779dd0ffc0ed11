"""Ed25519 signatures on tree heads (the `cryptography` package).

The signed bytes follow RFC 6962's TreeHeadSignature (section 3.5), which RFC 9162 kept in
spirit: version 0 (1 byte), signature type 1 = tree_hash (1 byte), timestamp in
milliseconds since the epoch (8 bytes, big-endian), tree size (8 bytes, big-endian) and the
32-byte root hash: 50 bytes in all.
"""

import base64
import binascii
import os
import struct
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

HEAD_VERSION = 0
SIGNATURE_TYPE_TREE_HASH = 1


def tree_head_bytes(*, tree_size: int, timestamp: int, root_hash: bytes) -> bytes:
    return struct.pack(">BBQQ", HEAD_VERSION, SIGNATURE_TYPE_TREE_HASH, timestamp, tree_size) + root_hash


def _seed_from_base64(value: str, origin: str) -> bytes:
    try:
        seed = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{origin} is not base64.") from None
    if len(seed) != 32:
        raise ImproperlyConfigured(f"{origin} must hold 32 bytes (an Ed25519 private key), base64-encoded.")
    return seed


def signing_key() -> Ed25519PrivateKey:
    """The log's private key: TRANSPARENCY_SIGNING_KEY, else the key file (made on a
    developer's machine the first time it is needed)."""
    if settings.TRANSPARENCY_SIGNING_KEY:
        return Ed25519PrivateKey.from_private_bytes(
            _seed_from_base64(settings.TRANSPARENCY_SIGNING_KEY, "TRANSPARENCY_SIGNING_KEY"))
    path = Path(settings.TRANSPARENCY_SIGNING_KEY_FILE)
    if not path.exists():
        if not settings.DEBUG:
            raise ImproperlyConfigured(
                "No key to sign the public record: set TRANSPARENCY_SIGNING_KEY (32 random bytes, base64: "
                "python -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())') or "
                f"TRANSPARENCY_SIGNING_KEY_FILE (now {path}, which does not exist).")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as stream:
            stream.write(base64.b64encode(os.urandom(32)).decode() + "\n")
    return Ed25519PrivateKey.from_private_bytes(_seed_from_base64(path.read_text(), str(path)))


def public_key_bytes(key: Ed25519PrivateKey | None = None) -> bytes:
    return (key or signing_key()).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def sign_tree_head(*, tree_size: int, timestamp: int, root_hash: bytes,
                   key: Ed25519PrivateKey | None = None) -> tuple[bytes, bytes]:
    """(signature, raw public key) over the tree head, with `key` or the log's key."""
    key = key or signing_key()
    return key.sign(tree_head_bytes(tree_size=tree_size, timestamp=timestamp, root_hash=root_hash)), \
        public_key_bytes(key)


def verify_tree_head(*, public_key: bytes, signature: bytes, tree_size: int, timestamp: int,
                     root_hash: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            signature, tree_head_bytes(tree_size=tree_size, timestamp=timestamp, root_hash=root_hash))
    except (InvalidSignature, ValueError):
        return False
    return True


# The reader's verifier, served at /transparency/verify_claim.py.
VERIFIER_PATH = Path(__file__).resolve().parent / "verify_claim.py"
