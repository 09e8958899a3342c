"""`counter catalogue sources`: every rule version and city value with its basis and
source, the unconfirmed ones marked, as text and as CSV (issue 20 point 5)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

from counter.catalogue_sources import HEADER, as_text, source_rows


def test_every_procedure_version_is_listed_with_its_basis(catalogue, profile):
    rows = source_rows(catalogue, profile)
    procedures = [r for r in rows if r.kind == "手続き"]
    assert len(procedures) == len(catalogue.procedures)  # each version, not each id
    assert all(r.basis for r in procedures)
    care = next(r for r in procedures if r.key == "care_insurance_move_in")
    assert "介護保険法" in care.basis and "年齢: " in care.basis and care.valid == "2000-04-01〜"
    doubtful = next(r for r in procedures if r.key == "care_certificate_return_death")
    assert doubtful.unconfirmed == "出典"  # its source says 一般的な市の運用（要確認）
    assert {r.key for r in rows if r.kind == "年齢の数え方"} == {"reached", "birthday"}
    jumin = next(r for r in rows if r.kind == "届出期間経過" and r.key == "jumin")
    assert "住民基本台帳法第52条第2項" in jumin.basis and jumin.unconfirmed == "basis"


def test_the_citys_values_are_listed_and_the_unconfirmed_marked(catalogue, profile):
    rows = source_rows(catalogue, profile)
    city = [r for r in rows if r.kind.startswith("米子市（312029）")]
    shimin = next(r for r in city if r.key == "shimin")
    assert shimin.name == "市民課" and shimin.unconfirmed == "すべて"
    lump = [r for r in city if r.key == "childbirth_lump_sum"]
    assert [r.basis for r in lump] == ["420,000円", "500,000円"]  # both periods
    assert all(r.source and not r.unconfirmed for r in lump)
    text = as_text(rows)
    assert "■ 米子市（312029） 担当課　市民課［shimin］【要確認: すべて】" in text
    unconfirmed = sum(1 for r in rows if r.unconfirmed)
    assert text.endswith(f"計 {len(rows)}件（うち要確認 {unconfirmed}件）\n")


def test_the_command_writes_csv_for_excel_and_names_a_bad_city():
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "counter.cli", "catalogue", "sources", *args],
                              capture_output=True, text=True, timeout=60)  # fmt: skip

    listed = run("--format", "csv", "--municipality", "352012")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(listed.stdout.removeprefix("\ufeff"))))
    assert tuple(table[0]) == HEADER and all(len(row) == len(HEADER) for row in table)
    assert any(row[0].startswith("下関市（352012）") for row in table)
    bad = run("--municipality", "999999")
    assert bad.returncode == 2 and bad.stdout == ""
    assert (
        bad.stderr == "エラー: --municipality: 地方公共団体コード「999999」の検査数字が合いません\n"
    )
