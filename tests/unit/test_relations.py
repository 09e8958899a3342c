"""続柄 as the 住民票 writes it, from the register's code and the member's sex (and, for a
brother or sister, the birth date against the head's); the new codes read from the
household format and the register CSV; kinship for certificates keeps its meaning."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from conftest import case_of, member

from counter.certificates import kinship
from counter.household import RELATIONS, Household, Member, relation_label
from counter.interchange import HouseholdFormatError, event_case_to_dict, parse_event_case
from counter.register_csv import RegisterCsvError, format_register_csv, parse_register_csv

HEAD_BORN = date(1980, 6, 1)


def person(relation: str, sex: str, born: date = date(1950, 1, 1), id: str = "x") -> Member:
    return Member(id, "見本　花子", "ミホン　ハナコ", born, sex, relation)


def household(head_sex: str, *others: Member) -> Household:
    head = person("head", head_sex, HEAD_BORN, id="h")
    return Household(address=None, members=(head, *others))  # type: ignore[arg-type]


# (code, sex, head's sex, born, printed): every code, both sexes.
LABELS = [
    ("head", "male", "male", HEAD_BORN, "世帯主"),
    ("head", "female", "female", HEAD_BORN, "世帯主"),
    ("spouse", "female", "male", date(1982, 1, 1), "妻"),
    ("spouse", "male", "female", date(1978, 1, 1), "夫"),
    ("child", "male", "male", date(2010, 1, 1), "子"),
    ("child", "female", "male", date(2012, 1, 1), "子"),
    ("parent", "male", "male", date(1950, 1, 1), "父"),
    ("parent", "female", "male", date(1952, 1, 1), "母"),
    ("grandchild", "male", "male", date(2030, 1, 1), "子の子"),
    ("grandchild", "female", "female", date(2030, 1, 1), "子の子"),
    ("child_spouse", "female", "male", date(2008, 1, 1), "子の妻"),
    ("child_spouse", "male", "male", date(2008, 1, 1), "子の夫"),
    ("sibling", "male", "male", date(1975, 3, 3), "兄"),
    ("sibling", "male", "female", date(1985, 3, 3), "弟"),
    ("sibling", "female", "male", date(1979, 12, 31), "姉"),
    ("sibling", "female", "female", date(1980, 6, 2), "妹"),
    ("fathers_parent", "male", "male", date(1925, 1, 1), "父の父"),
    ("fathers_parent", "female", "male", date(1927, 1, 1), "父の母"),
    ("mothers_parent", "male", "female", date(1925, 1, 1), "母の父"),
    ("mothers_parent", "female", "female", date(1927, 1, 1), "母の母"),
    ("spouse_parent", "male", "male", date(1950, 1, 1), "妻の父"),
    ("spouse_parent", "female", "male", date(1950, 1, 1), "妻の母"),
    ("spouse_parent", "male", "female", date(1950, 1, 1), "夫の父"),
    ("spouse_parent", "female", "female", date(1950, 1, 1), "夫の母"),
    ("spouse_child", "male", "male", date(2005, 1, 1), "妻の子"),
    ("spouse_child", "female", "female", date(2005, 1, 1), "夫の子"),
    ("spouse_unfiled", "female", "male", date(1982, 1, 1), "妻（未届）"),
    ("spouse_unfiled", "male", "female", date(1982, 1, 1), "夫（未届）"),
    ("relative", "male", "male", date(1990, 1, 1), "縁故者"),
    ("relative", "female", "female", date(1990, 1, 1), "縁故者"),
    ("cohabitant", "male", "male", date(1990, 1, 1), "同居人"),
    ("cohabitant", "female", "male", date(1990, 1, 1), "同居人"),
    ("other", "male", "male", date(1990, 1, 1), "その他"),
    ("other", "female", "female", date(1990, 1, 1), "その他"),
]


@pytest.mark.parametrize(("code", "sex", "head_sex", "born", "printed"), LABELS)
def test_each_relation_is_printed_as_the_juminhyo_writes_it(code, sex, head_sex, born, printed):
    if code == "head":
        assert relation_label(person("head", sex, born), household(sex)) == printed
        return
    someone = person(code, sex, born)
    assert relation_label(someone, household(head_sex, someone)) == printed


def test_every_code_and_both_sexes_are_covered():
    assert {(code, sex) for code, sex, *_ in LABELS} == {
        (code, sex) for code in RELATIONS for sex in ("male", "female")
    }


def test_no_label_reads_like_two_words_in_one():
    """The issue's complaint: 妻（夫）, 父母 or 孫 on a form instead of the 住民票's word."""
    printed = {label for *_, label in LABELS}
    assert not printed & {"妻・夫", "父・母", "孫", "妻（夫）", "父母", "祖父", "祖母"}


def test_a_brother_born_on_the_heads_day_is_left_to_the_counter():
    """A twin: the register's birth order decides 兄 or 弟, which a birth date cannot."""
    twin = person("sibling", "male", HEAD_BORN)
    assert relation_label(twin, household("male", twin)) == "兄・弟"
    assert relation_label(twin) == "兄・弟"  # no household: the pair, never a guess


