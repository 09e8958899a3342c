"""What every fuzz test asks of a parser's refusal, and the inputs that try to provoke one.

A refusal is one message for staff: Japanese, naming the field or line, printable as UTF-8
on one line per problem, short, and without anything from Python in it. A value the
parser quotes back (「…」) is the input's own text, so it is not held to that last rule.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
PYTHON_WORDS = ("Traceback", "Error", "None", "<", "'")
QUOTED = re.compile(r"「.*」")  # greedy per line: every message quotes at most one value a line
UNPRINTABLE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
LONGEST_LINE = 400  # a quoted value is cut at 30 characters; templates are shorter than this

FAST = {"deadline": None}
"""Hypothesis settings of every fuzz property: no per-example deadline (the first example
pays for imports). How many examples, and whether they are the same each run, is the
profile's (tests/hypothesis_profiles.py): the same 100 in CI, a fresh search with
``--hypothesis-profile=random`` or ``deep`` (10,000); what a search finds becomes an
``@example``."""


def fewer_in_ci(examples: int) -> dict[str, object]:
    """FAST, with ``examples`` instead of the profile's 100 in CI (200 in ``random``) for a
    property whose every case is slow; the ``deep`` profile keeps its own number."""
    if settings.get_current_profile_name() == "deep":
        return FAST
    return {**FAST, "max_examples": examples}


def assert_staff_message(message: str, *names: str) -> None:
    """``message`` is one clear Japanese message naming one of ``names`` (a field, a line)."""
    assert message.strip(), "empty message"
    assert_printable(message)
    for line in message.split("\n"):
        assert JAPANESE.search(line), f"not Japanese: {line!r}"
        assert len(line) <= LONGEST_LINE, f"{len(line)} characters: {line[:80]!r}…"
        own_words = QUOTED.sub("", line)
        for word in PYTHON_WORDS:
            assert word not in own_words, f"{word!r} in {line!r}"
    if names:
        assert any(name in message for name in names), f"names none of {names}: {message!r}"


def assert_field_named(field: str) -> None:
    """The field of a refusal: a short printable path or label, never blank. It may hold
    the input's own words (an unknown key), so only its shape is checked."""
    assert field.strip(), "no field named"
    assert_printable(field)
    assert len(field) <= 120, repr(field)


def assert_printable(text: str) -> None:
    """Printing ``text`` to a UTF-8 terminal or log cannot fail or forge another line
    (line breaks only between problems)."""
    text.encode("utf-8")
    assert not UNPRINTABLE.search(text), f"control character in {text!r}"


CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
CONTROL_BUT_LINE_BREAKS = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def assert_storable(household) -> None:
    """Every text of a household read from a file can be stored (PostgreSQL refuses NUL,
    nothing encodes a lone surrogate) and printed; only an address may break lines."""
    texts = [household.household_id or ""]
    for member in household.members:
        texts += [member.id, member.name, member.kana, member.nationality, member.former_surname]
        if member.honseki is not None:
            texts += [member.honseki.municipality, member.honseki.text]
    for text in texts:
        assert not CONTROL.search(text), repr(text)
    assert not CONTROL_BUT_LINE_BREAKS.search(household.address.text)


# --- inputs -----------------------------------------------------------------------------

HOSTILE_CHARACTERS = st.sampled_from(
    [
        "\x00",  # NUL: PostgreSQL refuses it in text
        "\ufeff",  # BOM
        "\udc80",  # a byte that is not UTF-8, under surrogateescape
        "\ud800",  # a lone surrogate from a JSON escape
        "\n",
        "\r",
        "\t",
        "\x7f",
        "\x85",
        "\u2028",
        "\u200b",
        "\u3000",
        "'",
        '"',
        ",",
        "<",
        "\\",
        "/",
        "ー",
        "－",
        "０",
        "９",
        "Ａ",
        "ｱ",
        "ﾞ",
        "あ",
        "漢",
        "٣",  # an Arabic-Indic digit: str.isdigit() and int() accept it
        "᧚",  # a digit str.isdigit() accepts and int() refuses
        "²",
        "\U0001f600",
    ]
)
ANY_CHARACTER = st.one_of(HOSTILE_CHARACTERS, st.characters(codec=None))
UNICODE = st.characters(exclude_categories=["Cs"])
"""What ``st.text()`` and ``st.from_regex`` draw by default (any character UTF-8 can hold),
named so that Hypothesis skips the table of the UTF-8 codec it builds for the default:
1.4 s of every test process that draws from it."""
LARGEST_INPUT = 1_000_000
"""Characters a repeated input grows to at most: huge for a field, still quick to parse."""
FULL_WIDTH = {c: chr(c + 0xFEE0) for c in range(0x21, 0x7F)} | {0x20: "\u3000"}


