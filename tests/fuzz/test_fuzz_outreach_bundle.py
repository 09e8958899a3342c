"""Fuzzing the outreach hand-back bundle as the office reads it (`counter outreach import`):
the bytes of a file, through ``read_envelope`` and ``open_envelope`` with the checkout's keys.

Any bytes are either a bundle the laptop sealed, opened to exactly its payload, or one
BundleRefused with one of its three Japanese lines (not a bundle, cut short, changed) and
never another exception. A real bundle cut anywhere is 「途中で切れています」; changed
anywhere, it is refused, and changed after its header, it is 「書き換えられている」.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from unittest import mock

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fuzzing import ANY_CHARACTER, FAST, JSON_VALUES, as_bytes, assert_staff_message, near
from hypothesis import example, given, settings
from hypothesis import strategies as st

from counter import outreach_bundle
from counter.outreach_bundle import (
    CUT_SHORT,
    MAGIC,
    NOT_A_BUNDLE,
    TAMPERED,
    BundleRefused,
    open_envelope,
    read_envelope,
    seal,
)

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
PRIVATE, PUBLIC = KEY.private_bytes_raw().hex(), KEY.public_key().public_bytes_raw().hex()
BUNDLE_KEY = bytes(range(32, 64)).hex()
CHECKOUT = "6f0c2c1e-0000-4000-8000-000000000001"
PAYLOAD = {
    "format": 1,
    "checkout": CHECKOUT,
    "sequence": 1,
    "visits": [{"id": "v1", "reception_number": 9001, "name": "米子　太郎"}],
    "audit": [{"id": 1, "action": "confirm", "detail": "転入"}],
}
REFUSALS = (NOT_A_BUNDLE, CUT_SHORT, TAMPERED)
RAW = "\x00raw"  # stands for a raw value in the header's text


def sealed(payload: dict, checkout: str = CHECKOUT, sequence: int = 1) -> bytes:
    return seal(payload, checkout_id=checkout, sequence=sequence,
                created_at=datetime(2026, 12, 5, 17, 0, tzinfo=UTC), private_key=PRIVATE,
                bundle_key=BUNDLE_KEY)  # fmt: skip


with mock.patch.object(outreach_bundle.os, "urandom", bytes):  # the same bytes each run
    BUNDLE = sealed(PAYLOAD)
HEADER_END = BUNDLE.index(b"\n", len(MAGIC)) + 1  # the magic and the header line
HEADER = json.loads(BUNDLE[len(MAGIC) : HEADER_END])


def as_json(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


def opened(data: bytes) -> dict:
    return open_envelope(read_envelope(data), public_key=PUBLIC, bundle_key=BUNDLE_KEY)


def refusal(data: bytes) -> str:
    """The one line ``data`` is refused with (a failure if it is opened, or anything but a
    BundleRefused is raised)."""
    try:
        envelope = read_envelope(data)
        # Read without a key, quoted by the office's refusals (「出張 6f0c2c1e」): plain.
        assert re.fullmatch(r"[\x21-\x7e]{1,64}", envelope.checkout_id), envelope.checkout_id
        payload = open_envelope(envelope, public_key=PUBLIC, bundle_key=BUNDLE_KEY)
    except BundleRefused as exc:
        assert str(exc) in REFUSALS, str(exc)
        assert_staff_message(str(exc))
        return str(exc)
    raise AssertionError(f"opened: {payload!r:.200}")


RAW_VALUES = ["Infinity", "-Infinity", "NaN", "1e999", "-0", "9" * 5000, "[" * 3000, '"\\ud800"']
"""Values as the header's text may hold them: beyond what json.dumps writes."""


