"""A small form definition with a [yoshiki] table, written to a temporary folder: the
rules, the docs and the paper are tested on it without touching the real definitions."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from conftest import case_of, member, spouse

from counter.rules import plan
from forms.prefill import FilledForm, VisitInfo, prefill_form
from forms.registry import load_definition

FIELDS = [
    dict(key="filed_on", label="届出日", section="header", source="visit.date", format="wareki"),
    dict(key="addressee", label="宛先", section="header", source="profile.addressee"),
    dict(key="reception", label="受付番号", section="header", source="visit.reception_number",
         extra="窓口の控えと突き合わせる番号"),
    dict(key="name", label="氏名", section="members", source="member.name"),
    dict(key="kana", label="フリガナ", section="members", source="member.kana", format="kana"),
    dict(key="birth_date", label="生年月日", section="members", source="member.birth_date",
         format="wareki"),
    dict(key="honseki", label="本籍", section="members", source="member.honseki", datum="honseki"),
    dict(key="address", label="住所", section="household", source="household.address"),
    dict(key="moving", label="住所・世帯の変更", section="household",
         source="answer.moving_together", confirm=True),
    dict(key="occupation", label="世帯のおもな仕事", section="household", source="staff",
         datum="household_occupation"),
    dict(key="own_hand", label="届出人の署名（自署）", section="household", source="staff",
         resident=True),
]  # fmt: skip
LAYOUT = """
[layout]
sections = [
  { key = "header", title = "届出" },
  { key = "members", title = "届出の対象", rows = "members" },
  { key = "household", title = "住所と世帯" },
]
"""


def _toml(value: object) -> str:
    return "true" if value is True else json.dumps(value, ensure_ascii=False)


DEFINITION = (
    'name = "見本届"\ntitle = "見本届"\neffective_from = 2024-05-27\n'
    'declaration = "上記のとおり届け出ます。"\nsignature = "届出人"\n'
    + "".join(
        "\n[[fields]]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in field.items())
        for field in FIELDS
    )
    + LAYOUT
)

# (label, fields or None, omitted reason): the 様式's fields in its order.
ENTRIES: list[tuple[str, list[str] | None, str]] = [
    ("届出日", ["filed_on"], ""),
    ("宛先", ["addressee"], ""),
    ("氏名・フリガナ", ["name", "kana"], ""),
    ("生年月日", ["birth_date"], ""),
    ("本籍", ["honseki"], ""),
    ("医師の証明", None, "医師が記入する欄"),
    ("住所", ["address"], ""),
    ("住所・世帯の変更", ["moving"], ""),
    ("世帯のおもな仕事", ["occupation"], ""),
    ("届出人の署名", ["own_hand"], ""),
    ("証人", None, "成年の証人2人が署名する欄"),
]


def yoshiki_table(
    entries: list[tuple[str, list[str] | None, str]] = ENTRIES, *, draft: bool = False
) -> str:
    lines = ["", "[yoshiki]", 'source = "テスト用の様式（第一号様式）"']
    if draft:
        lines.append("draft = true")
    for label, fields, omitted in entries:
        lines += ["", "[[yoshiki.fields]]", f'label = "{label}"']
        if fields is not None:
            lines.append("fields = [" + ", ".join(f'"{key}"' for key in fields) + "]")
        if omitted:
            lines.append(f'omitted = "{omitted}"')
    return "\n".join(lines) + "\n"


def write_sample(
    folder: Path,
    entries: list[tuple[str, list[str] | None, str]] | None = ENTRIES,
    *,
    draft: bool = False,
    change: Callable[[str], str] = lambda text: text,
    name: str = "mihon.toml",
) -> Path:
    """The sample definition in ``folder`` (with its table unless ``entries`` is None)."""
    text = DEFINITION + (yoshiki_table(entries, draft=draft) if entries is not None else "")
    path = folder / name
    path.write_text(change(text), encoding="utf-8")
    return path


VISIT = VisitInfo(reception_number=5, office_date=date(2026, 11, 24), staff_name="窓口　一郎")
TYPED_VALUES = {"household_occupation": "会社員"}


def filled_sample(
    folder: Path,
    catalogue,
    profile,
    *,
    members: tuple[str, ...] = ("m1", "m2"),
    typed: dict[str, str] = TYPED_VALUES,
    **sample,
) -> FilledForm:
    """The sample filled for a couple's marriage (moving together: はい), ``typed`` by staff."""
    case = case_of("marriage", "2026-11-20", [member("m1", subject=True), spouse(subject=True)],
                   answers={"moving_together": "yes"})  # fmt: skip
    return prefill_form(
        load_definition(write_sample(folder, **sample)),
        case,
        plan(case, catalogue, profile, filed_on=VISIT.office_date),
        profile,
        VISIT,
        typed,
        member_ids=members,
    )
