"""`counter forms` as a kiosk or another system runs it: a household file in, one real
pre-filled PDF per form out, read back with pdftotext; the file's form_data checked
wherever the file is read; and every bad input one Japanese line (exit 2) with nothing
written."""

from __future__ import annotations

import copy
import errno
import json
import os
import re
import stat
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import birth_family, document, member
from killer import counter as counter_process

from counter.cli import main
from counter.interchange import HouseholdFormatError, parse_event_case
from counter.profile import load_profile

FILED = "2026-11-24"
ANSWERS = {"birth_acceptance_certificate": "yes", "residence_certificate": "yes"}


def household(**extra: Any) -> dict[str, Any]:
    """The 米子 family of a newborn (米子　陽翔, m3), as a household file holds it."""
    return document("birth", "2026-11-20", birth_family(), answers=dict(ANSWERS), **extra)


def write(folder: Path, data: Any, name: str = "household.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def counter(capsys, *args: str) -> tuple[int, str, str]:
    """The command in this process: (exit status, stdout, stderr)."""
    try:
        status = main(list(args))
    except SystemExit as stop:
        status = stop.code  # type: ignore[assignment]
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def text_of(pdf: Path) -> str:
    """What pdftotext reads, in the order drawn (a value wrapped in its cell stays whole),
    without spaces or line ends (名前の「　」 too)."""
    read = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return re.sub(r"\s+", "", read.stdout)


def written(stdout: str) -> dict[str, Path]:
    """Form name → file, from the command's one line per file."""
    lines = stdout.splitlines()
    pairs = [line.split(": ", 1) for line in lines]
    assert all(len(pair) == 2 for pair in pairs), lines
    return {name: Path(path) for name, path in pairs}


def plan_forms(capsys, path: Path) -> list[str]:
    """The forms of the procedures `counter plan` lists for the visit (needed or to check)."""
    status, stdout, stderr = counter(
        capsys, "plan", "--household", str(path), "--format", "json", "--filed-on", FILED
    )
    assert status == 0, stderr
    procedures = json.loads(stdout)["procedures"]
    return list(
        dict.fromkeys(
            name for p in procedures if p["status"] in ("required", "check") for name in p["forms"]
        )
    )


def test_by_default_every_form_of_the_plan_is_one_pdf_with_the_household_on_it(
    tmp_path, out, capsys
):
    path = write(tmp_path, household())
    expected = plan_forms(capsys, path)
    assert {"出生届", "国民健康保険 資格取得届", "児童手当 認定請求書"} <= set(expected)

    status, stdout, stderr = counter(
        capsys, "forms", "--household", str(path), "--out", str(out), "--filed-on", FILED
    )

    assert (status, stderr) == (0, "")
    files = written(stdout)
    assert list(files) == expected  # the plan's forms, in its order, each once
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in files.values())
    assert all(p.parent == out and re.fullmatch(r"[a-z_]+\.pdf", p.name) for p in files.values())
    assert files["出生届"].name == "shussei.pdf"
    for name, pdf in files.items():
        text = text_of(pdf)
        assert name.replace(" ", "") in text, name
        assert "令和8年11月24日" in text  # the day of filing
    birth = text_of(files["出生届"])
    for value in ("米子陽翔", "ヨナゴハルト", "令和8年11月20日", "米子太郎", "米子花子",
                  "平成2年4月1日", "平成4年6月15日", "鳥取県米子市加茂町二丁目1番地"):  # fmt: skip
        assert value in birth, value
    assert "米子陽翔" in text_of(files["国民健康保険 資格取得届"])
    # No visit is stored, so no 受付番号: a 0 would read as a real one.
    assert not any(re.search(r"受付番号\d", text_of(pdf)) for pdf in files.values())
    # The counter's blank boxes stay marked, never guessed.
    assert "【窓口で記入】" in birth


def test_form_restricts_to_the_named_forms_even_one_the_plan_does_not_use(tmp_path, out, capsys):
    path = write(tmp_path, household())
    status, stdout, stderr = counter(
        capsys, "forms", "--household", str(path), "--out", str(out), "--filed-on", FILED,
        "--form", "住民異動届", "--form", "出生届", "--form", "住民異動届",
    )  # fmt: skip

    assert (status, stderr) == (0, "")
    files = written(stdout)
    assert list(files) == ["住民異動届", "出生届"]
    assert sorted(p.name for p in out.iterdir()) == ["jumin_idou.pdf", "shussei.pdf"]
    moved = text_of(files["住民異動届"])
    assert moved.startswith("住民異動届")
    assert text_of(files["出生届"]).startswith("記入のための下書き（届書ではありません）出生届")
    # Not in the plan: its rows are the event's subject, the newborn.
    assert "米子陽翔" in moved and "ヨナゴハルト" in moved