@st.composite
def headers(draw) -> bytes:
    """The real header with a value replaced (by any JSON or raw text) or removed, a key
    added, its text changed, or any JSON at all; then the real rest of the bundle."""
    header: dict = dict(HEADER)
    change = draw(st.sampled_from(["replace", "raw", "remove", "add", "text", "any"]))
    key = draw(st.sampled_from(sorted(header)))
    if change == "replace":
        header[key] = draw(JSON_VALUES | st.sampled_from([0, -1, 2**64, "", "0" * 24]))
    elif change == "raw":
        header[key] = RAW
    elif change == "remove":
        del header[key]
    elif change == "add":
        header[draw(st.text(ANY_CHARACTER, max_size=8))] = draw(JSON_VALUES)
    line = json.dumps(header, separators=(",", ":"))
    if change == "raw":
        line = line.replace(json.dumps(RAW), draw(st.sampled_from(RAW_VALUES)))
    elif change == "text":
        line = draw(near(line))
    elif change == "any":
        line = json.dumps(draw(JSON_VALUES))
    return MAGIC + as_bytes(line) + b"\n" + BUNDLE[HEADER_END:]


ANY_BYTES = st.one_of(
    headers(),
    headers(),
    st.binary(max_size=300),
    st.binary(max_size=300).map(MAGIC.__add__),
    st.integers(0, len(BUNDLE)).flatmap(
        lambda at: st.binary(max_size=40).map(lambda b: BUNDLE[:at] + b + BUNDLE[at:])
    ),
)


@settings(**FAST)
@given(ANY_BYTES)
@example(b"")
@example(MAGIC + b"[" * 4000 + b"\n" + BUNDLE[HEADER_END:])  # was RecursionError
@example(BUNDLE.replace(b'"sequence":1', b'"sequence":Infinity', 1))  # was OverflowError
@example(BUNDLE.replace(b'"length":', b'"length":1e999,"x":', 1))  # was OverflowError
def test_any_bytes_are_refused_in_one_japanese_line(data):
    if data != BUNDLE:
        refusal(data)


@settings(**FAST)
@given(st.integers(0, len(BUNDLE) - 1))
def test_a_bundle_cut_anywhere_is_cut_short(length):
    assert refusal(BUNDLE[:length]) == (CUT_SHORT if length else NOT_A_BUNDLE)


@settings(**FAST)
@given(
    st.lists(st.tuples(st.integers(0, len(BUNDLE) - 1), st.integers(0, 7)), min_size=1, max_size=8)
)
def test_a_bundle_with_bits_flipped_is_refused(flips):
    data = bytearray(BUNDLE)
    for at, bit in flips:
        data[at] ^= 1 << bit
    if data == BUNDLE:  # the same bit flipped back
        return
    said = refusal(bytes(data))
    changed = [at for at, (a, b) in enumerate(zip(data, BUNDLE, strict=True)) if a != b]
    if changed[0] >= HEADER_END:  # the ciphertext or the signature: nothing else moves
        assert said == TAMPERED
    if changed[-1] < len(MAGIC):
        assert said == NOT_A_BUNDLE


PAYLOADS = st.dictionaries(st.text(ANY_CHARACTER, max_size=8), JSON_VALUES, max_size=4)


CHECKOUTS = st.uuids().map(str) | st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=64
)


@settings(**FAST)
@given(PAYLOADS, CHECKOUTS, st.integers(1, 2**63))
def test_a_bundle_the_laptop_sealed_opens_to_its_payload(payload, checkout, sequence):
    payload = {**payload, "checkout": checkout, "sequence": sequence}
    try:
        json.dumps(payload, ensure_ascii=False).encode()
    except UnicodeEncodeError:  # a lone surrogate: the laptop's own data never holds one
        return
    data = sealed(payload, checkout, sequence)
    assert as_json(opened(data)) == as_json(payload)  # as text: NaN is not equal to itself
    assert refusal(data[:-1]) == CUT_SHORT
    assert refusal(data + b"\0") == TAMPERED


def test_the_bundle_opens_and_another_key_does_not():
    assert opened(BUNDLE) == PAYLOAD
    other = os.urandom(32).hex()
    try:
        open_envelope(read_envelope(BUNDLE), public_key=PUBLIC, bundle_key=other)
    except BundleRefused as exc:
        assert str(exc) == TAMPERED
    else:
        raise AssertionError("opened with another key")
