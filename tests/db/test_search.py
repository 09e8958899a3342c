"""Register search (db.search): every kind, paging, literal wildcards, and index use.

Each test runs on a real SQLite file and a real PostgreSQL server (the ``engine`` fixture).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import insert, text
from sqlalchemy.engine import Engine

from counter.demo import generate_households
from counter.household import Address, Household, Member
from counter.textnorm import kana_search_key
from counter.wareki import DateFormatError
from db.models import HouseholdRow, ResidentRow
from db.register import PAGE_SIZE, resident_values, save_households, search_residents
from db.search import SearchPage, build_search, detect_kind, search_register

MUNICIPALITY = "312029"
COMPAT_RO = "\uf929"  # 朗 (CJK COMPATIBILITY IDEOGRAPH-F929); NFKC would make it U+6717


def person(member_id: str, name: str, kana: str, born: str, relation: str = "head") -> Member:
    return Member(
        id=member_id,
        name=name,
        kana=kana,
        birth_date=date.fromisoformat(born),
        sex="male",
        relation=relation,
        health_insurance="national",
    )


def household(household_id: str, postal: str, address: str, *members: Member) -> Household:
    return Household(
        household_id=household_id,
        address=Address(postal_code=postal, text=address),
        members=members,
    )


REGISTER = [
    household(
        "H1",
        "6830823",
        "鳥取県米子市加茂町二丁目1番地",
        person("yamada-taro", "山田\u3000太郎", "ヤマダ\u3000タロウ", "2020-04-01"),
        person("yamada-hanako", "山田\u3000花子", "ヤマダ\u3000ハナコ", "1975-01-01", "spouse"),
    ),
    household(
        "H2",
        "6830801",
        "鳥取県米子市新開三丁目5番地",
        person("yamashita", "山下\u3000一郎", "ヤマシタ\u3000イチロウ", "1950-03-03"),
    ),
    household(
        "H3",
        "6893534",
        "鳥取県米子市水浜2481番地2",
        person("tanaka", "田中\u3000次郎", "タナカ\u3000ジロウ", "1988-08-08"),
        person("tanaka-taro", "田中\u3000太郎", "タナカ\u3000タロウ", "2001-02-03", "child"),
    ),
    household(
        "H4",
        "6830064",
        "鳥取県米子市道笑町一丁目6番地",
        person("compat", f"福島\u3000太{COMPAT_RO}", "フクシマ\u3000タロウ", "1961-06-06"),
    ),
    household(
        "H5",
        "6830065",
        "鳥取県米子市100%町_1番地",
        person("percent", "山%田\u3000三郎", "ヤマタ\u3000サブロウ", "1970-07-07"),
    ),
]


@pytest.fixture
def register(engine: Engine) -> Engine:
    save_households(engine, REGISTER, MUNICIPALITY)
    return engine


def ids(page: SearchPage) -> list[str]:
    return [hit.resident_id for hit in page.hits]


# --- kinds ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["やまだ", "ﾔﾏﾀﾞ", "ヤマダ", "ヤマダ　タ", "やまだ たろう", "ﾀﾛｳ", "だたろ", "ダタロウ", "タロ"],
)
def test_kana_finds_yamada_taro_in_any_width_script_and_spacing(register, query):
    page = search_register(register, query)
    assert page.kind == "kana"
    assert "yamada-taro" in ids(page)


def test_kana_results_are_ordered_by_kana_and_carry_the_household(register):
    page = search_register(register, "たろう")
    assert ids(page) == ["tanaka-taro", "compat", "yamada-taro"]  # タナカ < フクシマ < ヤマダ
    taro = page.hits[-1]
    assert (taro.household_id, taro.name, taro.kana) == (
        "H1",
        "山田\u3000太郎",
        "ヤマダ\u3000タロウ",
    )
    assert (taro.birth_date, taro.address, taro.member_count) == (
        date(2020, 4, 1),
        "鳥取県米子市加茂町二丁目1番地",
        2,
    )
    assert not page.has_more


def test_kana_prefix_of_one_or_two_characters(register):
    # by kana key, code point order: ヤマシタ < ヤマタ < ヤマダタロウ < ヤマダハナコ
    yama = ["yamashita", "percent", "yamada-taro", "yamada-hanako"]
    assert ids(search_register(register, "ヤ")) == yama
    assert ids(search_register(register, "ﾔﾏ")) == yama
    assert ids(search_register(register, "ﾊﾅ")) == ["yamada-hanako"]  # the given name
    assert ids(search_register(register, "たろ")) == ["tanaka-taro", "compat", "yamada-taro"]
    assert ids(search_register(register, "マダ")) == []  # 2 characters inside: not searched


@pytest.mark.parametrize(
    "query", ["田太", "山田太", "山田　太郎", "田\u3000太郎", "山田太郎", "山田"]
)
def test_name_part_ignores_the_space(register, query):
    page = search_register(register, query)
    assert page.kind == "name_or_address"
    assert "yamada-taro" in ids(page)
    assert ids(search_register(register, query, kind="name")) == ids(page)


def test_name_part_is_the_name_not_something_else(register):
    assert ids(search_register(register, "太郎", kind="name")) == ["tanaka-taro", "yamada-taro"]
    assert ids(search_register(register, "中次", kind="name")) == ["tanaka"]
    assert ids(search_register(register, "山", kind="name")) == [
        "yamashita",
        "percent",
        "yamada-taro",
        "yamada-hanako",
    ]


def test_compatibility_ideographs_are_found_by_themselves_only(register):
    assert ids(search_register(register, f"太{COMPAT_RO}")) == ["compat"]
    assert ids(search_register(register, f"島太{COMPAT_RO}")) == ["compat"]
    assert ids(search_register(register, f"福島\u3000太{COMPAT_RO}")) == ["compat"]
    assert ids(search_register(register, "福島太\u6717")) == []  # the unified 朗 is another name


@pytest.mark.parametrize(
    "query",
    [
        "R2.4.1",
        "令和2年4月1日",
        "r2/4/1",
        "2020-04-01",
        "２０２０－０４－０１",
        "20200401",
        "令和２年４月１日",
    ],
)
def test_birth_date_in_western_or_era_form(register, query):
    page = search_register(register, query)
    assert page.kind == "birth_date"
    assert ids(page) == ["yamada-taro"]


def test_birth_date_in_showa(register):
    assert ids(search_register(register, "S50.1.1")) == ["yamada-hanako"]
    assert ids(search_register(register, "昭和25年3月3日")) == ["yamashita"]
    with pytest.raises(DateFormatError):
        search_register(register, "やまだ", kind="birth_date")


@pytest.mark.parametrize(
    "query", ["683-0823", "６８３０８２３", "〒683-0823", "6830823", "683-082"]
)
def test_postal_code_exact_or_prefix(register, query):
    page = search_register(register, query)
    assert page.kind == "address"
    assert ids(page) == ["yamada-taro", "yamada-hanako"]


def test_postal_code_prefix_of_three_digits(register):
    assert set(ids(search_register(register, "683"))) == {
        "yamada-taro",
        "yamada-hanako",
        "yamashita",
        "compat",
        "percent",
    }
    assert ids(search_register(register, "68")) == []  # too short to mean anything


@pytest.mark.parametrize("query", ["加茂町", "加茂町二丁目", "米子市加茂町二丁目1番地"])
def test_address_part(register, query):
    assert ids(search_register(register, query)) == ["yamada-taro", "yamada-hanako"]
    assert ids(search_register(register, query, kind="address")) == [
        "yamada-taro",
        "yamada-hanako",
    ]


def test_address_with_wide_digits(register):
    assert ids(search_register(register, "水浜２４８１", kind="address")) == [
        "tanaka",
        "tanaka-taro",
    ]


def test_no_match(register):
    for query in ["ンンン", "存在しない名前", "R1.5.1", "999-9999", "ｦ", "   ", ""]:
        page = search_register(register, query)
        assert (page.hits, page.has_more) == ([], False), query


# --- wildcards are literal --------------------------------------------------------------


def test_like_wildcards_are_literal(register):
    assert ids(search_register(register, "山%田")) == ["percent"]
    assert ids(search_register(register, "山%")) == ["percent"]
    assert ids(search_register(register, "%")) == []
    assert ids(search_register(register, "_")) == []
    assert ids(search_register(register, "山_田")) == []
    assert ids(search_register(register, "%町_")) == ["percent"]
    assert ids(search_register(register, "町_1", kind="address")) == ["percent"]
    assert ids(search_register(register, '"山田"')) == []  # FTS5 query syntax is literal too


# --- paging -----------------------------------------------------------------------------


def test_paging(register):
    everyone = ids(search_register(register, "683", limit=50))
    assert len(everyone) == 5
    first = search_register(register, "683", limit=2)
    second = search_register(register, "683", limit=2, offset=2)
    third = search_register(register, "683", limit=2, offset=4)
    assert (first.has_more, second.has_more, third.has_more) == (True, True, False)
    assert ids(first) + ids(second) + ids(third) == everyone
    exact = search_register(register, "683", limit=5)
    assert not exact.has_more
    assert search_register(register, "683", limit=2, offset=10) == SearchPage([], False, "address")


def test_search_residents_is_a_thin_wrapper(register):
    assert search_residents(register, "ﾀﾅｶ") == search_register(register, "ﾀﾅｶ").hits


def test_detect_kind():
    assert detect_kind("R2.4.1") == "birth_date"
    assert detect_kind("683-0823") == "address"
    assert detect_kind("やまだ　たろう") == "kana"
    assert detect_kind("山田") == "name_or_address"
    with pytest.raises(ValueError):
        search_register(None, "x", kind="phone")  # type: ignore[arg-type]


def test_triggers_follow_updates_and_deletes(register):
    moved = household(
        "H1",
        "6830823",
        "鳥取県米子市錦町三丁目9番地",
        person("yamada-taro", "山本\u3000太郎", "ヤマモト\u3000タロウ", "2020-04-01"),
        person("yamada-hanako", "山田\u3000花子", "ヤマダ\u3000ハナコ", "1975-01-01", "spouse"),
    )
    save_households(register, [moved], MUNICIPALITY)
    assert ids(search_register(register, "やまもと")) == ["yamada-taro"]
    assert ids(search_register(register, "本太郎")) == ["yamada-taro"]
    assert "yamada-taro" not in ids(search_register(register, "ダタロ"))
    assert ids(search_register(register, "錦町三丁目")) == ["yamada-hanako", "yamada-taro"]
    assert ids(search_register(register, "加茂町")) == []
    with register.begin() as connection:
        connection.execute(text("DELETE FROM resident WHERE id = 'yamada-taro'"))
    assert ids(search_register(register, "やまもと")) == []
    assert ids(search_register(register, "錦町")) == []  # two characters: no address search
    assert ids(search_register(register, "錦町三")) == ["yamada-hanako"]


def test_postal_code_follows_household_changes_and_moves(register):
    """The resident's copy of the postal code (migration 0004) is kept by the database."""
    assert ids(search_register(register, "683-0823")) == ["yamada-taro", "yamada-hanako"]
    with register.begin() as connection:
        connection.execute(text("UPDATE household SET postal_code = '6830099' WHERE id = 'H1'"))
    assert ids(search_register(register, "6830823")) == []
    assert ids(search_register(register, "683009")) == ["yamada-taro", "yamada-hanako"]
    with register.begin() as connection:
        connection.execute(text("UPDATE resident SET household_id = 'H3' WHERE id = 'yamada-taro'"))
    assert ids(search_register(register, "6830099")) == ["yamada-hanako"]
    assert ids(search_register(register, "6893534")) == ["tanaka", "tanaka-taro", "yamada-taro"]


