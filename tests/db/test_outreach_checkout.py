"""`counter outreach checkout | status` as staff run them: real processes, a real office
SQLite file, a real SQLCipher laptop file read back with and without its passphrase."""

from __future__ import annotations

import sqlite3
import stat
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import add_staff, pilot_household, run_counter
from sqlmodel import Session, select

from counter.household import Address, Household
from counter.outreach import parse_area
from counter.profile import load_profile
from db import audit
from db.engine import make_engine
from db.models import (
    HouseholdRow,
    OutreachCheckoutRow,
    ResidentRow,
    StaffRow,
    VisitRow,
)
from db.outreach_store import StoreRefused, open_store
from db.register import save_households
from db.sequences import NumbersExhausted, allocate
from workflows.outreach import checkout as run_checkout

PASSPHRASE = "sharyou-no-aikotoba-7"
TODAY = date.today().isoformat()


def _household(household_id: str, postal: str, address: str, surname: str) -> Household:
    base = pilot_household()
    members = tuple(
        replace(m, id=f"{household_id}-{i}", name=m.name.replace("米子", surname))
        for i, m in enumerate(base.members, 1)
    )
    return Household(household_id=household_id, address=Address(postal, address), members=members)


HOUSEHOLDS = [
    _household("H1", "6830823", "鳥取県米子市加茂町二丁目1番地", "加茂"),
    _household("H2", "6830801", "鳥取県米子市新開一丁目2番地", "新開"),
    _household("H3", "6893541", "鳥取県米子市淀江町西原3番地", "淀江"),
]


@pytest.fixture
def office(tmp_path: Path, new_sqlite) -> str:
    url = new_sqlite(tmp_path / "office.sqlite3")
    engine = make_engine(url)
    save_households(engine, HOUSEHOLDS, municipality="312029")
    add_staff(engine)
    engine.dispose()
    return url


def checkout(url: str, out: Path, *areas: str, login: str = "kanri", passphrase=PASSPHRASE,
             again: str | None = None, extra: tuple[str, ...] = ()):  # fmt: skip
    args = [a for area in areas for a in ("--area", area)]
    return run_counter(
        url, "outreach", "checkout", *args, "--out", str(out), *extra, login=login,
        more_input=f"{passphrase}\n{passphrase if again is None else again}\n",
    )  # fmt: skip


def laptop_rows(out: Path, model):
    engine, _ = open_store(out, PASSPHRASE)
    try:
        with Session(engine) as session:
            return session.exec(select(model)).all()
    finally:
        engine.dispose()


def test_the_file_is_encrypted_private_and_holds_only_the_area(office, tmp_path):
    out = tmp_path / "car.db"
    result = checkout(office, out, "6830823")
    assert result.returncode == 0, result.stderr
    assert "1世帯" in result.stdout
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(out).execute("select * from sqlite_master").fetchall()
    data = out.read_bytes()
    for name in ("加茂", "米子", "新開", "淀江", "太郎", "kanri", "tanaka"):
        assert name.encode() not in data
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["car.db", "office.sqlite3"]
    assert [h.id for h in laptop_rows(out, HouseholdRow)] == ["H1"]
    assert {r.household_id for r in laptop_rows(out, ResidentRow)} == {"H1"}
    staff = {s.login: s for s in laptop_rows(out, StaffRow)}
    assert set(staff) == {"kanri", "tanaka"}
    assert staff["kanri"].password_hash.startswith("$argon2id$")
    assert staff["kanri"].last_login_at is None


