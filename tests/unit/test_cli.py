"""`counter plan` as a user runs it: real console script, real files, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import birth_family, document


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "counter.cli", *args], capture_output=True, text=True, timeout=60
    )


def write(tmp_path, data) -> str:
    path = tmp_path / "household.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_plan_json(tmp_path):
    path = write(tmp_path, document("birth", "2026-11-20", birth_family()))
    result = run("plan", "--household", path, "--format", "json", "--filed-on", "R8.11.24")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    names = [p["name"] for p in plan["procedures"]]
    assert "出生届" in names and "児童手当 認定請求" in names and "国民健康保険 加入" in names
    registration = plan["procedures"][names.index("出生届")]
    assert registration["deadline"] == "2026-12-03"
    assert registration["deadline_wareki"] == "令和8年12月3日（木）"
    assert registration["members"] == ["m3"]


def test_plan_text(tmp_path):
    path = write(
        tmp_path, document("move_in", "2026-11-16", [{**birth_family()[0], "subject": True}])
    )
    result = run("plan", "--household", path, "--filed-on", "2026-11-20")
    assert result.returncode == 0, result.stderr
    assert "【市民課】" in result.stdout
    assert "転入届" in result.stdout
    assert "令和8年11月30日（月）まで" in result.stdout


def test_bad_input_is_one_japanese_line_and_exit_2(tmp_path):
    doc = document("birth", "2026-11-20", birth_family())
    doc["members"][1]["birth_date"] = "1992/02/30"
    result = run("plan", "--household", write(tmp_path, doc))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("エラー: household.json: members[1].birth_date: ")
    assert "Traceback" not in result.stderr


def test_a_date_that_cannot_be_is_one_line_naming_event_date(tmp_path):
    """A birth after the filing day; a death before the deceased's own birth; a 転出
    planned 15 days ahead (14 is the most), exit 2, nothing planned. 14 days ahead is
    planned, and says it is a planned day."""
    birth = run("plan", "--household", write(tmp_path, document("birth", "2026-11-20",
                birth_family())), "--filed-on", "R8.11.19")  # fmt: skip
    head = {**birth_family()[0], "subject": True}
    death = run("plan", "--household", write(tmp_path, document("death", "1989-01-01",
                [head])), "--filed-on", "2026-11-20")  # fmt: skip
    far = run("plan", "--household", write(tmp_path, document("move_out", "2026-12-05",
              [head])), "--filed-on", "2026-11-20")  # fmt: skip
    for refused, words in (
        (birth, "event_date: 出生の日が届出の日より後です"),
        (death, "members[0].birth_date: 出来事の日（event_date）より後の生年月日です"),
        (far, "event_date: 予定日は届出の日から14日先までです"),
    ):
        assert refused.returncode == 2 and refused.stdout == "", refused.stderr
        assert refused.stderr.count("\n") == 1 and words in refused.stderr, refused.stderr
    ahead = run("plan", "--household", write(tmp_path, document("move_out", "2026-12-04",
                [head])), "--filed-on", "2026-11-20")  # fmt: skip
    assert ahead.returncode == 0, ahead.stderr
    assert "転出予定日（届出の日から14日後）での届出です" in ahead.stdout


def test_broken_json_and_missing_file(tmp_path):
    broken = tmp_path / "household.json"
    broken.write_text('{"event": ', encoding="utf-8")
    result = run("plan", "--household", str(broken))
    assert result.returncode == 2
    assert "1行目" in result.stderr and "JSON" in result.stderr
    missing = run("plan", "--household", str(tmp_path / "nothing.json"))
    assert missing.returncode == 2
    assert "ファイルが見つかりません" in missing.stderr


def test_unknown_question_in_answers_is_named(tmp_path):
    doc = document("birth", "2026-11-20", birth_family(), answers={"cat": "yes"})
    result = run("plan", "--household", write(tmp_path, doc))
    assert result.returncode == 2
    assert "answers.cat" in result.stderr


def test_error_output_is_redacted_as_the_log_is(tmp_path):
    """An individual number echoed back in an error (a mistyped argument) is replaced, as
    in the log (counter.mynumber.redact), in any of its spellings."""
    for typed in ("123456789018", "1234-5678-9018", "１２３４５６７８９０１８"):
        result = run("plan", "--household", str(tmp_path / "h.json"), "--extra", typed)
        assert result.returncode == 2
        assert "知らない引数です: --extra ［個人番号］" in result.stderr, result.stderr
        assert typed not in result.stderr and "9018" not in result.stderr


def test_help_is_japanese():
    for args in (["--help"], ["plan", "--help"], ["demo-data", "--help"], ["db", "--help"]):
        result = run(*args)
        assert result.returncode == 0
        assert result.stdout.startswith("使い方: counter")
        assert "オプション:" in result.stdout
        assert "show this help" not in result.stdout
        assert "usage:" not in result.stdout


def test_argument_errors_are_japanese():
    result = run("plan", "--format", "xml", "--household", "x.json")
    assert result.returncode == 2
    assert "選べません" in result.stderr
    assert "invalid choice" not in result.stderr


def test_demo_data_fills_a_database_through_the_console_script(tmp_path):
    counter = Path(sys.executable).parent / "counter"
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    result = subprocess.run(
        [str(counter), "--database-url", url, "demo-data", "--households", "30", "--seed", "5"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "30世帯を登録しました" in result.stdout
    from db.engine import make_engine
    from db.register import count_households, search_residents

    engine = make_engine(url)
    assert count_households(engine) == 30
    hits = search_residents(engine, "ア", limit=500) + search_residents(engine, "カ", limit=500)
    assert all(hit.household_id.startswith("demo:H0000") for hit in hits)  # never a register id
    again = subprocess.run(
        [str(counter), "--database-url", url, "demo-data", "--households", "30", "--seed", "5"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0
    assert count_households(engine) == 30  # same seed, same ids: updated, not duplicated


def test_demo_data_rejects_a_bad_count(tmp_path):
    result = run(
        "--database-url", f"sqlite:///{tmp_path / 'x.sqlite3'}", "demo-data", "--households", "0"
    )
    assert result.returncode == 2
    assert "--households" in result.stderr
    assert not (tmp_path / "x.sqlite3").exists()


def test_a_reader_that_goes_away_ends_the_command_quietly():
    """`counter plan … | head`: the pipe's reader is gone before the plan is written."""
    import subprocess
    import sys
    from pathlib import Path

    example = Path(__file__).parents[2] / "docs" / "examples" / "birth.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "counter.cli", "plan", "--household", str(example),
         "--format", "json", "--filed-on", "2026-11-24"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    process.stdout.close()  # the reader leaves before anything is read
    _, stderr = process.communicate(timeout=60)
    assert stderr.decode() == ""
    assert process.returncode == 141


