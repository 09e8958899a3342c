"""The hand-back bundle's own rules (counter.outreach_bundle), without any database."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from counter.outreach_bundle import (
    CUT_SHORT,
    NOT_A_BUNDLE,
    TAMPERED,
    BundleRefused,
    open_envelope,
    read_envelope,
    seal,
)

KEY = Ed25519PrivateKey.generate()
PRIVATE, PUBLIC = KEY.private_bytes_raw().hex(), KEY.public_key().public_bytes_raw().hex()
BUNDLE_KEY = os.urandom(32).hex()
CHECKOUT = "6f0c2c1e-0000-4000-8000-000000000001"
PAYLOAD = {"checkout": CHECKOUT, "sequence": 2, "visits": [{"name": "米子　太郎"}]}


def sealed(payload=PAYLOAD, sequence: int = 2, private: str = PRIVATE) -> bytes:
    return seal(payload, checkout_id=CHECKOUT, sequence=sequence,
                created_at=datetime(2026, 12, 5, 9, 30, tzinfo=UTC), private_key=private,
                bundle_key=BUNDLE_KEY)  # fmt: skip


def opened(data: bytes, public: str = PUBLIC, bundle_key: str = BUNDLE_KEY) -> dict:
    return open_envelope(read_envelope(data), public_key=public, bundle_key=bundle_key)


def test_a_bundle_opens_to_its_payload_and_hides_it():
    data = sealed()
    envelope = read_envelope(data)
    assert (envelope.checkout_id, envelope.sequence) == (CHECKOUT, 2)
    assert opened(data) == PAYLOAD
    assert "米子".encode() not in data and b"visits" not in data


def test_another_laptops_key_or_another_bundle_key_is_tampering():
    other = Ed25519PrivateKey.generate()
    with pytest.raises(BundleRefused, match=TAMPERED):
        opened(sealed(private=other.private_bytes_raw().hex()))
    with pytest.raises(BundleRefused, match=TAMPERED):
        opened(sealed(), bundle_key=os.urandom(32).hex())


def test_a_header_that_disagrees_with_the_signed_payload_is_tampering():
    with pytest.raises(BundleRefused, match=TAMPERED):
        opened(sealed(sequence=3))  # the payload says 2: signed by the laptop, yet wrong
    data = sealed()
    relabelled = data.replace(b'"sequence":2', b'"sequence":1', 1)
    with pytest.raises(BundleRefused, match=TAMPERED):
        opened(relabelled)


@pytest.mark.parametrize(
    ("cut", "said"),
    [(lambda d: d[:-1], CUT_SHORT), (lambda d: d[:10], CUT_SHORT),
     (lambda d: d[: d.index(b"\n", 30)], CUT_SHORT), (lambda d: d + b"x", TAMPERED),
     (lambda d: b"", NOT_A_BUNDLE), (lambda d: b"%PDF-1.7\n", NOT_A_BUNDLE)],
)  # fmt: skip
def test_each_wrong_file_is_told_apart(cut, said):
    with pytest.raises(BundleRefused) as refused:
        opened(cut(sealed()))
    assert str(refused.value) == said


@settings(max_examples=200)
@given(position=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=7))
def test_any_one_bit_changed_anywhere_is_refused(position, bit):
    data = sealed()
    position %= len(data)
    changed = data[:position] + bytes([data[position] ^ (1 << bit)]) + data[position + 1 :]
    with pytest.raises(BundleRefused):
        opened(changed)


@given(st.binary(max_size=400))
def test_any_bytes_are_one_refusal_never_a_crash(data):
    with pytest.raises(BundleRefused):
        opened(data)


@pytest.mark.parametrize(
    "header",
    [b'"sequence":Infinity', b'"length":1e999', b'"sequence":' + b"[" * 3000],
    ids=["sequence_infinity", "length_1e999", "nested_3000_deep"],
)
def test_a_header_json_cannot_parse_into_anything_but_tampering(header):
    """Found by fuzzing (issue 23): an infinite number in the header was OverflowError,
    a deeply nested value RecursionError; `counter outreach import` printed a traceback."""
    data = sealed()
    key = header.split(b":", 1)[0]
    start = data.index(key)
    end = data.index(b",", start)
    with pytest.raises(BundleRefused) as refused:
        opened(data[:start] + header + data[end:])
    assert str(refused.value) == TAMPERED


@pytest.mark.parametrize("checkout", ["\x1b]0;偽\x07", "", "6f0c 2c1e", "x" * 65, "出張"])
def test_a_checkout_that_could_not_be_quoted_plainly_is_tampering(checkout):
    """Found by fuzzing (issue 23): the checkout is read before any key is checked and the
    office quotes it (「出張 6f0c2c1e」), so a forged one could write a terminal escape
    into the refusal."""
    data = seal(PAYLOAD | {"checkout": checkout}, checkout_id=checkout, sequence=2,
                created_at=datetime(2026, 12, 5, 9, 30, tzinfo=UTC), private_key=PRIVATE,
                bundle_key=BUNDLE_KEY)  # fmt: skip
    with pytest.raises(BundleRefused) as refused:
        read_envelope(data)
    assert str(refused.value) == TAMPERED
