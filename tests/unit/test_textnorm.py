"""counter.textnorm: codes, postal codes and フリガナ; names are never touched."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter import textnorm
from counter.textnorm import (
    TextFormatError,
    format_postal_code,
    is_kana,
    kana_search_key,
    normalize_digits,
    normalize_kana,
    normalize_number,
    normalize_phone,
    normalize_postal_code,
)

STORED_KANA = re.compile(r"[\u30a1-\u30fa\u30fd\u30fe\u30fc\u30fb\u3000]*")

# --- normalize_digits -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("０９０－１２３４－５６７８", "09012345678"),
        ("090-1234-5678", "09012345678"),
        ("090‐1234‐5678", "09012345678"),
        ("090−1234−5678", "09012345678"),
        ("090―1234―5678", "09012345678"),
        ("090–1234—5678", "09012345678"),
        ("090ー1234ー5678", "09012345678"),
        ("090ｰ1234ｰ5678", "09012345678"),
        ("\u3000090 1234\t5678\u3000", "09012345678"),
        ("ＡＢ１２３", "AB123"),
        ("ABー12", "ABー12"),  # ー not between digits is not a hyphen
    ],
)
def test_normalize_digits(text: str, expected: str) -> None:
    assert normalize_digits(text) == expected


# --- postal codes -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "683-0823",
        "６８３－０８２３",
        "〒683-0823",
        "〒６８３－０８２３",
        "〶683-0823",
        "6830823",
        "\u3000683-0823 ",
        "〒 683 0823",
        "683ー0823",
    ],
)
def test_normalize_postal_code(text: str) -> None:
    assert normalize_postal_code(text) == "6830823"
    assert format_postal_code(text) == "683-0823"


@pytest.mark.parametrize(
    "text", ["", "683-082", "683-08233", "683-O823", "鳥取市", "〒", "683-0823-1", "٦٨٣٠٨٢٣"]
)
def test_postal_code_rejected(text: str) -> None:
    with pytest.raises(TextFormatError) as info:
        normalize_postal_code(text)
    assert str(info.value) == "郵便番号は7桁の数字で入力してください（例: 683-0823）"


def test_format_postal_code_rejects_too() -> None:
    with pytest.raises(TextFormatError, match="7桁"):
        format_postal_code("12345")


def test_text_format_error_is_value_error() -> None:
    assert issubclass(TextFormatError, ValueError)


# --- normalize_kana -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ヤマダ　タロウ", "ヤマダ　タロウ"),
        ("やまだ　たろう", "ヤマダ　タロウ"),
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ　タロウ"),
        ("ｶﾞｷﾞｸﾞﾊﾟﾎﾟ", "ガギグパポ"),
        ("  やまだ \u3000\t たろう  ", "ヤマダ　タロウ"),
        ("\u3000ヤマダ\u3000", "ヤマダ"),
        ("ヴァイオレット", "ヴァイオレット"),
        ("ゔぁいおれっと", "ヴァイオレット"),
        ("ｳﾞｧｲｵﾚｯﾄ", "ヴァイオレット"),
        ("コーヒー", "コーヒー"),
        ("ｺｰﾋｰ", "コーヒー"),
        ("ジョン・スミス", "ジョン・スミス"),
        ("ｼﾞｮﾝ･ｽﾐｽ", "ジョン・スミス"),
        ("カ\u3099ク", "ガク"),  # combining dakuten (macOS NFD paste)
        ("ヤマダ　タロウ　ジロウ", "ヤマダ　タロウ　ジロウ"),
        ("", ""),
        ("\u3000 ", ""),
    ],
)
def test_normalize_kana(text: str, expected: str) -> None:
    assert normalize_kana(text) == expected


@pytest.mark.parametrize(
    "text", ["山田　太郎", "Yamada Taro", "ヤマダ1", "ヤマダ＝タロウ", "やまだ-たろう", "髙橋　朗"]
)
def test_normalize_kana_rejects(text: str) -> None:
    with pytest.raises(TextFormatError) as info:
        normalize_kana(text)
    assert str(info.value) == "カナはひらがなまたはカタカナで入力してください"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_normalize_kana_leaves_only_katakana(text: str) -> None:
    try:
        result = normalize_kana(text)
    except TextFormatError:
        return
    assert STORED_KANA.fullmatch(result)
    assert result == result.strip()
    assert "\u3000\u3000" not in result


@given(
    st.lists(
        st.text(alphabet=st.characters(min_codepoint=0x3041, max_codepoint=0x3096), min_size=1),
        min_size=1,
        max_size=4,
    )
)
def test_normalize_kana_hiragana_parts(parts: list[str]) -> None:
    result = normalize_kana(" \u3000".join(parts))
    assert STORED_KANA.fullmatch(result)
    assert result.count("\u3000") == len(parts) - 1
    assert normalize_kana(result) == result  # idempotent


# --- kana_search_key --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ヤマダ　タロウ", "ヤマダタロウ"),
        ("やまだ たろう", "ヤマダタロウ"),
        ("ｷｯｼｬ ｼｮｳｺ", "キツシヤシヨウコ"),
        ("きっしゃ　しょうこ", "キツシヤシヨウコ"),
        ("ジョン・ヴァン　ハッター", "ジヨンヴアンハツター"),
        ("ヵヶヮぁぃぅぇぉ", "カケワアイウエオ"),
        ("ガギグゲゴパピプペポ", "ガギグゲゴパピプペポ"),
        ("山田 ヤマダ 123 abc", "ヤマダ"),
        ("", ""),
        ("髙橋", ""),
    ],
)
def test_kana_search_key(text: str, expected: str) -> None:
    assert kana_search_key(text) == expected


def test_search_key_matches_typed_variants() -> None:
    stored = kana_search_key(normalize_kana("ｷｯｼｬ　ｼｮｳｺ"))
    assert kana_search_key("きつしやしようこ") == stored
    assert kana_search_key("キッシャ ショウコ") == stored


@given(st.text(st.characters(codec=None), max_size=30))  # no UTF-8 table: 1.4 s a process
def test_kana_search_key_never_raises(text: str) -> None:
    key = kana_search_key(text)
    assert re.fullmatch(r"[\u30a2-\u30fa\u30fd\u30fe\u30fc]*", key)
    assert not set(key) & set("ァィゥェォッャュョヮヵヶ・\u3000 ")
    assert kana_search_key(key) == key


# --- is_kana ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ヤマダ　タロウ", True),
        ("やまだ", True),
        ("ﾔﾏﾀﾞ", True),
        ("コーヒー", True),
        ("山田", False),
        ("yamada", False),
        ("", False),
        ("\u3000", False),
    ],
)
def test_is_kana(text: str, expected: bool) -> None:
    assert is_kana(text) is expected


# --- names are never normalised -----------------------------------------------------


def test_no_function_claims_to_normalise_names() -> None:
    public = [n for n in dir(textnorm) if not n.startswith("_")]
    assert not [n for n in public if "name" in n.lower() or "shimei" in n.lower()]


def test_kanji_name_is_rejected_not_rewritten() -> None:
    # A compatibility ideograph (U+F929) would be rewritten by NFKC/NFC; the kana field
    # must refuse it rather than silently store a changed string.
    name = "髙橋\u3000\uf929"
    with pytest.raises(TextFormatError):
        normalize_kana(name)
    assert name[-1] == "\uf929"


# --- normalize_phone / normalize_number (what staff type on a form) --------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("０８５９－２３－５１１１", "0859-23-5111"),
        ("０８５９ー２３ー５１１１", "0859-23-5111"),  # IME in kana mode
        ("0859 23 5111", "0859-23-5111"),
        ("\u3000090-1234-5678\u3000", "090-1234-5678"),
        ("09012345678", "09012345678"),
        ("0859--23-5111", "0859235111"),  # odd grouping: digits only
    ],
)
def test_normalize_phone(text: str, expected: str) -> None:
    assert normalize_phone(text) == expected


@pytest.mark.parametrize(
    "text", ["", "0859-23-511", "859-23-5111", "0859-23-5111-23", "O859235111"]
)
def test_normalize_phone_rejects_with_a_message_for_staff(text: str) -> None:
    with pytest.raises(TextFormatError, match="電話番号"):
        normalize_phone(text)


@given(st.from_regex(r"0[0-9]{9,10}", fullmatch=True, alphabet=st.characters(codec=None)))
def test_a_phone_number_keeps_its_digits(digits: str) -> None:
    wide = digits.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert normalize_digits(normalize_phone(wide)) == digits


def test_normalize_number() -> None:
    assert normalize_number("１２３ ４５") == "12345"
    with pytest.raises(TextFormatError, match="数字"):
        normalize_number("12A")
