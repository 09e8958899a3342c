"""`counter stats` as a supervisor runs it: the figures in text, CSV and JSON, none of
them holding anything of a person, and a clerk refused."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from conftest import add_staff, case_of, member, pilot_household, run_counter, spouse
from outreach_day import route_household
from sqlmodel import Session, select

from counter.catalogue import load_catalogue
from counter.profile import load_profile
from counter.rules import plan
from counter.wareki import format_wareki
from db.engine import make_engine
from db.models import ResidentRow, VisitRow
from db.register import save_households
from db.vault import read_key, store_numbers
from db.visits import record_visit

TODAY = date.today()
NUMBER = "123456789018"
HOUSEHOLDS = [pilot_household()] + [
    route_household(f"H{n}", "6830801", f"鳥取県米子市新開{n}丁目{n}番地", surname)
    for n, surname in enumerate(["皆生", "淀江", "弓浜", "尾高", "日吉津"], 1)
]


@pytest.fixture
def office(tmp_path, new_sqlite) -> str:
    """Six households, a 転入 of each confirmed today, an individual number kept."""
    url = new_sqlite(tmp_path / "office.sqlite3")
    engine = make_engine(url)
    save_households(engine, HOUSEHOLDS, municipality="312029")
    add_staff(engine)
    profile, catalogue = load_profile("312029"), load_catalogue()
    for household in HOUSEHOLDS:
        case = case_of("move_in", TODAY.isoformat(), [member("m1", subject=True), spouse()],
                       household_id=household.household_id)  # fmt: skip
        visit = record_visit(engine, case, plan(case, catalogue, profile, filed_on=TODAY),
                             profile, device_id="t1")  # fmt: skip
    store_numbers(engine, read_key(demo=True), visit.id, {"m1": NUMBER})
    engine.dispose()
    return url


def personal_values(url: str) -> set[str]:
    """Every value of a person the register and the visits hold, as an export could
    spell it: names and kana with and without the space, birth dates in each form,
    addresses, ids of households, residents and visits, the individual number."""
    engine = make_engine(url)
    with Session(engine) as session:
        residents = session.exec(select(ResidentRow)).all()
        visits = session.exec(select(VisitRow)).all()
    engine.dispose()
    found = {NUMBER}
    for r in residents:
        found |= {r.name, r.name.replace("\u3000", ""), r.kana, r.kana.replace("\u3000", "")}
        found |= {r.birth_date.isoformat(), r.birth_date.strftime("%Y%m%d"), r.id}
        found |= {format_wareki(r.birth_date, weekday=False)}
    for h in HOUSEHOLDS:
        found |= {h.household_id, h.address.text}
    for v in visits:
        found |= {v.id, v.id[:8]}
    return found


def stats(url: str, form: str, login: str = "kanri"):
    day = TODAY.isoformat()
    return run_counter(url, "stats", "--from", day, "--to", day, "--format", form, login=login)


def test_no_format_holds_anything_of_a_person(office):
    secrets = personal_values(office)
    outputs = {form: stats(office, form) for form in ("text", "csv", "json")}
    for form, done in outputs.items():
        assert done.returncode == 0, done.stderr
        leaked = {value for value in secrets if value and value in done.stdout}
        assert leaked == set(), (form, leaked)
    data = json.loads(outputs["json"].stdout)
    assert data["visits"] == 6 and data["visits_by_event"] == [{"event": "転入", "visits": 6}]
    rows = list(csv.reader(io.StringIO(outputs["csv"].stdout)))
    assert rows[0] == ["区分", "項目", "列", "値"] and ["受付", "合計", "件数", "6"] in rows
    assert "合計　件数: 6" in outputs["text"].stdout


def test_a_clerk_is_refused_and_bad_dates_are_named(office):
    clerk = stats(office, "json", login="tanaka")
    assert clerk.returncode == 1 and "監督者・管理者だけ" in clerk.stderr
    assert clerk.stdout == ""
    backwards = run_counter(office, "stats", "--from", "2026-12-02", "--to", "2026-12-01",
                            login="kanri")  # fmt: skip
    assert backwards.returncode == 2 and "--from" in backwards.stderr
    nonsense = run_counter(office, "stats", "--from", "R8.13.1", "--to", "2026-12-01",
                           login="kanri")  # fmt: skip
    assert nonsense.returncode == 2 and nonsense.stderr.startswith("エラー: --from")