def test_form_data_fills_the_counters_boxes_on_the_forms_that_have_them(tmp_path, out, capsys):
    typed = {
        "contact_phone": "０８５９－２３－５１１１",
        "birth_place#m3": "鳥取県米子市西町1番地",
        "household_occupation": "常用勤労者世帯",
    }
    path = write(tmp_path, household(form_data=typed))
    status, stdout, stderr = counter(
        capsys, "forms", "--household", str(path), "--out", str(out), "--filed-on", FILED,
        "--form", "出生届", "--form", "児童手当 認定請求書",
    )  # fmt: skip

    assert (status, stderr) == (0, "")
    files = written(stdout)
    birth = text_of(files["出生届"])
    assert "0859-23-5111" in birth  # checked and written as the counter's input is
    assert "鳥取県米子市西町1番地" in birth and "常用勤労者世帯" in birth
    allowance = text_of(files["児童手当 認定請求書"])
    assert "西町" not in allowance and "常用勤労者世帯" not in allowance  # not its boxes


def test_without_form_data_the_same_boxes_are_left_for_the_counter(tmp_path, out, capsys):
    path = write(tmp_path, household())
    status, stdout, _ = counter(
        capsys, "forms", "--household", str(path), "--out", str(out), "--form", "出生届"
    )
    assert status == 0
    birth = text_of(written(stdout)["出生届"])
    assert "0859-23-5111" not in birth and "常用勤労者世帯" not in birth


def test_a_demo_citys_forms_are_marked_as_such_and_a_real_citys_are_not(
    tmp_path, out, capsys, monkeypatch
):
    path = write(tmp_path, household())
    status, stdout, _ = counter(
        capsys, "forms", "--household", str(path), "--out", str(out), "--form", "出生届"
    )
    assert status == 0 and load_profile("312029").payment_demo
    assert "練習・見本用の用紙です" in text_of(written(stdout)["出生届"])

    real = replace(load_profile("312029"), payment_demo=False)
    monkeypatch.setattr("counter.profile.load_profile", lambda code: real)
    other = tmp_path / "real"
    other.mkdir()
    status, stdout, _ = counter(
        capsys, "forms", "--household", str(path), "--out", str(other), "--form", "出生届"
    )
    assert status == 0
    text = text_of(written(stdout)["出生届"])
    assert "見本" not in text and "米子陽翔" in text


def test_filed_on_in_wareki_is_the_same_day(tmp_path, out, capsys):
    path = write(tmp_path, household())
    status, stdout, _ = counter(
        capsys, "forms", "--household", str(path), "--out", str(out), "--form", "出生届",
        "--filed-on", "R8.12.1",
    )  # fmt: skip
    assert status == 0
    assert "令和8年12月1日" in text_of(written(stdout)["出生届"])


def test_an_existing_file_is_never_replaced_and_nothing_else_is_written(tmp_path, out, capsys):
    path = write(tmp_path, household())
    kept = out / "shussei.pdf"
    kept.write_bytes(b"the resident's own file")
    status, stdout, stderr = counter(
        capsys, "forms", "--household", str(path), "--out", str(out),
        "--form", "住民異動届", "--form", "出生届",
    )  # fmt: skip
    assert status == 2 and stdout == ""
    assert stderr.startswith("エラー: --out: ") and str(kept) in stderr
    assert stderr.count("\n") == 1
    assert kept.read_bytes() == b"the resident's own file"
    assert [p.name for p in out.iterdir()] == ["shussei.pdf"]


