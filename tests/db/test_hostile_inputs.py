"""What a hostile run typed (issue 22, points 4, 9, 10 and 11): numbers that change sign
on the way in, sign-ins that tell by their time which accounts exist, individual numbers
in free-text notes, terminal escapes and right-to-left marks in names.

Each runs on both backends where a database is involved (the ``engine`` fixture), or as
the real `counter` process where the finding came through the command line.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import add_staff, birth_family, case_of, document, run_counter

from counter.interchange import HouseholdFormatError, parse_event_case
from counter.register_csv import RegisterCsvError, parse_register_csv
from counter.rules import plan
from counter.textnorm import TextFormatError, normalize_number, parse_whole_number
from db import staff as db_staff
from db.checklist import set_counter_status
from db.visits import checklist, record_visit

VALID_NUMBER = "123456789018"  # a check digit that holds (番号法施行令第8条)
HEADER = (
    "household_id,resident_id,relation,name,kana,birth_date,sex,postal_code,address,"
    "health_insurance\n"
)


# --- 4. a number keeps its sign and value -------------------------------------------------


@pytest.mark.parametrize("typed", ["-350", "−350", "ー350", "▲350", "△1"])
def test_a_minus_is_never_dropped(typed):
    """Found: the dash rule of codes took the minus away: -350 became 350."""
    with pytest.raises(TextFormatError, match="マイナス"):
        parse_whole_number(typed, least=1, most=10_000)
    with pytest.raises(TextFormatError, match="マイナス"):
        normalize_number(typed)  # a registration number typed on a screen


@pytest.mark.parametrize(
    ("typed", "value"), [("350", 350), ("３５０", 350), ("1,200", 1200), (" 12 ", 12)]
)
def test_a_plain_number_reads_as_its_value(typed, value):
    assert parse_whole_number(typed, least=1, most=10_000) == value
    assert normalize_number("１２３－４５６") == "123456"  # a dash between digits is layout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("demo-data", "--households", "-3"), "--households: マイナス"),
        (("demo-data", "--households", "1.5"), "--households: 小数"),
        (("demo-data", "--households", "9999999"), "--households: 200,000以下"),
        (("demo-data", "--visits", "0"), "--visits: 1以上"),
        (("demo-data", "--visits", "６万"), "--visits: 数字だけ"),
        (("demo-data", "--visits", "9999999"), "--visits: 600,000以下"),
        (("slip", "--date", "R8.12.5", "--reception", "-1", "--out", "x.pdf"), "--reception"),
    ],
)
def test_every_numeric_option_is_checked_the_same_way(tmp_path, args, words):
    result = run_counter(f"sqlite:///{tmp_path / 'c.sqlite3'}", *args)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"エラー: {words}") and "Traceback" not in result.stderr


# --- 9. sign-ins cost the same ----------------------------------------------------------


def test_unknown_locked_and_wrong_sign_ins_each_verify_one_password(engine, monkeypatch):
    """Found: a locked account answered in 0.9 ms, an unknown login in 96 ms. Each way of
    failing now runs exactly one Argon2 verification, so their times cannot tell apart."""
    add_staff(engine, terminal="t")
    for _ in range(5):  # kanri is locked after five wrong passwords
        with pytest.raises(db_staff.SignInRefused):
            db_staff.sign_in(engine, "kanri", "wrong-password-0", terminal="t")
    calls = []
    verify = db_staff._verify
    monkeypatch.setattr(
        db_staff, "_verify", lambda stored, typed: calls.append(1) or verify(stored, typed)
    )
    for login in ("nobody", "kanri", "tanaka"):  # unknown, locked, wrong password
        before = len(calls)
        with pytest.raises(db_staff.SignInRefused):
            db_staff.sign_in(engine, login, "wrong-password-1", terminal="t")
        assert len(calls) - before == 1, login


# --- 10. no individual number in a note ----------------------------------------------------


def test_a_note_holding_an_individual_number_is_refused_and_not_stored(engine, catalogue, profile):
    """Found: checklist notes stored a valid individual number in clear."""
    case = case_of("birth", "2026-11-20", birth_family())
    visit = record_visit(
        engine, case, plan(case, catalogue, profile, filed_on=date(2026, 11, 24)), profile,
        device_id="t",
    )  # fmt: skip
    line = checklist(engine, visit.id)[0]
    for note in (f"番号 {VALID_NUMBER} を確認", "1234 5678 9018"):
        with pytest.raises(ValueError, match="メモ: 個人番号"):
            set_counter_status(
                engine, visit.id, line.procedure_id, "later", staff_id=None, note=note
            )
    set_counter_status(engine, visit.id, line.procedure_id, "later", staff_id=None, note="後日")
    stored = {line.procedure_id: line.note for line in checklist(engine, visit.id)}
    assert stored[line.procedure_id] == "後日"
    assert VALID_NUMBER not in json.dumps(stored, ensure_ascii=False)


# --- 11. control characters, right-to-left marks, endless names ---------------------------


def test_a_staff_name_with_terminal_escapes_is_refused_in_one_line(tmp_path, new_sqlite):
    """Found: staff display names took ESC and BEL and were echoed raw."""
    from db.engine import make_engine

    url = new_sqlite(tmp_path / "c.sqlite3")
    engine = make_engine(url)
    add_staff(engine)
    engine.dispose()
    result = run_counter(
        url, "staff", "add", "akai", "--name", "\x1b[31m赤\x07", "--role", "clerk",
        login="kanri", more_input="akai-pass-2026\nakai-pass-2026\n",
    )  # fmt: skip
    assert result.returncode == 1
    assert "氏名: 改行・タブなどの制御文字" in result.stderr and "\x1b" not in result.stderr


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("米子\u202e郎太", "文字の向きを変える制御文字"),  # shows as 米子太郎
        ("米" * 61, "60文字以内"),
    ],
)
def test_a_resident_name_with_bidi_marks_or_no_end_is_refused(name, words):
    """Found: resident names took U+202E (right-to-left override) and any length."""
    row = f"H1,H1-1,head,{name},ヨナゴ,1990-01-01,male,6830823,加茂町1番地,national\n"
    with pytest.raises(RegisterCsvError) as csv_error:
        parse_register_csv(HEADER + row)
    assert any("2行目" in line and words in line for line in csv_error.value.lines)
    members = birth_family()
    members[0]["name"] = name
    with pytest.raises(HouseholdFormatError, match=words):
        parse_event_case(document("birth", "2026-11-20", members))


def test_names_are_otherwise_kept_exactly():
    members = birth_family()
    members[0]["name"] = "𠮷田\u3000\uf929"  # a rare kanji, U+3000, a compatibility ideograph
    case = parse_event_case(document("birth", "2026-11-20", members))
    assert case.household.members[0].name == "𠮷田\u3000\uf929"
