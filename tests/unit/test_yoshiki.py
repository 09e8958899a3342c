"""A form follows its 様式: every field of ours is one of the 様式's (or says why not),
in the 様式's order, and a form carrying under 95 % of the 様式's fields is refused."""

from __future__ import annotations

import pytest
from formsample import ENTRIES, filled_sample, write_sample

from counter.catalogue_check import check_data
from forms.prefill import BLANK, TYPED, origin_name
from forms.registry import (
    FormDefinitionError,
    definition_problems,
    form_names,
    load_definition,
)


def moved(entries, label: str, to: int):
    """``entries`` with the one labelled ``label`` moved to index ``to``."""
    entry = next(e for e in entries if e[0] == label)
    rest = [e for e in entries if e[0] != label]
    return [*rest[:to], entry, *rest[to:]]


def rejected(tmp_path, **sample) -> str:
    with pytest.raises(FormDefinitionError) as error:
        load_definition(write_sample(tmp_path, **sample))
    assert str(error.value).startswith("mihon.toml: ")
    return str(error.value)


def test_the_sample_follows_its_yoshiki_and_counts_its_coverage(tmp_path):
    yoshiki = load_definition(write_sample(tmp_path)).yoshiki
    assert yoshiki is not None
    assert (yoshiki.carried, len(yoshiki.fields)) == (9, 11)
    assert yoshiki.coverage_text == "9/11（81.8 %）"
    assert not yoshiki.enough


def test_a_field_the_yoshiki_does_not_have_is_refused_unless_it_says_why(tmp_path):
    without_occupation = [e for e in ENTRIES if e[0] != "世帯のおもな仕事"]
    message = rejected(tmp_path, entries=without_occupation)
    assert "項目「occupation」（世帯のおもな仕事）" in message and "extra" in message
    without_reason = rejected(
        tmp_path,
        change=lambda t: t.replace('extra = "窓口の控えと突き合わせる番号"', 'extra = " "'),
    )
    assert "項目「reception」（受付番号）" in without_reason
    explained = write_sample(
        tmp_path,
        entries=without_occupation,
        change=lambda t: t.replace(
            'datum = "household_occupation"', 'datum = "x"\nextra = "市の独自欄"'
        ),
    )
    assert load_definition(explained).yoshiki is not None


def test_fields_printed_out_of_the_yoshikis_order_are_refused_naming_the_entry(tmp_path):
    # 世帯のおもな仕事 before 住所 in the 様式, after it in the definition
    message = rejected(tmp_path, entries=moved(ENTRIES, "世帯のおもな仕事", 6))
    assert "7番目（世帯のおもな仕事）" in message
    assert (
        "項目「occupation」" in message and "9番目（住所・世帯の変更）の項目「moving」" in message
    )
    # within the member rows too: 生年月日 before 氏名
    message = rejected(tmp_path, entries=moved(ENTRIES, "生年月日", 2))
    assert "3番目（生年月日）" in message and "4番目（氏名・フリガナ）の項目「kana」" in message


HEADER = '  { key = "header", title = "届出" },\n'
HOUSEHOLD = '  { key = "household", title = "住所と世帯" },\n'


def test_the_order_is_the_printed_one_sections_first(tmp_path):
    """The 住所と世帯 section laid out before 届出: its 住所 would print before 届出日."""
    message = rejected(
        tmp_path,
        change=lambda t: t.replace(HEADER, "").replace(HOUSEHOLD, HOUSEHOLD + HEADER),
    )
    assert "1番目（届出日）" in message and "項目「filed_on」" in message


def test_member_rows_and_the_other_fields_keep_their_order_each_on_their_own(tmp_path):
    """The per-member fields at the 様式's end: the rows are printed apart, so it holds."""
    member_entries = [e for e in ENTRIES if e[0] in ("氏名・フリガナ", "生年月日", "本籍")]
    others = [e for e in ENTRIES if e not in member_entries]
    definition = load_definition(write_sample(tmp_path, entries=others + member_entries))
    assert definition.yoshiki is not None
    assert [e.label for e in definition.yoshiki.fields][-3:] == [
        "氏名・フリガナ",
        "生年月日",
        "本籍",
    ]


