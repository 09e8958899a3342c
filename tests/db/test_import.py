"""`counter import residents`: the register CSV into the database, on both backends."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import date

import pytest
from conftest import ADMIN_PASSWORD, add_staff
from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine

from counter.demo import generate_households
from counter.household import Address, Household
from counter.register_csv import format_register_csv, parse_register_csv
from db.engine import make_engine
from db.importer import ImportResult, import_households
from db.models import HouseholdRow, ResidentRow
from db.register import load_household, search_residents
from db.staff import has_staff

ON = date(2026, 11, 1)
MUNICIPALITY = "312029"


def register(count: int = 12) -> list[Household]:
    return generate_households(count, seed=7, on=ON)


def dump(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of the register tables, every column, in a stable order."""
    tables = {"household": HouseholdRow.__table__, "resident": ResidentRow.__table__}
    with engine.connect() as connection:
        return {
            name: [tuple(r) for r in connection.execute(select(t).order_by(t.c.id))]
            for name, t in tables.items()
        }


class Writes:
    """Counts INSERT / UPDATE / DELETE statements sent to the database."""

    def __init__(self, engine: Engine) -> None:
        self.statements: list[str] = []
        self.engine = engine
        event.listen(engine, "before_cursor_execute", self.record)

    def record(self, _conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            self.statements.append(statement)

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self.record)


def residents(households: list[Household]) -> int:
    return sum(len(h.members) for h in households)


def test_import_stores_every_household_and_resident(engine):
    households = register()
    parsed = parse_register_csv(format_register_csv(households), today=ON)
    assert parsed == households
    result = import_households(engine, parsed, MUNICIPALITY)
    n = residents(households)
    assert result == ImportResult(
        added=n, updated=0, unchanged=0, households=12, households_added=12
    )
    for household in households:
        stored = load_household(engine, household.household_id)
        assert set(stored.members) == set(household.members)
        assert stored.address == household.address
    first = households[0].members[0]
    hits = search_residents(engine, first.kana.split("\u3000")[0])
    assert first.id in {hit.resident_id for hit in hits}


def test_reimporting_the_same_file_writes_nothing(engine):
    households = parse_register_csv(format_register_csv(register()), today=ON)
    import_households(engine, households, MUNICIPALITY)
    before = dump(engine)
    writes = Writes(engine)
    try:
        result = import_households(engine, households, MUNICIPALITY)
    finally:
        writes.close()
    assert result == ImportResult(
        added=0, updated=0, unchanged=residents(households), households=12
    )
    assert writes.statements == []
    assert dump(engine) == before


def test_a_changed_row_updates_that_resident_only(engine):
    households = register()
    import_households(engine, households, MUNICIPALITY)
    before = dump(engine)
    target = households[3].members[0]
    changed = replace(target, kana="カワッタ\u3000ナマエ", mynumber_card=not target.mynumber_card)
    households[3] = replace(households[3], members=(changed, *households[3].members[1:]))
    result = import_households(engine, households, MUNICIPALITY)
    assert (result.added, result.updated, result.households_updated) == (0, 1, 0)
    assert result.unchanged == residents(households) - 1
    after = dump(engine)
    assert after["household"] == before["household"]
    differing = [a for a, b in zip(after["resident"], before["resident"], strict=True) if a != b]
    assert len(differing) == 1
    row = dict(zip(ResidentRow.__table__.columns.keys(), differing[0], strict=True))
    assert row["id"] == target.id
    assert (row["kana"], row["kana_key"]) == ("カワッタ\u3000ナマエ", "カワツタナマエ")
    assert row["mynumber_card"] is (not target.mynumber_card)


def test_an_address_change_updates_the_household(engine):
    households = register()
    import_households(engine, households, MUNICIPALITY)
    moved = replace(households[0], address=Address("6830801", "鳥取県米子市新開一丁目2番3号"))
    result = import_households(engine, [moved, *households[1:]], MUNICIPALITY)
    assert (result.added, result.updated, result.households_updated) == (0, 0, 1)
    assert load_household(engine, moved.household_id).address == moved.address


def test_new_residents_are_added_and_missing_ones_kept(engine):
    households = register()
    import_households(engine, households[:6], MUNICIPALITY)
    result = import_households(engine, households[3:], MUNICIPALITY)
    assert result.added == residents(households[6:])
    assert result.unchanged == residents(households[3:6])
    stored = dump(engine)
    assert len(stored["household"]) == 12  # the first three are not in the file: kept
    assert len(stored["resident"]) == residents(households)