@pytest.mark.parametrize(
    ("areas", "expected"),
    [
        (("683",), ["H1", "H2"]),
        (("683-08", "６８９"), ["H1", "H2", "H3"]),
        (("6830823", "淀江町"), ["H1", "H3"]),
        (("新開",), ["H2"]),
    ],
)
def test_prefixes_and_town_names_choose_the_households(office, tmp_path, areas, expected):
    """In process (the command's own path is the test above): the terms as --area reads them."""
    out = tmp_path / "car.db"
    engine = make_engine(office)
    with Session(engine) as session:
        admin = session.exec(select(StaffRow).where(StaffRow.login == "kanri")).one()
    run_checkout(
        engine, actor_id=admin.id, actor_login="kanri", terminal="t",
        terms=[parse_area(area) for area in areas], out=out, passphrase=PASSPHRASE,
        profile=load_profile("312029"), office_date=date.today(),
        reception_count=5, payment_count=5,
    )  # fmt: skip
    engine.dispose()
    assert sorted(h.id for h in laptop_rows(out, HouseholdRow)) == expected


def test_a_wrong_passphrase_is_one_line_and_never_shows_the_secret(office, tmp_path):
    out = tmp_path / "car.db"
    assert checkout(office, out, "683").returncode == 0
    wrong = run_counter(office, "outreach", "status", str(out), more_input="chigau-aikotoba-1\n")
    assert wrong.returncode == 2
    assert wrong.stderr.count("\n") == 1 and "合言葉が違う" in wrong.stderr
    assert "Traceback" not in wrong.stderr and "chigau" not in wrong.stdout + wrong.stderr
    plain = tmp_path / "office.sqlite3"
    other = run_counter(office, "outreach", "status", str(plain), more_input=f"{PASSPHRASE}\n")
    assert other.returncode == 2 and "出張用のファイルではありません" in other.stderr
    with pytest.raises(StoreRefused):
        open_store(plain, PASSPHRASE)
    shown = run_counter(office, "outreach", "status", str(out), more_input=f"{PASSPHRASE}\n")
    assert shown.returncode == 0, shown.stderr
    assert "地域: 683" in shown.stdout and "（kanri）" in shown.stdout
    assert "受付番号: 1〜200" in shown.stdout and "使用 0 / 200" in shown.stdout
    assert "納付番号: 1〜500 使用 0 / 500" in shown.stdout
    assert "持ち帰り待ちの受付: 0件" in shown.stdout
    logs = list(Path(tmp_path).rglob("*.log"))
    for text in [shown.stdout, shown.stderr, *(p.read_text() for p in logs)]:
        assert PASSPHRASE not in text


def test_the_blocks_are_taken_from_the_office_and_bound_the_laptop(office, tmp_path):
    out = tmp_path / "car.db"
    result = checkout(office, out, "683", extra=("--reception-block", "3", "--payment-block", "2"))
    assert result.returncode == 0, result.stderr
    reception = f"reception:312029:{TODAY}"
    engine = make_engine(office)
    with Session(engine) as session:
        assert allocate(session, reception) == 4  # after the laptop's 1..3
        assert allocate(session, "payment:99999") == 3
        session.rollback()
    laptop, _ = open_store(out, PASSPHRASE)
    with Session(laptop) as session:
        assert [allocate(session, reception) for _ in range(3)] == [1, 2, 3]
        with pytest.raises(NumbersExhausted, match="受付番号（3番まで）を使い切りました"):
            allocate(session, reception)
    with Session(laptop) as session:
        assert [allocate(session, "payment:99999") for _ in range(2)] == [1, 2]
        with pytest.raises(NumbersExhausted, match="納付番号"):
            allocate(session, "payment:99999")
    tomorrow = f"reception:312029:{date.fromordinal(date.today().toordinal() + 1)}"
    with Session(laptop) as session, pytest.raises(NumbersExhausted, match="予約がありません"):
        allocate(session, tomorrow)  # no block of another day: never a number of the office's
    laptop.dispose()
    with Session(engine) as session:
        row = session.exec(select(OutreachCheckoutRow)).one()
        assert (row.reception_first, row.reception_last) == (1, 3)
        assert (row.payment_first, row.payment_last) == (1, 2)
        assert len(bytes.fromhex(row.public_key)) == 32 and row.returned_at is None
    assert audit.verify(engine).ok
    engine.dispose()
    verified = run_counter(office, "audit", "verify")
    assert verified.returncode == 0, verified.stderr