def as_bytes(text: str) -> bytes:
    """``text`` as a file would hold it: UTF-8, a surrogate-escaped byte as that byte, any
    other lone surrogate as the three bytes CESU-8 gives it (not UTF-8 either)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def full_width(text: str) -> str:
    return text.translate(FULL_WIDTH)


@st.composite
def near(draw, valid: str) -> str:
    """``valid`` with one or two changes: a character replaced, inserted or deleted, cut
    short, turned full width, a BOM in front, a hostile character or the whole text repeated
    up to about a megabyte."""
    text = valid
    for _ in range(draw(st.integers(1, 2))):
        at = draw(st.integers(0, len(text)))
        change = draw(
            st.sampled_from(
                ["replace", "insert", "delete", "cut", "full", "bom", "flood", "repeat", "nfkd"]
            )
        )
        if change == "replace" and text:
            at = min(at, len(text) - 1)
            text = text[:at] + draw(ANY_CHARACTER) + text[at + 1 :]
        elif change == "insert":
            text = text[:at] + draw(ANY_CHARACTER) + text[at:]
        elif change == "delete":
            text = text[:at] + text[at + 1 :]
        elif change == "cut":
            text = text[:at]
        elif change == "full":
            text = full_width(text)
        elif change == "bom":
            text = "\ufeff" + text
        elif change == "flood":
            text = text[:at] + draw(ANY_CHARACTER) * draw(st.integers(100, 20_000)) + text[at:]
        elif change == "repeat":  # up to about a megabyte, however often it is chosen
            text = text * draw(st.integers(2, max(2, LARGEST_INPUT // max(len(text), 1))))
        else:
            text = unicodedata.normalize("NFKD", text)
    return text


def near_or_any(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Mostly near-valid text, sometimes anything at all."""
    return st.one_of(
        valid.flatmap(near),
        valid.flatmap(near),
        valid.flatmap(near),
        st.text(ANY_CHARACTER, max_size=300),
    )


# --- JSON documents (household files, certificate requests) --------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(ANY_CHARACTER, max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(ANY_CHARACTER, max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
HOSTILE_VALUES = st.one_of(
    JSON_VALUES,
    st.text(ANY_CHARACTER, min_size=1, max_size=30),
    st.sampled_from(["", "　", "None", "<", "'", "../../etc/passwd", "x" * 100_000, "\ud800"]),
)


def paths(data: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every place in a JSON document that holds a value, as a tuple of keys and indexes."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*prefix, index)
            yield from paths(value, (*prefix, index))


@st.composite
def mutated_documents(draw, valid: Sequence[dict]) -> object:
    """One of the ``valid`` documents with one or two values replaced, removed, or a key
    added: near enough to valid that the checks past the first few are reached."""
    doc = copy.deepcopy(draw(st.sampled_from(valid)))
    for _ in range(draw(st.integers(1, 2))):
        where = draw(st.sampled_from(list(paths(doc))))
        parent = doc
        for step in where[:-1]:
            parent = parent[step]
        last = where[-1]
        change = draw(st.sampled_from(["replace", "mutate", "remove", "add"]))
        if change == "mutate" and isinstance(parent[last], str):
            parent[last] = draw(near(parent[last]))
        elif change == "remove":
            del parent[last]
        elif change == "add" and isinstance(parent, dict):
            parent[draw(st.text(ANY_CHARACTER, max_size=10))] = draw(HOSTILE_VALUES)
        else:
            parent[last] = draw(HOSTILE_VALUES)
    return doc


@st.composite
def json_files(draw, valid: Sequence[dict]) -> bytes:
    """The bytes of a file holding one of the ``valid`` documents, changed a little or
    written in another encoding; or any bytes at all."""
    text = json.dumps(draw(st.sampled_from(valid)), ensure_ascii=False)
    choice = draw(st.sampled_from(["text", "bytes", "encoding"]))
    if choice == "text":
        return as_bytes(draw(near(text)))
    if choice == "encoding":
        return text.encode(draw(st.sampled_from(["utf-16", "cp932", "utf-8-sig", "utf-32"])))
    return draw(st.binary(max_size=300))