def test_a_data_directory_left_open_by_an_older_version_is_closed_at_start(tmp_path):
    """An install made before the files were kept private: its data directory was 0755."""
    import os
    import subprocess
    import sys

    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    result = subprocess.run(
        [sys.executable, "-m", "counter.cli", "catalogue", "check"],
        env={**os.environ, "COUNTER_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert data.stat().st_mode & 0o777 == 0o700


def test_a_passed_deadline_is_overdue_relative_to_the_filing_day(tmp_path):
    """出生 on 11/20: the 出生届's 14 days (the day itself counted) end on 12/3 (木). Filed
    on 12/3 it is on time; on 12/4 it is late, in JSON and in words."""
    path = write(tmp_path, document("birth", "2026-11-20", birth_family()))

    def registration(filed_on: str) -> dict:
        result = run("plan", "--household", path, "--format", "json", "--filed-on", filed_on)
        assert result.returncode == 0, result.stderr
        procedures = json.loads(result.stdout)["procedures"]
        return next(p for p in procedures if p["name"] == "出生届")

    assert registration("2026-12-02")["overdue"] is False
    assert registration("2026-12-03")["overdue"] is False
    assert registration("R8.12.4")["overdue"] is True
    text = run("plan", "--household", path, "--filed-on", "2026-12-04").stdout
    assert "期限: 令和8年12月3日（木）まで（期限を過ぎています）" in text
    assert "期限を過ぎた手続き:" in text
    on_time = run("plan", "--household", path, "--filed-on", "2026-12-03").stdout
    assert "期限を過ぎています" not in on_time
