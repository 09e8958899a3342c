"""`counter catalogue check` finds every kind of broken data and says where."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from counter.catalogue import CATALOGUE_DIR
from counter.catalogue_check import check_data
from counter.profile import PROFILE_DIR
from forms.registry import form_names

GOOD = """
[[procedures]]
id = "sample"
name = "見本の手続き"
events = ["birth"]
department = "shimin"
members = "subjects"
deadline = { rule = "none" }
documents = []
forms = ["出生届"]
online = false
legal_basis = "見本"
reason = "{names}の見本"
valid_from = "2000-01-01"
"""


@pytest.fixture
def data(tmp_path: Path) -> tuple[Path, Path]:
    catalogue = tmp_path / "catalogue"
    profiles = tmp_path / "profiles"
    shutil.copytree(CATALOGUE_DIR, catalogue)
    shutil.copytree(PROFILE_DIR, profiles)
    return catalogue, profiles


def problems_with(data, text: str) -> list[str]:
    catalogue, profiles = data
    (catalogue / "zz-extra.toml").write_text(text, encoding="utf-8")
    return check_data(form_names(), catalogue, profiles)[0]


def test_the_shipped_data_has_no_problems():
    problems, summary = check_data(form_names())
    assert problems == []
    assert "手続き" in summary


def test_a_good_extra_procedure_passes(data):
    assert problems_with(data, GOOD) == []


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda t: t.replace("online = false", 'online = false\ncolour = "red"'), "知らない項目"),
        (lambda t: t.replace('legal_basis = "見本"\n', ""), "必須の項目がありません"),
        (lambda t: t.replace('["出生届"]', '["存在しない届"]'), "様式「存在しない届」"),
        (lambda t: t.replace('events = ["birth"]', 'events = ["wedding"]'), "未知の届出"),
        (lambda t: t.replace('rule = "none"', 'rule = "weeks"'), "期限の数え方"),
        (lambda t: t.replace('members = "subjects"', 'members = "cats"'), "members"),
        (lambda t: t.replace('department = "shimin"', 'department = "nowhere"'), "担当課"),
        (lambda t: t + 'question = "no_such_question"\n', "質問「no_such_question」"),
        (lambda t: t + 'member_when = ["age_over:3"]\n', "未知の条件"),
        (lambda t: t + 'household_when = ["any_other:has:wings"]\n', "未知の属性"),
        # an age says how the statute counts it, and the entry names that statute
        (lambda t: t + 'member_when = ["age_at_least:65"]\nage_basis = "法"\n', "年齢の数え方"),
        (lambda t: t + 'member_when = ["age_under:75:kazoe"]\nage_basis = "法"\n', "年齢の数え方"),
        (
            lambda t: t + 'household_when = ["any_other:age_at_least:15"]\nage_basis = "法"\n',
            "年齢の数え方",
        ),
        (lambda t: t + 'member_when = ["age_at_least:65:reached"]\n', "age_basis"),
        (
            lambda t: t.replace('valid_from = "2000-01-01"', 'valid_from = "2000-13-01"'),
            "YYYY-MM-DD",
        ),
        (lambda t: t.replace("[[procedures]]", "[[procedures]"), "TOML"),
        (lambda t: t.replace("{names}の見本", "{names}が{town}に"), "知らない差し込み ['town']"),
        (lambda t: t + 'note = "{city}の{ward}"\n', "知らない差し込み ['ward']"),
    ],
)
def test_each_problem_is_reported_with_file_and_line(data, change, words):
    problems = problems_with(data, "\n\n" + change(GOOD))
    assert any(words in p for p in problems), problems
    located = next(p for p in problems if words in p)
    assert located.startswith("zz-extra.toml:"), located


def test_line_number_points_at_the_procedure(data):
    problems = problems_with(data, "\n\n\n" + GOOD.replace('["出生届"]', '["存在しない届"]'))
    assert problems[0].startswith("zz-extra.toml:5:")


def test_overlapping_versions_are_found(data):
    problems = problems_with(data, GOOD + GOOD)
    assert any("有効期間が重なっています" in p for p in problems)


def test_a_profile_with_a_bad_code_is_reported(data):
    catalogue, profiles = data
    text = (profiles / "312029.toml").read_text(encoding="utf-8")
    (profiles / "312020.toml").write_text(text.replace('"312029"', '"312020"'), "utf-8")
    problems = check_data(form_names(), catalogue, profiles)[0]
    assert any("312020" in p and "検査数字" in p for p in problems)


def test_cli_exit_codes():
    ok = subprocess.run(
        [sys.executable, "-m", "counter.cli", "catalogue", "check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("問題はありません")