def test_dense_address_search_follows_address_changes(big_register):
    """「米子市」 matches every household: found by the resident's copy of the address,
    which the database updates with the household's."""
    first = search_register(big_register, "米子市", kind="address").hits[0]
    with big_register.begin() as connection:
        connection.execute(
            text("UPDATE household SET address = '島根県松江市末次町86番地' WHERE id = :h"),
            {"h": first.household_id},
        )
    page = search_register(big_register, "米子市", kind="address")
    assert first.household_id not in {hit.household_id for hit in page.hits}
    assert all("米子市" in hit.address for hit in page.hits)
    keys = [(kana_search_key(hit.kana), hit.birth_date) for hit in page.hits]
    assert keys == sorted(keys) and len(page.hits) == PAGE_SIZE
    moved = search_register(big_register, "松江市末次町", kind="address")
    assert {hit.household_id for hit in moved.hits} == {first.household_id}


# --- the query plans use indexes --------------------------------------------------------

PLAN_QUERIES = {
    "kana prefix 1": ("ヤ", None),
    "kana prefix 2": ("ヤマ", None),
    "kana part": ("ダタロ", None),
    "name 1": ("山", None),
    "name 2": ("田太", None),
    "name part": ("山田太郎", None),
    "name only": ("山田太郎", "name"),
    "birth date": ("R2.4.1", None),
    "postal": ("683-0823", None),
    "postal prefix": ("683", None),
    "postal prefix 6": ("683082", None),
    "address part": ("米子市", "address"),
    "address": ("加茂町二丁目", "address"),
}


