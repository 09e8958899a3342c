"""Register search given SQL-injection-looking queries (db.search.search_register).

Every query is a bound parameter, so quotes, comments, ``;``, LIKE wildcards and FTS5
syntax are plain characters: no error, nothing found beyond what genuinely contains the
text, and the tables are exactly as they were. Real SQLite and real PostgreSQL.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from counter.household import Address, Household, Member
from counter.textnorm import kana_search_key
from db.register import save_households
from db.search import search_register

INJECTIONS = [
    "' OR 1=1 --",
    '"; DROP TABLE resident; --',
    "%",
    "_",
    "\\",
    "' OR '1'='1",
    "'; DELETE FROM household; --",
    "' UNION SELECT id, name, kana, birth_date, address, 1, 1 FROM resident --",
    '" OR ""="',
    "%%%",
    "_%_",
    "\\%",
    "*",
    "NEAR(米子 太郎)",
    "米子 OR 1=1",
    "$1",
    ":p1",
    "?",
]


def person(member_id: str, name: str, kana: str) -> Member:
    return Member(member_id, name, kana, date(1980, 1, 1), "male", "head")


# Each of the three injection-looking texts below is genuinely in one household: a search
# for it must find that one and no other.
REGISTER = [
    Household(
        Address("6830823", "鳥取県米子市加茂町二丁目1番地"),
        (person("plain", "米子\u3000太郎", "ヨナゴ\u3000タロウ"),),
        household_id="H1",
    ),
    Household(
        Address("6830011", "鳥取県米子市角盤町'OR1=1--"),
        (person("quote", "O'Brien\u3000Ann", "オブライエン\u3000アン"),),
        household_id="H2",
    ),
    Household(
        Address("6830012", '鳥取県米子市西町";DROPTABLEresident;--'),
        (person("backslash", "\\田\u3000次郎", "デン\u3000ジロウ"),),
        household_id="H3",
    ),
]
ADDRESS = {m.id: h.address.text for h in REGISTER for m in h.members}
NAME = {m.id: m.name for h in REGISTER for m in h.members}
KANA_KEY = {m.id: kana_search_key(m.kana) for h in REGISTER for m in h.members}
SPACES = re.compile(r"\s+")


@pytest.fixture
def register(engine: Engine) -> Engine:
    save_households(engine, REGISTER, "312029")
    return engine


def genuine(query: str) -> set[str]:
    """Every resident whose name, address or kana holds the query at all: a superset of
    what any kind of search may find."""
    part = SPACES.sub("", query)
    key = kana_search_key(query)
    return {
        resident
        for resident in NAME
        if part in SPACES.sub("", NAME[resident])
        or part in ADDRESS[resident]
        or (key and key in KANA_KEY[resident])
    }


def tables(engine: Engine) -> dict[str, list[str]]:
    """Every table's rows, as text: what an injected statement would change."""
    with engine.connect() as connection:
        return {
            table: sorted(
                repr(tuple(row)) for row in connection.execute(text(f'SELECT * FROM "{table}"'))
            )
            for table in sorted(inspect(engine).get_table_names())
        }


@pytest.mark.parametrize("kind", [None, "name", "address", "kana"])
def test_injection_looking_queries_find_only_genuine_matches(register, kind):
    before = tables(register)
    for query in INJECTIONS:
        page = search_register(register, query, kind=kind)
        found = {hit.resident_id for hit in page.hits}
        assert found <= genuine(query), (query, kind, found)
    assert tables(register) == before
    assert before["resident"] and before["household"]  # the comparison had rows to lose


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("' OR 1=1 --", ["quote"]),  # the address holds 'OR1=1-- (spaces are ignored)
        ('"; DROP TABLE resident; --', ["backslash"]),
        ("\\", ["backslash"]),  # a name starting with a backslash
        ("O'Brien", ["quote"]),
        ("%", []),
        ("_", []),
    ],
)
def test_text_that_looks_like_sql_is_found_where_it_is(register, query, expected):
    assert [hit.resident_id for hit in search_register(register, query).hits] == expected


@pytest.mark.parametrize(
    ("query", "searched"),
    [("米子\x00市", "米子市"), ("\ud800ヨナゴ", "ヨナゴ"), ("\x1b[2J", "[2J")],
)
def test_characters_no_database_stores_are_left_out_of_a_query(register, query, searched):
    assert search_register(register, query).hits == search_register(register, searched).hits
