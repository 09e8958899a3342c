"""Reading the resident register CSV (docs/register-csv.md): every problem, by line."""

from __future__ import annotations

from datetime import date

import pytest

from counter.household import MEMBER_FLAGS
from counter.register_csv import (
    COLUMNS,
    RegisterCsvError,
    decode_register_bytes,
    parse_register_csv,
)

TODAY = date(2026, 11, 20)
HEADER = ",".join(COLUMNS)
ADDRESS = "鳥取県米子市加茂町二丁目1番地"


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
        **dict.fromkeys(MEMBER_FLAGS, "0"),
        "nationality": "JP",
    }
    values.update(overrides)
    return ",".join(values.get(c, "") for c in COLUMNS)  # the optional facts: blank


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def parse(text: str):
    return parse_register_csv(text, today=TODAY)


def problems(text: str) -> list[str]:
    with pytest.raises(RegisterCsvError) as info:
        parse(text)
    return info.value.lines


FAMILY = (
    row(),
    row(
        resident_id="H1-2",
        relation="spouse",
        name="米子　花子",
        kana="よなご　はなこ",
        sex="female",
        health_insurance="employee_dependent",
    ),
    row(household_id="H2", resident_id="H2-1", name="境　一郎", kana="サカイ　イチロウ"),
)


def test_households_are_grouped_in_file_order():
    households = parse(csv_text(FAMILY[0], FAMILY[2], FAMILY[1]))
    assert [h.household_id for h in households] == ["H1", "H2"]
    h1 = households[0]
    assert [m.id for m in h1.members] == ["H1-1", "H1-2"]
    assert h1.head is not None and h1.head.id == "H1-1"
    assert h1.address.postal_code == "6830823" and h1.address.text == ADDRESS
    spouse = h1.members[1]
    assert spouse.kana == "ヨナゴ\u3000ハナコ"
    assert spouse.health_insurance == "employee_dependent"
    assert spouse.nationality == "JP" and not spouse.mynumber_card and not spouse.subject


def test_name_is_kept_exactly_with_u3000_and_compatibility_ideograph():
    name = "髙橋\u3000\uf929"  # U+F929 朗 would become U+6717 under NFKC
    (household,) = parse(csv_text(row(name=name)))
    assert household.members[0].name == name
    assert "\uf929" in household.members[0].name


def test_address_is_kept_exactly():
    address = "鳥取県米子市﨑町　1-2"  # U+FA11, U+3000
    (household,) = parse(csv_text(row(address=address)))
    assert household.address.text == address


def test_half_width_and_hiragana_kana_become_katakana():
    (household,) = parse(csv_text(row(kana="ﾖﾅｺﾞ  たろう")))
    assert household.members[0].kana == "ヨナゴ\u3000タロウ"


@pytest.mark.parametrize(
    "code", ["683-0823", "６８３－０８２３", "〒６８３ー０８２３", " 6830823 "]
)
def test_full_width_postal_codes_are_normalised(code):
    (household,) = parse(csv_text(row(postal_code=code)))
    assert household.address.postal_code == "6830823"


def test_full_width_ids_keep_their_hyphens():
    text = csv_text(row(household_id="Ｈ１", resident_id="Ｈ１－１"))
    (household,) = parse(text)
    assert household.household_id == "H1"
    assert household.members[0].id == "H1-1"


def test_birth_dates_in_wareki_and_full_width():
    text = csv_text(
        row(birth_date="昭和50年1月1日"),
        row(resident_id="H1-2", relation="child", birth_date="R1.5.1"),
        row(resident_id="H1-3", relation="child", birth_date="２０２０－０２－２９"),
    )
    (household,) = parse(text)
    assert [m.birth_date for m in household.members] == [
        date(1975, 1, 1),
        date(2019, 5, 1),
        date(2020, 2, 29),
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        *[("1", True), ("true", True), ("TRUE", True), ("はい", True), ("１", True)],
        *[("0", False), ("false", False), ("いいえ", False), ("", False)],
    ],
)
def test_flags(cell, expected):
    (household,) = parse(csv_text(row(mynumber_card=cell, care_certified=cell)))
    assert household.members[0].mynumber_card is expected
    assert household.members[0].care_certified is expected


