"""Reading payment-result files: every bad line named with its field, nothing half-read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from counter.payment.results import (
    MAX_LISTED_PROBLEMS,
    PaymentResult,
    PaymentResultsError,
    decode_results,
    file_digest,
    parse_results,
)

TODAY = date(2026, 12, 2)
HEADER = "payment_number,confirmation_number,amount,paid_on,channel"


def parse(*rows: str, header: str = HEADER) -> list[PaymentResult]:
    return parse_results("\r\n".join([header, *rows]) + "\r\n", today=TODAY)


def problems(*rows: str, header: str = HEADER) -> list[str]:
    with pytest.raises(PaymentResultsError) as caught:
        parse(*rows, header=header)
    return [str(p) for p in caught.value.problems]


def test_a_good_file_gives_one_result_per_line():
    results = parse(
        "00000000000000012345,123456,350,2026-12-01,convenience_store",
        "",
        '12346,654321,"1,200",令和8年11月30日,bank',
    )
    assert results == [
        PaymentResult(2, "12345", "123456", 350, date(2026, 12, 1), "convenience_store"),
        PaymentResult(4, "12346", "654321", 1200, date(2026, 11, 30), "bank"),
    ]


def test_bom_full_width_digits_and_columns_in_any_order():
    text = (
        "\ufeffchannel,amount,paid_on,confirmation_number,payment_number\n"
        "スマホ決済アプリ,３５０,２０２６－１２－０１,１２３ ４５６,０００１ ２３４５\n"
    )
    data = text.encode("utf-8")
    assert parse_results(decode_results(data), today=TODAY) == [
        PaymentResult(2, "12345", "123456", 350, date(2026, 12, 1), "smartphone_app")
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (",123456,350,2026-12-01,bank", "2行目: 納付番号: 空欄です"),
        ("123456789012345678901,123456,350,2026-12-01,bank", "2行目: 納付番号: 「123456789"),
        ("12A45,123456,350,2026-12-01,bank", "2行目: 納付番号: 「12A45」: 20桁以内"),
        ("12345,12345,350,2026-12-01,bank", "2行目: 確認番号: 「12345」: 6桁の数字"),
        ("12345,123456,-350,2026-12-01,bank", "2行目: 金額: 「-350」: 円単位の整数"),
        ("12345,123456,0,2026-12-01,bank", "2行目: 金額: 1円から"),
        ('12345,123456,"1,20",2026-12-01,bank', "2行目: 金額: 「1,20」"),
        ("12345,123456,350,2026-02-30,bank", "2行目: 納付日: 2026年2月30日は存在しない日付です"),
        ("12345,123456,350,2026-12-03,bank", "2行目: 納付日: 今日（2026-12-02）より後の日付です"),
        ("12345,123456,350,2026-12-01,cash", "2行目: 納付経路: 「cash」は使えません"),
        ("12345,123456,350,2026-12-01", "2行目: 列の数が4個です（見出しは5個）"),
    ],
)
def test_each_bad_field_is_named_with_its_line(row, expected):
    found = problems(row)
    assert len(found) == 1
    assert found[0].startswith(expected)


def test_every_bad_line_is_reported_and_nothing_is_returned():
    found = problems(
        "12345,123456,350,2026-12-01,bank",
        "12346,12345,350,2026-12-01,bank",
        "12347,123456,abc,2026-12-40,bank",
    )
    assert [p.split(": ")[:2] for p in found] == [
        ["3行目", "確認番号"],
        ["4行目", "金額"],
        ["4行目", "納付日"],
    ]


def test_the_message_lists_only_the_first_problems():
    rows = [f"{n},1,350,2026-12-01,bank" for n in range(1, 31)]
    with pytest.raises(PaymentResultsError) as caught:
        parse(*rows)
    message = str(caught.value).splitlines()
    assert len(caught.value.problems) == 30
    assert len(message) == MAX_LISTED_PROBLEMS + 1
    assert message[0].startswith("2行目: 確認番号")
    assert message[-1] == "ほか 10 件"


def test_a_wrong_header_is_reported_alone():
    found = problems("12345,123456,350,2026-12-01,bank", header="納付番号,確認番号,金額,納付日")
    assert len(found) == 1
    assert found[0].startswith("1行目: 見出しは payment_number,")


def test_an_empty_file_has_no_header():
    with pytest.raises(PaymentResultsError, match="1行目: 見出しの行がありません"):
        parse_results("", today=TODAY)


def test_a_header_alone_is_a_file_without_payments():
    assert parse_results(HEADER + "\n", today=TODAY) == []


def test_shift_jis_is_refused_and_the_digest_is_of_the_bytes():
    data = (HEADER + "\n12345,123456,350,2026-12-01,コンビニエンスストア\n").encode("cp932")
    with pytest.raises(PaymentResultsError, match="2行目: UTF-8 のテキストではありません"):
        decode_results(data)
    assert file_digest(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_the_documented_example_is_read():
    doc = (Path(__file__).parents[2] / "docs" / "payment-results.md").read_text(encoding="utf-8")
    example = doc.split("```csv\n", 1)[1].split("```", 1)[0]
    results = parse_results(example, today=TODAY)
    assert [(r.payment_number, r.amount, r.paid_on, r.channel) for r in results] == [
        ("12345", 350, date(2026, 12, 1), "convenience_store"),
        ("12346", 1200, date(2026, 11, 30), "bank"),
        ("12347", 750, date(2026, 12, 1), "smartphone_app"),
    ]