def test_a_clerk_cannot_check_out_and_nothing_is_written(office, tmp_path):
    out = tmp_path / "car.db"
    result = checkout(office, out, "683", login="tanaka")
    assert result.returncode == 1 and "監督者・管理者だけ" in result.stderr
    assert not out.exists()
    engine = make_engine(office)
    with Session(engine) as session:
        assert session.exec(select(OutreachCheckoutRow)).all() == []
    engine.dispose()


def test_an_existing_file_is_never_overwritten(office, tmp_path):
    out = tmp_path / "car.db"
    out.write_text("keep me")
    result = checkout(office, out, "683")
    assert result.returncode == 2 and "上書きはしません" in result.stderr
    assert out.read_text() == "keep me"


@pytest.mark.parametrize(
    ("passphrase", "again", "said"),
    [("short-1", None, "10文字以上"), (PASSPHRASE, "something-else-2", "2つの合言葉が違います")],
)
def test_a_weak_or_mistyped_passphrase_writes_nothing(office, tmp_path, passphrase, again, said):
    out = tmp_path / "car.db"
    result = checkout(office, out, "683", passphrase=passphrase, again=again)
    assert result.returncode == 2 and said in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["office.sqlite3"]


def test_an_area_with_no_household_is_named(office, tmp_path):
    result = checkout(office, tmp_path / "car.db", "999")
    assert result.returncode == 2 and "999 に当てはまる世帯がありません" in result.stderr
    assert not (tmp_path / "car.db").exists()


def test_visits_on_the_laptop_count_as_waiting(office, tmp_path):
    out = tmp_path / "car.db"
    assert checkout(office, out, "683").returncode == 0
    laptop, _ = open_store(out, PASSPHRASE)
    from db.drafts import new_visit_row

    with Session(laptop) as session:
        session.add(new_visit_row(session, "312029", date.today(), "car-1"))
        session.commit()
    assert len(laptop_rows(out, VisitRow)) == 1
    laptop.dispose()
    shown = run_counter(office, "outreach", "status", str(out), more_input=f"{PASSPHRASE}\n")
    assert "使用 1 / 200" in shown.stdout and "持ち帰り待ちの受付: 1件" in shown.stdout


def test_the_app_unlocks_the_file_before_it_loads_sqlalchemy(office, tmp_path):
    """The passphrase is checked before Textual starts: with sqlcipher3 alone, so the
    encrypted app's start-up does not also wait for SQLAlchemy to load."""
    import subprocess
    import sys

    out = tmp_path / "car.db"
    assert checkout(office, out, "6830823").returncode == 0
    script = (
        "import sys; from pathlib import Path; from db.outreach_unlock import unlock\n"
        f"u = unlock(Path({str(out)!r}), {PASSPHRASE!r})\n"
        "print(u.area, u.reception, u.exported, 'sqlalchemy' in sys.modules, repr(u))"
    )
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert shown.stdout.split()[:5] == ["6830823", "(1,", "200)", "False", "False"]
    assert "x'" not in shown.stdout  # the raw key is never in the repr


def test_only_the_staff_named_go_to_the_laptop(office, tmp_path):
    out = tmp_path / "car.db"
    result = checkout(office, out, "683", extra=("--staff", "tanaka"))
    assert result.returncode == 0, result.stderr
    assert "職員1人" in result.stdout
    assert [s.login for s in laptop_rows(out, StaffRow)] == ["tanaka"]
    unknown = checkout(office, tmp_path / "other.db", "683", extra=("--staff", "nobody"))
    assert (
        unknown.returncode == 2 and "--staff: nobody という有効な職員はいません" in unknown.stderr
    )
    assert not (tmp_path / "other.db").exists()