def test_optional_columns_may_be_left_out_and_order_is_free():
    header = "name,kana,resident_id,household_id,relation,sex,birth_date,address,postal_code,"
    header += "health_insurance"
    line = f"米子　太郎,ヨナゴ　タロウ,r1,h1,head,male,1990-04-01,{ADDRESS},6830823,national"
    (household,) = parse(f"{header}\n{line}\n")
    member = household.members[0]
    assert (member.id, member.nationality, member.seal_registered) == ("r1", "JP", False)


def test_nationality_is_upper_cased_and_empty_means_jp():
    text = csv_text(
        row(nationality="vn"), row(resident_id="H1-2", relation="child", nationality="")
    )
    (household,) = parse(text)
    assert [m.nationality for m in household.members] == ["VN", "JP"]


def test_blank_rows_are_skipped_but_lines_still_counted():
    text = csv_text(FAMILY[0], "", ",,,,", row(resident_id="H1-2", relation="other", sex="x"))
    assert problems(text) == ["5行目: sex: 「x」は使えません（male / female）"]


# --- errors: every field names its line and column ---------------------------------------

BAD_CELLS = [
    ("household_id", "", "空欄です"),
    ("household_id", "H 1/2", "ID は半角の英数字と - _ . で書いてください"),
    ("household_id", "H" * 41, "ID は40文字までです"),
    ("resident_id", "", "空欄です"),
    ("resident_id", "山田", "ID は半角の英数字と - _ . で書いてください"),
    (
        "relation",
        "wife",
        "「wife」は使えません（head / spouse / child / parent / grandchild / other / child_spouse"
        " / sibling / fathers_parent / mothers_parent / spouse_parent / spouse_child"
        " / spouse_unfiled / relative / cohabitant）",
    ),
    ("name", "　", "空欄です"),
    ("kana", "", "空欄です"),
    ("kana", "山田", "カナはひらがなまたはカタカナで入力してください"),
    ("birth_date", "", "空欄です"),
    ("birth_date", "2026年2月30日", "2026年2月30日は存在しない日付です"),
    ("birth_date", "平成31年5月1日", "平成は2019年4月30日（平成31年4月30日）までです"),
    (
        "birth_date",
        "1/2/3",
        "日付の形式が正しくありません（例: 2026-11-20、令和8年11月20日、R8.11.20）",
    ),
    ("birth_date", "2026-11-21", "今日（2026-11-20）より後の日付です"),
    ("sex", "男", "「男」は使えません（male / female）"),
    ("postal_code", "683-082", "郵便番号は7桁の数字で入力してください（例: 683-0823）"),
    ("postal_code", "", "空欄です"),
    ("address", "", "空欄です"),
    ("health_insurance", "国保", "「国保」は使えません"),
    (
        "mynumber_card",
        "yes",
        "1 / 0、true / false、はい / いいえ のどれかにしてください（空欄は 0）",
    ),
    ("seal_registered", "2", "1 / 0、true / false"),
    ("care_certified", "x", "1 / 0、true / false"),
    ("disability_certificate", "ok", "1 / 0、true / false"),
    ("child_allowance_recipient", "y", "1 / 0、true / false"),
    ("nationality", "JPN", "国籍は2文字の国コードです（例: JP、空欄は JP）"),
    ("nationality", "日本", "国籍は2文字の国コードです"),
]


@pytest.mark.parametrize(("column", "cell", "message"), BAD_CELLS)
def test_each_field_error_names_line_and_column(column, cell, message):
    text = csv_text(FAMILY[0], row(**{"resident_id": "H1-2", "relation": "child", column: cell}))
    lines = problems(text)
    assert lines[0].startswith(f"3行目: {column}: {message}"), lines
    assert all(line.startswith("3行目: ") for line in lines), lines


def test_all_bad_rows_are_reported_not_just_the_first():
    text = csv_text(
        FAMILY[0],
        row(resident_id="H1-2", relation="child", birth_date="2026年2月30日"),
        row(resident_id="H1-3", relation="child", sex="f", kana="Taro"),
        FAMILY[2],
        row(household_id="H3", resident_id="H3-1", postal_code="12"),
    )
    assert problems(text) == [
        "3行目: birth_date: 2026年2月30日は存在しない日付です",
        "4行目: kana: カナはひらがなまたはカタカナで入力してください",
        "4行目: sex: 「f」は使えません（male / female）",
        "6行目: postal_code: 郵便番号は7桁の数字で入力してください（例: 683-0823）",
    ]


def test_duplicate_resident_id():
    text = csv_text(*FAMILY, row(household_id="H2", resident_id="H1-2", relation="child"))
    assert problems(text) == ["5行目: resident_id: 「H1-2」が重複しています（3行目と同じ）"]


