"""The hand-back as staff run it, and kill -9 at its worst moments: real `counter`
processes on a real office SQLite file and a real SQLCipher laptop file.

A process is killed with SIGKILL from inside, at an exact step (a function of ours or
os.link replaced, in that process only, by one that kills it): no exception unwinds, no
``finally`` runs, as when a laptop's battery dies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ADMIN_PASSWORD, CLERK_PASSWORD, add_staff
from killer import KILLER, ROOT, counter
from outreach_day import PASSPHRASE, check_out, move_in_visit, open_laptop, route_household
from sqlalchemy import text
from sqlmodel import Session, select

from db import audit
from db.engine import make_engine
from db.models import (
    OutreachCheckoutRow,
    OutreachLaptopRow,
    PaymentCodeRow,
    VisitProcedureRow,
    VisitRow,
)
from db.register import save_households


@pytest.fixture
def day(tmp_path, new_sqlite):
    """An office SQLite file with two households checked out to a laptop file on which
    both had a visit; the office URL and the laptop file."""
    url = new_sqlite(tmp_path / "office.sqlite3")
    office = make_engine(url)
    route = [
        route_household("H1", "6830823", "鳥取県米子市加茂町二丁目1番地", "加茂"),
        route_household("H2", "6830801", "鳥取県米子市新開一丁目2番地", "新開"),
    ]
    save_households(office, route, municipality="312029")
    admin, _ = add_staff(office)
    check_out(office, tmp_path / "car.db", admin, reception=10, payment=10)
    office.dispose()
    laptop = open_laptop(tmp_path / "car.db")
    for household_id in ("H1", "H2"):
        move_in_visit(laptop, household_id)
    laptop.dispose()
    return url, tmp_path / "car.db"


def export(car: Path, out: Path, **kill):
    return counter("outreach", "export", str(car), "--out", str(out), "--as", "tanaka",
                   stdin=f"{PASSPHRASE}\n{CLERK_PASSWORD}\n", **kill)  # fmt: skip


def take_in(url: str, bundle: Path, login: str = "kanri", **kill):
    password = ADMIN_PASSWORD if login == "kanri" else CLERK_PASSWORD
    return counter("--database-url", url, "outreach", "import", str(bundle), "--as", login,
                   stdin=f"{password}\n", **kill)  # fmt: skip


def laptop_state(car: Path) -> tuple[int, int, int]:
    """Visits, checklist lines and the export sequence of the laptop file."""
    engine = open_laptop(car)
    with Session(engine) as session:
        visits = len(session.exec(select(VisitRow)).all())
        lines = len(session.exec(select(VisitProcedureRow)).all())
        sequence = session.exec(select(OutreachLaptopRow)).one().exported_sequence
    assert audit.verify(engine).ok
    engine.dispose()
    return visits, lines, sequence


def office_visits(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        count = len(session.exec(select(VisitRow)).all())
    assert audit.verify(engine).ok
    engine.dispose()
    return count


def test_the_hand_back_as_staff_run_it(day, tmp_path):
    url, car = day
    out = tmp_path / "day.bundle"
    exported = export(car, out)
    assert exported.returncode == 0, exported.stderr
    assert "第1回、受付2件" in exported.stdout and "もう受付はできません" in exported.stdout
    status = counter("outreach", "status", str(car), stdin=f"{PASSPHRASE}\n")
    assert "持ち帰りファイルに書き出し済み（第1回" in status.stdout and "受付2件" in status.stdout
    app = counter("--outreach", str(car), stdin=f"{PASSPHRASE}\n")
    assert app.returncode == 2 and app.stderr.count("\n") == 1
    assert "書き出し済みです。もう受付はできません" in app.stderr

    clerk = take_in(url, out, login="tanaka")
    assert clerk.returncode == 1 and "監督者・管理者だけ" in clerk.stderr
    taken = take_in(url, out)
    assert taken.returncode == 0, taken.stderr
    assert "受付2件" in taken.stdout and "未使用の受付番号 3〜10を戻しました" in taken.stdout
    again = take_in(url, out)
    assert again.returncode == 0 and "取り込み済みです。何も追加していません" in again.stdout
    cut = tmp_path / "cut.bundle"
    cut.write_bytes(out.read_bytes()[:-10])
    refused = take_in(url, cut)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "途中で切れています" in refused.stderr and "Traceback" not in refused.stderr
    device = take_in(url, Path("/dev/zero"))  # never read without end
    assert device.returncode == 2 and "通常のファイルではありません" in device.stderr
    listed = counter("--database-url", url, "outreach", "conflicts", "--as", "kanri",
                     stdin=f"{ADMIN_PASSWORD}\n")  # fmt: skip
    assert listed.returncode == 0 and "確認待ちはありません" in listed.stdout
    assert office_visits(url) == 2  # and the office's audit chain verifies


def test_killed_at_each_step_of_the_hand_back_nothing_is_lost_or_half_done(day, tmp_path):
    """One day, killed in turn while the export is being recorded, while its bundle is
    being written, and in the middle of the import; each time the next run has it all."""
    url, car = day
    out = tmp_path / "day.bundle"
    before = laptop_state(car)
    killed = export(car, out, kill=("workflows.outreach_export", "seal", 0, "before"))
    assert killed.returncode == -9 and not out.exists()
    assert laptop_state(car) == before  # the export's transaction never committed

    killed = export(car, out, kill=("os", "link", 0, "before"))
    assert killed.returncode == -9
    assert not out.exists()  # never a bundle under its name that is not whole
    assert [p.name.endswith(".part") for p in tmp_path.glob(".day.bundle.*")] == [True]
    visits, _, sequence = laptop_state(car)
    assert visits == 2  # every confirmed visit still there
    assert sequence == 1  # the file was closed before the bundle was written
    exported = export(car, out)
    assert exported.returncode == 0 and "第2回、受付2件" in exported.stdout

    # The import's audit rows are appended one by one inside its transaction: the kill
    # comes after the sign-in's row and three of the laptop's rows, its visits added.
    killed = take_in(url, out, kill=("db.audit", "append", 4, "before"))
    assert killed.returncode == -9
    assert office_visits(url) == 0
    engine = make_engine(url)
    with Session(engine) as session:
        assert session.exec(select(OutreachCheckoutRow)).one().returned_at is None
        assert session.exec(select(PaymentCodeRow)).all() == []
    engine.dispose()
    taken = take_in(url, out)
    assert taken.returncode == 0, taken.stderr
    assert office_visits(url) == 2


VISITS = """
from outreach_day import move_in_visit, open_laptop
from pathlib import Path
laptop = open_laptop(Path(sys.argv[5]))
for household in ("H1", "H2"):
    print(move_in_visit(laptop, household).reception_number, flush=True)
