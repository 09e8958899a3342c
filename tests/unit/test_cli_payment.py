"""`counter payment make | parse | reconcile` as staff run them: real processes, a real
SQLite ledger, real QR files decoded back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
import zxingcpp
from conftest import ADMIN_PASSWORD, CLERK_PASSWORD
from killer import counter
from PIL import Image

from counter.cli import main
from counter.payment import parse_elqr
from db.audit import verify
from db.engine import make_engine
from db.payments import payment_ledger
from forms.qr import qr_matrix

HEADER = "payment_number,confirmation_number,amount,paid_on,channel\n"


@pytest.fixture
def url(sqlite_url: str) -> str:
    """A ledger with the administrator kanri, who issues and reconciles (signed in)."""
    return sqlite_url


SIGNED = ("make", "reconcile")  # the subcommands that change the ledger


def run(url: str, *args: str, login: str = "kanri") -> subprocess.CompletedProcess[str]:
    acting = ["--as", login] if args[0] in SIGNED else []
    password = {"kanri": ADMIN_PASSWORD, "tanaka": CLERK_PASSWORD}[login]
    return subprocess.run(
        [sys.executable, "-m", "counter.cli", "--database-url", url, "payment", *args, *acting],
        input=f"{password}\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COUNTER_PASSWORD_STDIN": "1"},
    )


def make(url: str, amount: str, *extra: str) -> dict:
    result = run(url, "make", "--amount", amount, "--category", "999", "--due", "R8.12.16",
                 "--json", *extra)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def ledger(url: str):
    return payment_ledger(make_engine(url))


def test_make_numbers_each_code_from_the_database_and_keeps_it_in_the_ledger(url, tmp_path):
    png, svg = tmp_path / "code.png", tmp_path / "code.svg"
    first = make(url, "３５０", "--qr", str(png))
    second = make(url, "1,200", "--qr", str(svg))
    fields = asdict(parse_elqr(first["payload"]))
    assert first["fields"]["payment_number"] == "1" and second["fields"]["payment_number"] == "2"
    assert {k: str(v) for k, v in fields.items()} == {k: str(v) for k, v in first["fields"].items()}
    assert first["fields"]["amount"] == 350 and second["fields"]["amount"] == 1200
    assert first["fields"]["collector"] == "99999" and first["demo"] is True
    assert first["fields"]["due_date"] == "2026-12-16"
    assert first["fields"]["payable_until"] == "2027-01-15"  # 30 days, an open day
    assert first["el_number"] == "99999 0000 0000 0000 0000 0001 " + (
        f"{first['fields']['confirmation_number']} 999"
    )
    with Image.open(png) as image:
        (symbol,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert symbol.text == first["payload"]
    dark = sum(row.count(True) for row in qr_matrix(second["payload"]))
    drawn = svg.read_text(encoding="utf-8")
    assert drawn.startswith("<svg") and drawn.count("<rect") == dark + 1  # + the white ground
    entries = ledger(url)
    assert [(e.payment_number, e.amount, e.status, e.visit_id) for e in entries] == [
        ("1", 350, "issued", None),
        ("2", 1200, "issued", None),
    ]


def test_make_text_says_it_is_a_sample(url):
    result = run(url, "make", "--amount", "300", "--category", "999", "--due", "2026-12-16")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("【見本】")
    assert "納期限: 令和8年12月16日（水）（2026-12-16）" in result.stdout
    assert "eL番号: 99999 0000 0000 0000 0000 0001 " in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--amount", "0", "--category", "999", "--due", "2026-12-16"), "--amount"),
        (("--amount", "300", "--category", "12", "--due", "2026-12-16"), "--category"),
        (("--amount", "300", "--category", "999", "--due", "2026-02-30"), "--due"),
        (("--amount", "300", "--category", "999", "--due", "2026-12-16",
          "--payable-until", "2026-12-01"), "--payable-until"),
        (("--amount", "300", "--category", "999", "--due", "2026-12-16", "--qr", "x.jpg"),
         "--qr"),
    ],
)  # fmt: skip
def test_bad_make_input_is_named_and_nothing_is_issued(url, args, words):
    result = run(url, "make", *args)
    assert result.returncode == 2
    assert result.stderr.startswith("エラー:") and words in result.stderr
    assert "Traceback" not in result.stderr
    if Path(url.removeprefix("sqlite:///")).exists():  # most refuse before opening it
        assert ledger(url) == []


def test_parse_prints_the_fields_or_names_the_first_wrong_one(url):
    payload = make(url, "300")["payload"]
    good = run(url, "parse", payload, "--json")
    assert good.returncode == 0
    assert json.loads(good.stdout)["fields"]["amount"] == 300
    broken = payload[:120] + str((int(payload[120]) + 1) % 10) + payload[121:]
    bad = run(url, "parse", broken)
    assert bad.returncode == 2 and bad.stderr.startswith("エラー: amount:")
    short = run(url, "parse", payload[:-1])
    assert short.returncode == 2 and "length" in short.stderr
    gs1 = run(url, "parse", "91912345012345678901234567890101033101230003")
    assert gs1.returncode == 0 and "金額（円）: 123000" in gs1.stdout


def test_reconcile_marks_matches_paid_reports_the_rest_and_runs_once(url, tmp_path):
    first, second = make(url, "300")["fields"], make(url, "750")["fields"]
    rows = [
        f"{first['payment_number']},{first['confirmation_number']},300,2026-12-01,bank",
        "99999,123456,300,2026-12-01,bank",
        f"{second['payment_number']},{second['confirmation_number']},700,2026-12-01,bank",
    ]
    path = tmp_path / "results.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    result = run(url, "reconcile", str(path))
    assert result.returncode == 1, result.stderr
    assert "3行目: 納付番号 99999: 該当なし" in result.stdout
    assert "4行目: 納付番号 2: 金額違い" in result.stdout
    assert "消込 1件、問題 2件" in result.stdout
    status = {e.payment_number: (e.status, e.paid_channel) for e in ledger(url)}
    assert status == {"1": ("paid", "bank"), "2": ("issued", None)}
    again = run(url, "reconcile", str(path))
    assert again.returncode == 0 and "取り込み済み" in again.stdout
    assert {e.payment_number: (e.status, e.paid_channel) for e in ledger(url)} == status


def test_a_malformed_result_file_changes_nothing(url, tmp_path):
    fields = make(url, "300")["fields"]
    path = tmp_path / "results.csv"
    good = f"{fields['payment_number']},{fields['confirmation_number']},300,2026-12-01,bank"
    path.write_text(HEADER + good + "\n1,12,300,2026-12-01,bank\n", encoding="utf-8")
    result = run(url, "reconcile", str(path))
    assert result.returncode == 2 and "3行目: 確認番号" in result.stderr
    assert [e.status for e in ledger(url)] == ["issued"]


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ("᧚", "数字だけで"),
        ("１２a", "数字だけで"),
        ("0", "1以上"),
        ("５円", "数字だけで"),
        ("\x00", "数字だけで"),
        ("-350", "マイナス"),  # was issued for 350 円: the minus went with the dashes
        ("－３５０", "マイナス"),
        ("▲350", "マイナス"),
        ("350.5", "小数"),
        ("1,2,0", "数字だけで"),
        ("99999999999999999999", "以下"),
    ],
)
def test_an_amount_that_is_not_a_plain_number_is_one_japanese_line(amount, reason, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["payment", "make", "--amount", amount, "--category", "999", "--due", "R8.12.16"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("エラー: --amount: ") and reason in error
    assert error.count("\n") == 1 and "Traceback" not in error and "\x00" not in error


def test_killed_while_reconciling_nothing_is_marked_and_the_next_run_does_it(staffed_url, tmp_path):
    """kill -9 once the codes are marked paid, before the transaction commits, on each
    backend."""
    url = staffed_url
    first, second = make(url, "300")["fields"], make(url, "750")["fields"]
    path = tmp_path / "results.csv"
    path.write_text(HEADER + "".join(
        f"{f['payment_number']},{f['confirmation_number']},{amount},2026-12-01,bank\n"
        for f, amount in ((first, 300), (second, 750))), encoding="utf-8")  # fmt: skip
    marking = ("db.payments", "_mark_paid", 0, "after")
    killed = counter("--database-url", url, "payment", "reconcile", str(path), "--as", "kanri",
                     stdin=f"{ADMIN_PASSWORD}\n", kill=marking)  # fmt: skip
    assert killed.returncode == -9
    assert [e.status for e in ledger(url)] == ["issued", "issued"]
    assert verify(make_engine(url)).ok
    again = run(url, "reconcile", str(path))
    assert again.returncode == 0 and "消込 2件" in again.stdout, again.stdout
    assert [e.status for e in ledger(url)] == ["paid", "paid"]
