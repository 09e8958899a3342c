"""住定日, 本籍 and 旧氏 in the register mirror, on a real SQLite file and a real PostgreSQL
server: saved, imported and loaded back exactly; migration 0010 adds them to a register
that holds residents already."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from alembic import command
from conftest import ADMIN_PASSWORD, add_staff, pilot_household
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Engine

from counter.demo import as_demo, generate_households
from counter.household import Honseki, Household
from counter.register_csv import COLUMNS, format_register_csv, parse_register_csv
from db.engine import make_engine
from db.importer import import_households
from db.migrate import _config, upgrade
from db.models import ResidentRow
from db.register import load_household, save_households
from db.staff import has_staff

ON = date(2026, 11, 20)
MATSUE = Honseki("322016", "島根県松江市殿町\uf929１番地\u3000")  # compatibility ideograph


def with_facts() -> Household:
    head, wife = pilot_household().members
    return replace(
        pilot_household(),
        members=(
            replace(head, resident_since=head.birth_date, honseki=MATSUE),
            replace(
                wife,
                resident_since=date(2018, 4, 1),
                honseki=MATSUE,
                former_surname="\ufa11山",  # 﨑, a compatibility ideograph
            ),
        ),
    )


def stored_rows(engine: Engine) -> dict[str, dict]:
    table = ResidentRow.__table__  # type: ignore[attr-defined]
    with engine.connect() as connection:
        rows = connection.execute(select(table).order_by(table.c.id)).mappings()
        return {row["id"]: dict(row) for row in rows}


def test_the_columns_are_there_as_described(engine):
    columns = {c["name"]: c for c in inspect(engine).get_columns("resident")}
    assert columns["resident_since"]["nullable"]
    assert columns["honseki_municipality"]["nullable"]
    assert columns["honseki_municipality"]["type"].length == 6
    assert columns["honseki_text"]["nullable"]
    assert not columns["former_surname"]["nullable"]


def test_saved_facts_load_back_exactly(engine):
    household = with_facts()
    save_households(engine, [household], municipality="312029")
    assert load_household(engine, "H900001") == household
    rows = stored_rows(engine)
    wife = rows["H900001-2"]
    assert wife["resident_since"] == date(2018, 4, 1)
    assert (wife["honseki_municipality"], wife["honseki_text"]) == (
        MATSUE.municipality,
        MATSUE.text,
    )
    assert wife["former_surname"] == "\ufa11山"
    assert rows["H900001-1"]["former_surname"] == ""


def test_a_resident_without_the_facts_is_stored_with_none(engine):
    save_households(engine, [pilot_household()], municipality="312029")
    head = stored_rows(engine)["H900001-1"]
    assert (head["resident_since"], head["honseki_municipality"], head["honseki_text"]) == (
        None,
        None,
        None,
    )
    assert head["former_surname"] == ""
    loaded = load_household(engine, "H900001").members[0]
    assert (loaded.resident_since, loaded.honseki, loaded.former_surname) == (None, None, "")


def test_an_import_stores_the_facts_and_a_second_writes_nothing(engine):
    households = generate_households(40, seed=3, on=ON)
    parsed = parse_register_csv(format_register_csv(households), today=ON)
    first = import_households(engine, parsed, "312029")
    assert first.added == sum(len(h.members) for h in households)
    for household in households:  # loaded in 続柄 order
        stored = load_household(engine, household.household_id)
        assert set(stored.members) == set(household.members)
    again = import_households(engine, parsed, "312029")
    assert (again.added, again.updated, again.households_updated) == (0, 0, 0)


def test_a_changed_fact_updates_that_resident_only(engine):
    households = generate_households(12, seed=3, on=ON)
    import_households(engine, households, "312029")
    before = stored_rows(engine)
    target = households[2].members[0]
    for change in (
        {"honseki": MATSUE},
        {"resident_since": ON},
        {"former_surname": "田中"},
        {"honseki": None, "resident_since": None, "former_surname": ""},
    ):
        changed = replace(target, **change)
        households[2] = replace(households[2], members=(changed, *households[2].members[1:]))
        result = import_households(engine, households, "312029")
        assert (result.added, result.updated) == (0, 1), change
        assert load_household(engine, households[2].household_id).members[0] == changed
    after = stored_rows(engine)
    assert [k for k in before if before[k] != after[k]] == [target.id]


def test_the_demo_register_is_stored_with_its_facts(engine):
    demo = as_demo(generate_households(30, seed=1, on=ON))
    save_households(engine, demo, municipality="312029", demo=True)
    for household in demo:  # loaded in 続柄 order
        assert set(load_household(engine, household.household_id).members) == set(household.members)
    rows = stored_rows(engine).values()
    assert all(r["resident_since"] is not None for r in rows)
    assert all((r["honseki_municipality"] is None) == (r["nationality"] != "JP") for r in rows)


def insert_before(engine: Engine, revision: str, name: str, kana: str, nationality: str) -> None:
    """Down to ``revision``, then one household 'H1' with one resident 'H1-1' written as
    that revision's columns take it (none of the later ones)."""
    with engine.begin() as connection:
        command.downgrade(_config(connection), revision)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO household (id, municipality, postal_code, address, demo) "
                "VALUES ('H1', '312029', '6830823', '鳥取県米子市加茂町二丁目1番地', false)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO resident (id, household_id, name, kana, kana_key, birth_date, sex, "
                "relation, health_insurance, mynumber_card, seal_registered, care_certified, "
                "disability_certificate, child_allowance_recipient, nationality, demo) VALUES "
                "('H1-1', 'H1', :name, :kana, :key, '1990-04-01', 'male', 'head', 'national', "
                "false, false, false, false, false, :nationality, false)"
            ),
            {
                "name": name,
                "kana": kana,
                "key": kana.replace("\u3000", ""),
                "nationality": nationality,
            },
        )