def _bulk_register(engine: Engine, households: int) -> None:
    register = generate_households(households, seed=11, on=date(2026, 11, 1))
    with engine.begin() as connection:
        connection.execute(
            insert(HouseholdRow.__table__),  # type: ignore[attr-defined]
            [
                {
                    "id": h.household_id,
                    "municipality": MUNICIPALITY,
                    "postal_code": h.address.postal_code,
                    "address": h.address.text,
                }
                for h in register
            ],
        )
        connection.execute(
            insert(ResidentRow.__table__),  # type: ignore[attr-defined]
            [resident_values(h.household_id, m) for h in register for m in h.members],
        )
        connection.execute(text("ANALYZE"))


def _fill_big_register(engine: Engine) -> Engine:
    _bulk_register(engine, 2300)  # about 5,000 residents
    save_households(engine, REGISTER, MUNICIPALITY)
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    return engine


@pytest.fixture
def big_register(engine: Engine) -> Engine:
    """A register of about 5,000 residents of this test's own, for tests that change it."""
    return _fill_big_register(engine)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def read_only_big_register(request, tmp_path_factory):
    """The same register made once per module and backend, for the tests that only read
    it (the query plans): each would otherwise spend seconds making its own."""
    from conftest import _postgres_engine

    from db.engine import make_engine
    from db.migrate import upgrade

    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('big') / 'big.sqlite3'}")
        upgrade(engine)
        yield _fill_big_register(engine)
        engine.dispose()
        return
    admin = request.getfixturevalue("postgres_template")
    engine, name = _postgres_engine(request.getfixturevalue("postgres_server"), admin)
    yield _fill_big_register(engine)
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


