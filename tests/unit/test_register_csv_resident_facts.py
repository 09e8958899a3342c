"""The register CSV's columns for certificates: 住定日, 本籍 and 旧氏 (docs/register-csv.md).

Optional: a file without them imports as before. A bad value is one line naming the line
and the column, and nothing is read; 本籍 and 旧氏 are taken exactly as written.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from counter.household import Honseki
from counter.register_csv import (
    FACT_COLUMNS,
    REQUIRED_COLUMNS,
    RegisterCsvError,
    format_register_csv,
    parse_register_csv,
)

TODAY = date(2026, 11, 20)
HEADER = [*REQUIRED_COLUMNS, "nationality", *FACT_COLUMNS]
ADDRESS = "鳥取県米子市加茂町二丁目1番地"
HONSEKI_TEXT = "鳥取県米子市加茂町二丁目１２番地"


def row(**overrides: str) -> str:
    values = {
        "household_id": "H1",
        "resident_id": "H1-1",
        "relation": "head",
        "name": "米子　太郎",
        "kana": "ヨナゴ　タロウ",
        "birth_date": "1990-04-01",
        "sex": "male",
        "postal_code": "6830823",
        "address": ADDRESS,
        "health_insurance": "national",
        "nationality": "",
        "resident_since": "",
        "honseki_municipality": "",
        "honseki_text": "",
        "former_surname": "",
        **overrides,
    }
    return ",".join(values[c] for c in HEADER)


def csv_text(*rows: str, header: list[str] = HEADER) -> str:
    return "\r\n".join([",".join(header), *rows]) + "\r\n"


def only_member(text: str):
    (household,) = parse_register_csv(text, today=TODAY)
    (member,) = household.members
    return member


def problems(text: str) -> list[str]:
    with pytest.raises(RegisterCsvError) as info:
        parse_register_csv(text, today=TODAY)
    return info.value.lines


def test_the_documented_example_reads_with_every_fact():
    doc = (Path(__file__).parents[2] / "docs" / "register-csv.md").read_text(encoding="utf-8")
    block = doc.split("With the facts certificates need", 1)[1].split("```csv\n", 1)[1]
    (household,) = parse_register_csv(block.split("```", 1)[0], today=TODAY)
    husband, wife = household.members
    assert husband.resident_since == husband.birth_date == date(1975, 1, 1)
    assert husband.honseki == Honseki("312029", "鳥取県米子市加茂町二丁目１番地")
    assert husband.former_surname == ""
    assert wife.resident_since == date(2003, 4, 1)  # H15.4.1
    assert wife.honseki == husband.honseki  # the full-width code as ASCII digits
    assert wife.former_surname == "田中"


def test_facts_are_read_and_names_kept_exactly():
    member = only_member(
        csv_text(
            row(
                resident_since="令和３年４月１日",
                honseki_municipality="３２２－０１６",
                honseki_text="島根県松江市殿町\uf929１番地\u3000 ",  # compatibility ideograph
                former_surname="﨑山",  # U+FA11
            )
        )
    )
    assert member.resident_since == date(2021, 4, 1)
    assert member.honseki == Honseki("322016", "島根県松江市殿町\uf929１番地\u3000 ")
    assert member.former_surname == "\ufa11山"


def test_a_file_without_the_columns_still_reads_and_blank_cells_are_no_fact():
    old = [c for c in HEADER if c not in FACT_COLUMNS]
    values = ["H1", "H1-1", "head", "米子　太郎", "ヨナゴ　タロウ", "1990-04-01", "male"]
    values += ["6830823", ADDRESS, "national", ""]
    member = only_member(csv_text(",".join(values), header=old))
    assert (member.resident_since, member.honseki, member.former_surname) == (None, None, "")
    blank = only_member(
        csv_text(row(resident_since=" ", honseki_municipality="\u3000", former_surname=" "))
    )
    assert (blank.resident_since, blank.honseki, blank.former_surname) == (None, None, "")


def test_facts_write_out_and_read_back_unchanged():
    text = csv_text(
        row(resident_since="2020-02-29", honseki_municipality="312029", honseki_text=HONSEKI_TEXT),
        row(resident_id="H1-2", relation="spouse", name="米子　花子", sex="female",
            former_surname="髙橋"),
    )  # fmt: skip
    households = parse_register_csv(text, today=TODAY)
    assert parse_register_csv(format_register_csv(households), today=TODAY) == households
    written = format_register_csv(households).splitlines()
    assert written[0].endswith(
        ",resident_since,honseki_municipality,honseki_text,former_surname"
        ",residence_status,residence_period,residence_expiry,residence_card_number"
    )
    assert written[1].endswith(f",JP,2020-02-29,312029,{HONSEKI_TEXT},,,,,")
    assert written[2].endswith(",JP,,,,髙橋,,,,")


BEFORE_BIRTH = "resident_since: 生年月日（birth_date）より前の日付です"
TOO_LONG_NAME = "former_surname: 60文字以内にしてください（61文字あります）"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"resident_since": "2026年2月30日"}, "resident_since: 2026年2月30日は存在しない日付です"),
        ({"resident_since": "2026-11-21"}, "resident_since: 今日（2026-11-20）より後の日付です"),
        (
            {"resident_since": "1990-03-31"},
            BEFORE_BIRTH,
        ),
        (
            {"honseki_municipality": "31202", "honseki_text": HONSEKI_TEXT},
            "honseki_municipality: 本籍の地方公共団体コードは6桁の数字です（例: 312029）",
        ),
        (
            {"honseki_municipality": "米子市", "honseki_text": HONSEKI_TEXT},
            "honseki_municipality: 本籍の地方公共団体コードは6桁の数字です（例: 312029）",
        ),
        (
            {"honseki_municipality": "３１２０２０", "honseki_text": HONSEKI_TEXT},
            "honseki_municipality: 地方公共団体コード「312020」の検査数字が合いません",
        ),
        (
            {"honseki_municipality": "312029", "honseki_text": "鳥取県米子市\x1b[2J"},
            "honseki_text: 改行・タブなどの制御文字か、壊れた文字があります（7文字目）",
        ),
        (
            {"honseki_municipality": "312029", "honseki_text": "鳥取県\u202e市"},
            "honseki_text: 文字の向きを変える制御文字（U+202E など）は使えません（4文字目）",
        ),
        (
            {"honseki_municipality": "312029", "honseki_text": "番" * 201},
            "honseki_text: 200文字以内にしてください（201文字あります）",
        ),
        (
            {"honseki_text": HONSEKI_TEXT},
            "honseki_municipality: 本籍（honseki_text）があるときは、"
            "その地方公共団体コード（6桁）も書いてください",
        ),
        (
            {"honseki_municipality": "312029"},
            "honseki_text: 本籍の地方公共団体コードがあるときは、"
            "本籍（honseki_text）も書いてください",
        ),
        (
            {"nationality": "vn", "honseki_municipality": "312029", "honseki_text": HONSEKI_TEXT},
            "honseki_text: 本籍は日本国籍の方だけに書きます（国籍が「VN」です）",
        ),
        ({"former_surname": "田\u202e中"}, "former_surname: 文字の向きを変える制御文字"),
        (
            {"former_surname": "田" * 61},
            TOO_LONG_NAME,
        ),
    ],
)
def test_a_bad_value_is_one_line_naming_line_and_column_and_nothing_is_read(cells, expected):
    text = csv_text(row(resident_id="H1-1"), row(resident_id="H1-2", relation="child", **cells))
    lines = problems(text)
    assert len(lines) == 1
    assert lines[0].startswith(f"3行目: {expected}")


def test_a_line_break_in_a_honseki_is_refused_though_an_address_may_hold_one():
    text = csv_text(
        row(address=f'"{ADDRESS}\n2階"', honseki_municipality="312029",
            honseki_text=f'"{HONSEKI_TEXT}\n2階"'),
    )  # fmt: skip
    assert problems(text) == [
        "2行目: honseki_text: 改行・タブなどの制御文字か、壊れた文字があります（17文字目）"
    ]


def test_every_bad_fact_of_a_file_is_reported_at_once():
    text = csv_text(
        row(resident_since="S99.1.1"),
        row(resident_id="H1-2", relation="child", honseki_municipality="000000",
            honseki_text=HONSEKI_TEXT),
    )  # fmt: skip
    lines = problems(text)
    assert [line.split(": ")[:2] for line in lines] == [
        ["2行目", "resident_since"],
        ["3行目", "honseki_municipality"],
    ]


def test_the_demo_register_writes_out_and_reads_back_with_its_facts():
    from counter.demo import generate_households

    households = generate_households(300, seed=2, on=TODAY)
    assert any(m.honseki for h in households for m in h.members)
    assert parse_register_csv(format_register_csv(households), today=TODAY) == households
    stripped = [
        replace(h, members=tuple(replace(m, honseki=None) for m in h.members)) for h in households
    ]
    assert parse_register_csv(format_register_csv(stripped), today=TODAY) == stripped