def bad(data: dict[str, Any], where: list[str], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    target = changed
    for key in where[:-1]:
        target = target[int(key) if key.isdigit() else key]
    target[where[-1]] = value
    return changed


FILE_PROBLEMS = [
    ("bad JSON", '{"municipality": "312029",', "household.json: 1行目"),
    ("not an object", "[1, 2]", "household.json: （全体）"),
    ("bad date", bad(household(), ["members", "1", "birth_date"], "1992-02-30"),
     "household.json: members[1].birth_date: "),
    ("unknown field", bad(household(), ["colour"], "blue"), "household.json: colour: "),
    ("form_data not an object", household(form_data=["0859"]), "household.json: form_data: "),
    ("bad phone", household(form_data={"contact_phone": "12345"}),
     "household.json: form_data.contact_phone: 電話番号は"),
    ("unknown datum", household(form_data={"contact_fone": "0859235111"}),
     "household.json: form_data.contact_fone: "),
    ("not per member", household(form_data={"contact_phone#m1": "0859235111"}),
     "household.json: form_data.contact_phone#m1: "),
    ("member missing", household(form_data={"birth_place": "米子市"}),
     "household.json: form_data.birth_place: "),
    ("unknown member", household(form_data={"birth_place#m9": "米子市"}),
     "household.json: form_data.birth_place#m9: "),
    ("individual number key", household(form_data={"mynumber#m1": "123456789018"}),
     "household.json: form_data.mynumber#m1: 個人番号は"),
    ("individual number value", household(form_data={"household_occupation": "1234 5678 9018"}),
     "household.json: form_data.household_occupation: 12桁の数字は"),
    ("not a string", household(form_data={"contact_phone": 859235111}),
     "household.json: form_data.contact_phone: 文字列に"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "message"), [p[1:] for p in FILE_PROBLEMS], ids=[p[0] for p in FILE_PROBLEMS]
)
def test_a_bad_household_file_names_the_field_and_writes_nothing(
    tmp_path, out, capsys, content, message
):
    path = tmp_path / "household.json"
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    status, stdout, stderr = counter(capsys, "forms", "--household", str(path), "--out", str(out))
    assert status == 2 and stdout == ""
    assert stderr.startswith(f"エラー: {message}"), stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert "1234" not in stderr and "9018" not in stderr  # never an individual number echoed
    assert list(out.iterdir()) == []


def test_counter_plan_refuses_the_same_bad_form_data(tmp_path, capsys):
    """The format is one: a file `counter forms` refuses is not planned either."""
    path = write(tmp_path, household(form_data={"mynumber": "123456789018"}))
    status, _, stderr = counter(capsys, "plan", "--household", str(path))
    assert status == 2 and stderr.startswith("エラー: household.json: form_data.mynumber: ")
    with pytest.raises(HouseholdFormatError, match=r"form_data\.mynumber"):
        parse_event_case(household(form_data={"mynumber#m2": "1"}))
    assert parse_event_case(household(form_data={"contact_phone": "0859235111"})) == (
        parse_event_case(household())
    )


@pytest.mark.parametrize(
    ("form_data", "message"),
    [
        (["0859"], "form_data: 項目名と値のオブジェクト"),
        ({"contact_phone": 859}, "form_data.contact_phone: 文字列に"),
        (
            {"household_occupation": "1234-5678-9018"},
            "form_data.household_occupation: 12桁の数字は",
        ),
        ({"MyNumber#m1": "x"}, "form_data.MyNumber#m1: 個人番号は"),
        ({" ": "x"}, "form_data.（空の項目名）: 項目名が空です"),
        ({"birth_place#m3": "米子市\n西町"}, "form_data.birth_place#m3: 改行"),
        ({"birth_place#m3": "あ" * 201}, "form_data.birth_place#m3: 200文字まで"),
    ],
)
def test_a_badly_shaped_form_data_is_named_and_never_echoes_a_number(form_data, message):
    with pytest.raises(HouseholdFormatError) as error:
        parse_event_case(household(form_data=form_data))
    assert str(error.value).startswith(message), str(error.value)
    assert "1234" not in str(error.value)


def option_problems(tmp_path: Path, out: Path) -> dict[str, tuple[list[str], str]]:
    """Problem → (the command's arguments, how its one line starts)."""
    path = str(write(tmp_path, household()))
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    problems = [
        ("missing file", ["--household", str(tmp_path / "none.json"), "--out", str(out)],
         "none.json: "),
        # a path with no name of its own is named as given, never as an empty 「: 」
        ("a folder", ["--household", "/", "--out", str(out)], "/: フォルダです"),
        ("unknown form", ["--household", path, "--out", str(out), "--form", "出生届",
                          "--form", "住民票"], "--form: 「住民票」という様式はありません"),
        ("bad filed-on", ["--household", path, "--out", str(out), "--filed-on", "R8.2.30"],
         "--filed-on: "),
        ("bad wareki era", ["--household", path, "--out", str(out), "--filed-on", "H40.1.1"],
         "--filed-on: "),
        ("no --out", ["--household", path], "counter forms: 次の引数が必要です: --out"),
        ("--out missing", ["--household", path, "--out", str(tmp_path / "nowhere")],
         f"--out: フォルダがありません（{tmp_path / 'nowhere'}）"),
        ("--out a file", ["--household", path, "--out", str(a_file)],
         f"--out: フォルダではありません（{a_file}）"),
    ]  # fmt: skip
    return {name: (args, message) for name, args, message in problems}


OPTION_PROBLEMS = ["missing file", "a folder", "unknown form", "bad filed-on", "bad wareki era",
                   "no --out", "--out missing", "--out a file"]  # fmt: skip


@pytest.mark.parametrize("name", OPTION_PROBLEMS)
def test_bad_options_name_the_option_and_write_nothing(tmp_path, out, capsys, name):
    args, message = option_problems(tmp_path, out)[name]
    before = sorted(tmp_path.rglob("*"))
    status, stdout, stderr = counter(capsys, "forms", *args)
    assert status == 2 and stdout == "", name
    assert stderr.startswith(f"エラー: {message}"), (name, stderr)
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert sorted(tmp_path.rglob("*")) == before


def test_a_folder_that_refuses_the_files_is_named_and_left_empty(
    tmp_path, out, capsys, monkeypatch
):
    """As a read-only or full disk does, whoever runs it (root passes the permission check)."""
    path = write(tmp_path, household())

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkdtemp", refused)
    status, stdout, stderr = counter(capsys, "forms", "--household", str(path), "--out", str(out))
    assert status == 2 and stdout == ""
    assert stderr == f"エラー: --out: フォルダに書き込めません（{out}）\n"
    assert list(out.iterdir()) == []


def test_a_failure_after_some_files_takes_them_back(tmp_path, out, capsys, monkeypatch):
    """The second file cannot be written (the disk filled up): the first is removed too."""
    path = write(tmp_path, household())
    real_link = os.link
    linked: list[str] = []

    def filling_up(source, target):
        linked.append(str(target))
        if len(linked) == 2:
            raise OSError(28, "No space left on device")
        return real_link(source, target)

    monkeypatch.setattr(os, "link", filling_up)
    status, stdout, stderr = counter(
        capsys, "forms", "--household", str(path), "--out", str(out),
        "--form", "出生届", "--form", "住民異動届",
    )  # fmt: skip
    assert len(linked) == 2
    assert status == 2 and stdout == ""
    assert stderr.startswith("エラー: --out: 書き出せません") and stderr.count("\n") == 1
    assert list(out.iterdir()) == []


def test_a_file_that_appears_meanwhile_is_named_kept_and_nothing_else_is_left(
    tmp_path, out, capsys, monkeypatch
):
    """Another program writes the second name between the check and the placing."""
    path = write(tmp_path, household())
    real_link = os.link

    def racing(source, target):
        if Path(target).name == "jumin_idou.pdf":
            Path(target).write_text("theirs", encoding="utf-8")
        return real_link(source, target)

    monkeypatch.setattr(os, "link", racing)
    status, _, stderr = counter(
        capsys, "forms", "--household", str(path), "--out", str(out),
        "--form", "出生届", "--form", "住民異動届",
    )  # fmt: skip
    theirs = out / "jumin_idou.pdf"
    assert status == 2 and stderr.startswith(f"エラー: --out: {theirs} はすでにあります")
    assert sorted(p.name for p in out.iterdir()) == ["jumin_idou.pdf"]
    assert theirs.read_text(encoding="utf-8") == "theirs"


def test_a_file_system_without_links_gets_whole_copies(tmp_path, out, capsys, monkeypatch):
    """A USB stick's FAT has no hard links: each PDF is copied instead, whole."""
    path = write(tmp_path, household())

    def no_links(source, target):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    status, stdout, _ = counter(capsys, "forms", "--household", str(path), "--out", str(out),
                                "--form", "出生届")  # fmt: skip
    assert status == 0 and written(stdout) == {"出生届": out / "shussei.pdf"}
    assert sorted(p.name for p in out.iterdir()) == ["shussei.pdf"]
    assert "米子陽翔" in text_of(out / "shussei.pdf")


def test_killed_while_placing_the_files_every_file_there_is_whole(tmp_path, out):
    """kill -9 after the first of two files is placed: what is there is a whole PDF under
    its name, private, and nothing else is under a form's name."""
    path = write(tmp_path, household())
    killed = counter_process("forms", "--household", str(path), "--out", str(out),
                             "--form", "出生届", "--form", "住民異動届",
                             kill=("counter.cli.forms", "_place", 1, "before"))  # fmt: skip
    assert killed.returncode == -9
    pdfs = sorted(out.glob("*.pdf"))
    assert [p.name for p in pdfs] == ["shussei.pdf"]
    assert pdfs[0].read_bytes().rstrip().endswith(b"%%EOF") and "米子陽翔" in text_of(pdfs[0])
    assert stat.S_IMODE(pdfs[0].stat().st_mode) == 0o600


def test_a_plan_without_forms_writes_nothing_and_says_so(tmp_path, out, capsys):
    """Joining an employer's insurance needs nothing filed at the city: no file, exit 0."""
    alone = [member("m1", subject=True, health_insurance="employee")]
    path = write(tmp_path, document("employee_insurance_gain", "2026-11-20", alone))
    status, stdout, stderr = counter(
        capsys, "forms", "--household", str(path), "--out", str(out), "--filed-on", FILED
    )
    assert (status, stdout) == (0, "")
    assert stderr == "作る届出書はありません（手続きの一覧に届出書がありません）\n"
    assert list(out.iterdir()) == []