SMALL_TABLE_CHOICE = {"postal prefix 6"}
DENSE = {"postal prefix", "address part"}  # 「683」「米子市」: every household of the city
_SQLITE_TABLE_SCAN = re.compile(r"\bSCAN (resident|household|r|h|m)\b(?! VIRTUAL)")


def _postgres_plan(connection, sql: str, params: dict) -> str:
    return "\n".join(row[0] for row in connection.execute(text(f"EXPLAIN {sql}"), params))


@pytest.mark.parametrize("label", list(PLAN_QUERIES))
def test_query_plan_uses_indexes(read_only_big_register, label):
    query, kind = PLAN_QUERIES[label]
    engine = read_only_big_register
    with engine.connect() as connection:
        built = build_search(connection, query, kind=kind)
        assert built is not None
        _, sql, params = built
        if engine.dialect.name == "sqlite":
            rows = connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"), params).all()
            plan = "\n".join(row[-1] for row in rows)
            if label in DENSE:
                # Most of the register matches: the kana index is walked in order and
                # stops after a page (no table scan, no sort of the whole city).
                plan = plan.replace("SCAN resident USING INDEX ix_resident_kana_key", "")
            assert not _SQLITE_TABLE_SCAN.search(plan), plan
        else:
            plan = _postgres_plan(connection, sql, params)
            if label in SMALL_TABLE_CHOICE and "Seq Scan on resident" in plan:
                # 114 households, 5 % of this small register: hashing the whole table is
                # legitimately cheaper here; the index must still be the plan without that.
                connection.execute(text("SET enable_seqscan = off"))
                plan = _postgres_plan(connection, sql, params)
                connection.execute(text("RESET enable_seqscan"))
            assert "Seq Scan on resident" not in plan, plan
            assert "Seq Scan on household" not in plan, plan
            assert "Index" in plan, plan
    assert search_register(engine, query, kind=kind).hits, label
