"""A household file's ``form_data`` (the values the counter would type on the forms):
its shape is checked wherever the file is read, and the individual number never passes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import birth_family, document

from counter.cli import main
from counter.interchange import HouseholdFormatError, parse_event_case

ANSWERS = {"birth_acceptance_certificate": "yes", "residence_certificate": "yes"}


def household(**extra: Any) -> dict[str, Any]:
    """The 米子 family of a newborn (米子　陽翔, m3), as a household file holds it."""
    return document("birth", "2026-11-20", birth_family(), answers=dict(ANSWERS), **extra)


def write(folder: Path, data: Any, name: str = "household.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def counter(capsys, *args: str) -> tuple[int, str, str]:
    """The command in this process: (exit status, stdout, stderr)."""
    try:
        status = main(list(args))
    except SystemExit as stop:
        status = stop.code  # type: ignore[assignment]
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_counter_plan_refuses_the_same_bad_form_data(tmp_path, capsys):
    """The format is one: a file with a bad form_data is not planned either."""
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