def test_without_the_household_an_in_law_keeps_the_neutral_word():
    assert relation_label(person("spouse_parent", "male")) == "妻の父母・夫の父母"
    assert relation_label(person("spouse", "female")) == "妻"  # by sex alone


def test_a_household_file_takes_the_new_codes_and_writes_them_back():
    members = [
        member("m1", subject=True),
        member("m2", relation="sibling", name="米子　次郎", birth_date="1993-01-01"),
        member("m3", relation="spouse_unfiled", sex="female", name="鳥取　花子"),
        member("m4", relation="cohabitant", name="松江　一郎", birth_date="1991-01-01"),
    ]
    case = case_of("move_in", "2026-11-16", members)
    assert [m.relation for m in case.household.members] == [
        "head",
        "sibling",
        "spouse_unfiled",
        "cohabitant",
    ]
    labels = [relation_label(m, case.household) for m in case.household.members]
    assert labels == ["世帯主", "弟", "妻（未届）", "同居人"]
    assert parse_event_case(event_case_to_dict(case)) == case


def test_an_unknown_code_names_every_code_allowed():
    with pytest.raises(HouseholdFormatError) as error:
        case_of("move_in", "2026-11-16", [member("m1", subject=True, relation="grandparent")])
    assert "members[0].relation" in str(error.value)
    assert "fathers_parent" in str(error.value) and "cohabitant" in str(error.value)


HEADER = (
    "household_id,resident_id,relation,name,kana,birth_date,sex,postal_code,address,"
    "health_insurance"
)
ADDRESS = "683-0823,鳥取県米子市加茂町二丁目1番地,national"


def test_the_register_csv_takes_the_new_codes_in_any_width_and_case():
    text = "\n".join(
        [
            HEADER,
            f"H1,H1-1,head,米子　太郎,ヨナゴ　タロウ,1980-06-01,male,{ADDRESS}",
            f"H1,H1-2,ＳＩＢＬＩＮＧ,米子　一子,ヨナゴ　カズコ,1978-01-01,female,{ADDRESS}",
            f"H1,H1-3,Mothers_Parent,米子　ハル,ヨナゴ　ハル,1930-01-01,female,{ADDRESS}",
        ]
    )
    (found,) = parse_register_csv(text, today=date(2026, 11, 20))
    assert [m.relation for m in found.members] == ["head", "sibling", "mothers_parent"]
    assert [relation_label(m, found) for m in found.members] == ["世帯主", "姉", "母の母"]
    assert parse_register_csv(format_register_csv([found]), today=date(2026, 11, 20)) == [found]


def test_the_register_csv_refuses_a_code_it_does_not_know():
    text = f"{HEADER}\nH1,H1-1,head,米子　太郎,ヨナゴ　タロウ,1980-06-01,male,{ADDRESS}\n" + (
        f"H1,H1-2,grandmother,米子　ハル,ヨナゴ　ハル,1930-01-01,female,{ADDRESS}"
    )
    with pytest.raises(RegisterCsvError) as error:
        parse_register_csv(text, today=date(2026, 11, 20))
    assert error.value.lines[0].startswith("3行目: relation: 「grandmother」は使えません")


@pytest.mark.parametrize(
    ("one", "other", "expected"),
    [
        ("head", "sibling", "none"),  # brothers and sisters are not 直系
        ("head", "child_spouse", "none"),  # an in-law
        ("head", "spouse_parent", "none"),
        ("spouse", "spouse_parent", "lineal"),  # the spouse's own parent
        ("spouse", "spouse_child", "lineal"),
        ("head", "spouse_child", "none"),  # a 連れ子 not adopted
        ("head", "fathers_parent", "lineal"),
        ("grandchild", "mothers_parent", "lineal"),
        ("head", "spouse_unfiled", "none"),  # not a 配偶者 in law
        ("head", "cohabitant", "none"),
        ("head", "relative", "unknown"),  # staff check a 縁故者
        ("child", "child_spouse", "unknown"),  # a spouse, or a brother's wife
        ("sibling", "sibling", "none"),
    ],
)
def test_kinship_of_the_new_codes(one, other, expected):
    a, b = person(one, "male", id="a"), person(other, "female", id="b")
    assert kinship(a, b) == kinship(b, a) == expected


def test_the_fathers_parent_is_lineal_to_the_father_only():
    grandmother = person("fathers_parent", "female", id="g")
    father, mother = person("parent", "male", id="f"), person("parent", "female", id="m")
    assert kinship(father, grandmother) == "lineal"
    assert kinship(mother, grandmother) == "none"
    assert kinship(replace(grandmother, relation="mothers_parent"), mother) == "lineal"


def test_every_relation_choice_fits_its_button_on_the_newcomer_screen():
    """Six full-width characters fit a choice at 80 columns (子の妻・子の夫 did not)."""
    from rich.cells import cell_len

    from screens.widgets.member_form import CHOICE_LABELS, OTHER_RELATIONS

    assert set(OTHER_RELATIONS) == set(RELATIONS) - {"head"} and OTHER_RELATIONS[-1] == "other"
    for code in OTHER_RELATIONS:
        assert cell_len(CHOICE_LABELS.get(code, RELATIONS[code])) <= 12, code
