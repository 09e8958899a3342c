"""`counter purge` as an administrator runs it: a real process on a real SQLite file, the
dry run first, then the purge, then a dry run that finds nothing left; and the profile's
retention period, checked when it is loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import ADMIN_PASSWORD, CLERK_PASSWORD, add_staff, birth_family, case_of
from killer import counter

from counter.cli import main
from counter.profile import PROFILE_DIR, ProfileError, load_profile
from counter.rules import plan
from counter.wareki import format_wareki
from db.audit import verify
from db.checklist import set_counter_status
from db.engine import make_engine
from db.visits import checklist, record_visit, set_slip_path

OLD = date(2026, 9, 1)
TODAY = date(2026, 11, 24)


def run(url: str, *args: str, login: str = "kanri", password: str = ADMIN_PASSWORD):
    """The command as a real process; the real run signs in (the password on stdin)."""
    signing_in = "--dry-run" not in args
    return subprocess.run(
        [
            sys.executable, "-m", "counter.cli", "--database-url", url, "purge", *args,
            *(("--as", login) if signing_in else ()),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        input=f"{password}\n" if signing_in else None,
        env={
            **os.environ,
            "COUNTER_PROGRESS_AFTER": "0",
            "COUNTER_DEVICE_ID": "admin-pc",
            "COUNTER_PASSWORD_STDIN": "1",
        },
    )  # fmt: skip


@pytest.fixture
def url(tmp_path: Path, new_sqlite) -> str:
    """A migrated SQLite file with the administrator kanri and the clerk tanaka."""
    url = new_sqlite(tmp_path / "counter.sqlite3")
    engine = make_engine(url)
    add_staff(engine, terminal="t0")
    engine.dispose()
    return url


def stored_visit(url: str, catalogue, profile, *, handed: bool = False) -> str:
    """An old 出生 visit with every line settled, or with its first line still handed."""
    engine = make_engine(url)
    case = case_of("birth", "2026-08-28", birth_family(date="2026-08-28"))
    visit_plan = plan(case, catalogue, profile, filed_on=OLD)
    visit = record_visit(engine, case, visit_plan, profile, device_id="t1")
    for i, line in enumerate(checklist(engine, visit.id)):
        status = "handed_to_department" if handed and i == 0 else "done_here"
        set_counter_status(engine, visit.id, line.procedure_id, status, staff_id=None, note="")
    engine.dispose()
    return visit.id


def test_dry_run_then_purge_then_nothing_is_left(url, tmp_path, catalogue, profile):
    closed = stored_visit(url, catalogue, profile)
    waiting = stored_visit(url, catalogue, profile, handed=True)
    slip = tmp_path / "slip.pdf"
    slip.write_bytes(b"%PDF-1.4\n")
    engine = make_engine(url)
    department = checklist(engine, waiting)[0].department
    set_slip_path(engine, closed, str(slip))
    engine.dispose()
    period = (
        f"保存日数 30日: {format_wareki(TODAY - timedelta(days=30))}より前の受付が対象です"
        f"（基準日 {format_wareki(TODAY)}）"
    )
    kept = [
        "残す受付: 1件",
        "  担当課へ引き継ぎ中の手続きがあります: 1件",
        f"  {format_wareki(OLD)} 受付番号 2: 担当課へ引き継ぎ中の手続きがあります（{department}）",
    ]

    dry = run(url, "--dry-run", "--today", "R8.11.24", "--days", "30")
    assert dry.returncode == 0, dry.stderr
    refused = run(
        url, "--today", "2026-11-24", "--days", "30", login="tanaka", password=CLERK_PASSWORD
    )
    assert refused.returncode == 1 and "管理者だけが使えます" in refused.stderr  # a clerk
    assert slip.exists()
    assert dry.stdout.splitlines() == [
        period,
        "削除の対象: 受付 1件",
        f"  {format_wareki(OLD)}　1件",
        "削除するファイル: 1件（案内票・様式の PDF）",
        "削除する個人番号の保管: 0件",
        *kept,
        "（試しに表示しただけです。何も変更していません）",
    ]
    assert slip.exists()

    real = run(url, "--today", "2026-11-24", "--days", "３０")
    assert real.returncode == 0, real.stderr
    assert real.stdout.splitlines() == [
        period,
        "受付 1件（1日分）の個人情報を削除しました",
        "個人番号の保管: 0件を削除しました",
        "ファイル: 1件を削除しました",
        *kept,
    ]
    assert "個人情報の削除　1／1件（100%）　完了" in real.stderr  # progress, on stderr
    assert not slip.exists()

    again = run(url, "--dry-run", "--today", "2026-11-24", "--days", "30")
    assert again.stdout.splitlines() == [
        period,
        "削除の対象になる受付はありません",
        *kept,
        "（試しに表示しただけです。何も変更していません）",
    ]


def test_the_period_comes_from_the_profile_unless_days_is_given(url, capsys):
    assert main(["--database-url", url, "purge", "--dry-run", "--today", "2026-11-24"]) == 0
    assert capsys.readouterr().out.startswith("保存日数 365日: ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--days", "0"], "--days: 1以上の数にしてください（0）"),
        (["--days", "-5"], "--days: マイナスの数は使えません（-5）"),
        (["--days", "一年"], "--days: 数字だけで入力してください"),
        # 3,000,000 days was an OverflowError traceback
        (["--days", "3000000"], "--days: 36,500以下の数にしてください（3000000）"),
        (["--today", "2026-13-01"], "--today: "),
        (["--municipality", "999999"], "--municipality: 地方公共団体コード 999999"),
    ],
)
def test_bad_input_is_one_japanese_line(url, capsys, args, message):
    with pytest.raises(SystemExit) as stop:
        main(["--database-url", url, "purge", *args])
    assert stop.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith(f"エラー: {message}") and error.count("\n") == 1


def city_file(folder: Path, retention: str) -> Path:
    """The 米子市 profile with its [retention] table replaced by ``retention``."""
    text = (PROFILE_DIR / "312029.toml").read_text(encoding="utf-8")
    head, _, _ = text.partition("[retention]")
    (folder / "312029.toml").write_text(head + retention, encoding="utf-8")
    return folder


def test_the_profile_sets_the_retention_period(tmp_path):
    assert load_profile("312029").retention_days() == 365
    other = load_profile("312029", city_file(tmp_path, "[retention]\nvisit_days = 90\n"))
    assert other.retention_days() == 90


def test_a_profile_without_a_period_cannot_purge(tmp_path):
    profile = load_profile("312029", city_file(tmp_path, ""))
    with pytest.raises(ProfileError, match=r"retention\.visit_days.*設定されていません"):
        profile.retention_days()


@pytest.mark.parametrize(
    "table",
    [
        "[retention]\nvisit_days = 0\n",
        "[retention]\nvisit_days = -30\n",
        '[retention]\nvisit_days = "365"\n',
        "[retention]\nvisit_days = true\n",
        "[retention]\nvisit_days = 36.5\n",
        "[retention]\n",
    ],
)
def test_a_period_that_is_not_a_positive_number_of_days_is_named(tmp_path, table):
    with pytest.raises(ProfileError, match=r"312029\.toml: .*retention\.visit_days"):
        load_profile("312029", city_file(tmp_path, table))


def test_an_unknown_retention_key_is_named(tmp_path):
    with pytest.raises(ProfileError, match=r"retention: 知らない項目 \['slip_days'\]"):
        load_profile("312029", city_file(tmp_path, "[retention]\nvisit_days = 9\nslip_days = 1\n"))


def test_killed_while_purging_every_visit_keeps_its_data_and_the_next_run_purges(
    staffed_url, catalogue, profile
):
    """kill -9 once the personal data are gone in the transaction, before it commits, on
    each backend."""
    url = staffed_url
    stored_visit(url, catalogue, profile)
    before = run(url, "--dry-run", "--today", "R8.11.24", "--days", "30").stdout
    assert "削除の対象: 受付 1件" in before
    killed = counter("--database-url", url, "purge", "--today", "R8.11.24", "--days", "30",
                     "--as", "kanri", stdin=f"{ADMIN_PASSWORD}\n",
                     kill=("db.retention", "_purge_visits", 0, "after"))  # fmt: skip
    assert killed.returncode == -9
    assert run(url, "--dry-run", "--today", "R8.11.24", "--days", "30").stdout == before
    assert verify(make_engine(url)).ok
    done = run(url, "--today", "R8.11.24", "--days", "30")
    assert done.returncode == 0, done.stderr
    after = run(url, "--dry-run", "--today", "R8.11.24", "--days", "30").stdout
    assert "削除の対象になる受付はありません" in after