def padded(count: int):
    """The sample's table with ``count`` more carried entries (2 of them omitted)."""
    return ENTRIES + [(f"備考{n}", ["own_hand"], "") for n in range(count)]


def test_the_check_refuses_under_95_per_cent_naming_the_form_and_its_figure(tmp_path):
    write_sample(tmp_path, entries=padded(29))  # 38/40: 95 % exactly
    assert definition_problems(tmp_path) == []
    write_sample(tmp_path, entries=padded(28))  # 37/39: 94.9 %
    problems = definition_problems(tmp_path)
    assert problems == [
        "mihon.toml: 様式「見本届」の欄のうち当システムが埋めるのは37/39（94.9 %）です。"
        "95 % 以上にしてください"
    ]
    reported, _ = check_data(form_names(), form_problems=problems)
    assert problems[0] in reported


def test_the_check_names_every_broken_definition_at_once(tmp_path):
    write_sample(tmp_path, entries=[e for e in ENTRIES if e[0] != "住所"], name="a.toml")
    write_sample(tmp_path, entries=moved(ENTRIES, "生年月日", 2), name="b.toml")
    write_sample(tmp_path, entries=None, name="c.toml")  # every form follows a 様式
    problems = definition_problems(tmp_path)
    assert len(problems) == 3
    assert problems[0].startswith("a.toml: 項目「address」")
    assert problems[1].startswith("b.toml: [[yoshiki.fields]] 3番目（生年月日）")
    assert problems[2].startswith("c.toml: 様式「見本届」に [yoshiki]")


def test_the_shipped_definitions_pass_the_check():
    assert definition_problems() == []


def test_each_field_says_where_its_value_comes_from(tmp_path):
    definition = load_definition(write_sample(tmp_path))
    origins = {f.key: origin_name(f.origin) for f in definition.fields}
    assert origins == {
        "filed_on": "窓口で作成",
        "addressee": "窓口で作成",
        "reception": "窓口で作成",
        "name": "住民記録",
        "kana": "住民記録",
        "birth_date": "住民記録",
        "honseki": "住民記録",
        "address": "住民記録",
        "moving": "聞き取り",
        "occupation": "窓口で入力",
        "own_hand": "ご本人が記入",
    }


def test_the_filled_form_carries_the_origin_and_the_box_to_check(tmp_path, catalogue, profile):
    filled = filled_sample(tmp_path, catalogue, profile)
    assert filled.yoshiki is not None and not filled.draft
    assert [e.label for e in filled.yoshiki.fields] == [e[0] for e in ENTRIES]
    by_key = {f.key: f for f in filled.fields}
    assert {k: origin_name(f.origin) for k, f in by_key.items() if k != "honseki"} == {
        "filed_on": "窓口で作成",
        "addressee": "窓口で作成",
        "reception": "窓口で作成",
        "name": "住民記録",
        "kana": "住民記録",
        "birth_date": "住民記録",
        "address": "住民記録",
        "moving": "聞き取り",
        "occupation": "窓口で入力",
        "own_hand": "ご本人が記入",
    }
    assert [k for k, f in by_key.items() if f.confirm] == ["moving"]
    assert filled_sample(tmp_path, catalogue, profile, draft=True).draft


def test_a_register_value_typed_at_the_counter_says_so(tmp_path, catalogue, profile):
    """本籍 is read from the register; where the register lacks it, staff type it."""
    filled = filled_sample(tmp_path, catalogue, profile, typed={"honseki#m1": "鳥取県米子市"})
    honseki = filled.field("honseki", "m1")
    assert honseki.status == TYPED and origin_name(honseki.origin) == "窓口で入力"
    assert filled.field("honseki", "m2").status == BLANK
    assert filled.field("name", "m1").origin == "register"
