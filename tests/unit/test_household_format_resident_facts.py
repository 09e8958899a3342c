"""The household format's member facts for certificates: ``resident_since``, ``honseki``
and ``former_surname`` (docs/household-format.md). Optional, read and written back, and a
bad value is one line naming the field."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import birth_family, document, spouse

from counter.household import Honseki
from counter.interchange import (
    HouseholdFormatError,
    event_case_to_dict,
    load_event_case,
    parse_event_case,
)

HONSEKI = {"municipality": "312029", "text": "鳥取県米子市加茂町二丁目１２番地"}


def family_with_facts(**facts) -> list[dict]:
    family = birth_family()
    family[1].update(
        resident_since="H30.4.1",
        honseki={"municipality": "３２２０１６", "text": "島根県松江市殿町\uf929１番地"},
        former_surname="﨑山",
        **facts,
    )
    return family


def test_facts_are_read_codes_normalised_and_words_kept_exactly():
    case = parse_event_case(document("birth", "2026-11-20", family_with_facts()))
    head, wife, child = case.household.members
    assert wife.resident_since == date(2018, 4, 1)
    assert wife.honseki == Honseki("322016", "島根県松江市殿町\uf929１番地")
    assert wife.former_surname == "\ufa11山"
    assert (head.resident_since, head.honseki, head.former_surname) == (None, None, "")
    assert child.resident_since is None


def test_facts_round_trip_and_are_written_only_when_known():
    case = parse_event_case(document("birth", "2026-11-20", family_with_facts()))
    written = event_case_to_dict(case)
    assert parse_event_case(written) == case
    head, wife, _ = written["members"]
    assert wife["resident_since"] == "2018-04-01"  # ISO, whatever was read
    assert wife["honseki"] == {"municipality": "322016", "text": "島根県松江市殿町\uf929１番地"}
    assert wife["former_surname"] == "\ufa11山"
    assert not {"resident_since", "honseki", "former_surname"} & set(head)
    again = json.loads(json.dumps(written, ensure_ascii=False))  # as stored in a visit
    assert parse_event_case(again) == case


def test_null_and_empty_mean_not_known():
    family = birth_family()
    family[0].update(resident_since=None, honseki=None, former_surname="")
    family[1].update(former_surname="\u3000")
    head, wife, _ = parse_event_case(document("birth", "2026-11-20", family)).household.members
    assert (head.resident_since, head.honseki, head.former_surname) == (None, None, "")
    assert wife.former_surname == ""


def test_a_file_with_the_facts_loads(tmp_path: Path):
    path = tmp_path / "household.json"
    data = document("birth", "2026-11-20", family_with_facts())
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_event_case(path).household.members[1].honseki == Honseki(
        "322016", "島根県松江市殿町\uf929１番地"
    )


BEFORE_BIRTH = "resident_since: 生年月日（birth_date）より前の日付です"
TOO_LONG_NAME = "former_surname: 60文字以内にしてください（61文字あります）"


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"resident_since": "2018-02-30"}, "resident_since: 2018年2月30日は存在しない日付です"),
        ({"resident_since": 20180401}, "resident_since: 文字列にしてください"),
        (
            {"resident_since": "1992-06-14"},
            BEFORE_BIRTH,
        ),
        ({"honseki": "鳥取県米子市"}, "honseki: municipality と text を持つオブジェクト"),
        ({"honseki": {**HONSEKI, "zip": "1"}}, "honseki.zip: この項目は書式にありません"),
        ({"honseki": {"text": HONSEKI["text"]}}, "honseki.municipality: 必須の項目がありません"),
        ({"honseki": {"municipality": "312029"}}, "honseki.text: 必須の項目がありません"),
        (
            {"honseki": {**HONSEKI, "municipality": 312029}},
            "honseki.municipality: 文字列にしてください",
        ),
        (
            {"honseki": {**HONSEKI, "municipality": "31202"}},
            "honseki.municipality: 本籍の地方公共団体コードは6桁の数字です（例: 312029）",
        ),
        (
            {"honseki": {**HONSEKI, "municipality": "312020"}},
            "honseki.municipality: 地方公共団体コード「312020」の検査数字が合いません",
        ),
        ({"honseki": {**HONSEKI, "text": "\u3000"}}, "honseki.text: 空欄です"),
        (
            {"honseki": {**HONSEKI, "text": "鳥取県\n米子市"}},
            "honseki.text: 改行・タブなどの制御文字か、壊れた文字があります（4文字目）",
        ),
        (
            {"honseki": {**HONSEKI, "text": "\u2066鳥取県"}},
            "honseki.text: 文字の向きを変える制御文字（U+202E など）は使えません（1文字目）",
        ),
        (
            {"honseki": {**HONSEKI, "text": "番" * 201}},
            "honseki.text: 200文字以内にしてください（201文字あります）",
        ),
        (
            {"nationality": "vn", "honseki": HONSEKI},
            "honseki: 本籍は日本国籍の方だけに書きます（国籍が「VN」です）",
        ),
        ({"former_surname": ["田中"]}, "former_surname: 文字列にしてください"),
        ({"former_surname": "田\x00中"}, "former_surname: 改行・タブなどの制御文字"),
        (
            {"former_surname": "田" * 61},
            TOO_LONG_NAME,
        ),
    ],
)
def test_a_bad_fact_is_one_line_naming_the_field(facts, expected):
    family = birth_family()
    family[1] = spouse(**facts)
    with pytest.raises(HouseholdFormatError) as caught:
        parse_event_case(document("birth", "2026-11-20", family))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"members[1].{expected}")