"""


OFFICE_VISITS = """
from outreach_day import move_in_visit
from db.engine import make_engine
office = make_engine(sys.argv[5])
for household in ("H1", "H2"):
    print(move_in_visit(office, household).reception_number, flush=True)
"""


def test_killed_confirming_a_visit_at_the_office_the_one_before_stays(database_url):
    """A terminal of the office (SQLite, or one of many on PostgreSQL) confirms two visits
    and dies while the second one's payment code is issued: the first is whole, nothing
    of the second is left, and the chain verifies."""
    engine = make_engine(database_url)
    save_households(engine, [route_household("H1", "6830823", "加茂町1", "加茂"),
                             route_household("H2", "6830801", "新開1", "新開")],
                    municipality="312029")  # fmt: skip
    killed = subprocess.run(
        [sys.executable, "-c", KILLER.format(then=OFFICE_VISITS), "db.visits", "add_code", "1",
         "before", database_url],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert killed.returncode == -9 and killed.stdout.split() == ["1"], killed.stderr
    with Session(engine) as session:
        visits = session.exec(select(VisitRow)).all()
        assert [(v.reception_number, v.status) for v in visits] == [(1, "confirmed")]
        lines = session.exec(select(VisitProcedureRow)).all()
        assert lines and {line.visit_id for line in lines} == {visits[0].id}
        assert [c.visit_id for c in session.exec(select(PaymentCodeRow)).all()] == [visits[0].id]
    assert audit.verify(engine).ok
    engine.dispose()


def test_killed_in_the_middle_of_a_visit_the_confirmed_ones_stay(day, tmp_path):
    """Two more visits on the laptop; the process dies while the second one's payment
    code is being issued, inside its transaction."""
    url, car = day
    script = KILLER.format(then=VISITS)
    killed = subprocess.run(
        [sys.executable, "-c", script, "db.visits", "add_code", "1", "before",
         str(car)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert killed.returncode == -9 and killed.stdout.split() == ["3"]
    engine = open_laptop(car)
    with Session(engine) as session:
        visits = session.exec(select(VisitRow).order_by(VisitRow.reception_number)).all()
        assert [v.reception_number for v in visits] == [1, 2, 3]
        assert all(v.status == "confirmed" for v in visits)
        orphans = session.exec(
            text("SELECT count(*) FROM visit_procedure WHERE visit_id NOT IN "
                 "(SELECT id FROM visit)")
        ).one()[0]  # fmt: skip
        assert orphans == 0
        codes = session.exec(select(PaymentCodeRow)).all()
        assert {c.visit_id for c in codes} == {v.id for v in visits}
    engine.dispose()
    out = tmp_path / "day.bundle"
    assert export(car, out).returncode == 0 and take_in(url, out).returncode == 0
    assert office_visits(url) == 3


def test_killed_while_checking_out_no_file_and_no_checkout(tmp_path, new_sqlite):
    url = new_sqlite(tmp_path / "office.sqlite3")
    office = make_engine(url)
    save_households(office, [route_household("H1", "6830823", "加茂町1", "加茂")],
                    municipality="312029")  # fmt: skip
    add_staff(office)
    office.dispose()
    out = tmp_path / "car.db"
    killed = counter("--database-url", url, "outreach", "checkout", "--area", "683",
                     "--out", str(out), "--as", "kanri",
                     stdin=f"{ADMIN_PASSWORD}\n{PASSPHRASE}\n{PASSPHRASE}\n",
                     kill=("os", "link", 0, "before"))  # fmt: skip
    assert killed.returncode == -9 and not out.exists()
    engine = make_engine(url)
    with Session(engine) as session:
        assert session.exec(select(OutreachCheckoutRow)).all() == []
        number = session.exec(text("SELECT count(*) FROM number_sequence")).one()[0]
        assert number == 0  # the reserved blocks went back with the transaction
    engine.dispose()
    again = counter("--database-url", url, "outreach", "checkout", "--area", "683",
                    "--out", str(out), "--as", "kanri",
                    stdin=f"{ADMIN_PASSWORD}\n{PASSPHRASE}\n{PASSPHRASE}\n")  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert out.exists()