def test_migration_0010_keeps_residents_stored_before_it(engine):
    insert_before(engine, "0009", "米子　太郎", "ヨナゴ　タロウ", "JP")
    assert "honseki_text" not in {c["name"] for c in inspect(engine).get_columns("resident")}
    upgrade(engine)
    (member,) = load_household(engine, "H1").members
    assert member.name == "米子　太郎"
    assert (member.resident_since, member.honseki, member.former_surname) == (None, None, "")
    save_households(
        engine,
        [Household(load_household(engine, "H1").address, (replace(member, honseki=MATSUE),), "H1")],
        municipality="312029",
    )
    assert load_household(engine, "H1").members[0].honseki == MATSUE


COMMAND = (sys.executable, "-m", "counter.cli")


def run_import(url: str, path: Path) -> subprocess.CompletedProcess[str]:
    """``counter import residents`` as the administrator kanri runs it."""
    engine = make_engine(url)
    if not has_staff(engine):
        add_staff(engine, terminal="t0")
    engine.dispose()
    return subprocess.run(
        [*COMMAND, "--database-url", url, "import", "residents", str(path), "--as", "kanri"],
        capture_output=True,
        text=True,
        timeout=120,
        input=f"{ADMIN_PASSWORD}\n",
        env=os.environ | {"COUNTER_PASSWORD_STDIN": "1"},
    )


def test_the_command_refuses_a_bad_honseki_and_stores_nothing(engine, tmp_path):
    url = engine.url.render_as_string(hide_password=False)
    households = generate_households(5, seed=3, on=date.today())
    lines = [line.split(",") for line in format_register_csv(households).splitlines()]
    assert lines[2][COLUMNS.index("honseki_text")]  # a Japanese national with a 本籍
    lines[2][COLUMNS.index("nationality")] = "VN"
    lines[3][COLUMNS.index("honseki_municipality")] = "312020"  # 米子市 is 312029
    path = tmp_path / "register.csv"
    path.write_text("\n".join(",".join(cells) for cells in lines) + "\n", encoding="utf-8")

    result = run_import(url, path)
    assert result.returncode == 2
    assert result.stdout == ""
    errors = result.stderr.splitlines()
    assert errors[0] == "3行目: honseki_text: 本籍は日本国籍の方だけに書きます（国籍が「VN」です）"
    assert (
        errors[1]
        == "4行目: honseki_municipality: 地方公共団体コード「312020」の検査数字が合いません"
    )
    assert errors[2] == "エラー: register.csv: 問題が 2 件あります。何も登録していません"
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM resident")).scalar_one() == 0

    path.write_text(format_register_csv(households), encoding="utf-8")
    assert run_import(url, path).returncode == 0
    for household in households:
        stored = load_household(engine, household.household_id)
        assert set(stored.members) == set(household.members)