def test_household_without_head():
    text = csv_text(FAMILY[0], row(household_id="H2", resident_id="H2-1", relation="spouse"))
    assert problems(text) == [
        "3行目: relation: 世帯「H2」に世帯主（head）がいません。ちょうど1人にしてください"
    ]


def test_household_with_two_heads():
    text = csv_text(FAMILY[0], row(resident_id="H1-2"))
    assert problems(text) == [
        "3行目: relation: 世帯「H1」の世帯主（head）は 2行目にもいます。ちょうど1人にしてください"
    ]


def test_household_address_must_be_the_same_on_every_row():
    text = csv_text(
        FAMILY[0],
        row(resident_id="H1-2", relation="child", postal_code="683-0801"),
        row(resident_id="H1-3", relation="child", address=ADDRESS + "\u3000"),
        row(resident_id="H1-4", relation="child", postal_code="６８３－０８２３"),  # same code
    )
    assert problems(text) == [
        "3行目: postal_code: 同じ世帯「H1」の2行目と郵便番号が違います"
        "（世帯の全員で同じにしてください）",
        "4行目: address: 同じ世帯「H1」の2行目と住所が違います（世帯の全員で同じにしてください）",
    ]


def test_quoted_cell_spanning_lines_reports_physical_lines():
    text = csv_text(
        row(address=f'"{ADDRESS}\n2階"'),
        row(resident_id="H1-2", relation="child", address=f'"{ADDRESS}\n2階"', sex="x"),
    )
    assert problems(text) == ["4行目: sex: 「x」は使えません（male / female）"]


def test_wrong_number_of_cells():
    n = len(COLUMNS)
    assert problems(csv_text(FAMILY[0], FAMILY[1] + ",extra")) == [
        f"3行目: 列の数が{n + 1}個です（見出しは{n}個）"
    ]


def test_unclosed_quote_stops_reading_at_its_line():
    lines = problems(csv_text(FAMILY[0], row(resident_id="H1-2", relation="child", name='"米子')))
    assert lines == ['3行目: 引用符（"）の対応が取れていません。この行から先は読めません']


# --- header -------------------------------------------------------------------------------


def test_header_unknown_duplicate_and_missing_columns():
    header = HEADER.replace("nationality", "nationalty").replace("kana", "name")
    assert problems(csv_text(row(), header=header)) == [
        "1行目: name: 同じ見出しの列が2つあります",
        "1行目: nationalty: この列は書式にありません（docs/register-csv.md）",
        "1行目: kana: 必須の列がありません",
    ]


def test_missing_header_row():
    lines = problems(row() + "\n")
    assert len(lines) == 1 and lines[0].startswith("1行目: 1行目が見出しの行ではありません")


def test_empty_file_and_header_only():
    assert problems("") == ["1行目: 1行目に見出しの行がありません"]
    assert problems(csv_text()) == ["2行目: 住民の行がありません"]


# --- bytes --------------------------------------------------------------------------------


def test_utf8_with_and_without_bom():
    text = csv_text(*FAMILY)
    assert decode_register_bytes(text.encode("utf-8")) == text
    decoded = decode_register_bytes(text.encode("utf-8-sig"))
    assert decoded == text
    assert len(parse(decoded)) == 2


def test_bom_left_in_text_is_ignored():
    assert len(parse("\ufeff" + csv_text(*FAMILY))) == 2


def test_shift_jis_is_rejected_with_advice_to_save_as_utf8():
    data = csv_text(*FAMILY).encode("cp932")
    with pytest.raises(RegisterCsvError) as info:
        decode_register_bytes(data)
    (line,) = info.value.lines
    assert line.startswith(
        "2行目: Shift_JIS で保存されたファイルのようです。UTF-8 で保存してください"
    )
    assert "CSV UTF-8" in line


def test_utf16_and_garbage_are_rejected():
    with pytest.raises(RegisterCsvError, match="UTF-16"):
        decode_register_bytes(csv_text(*FAMILY).encode("utf-16"))
    with pytest.raises(RegisterCsvError, match="UTF-8 のテキストではありません"):
        decode_register_bytes(HEADER.encode() + b"\n\xff\xfe\xfa\x80")
    with pytest.raises(RegisterCsvError, match="UTF-8 のテキストではありません"):
        decode_register_bytes(HEADER.encode() + b"\n\x80\x80")
