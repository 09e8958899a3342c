"""The hand-back bundle of an outreach laptop: its day's work, encrypted and signed.

One file, read by the office with nothing but the checkout's row (the laptop's Ed25519
public key and the bundle key both sides got at checkout)::

    COUNTER-OUTREACH-BUNDLE 1\\n
    {"checkout": ..., "sequence": n, "created_at": ..., "length": L, "nonce": ...}\\n
    L bytes: AES-256-GCM of the gzipped JSON payload (the two lines above as associated data)
    64 bytes: Ed25519 signature of everything before it

Every way a file can be wrong is told apart before anything is trusted, each as one
Japanese line: not a bundle, cut short (a copy or an export that did not finish), of a
checkout this office never made (foreign), or changed after signing (tampered).
"""

from __future__ import annotations

import gzip
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"COUNTER-OUTREACH-BUNDLE 1\n"
SIGNATURE_BYTES = 64
NONCE_BYTES = 12
MAX_HEADER = 4096
# A checkout is a UUID; read before any signature is checked, it must be plain enough to
# quote in a refusal (never a control character that would rewrite the terminal).
CHECKOUT_ID = re.compile(r"[\x21-\x7e]{1,64}")
# 500 visits make about 211 KiB (bench/bench_outreach.py); a laptop's block is at most
# 9,999 受付番号, so no real bundle comes near this.
MAX_BUNDLE = 64 << 20

NOT_A_BUNDLE = "出張の持ち帰りファイルではありません"
CUT_SHORT = (
    "持ち帰りファイルが途中で切れています（書き出しかコピーが終わっていません）。"
    "ノートPCでもう一度書き出してください"
)
TAMPERED = "持ち帰りファイルが書き換えられているか壊れています（署名が合いません）"


class BundleRefused(ValueError):
    """The bundle cannot be taken in (one Japanese line); nothing was changed."""


@dataclass(frozen=True)
class Envelope:
    """A bundle's outside, read without any key: which checkout, which export."""

    checkout_id: str
    sequence: int
    created_at: str
    signed: bytes  # the magic, the header line and the ciphertext
    nonce: bytes
    ciphertext: bytes
    signature: bytes


def seal(
    payload: dict[str, Any],
    *,
    checkout_id: str,
    sequence: int,
    created_at: datetime,
    private_key: str,
    bundle_key: str,
) -> bytes:
    """The bundle of ``payload`` (JSON-able) for ``checkout_id``'s ``sequence``-th export."""
    body = gzip.compress(
        json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(), mtime=0
    )
    nonce = os.urandom(NONCE_BYTES)
    length = len(body) + 16  # AES-GCM adds its 16-byte tag
    header = {
        "checkout": checkout_id,
        "sequence": sequence,
        "created_at": created_at.isoformat(),
        "length": length,
        "nonce": nonce.hex(),
    }
    head = MAGIC + json.dumps(header, separators=(",", ":")).encode() + b"\n"
    ciphertext = AESGCM(bytes.fromhex(bundle_key)).encrypt(nonce, body, head)
    signed = head + ciphertext
    return signed + Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private_key)).sign(signed)


def read_envelope(data: bytes) -> Envelope:
    """The outside of ``data``; BundleRefused when it is no bundle or is cut short."""
    if not data.startswith(MAGIC):
        raise BundleRefused(CUT_SHORT if MAGIC.startswith(data) and data else NOT_A_BUNDLE)
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER)
    if end < 0:
        raise BundleRefused(CUT_SHORT if len(data) < len(MAGIC) + MAX_HEADER else NOT_A_BUNDLE)
    try:
        header = json.loads(data[len(MAGIC) : end])
        checkout_id, sequence = header["checkout"], int(header["sequence"])
        length, nonce = int(header["length"]), bytes.fromhex(header["nonce"])
        created_at = str(header["created_at"])
    except (ValueError, KeyError, TypeError, OverflowError, RecursionError):
        # Read before any key is checked, so it may be anything: Infinity is OverflowError
        # to int(), a value nested thousands deep RecursionError to json.loads.
        raise BundleRefused(TAMPERED) from None
    if not isinstance(checkout_id, str) or not CHECKOUT_ID.fullmatch(checkout_id):
        raise BundleRefused(TAMPERED)  # the office quotes it before any key is checked
    if length < 16 or len(nonce) != NONCE_BYTES or sequence < 1:
        raise BundleRefused(TAMPERED)
    start = end + 1
    whole = start + length + SIGNATURE_BYTES
    if len(data) < whole:
        raise BundleRefused(CUT_SHORT)
    if len(data) > whole:
        raise BundleRefused(TAMPERED)
    return Envelope(
        checkout_id=checkout_id,
        sequence=sequence,
        created_at=created_at,
        signed=data[: start + length],
        nonce=nonce,
        ciphertext=data[start : start + length],
        signature=data[start + length :],
    )


def open_envelope(envelope: Envelope, *, public_key: str, bundle_key: str) -> dict[str, Any]:
    """The payload, once the signature is the checkout's laptop's and the text decrypts."""
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
            envelope.signature, envelope.signed
        )
        head = envelope.signed[: len(envelope.signed) - len(envelope.ciphertext)]
        body = AESGCM(bytes.fromhex(bundle_key)).decrypt(envelope.nonce, envelope.ciphertext, head)
        payload = json.loads(gzip.decompress(body))
    except (InvalidSignature, InvalidTag, ValueError, OSError, EOFError, RecursionError):
        raise BundleRefused(TAMPERED) from None
    if not isinstance(payload, dict) or payload.get("checkout") != envelope.checkout_id:
        raise BundleRefused(TAMPERED)
    if payload.get("sequence") != envelope.sequence:
        raise BundleRefused(TAMPERED)
    return payload