def test_a_resident_moving_to_a_new_household_is_updated(engine):
    households = register()
    import_households(engine, households, MUNICIPALITY)
    index, source = next((i, h) for i, h in enumerate(households) if len(h.members) > 1)
    leaving = next(m for m in source.members if m.relation != "head")
    new_home = Household(
        Address("6830801", "鳥取県米子市新開一丁目2番3号"),
        (replace(leaving, relation="head"),),
        household_id="H900000",
    )
    rest = replace(source, members=tuple(m for m in source.members if m is not leaving))
    households[index] = rest
    result = import_households(engine, [*households, new_home], MUNICIPALITY)
    assert (result.updated, result.households_added) == (1, 1)
    assert load_household(engine, "H900000").members[0].id == leaving.id


def test_a_database_error_half_way_writes_nothing(engine):
    import_households(engine, register(4), MUNICIPALITY)
    before = dump(engine)
    households = register(12)
    households[0] = replace(households[0], address=Address("6830801", "別の住所"))

    def fail_on_resident_update(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("UPDATE RESIDENT") or (
            statement.lstrip().upper().startswith("INSERT INTO RESIDENT")
        ):
            raise RuntimeError("disk full")

    event.listen(engine, "before_cursor_execute", fail_on_resident_update)
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            import_households(engine, households, MUNICIPALITY)
    finally:
        event.remove(engine, "before_cursor_execute", fail_on_resident_update)
    # households were inserted and updated before the resident statement failed
    assert dump(engine) == before


# --- the command, as a user runs it --------------------------------------------------------


def run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The command as the administrator kanri runs it (the password on stdin)."""
    engine = make_engine(url)
    if not has_staff(engine):
        add_staff(engine, terminal="t0")
    engine.dispose()
    command = [sys.executable, "-m", "counter.cli", "--database-url", url, "import"]
    return subprocess.run(
        [*command, *args, "--as", "kanri"],
        capture_output=True,
        text=True,
        timeout=120,
        input=f"{ADMIN_PASSWORD}\n",
        env=os.environ | {"COUNTER_PASSWORD_STDIN": "1"},
    )


PROMPT = ""  # a script's password (stdin) is read without a prompt: stderr stays empty


def counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as connection:
        return (
            connection.execute(text("SELECT count(*) FROM household")).scalar_one(),
            connection.execute(text("SELECT count(*) FROM resident")).scalar_one(),
        )


def test_cli_imports_then_reports_nothing_changed(engine, tmp_path):
    url = engine.url.render_as_string(hide_password=False)
    households = register()
    n = residents(households)
    path = tmp_path / "register.csv"
    path.write_bytes(format_register_csv(households).encode("utf-8-sig"))  # Excel's BOM

    first = run(url, "residents", str(path))
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == f"追加 {n}人・更新 0人・変更なし 0人（世帯 12）"
    assert first.stderr == PROMPT
    before = dump(engine)

    again = run(url, "residents", str(path))
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == f"追加 0人・更新 0人・変更なし {n}人（世帯 12）"
    assert dump(engine) == before


def test_cli_bad_row_among_good_ones_stores_nothing(engine, tmp_path):
    url = engine.url.render_as_string(hide_password=False)
    lines = format_register_csv(register()).splitlines()
    bad = lines[5].split(",")
    bad[5] = "2026年2月30日"  # birth_date
    lines[5] = ",".join(bad)
    lines[8] = lines[8].replace(",male,", ",男,").replace(",female,", ",女,")
    path = tmp_path / "register.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = run(url, "residents", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    errors = result.stderr.splitlines()
    assert errors[0] == "6行目: birth_date: 2026年2月30日は存在しない日付です"
    assert errors[1].startswith("9行目: sex: 「")
    assert errors[2] == "エラー: register.csv: 問題が 2 件あります。何も登録していません"
    assert counts(engine) == (0, 0)


def test_cli_rejects_shift_jis_and_missing_files(engine, tmp_path):
    url = engine.url.render_as_string(hide_password=False)
    path = tmp_path / "sjis.csv"
    path.write_bytes(format_register_csv(register(3)).encode("cp932"))
    result = run(url, "residents", str(path))
    assert result.returncode == 2
    assert "Shift_JIS で保存されたファイルのようです。UTF-8 で保存してください" in result.stderr
    assert "Traceback" not in result.stderr

    missing = run(url, "residents", str(tmp_path / "nothing.csv"))
    assert missing.returncode == 2
    assert missing.stderr.strip() == "エラー: nothing.csv: ファイルが見つかりません"
    assert counts(engine) == (0, 0)
