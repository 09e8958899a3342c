"""Reprinting a stored visit's slip: what was stored is what is printed again.

Each test runs on SQLite and PostgreSQL (the ``engine`` fixture); the reprint goes
through the real `counter slip` command and is read back from the PDF.
"""

from __future__ import annotations

import getpass
import re
from datetime import date

import pytest
from conftest import CLERK_PASSWORD, add_staff, birth_family, case_of
from pdfcheck import decoded_qr_codes, pdf_text
from pypdf import PdfReader

from counter.cli import main
from counter.rules import plan
from counter.slip import build_slip
from db.audit import export_jsonl
from db.visits import find_visit_id, load_visit_for_slip, record_visit

FILED_ON = date(2026, 11, 24)
# One fee (a certificate, so a payment code) and one question left open (要確認).
ANSWERS = {"birth_acceptance_certificate": "yes", "residence_certificate": "yes"}


@pytest.fixture(autouse=True)
def clerk_at_the_keyboard(engine, monkeypatch):
    """`counter slip` signs its user in: the clerk tanaka types login and password."""
    add_staff(engine, terminal="t0")
    monkeypatch.delenv("COUNTER_PASSWORD_STDIN", raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt="": "tanaka")
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": CLERK_PASSWORD)


def record(engine, catalogue, profile, head_name: str = "米子　太郎"):
    members = birth_family()
    members[0]["name"] = head_name
    case = case_of("birth", "2026-11-20", members, answers=ANSWERS)
    result = plan(case, catalogue, profile, filed_on=FILED_ON)
    return case, result, record_visit(engine, case, result, profile, device_id="t1")


def url_of(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_stored_visit_gives_back_the_same_slip(engine, catalogue, profile):
    case, result, visit = record(engine, catalogue, profile, head_name="髙橋　\uf929")
    loaded = load_visit_for_slip(engine, visit.id)
    assert loaded.case == case
    assert loaded.case.household.head.name == "髙橋　\uf929"
    assert loaded.plan.to_json() == result.to_json()
    assert loaded.payments == visit.payments
    assert (loaded.reception_number, loaded.office_date) == (visit.reception_number, FILED_ON)
    assert {p.status for p in loaded.plan.procedures} == {"required", "check"}

    def slip_of(p, c, payments):
        return build_slip(
            p,
            c,
            profile,
            reception_number=visit.reception_number,
            issued_on=FILED_ON,
            payments=payments,
        )

    original = slip_of(result, case, visit.payments)
    assert slip_of(loaded.plan, loaded.case, loaded.payments) == original


def test_reprint_lists_the_procedures_and_decodes_to_the_stored_payload(
    engine, catalogue, profile, tmp_path, capsys
):
    record(engine, catalogue, profile)
    _, result, visit = record(engine, catalogue, profile)
    out = tmp_path / "再発行.pdf"
    assert main(["--database-url", url_of(engine), "slip", visit.id, "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"案内票を作り直しました（受付番号 2）：{out}"
    text = flat(pdf_text(out))
    for procedure in result.procedures:
        assert flat(procedure.name) in text
    assert "受付番号2" in text and "受付番号1" not in text
    assert "米子太郎様の世帯" in text
    assert "令和8年11月24日（火）" in text
    assert decoded_qr_codes(out) == [code.payload for code in visit.payments]


def test_reprint_by_office_day_and_reception_number(engine, catalogue, profile, tmp_path):
    first = record(engine, catalogue, profile)[2]
    second = record(engine, catalogue, profile)[2]
    assert find_visit_id(engine, FILED_ON, 1) == first.id
    out = tmp_path / "slip.pdf"
    argv = ["--database-url", url_of(engine), "slip", "--date", "令和8年11月24日"]
    assert main([*argv, "--reception", "2", "--out", str(out)]) == 0
    assert "受付番号2" in flat(pdf_text(out))
    assert decoded_qr_codes(out) == [code.payload for code in second.payments]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["no-such-visit"], "受付が見つかりません：no-such-visit"),
        (["--date", "2026-11-25", "--reception", "1"], "受付が見つかりません：令和8年11月25日"),
        (["--date", "2026-11-24"], "受付ID か、--date と --reception の両方を指定してください"),
        (["--date", "11月24日", "--reception", "1"], "--date: "),
    ],
)
def test_unknown_visit_is_one_japanese_line(
    engine, catalogue, profile, tmp_path, capsys, arguments, message
):
    record(engine, catalogue, profile)
    out = tmp_path / "slip.pdf"
    with pytest.raises(SystemExit) as exit_info:
        main(["--database-url", url_of(engine), "slip", *arguments, "--out", str(out)])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith(f"エラー: {message}")
    assert error.count("\n") == 1 and "Traceback" not in error
    assert not out.exists()


def test_print_without_a_printer_keeps_the_pdf(
    engine, catalogue, profile, tmp_path, capsys, monkeypatch
):
    monkeypatch.delenv("COUNTER_PRINTER", raising=False)
    visit = record(engine, catalogue, profile)[2]
    out = tmp_path / "slip.pdf"
    argv = ["--database-url", url_of(engine), "slip", visit.id, "--out", str(out), "--print"]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.err.strip() == f"プリンターが設定されていません。PDFを保存しました：{out}"
    assert decoded_qr_codes(out) == [code.payload for code in visit.payments]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--layout", "receipt"], "手続きのご案内"),
        (["--language", "en", "--large"], "Your procedures at city hall"),
        (["--language", "easy"], "てつづきのあんない"),
    ],
)
def test_reprint_layout_and_language(engine, catalogue, profile, tmp_path, options, expected):
    visit = record(engine, catalogue, profile)[2]
    out = tmp_path / "slip.pdf"
    argv = ["--database-url", url_of(engine), "slip", visit.id, "--out", str(out), *options]
    assert main(argv) == 0
    assert flat(expected) in flat(pdf_text(out))
    width = float(PdfReader(str(out)).pages[0].mediabox.width)
    assert (width < 100 * 72 / 25.4) == ("receipt" in options)
    assert decoded_qr_codes(out) == [code.payload for code in visit.payments]


def test_a_reprint_is_signed_in_and_recorded(engine, catalogue, profile, tmp_path, monkeypatch):
    import io
    import json

    visit = record(engine, catalogue, profile)[2]
    out = tmp_path / "slip.pdf"
    argv = ["--database-url", url_of(engine), "slip", visit.id, "--out", str(out)]
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "not-the-password")
    with pytest.raises(SystemExit) as refused:
        main(argv)
    assert refused.value.code == 1 and not out.exists()  # no sign-in, no slip
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": CLERK_PASSWORD)
    assert main(argv) == 0
    buffer = io.StringIO()
    export_jsonl(engine, buffer, since=None, until=None)
    rows = [json.loads(line) for line in buffer.getvalue().splitlines()]
    [exported] = [row for row in rows if row["action"] == "export"]
    assert exported["visit_id"] == visit.id and "案内票の再作成" in exported["detail"]
    signed = [row["action"] for row in rows if row["staff_id"] == exported["staff_id"]]
    assert signed[-3:] == ["login", "export", "logout"]
    assert "failed_login" in [row["action"] for row in rows]
