"""The household as the counter sees it: who lives together, and the facts rules need.

Plain frozen dataclasses so that every layer (rules, forms, database, screens) can share
them without knowing where they came from: the register, a typed newcomer or a
pre-arrival file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

SEXES = {"male": "男", "female": "女"}
RELATIONS = {
    "head": "世帯主",
    "spouse": "妻・夫",
    "child": "子",
    "parent": "父・母",
    "grandchild": "子の子",
    "other": "その他",
    # Added for the 住民票's own words (住民基本台帳事務処理要領: 子の妻, 妻の父, 縁故者 …):
    "child_spouse": "子の妻・子の夫",
    "sibling": "兄弟姉妹",
    "fathers_parent": "父の父・父の母",
    "mothers_parent": "母の父・母の母",
    "spouse_parent": "妻の父母・夫の父母",
    "spouse_child": "妻の子・夫の子",
    "spouse_unfiled": "妻（未届）・夫（未届）",
    "relative": "縁故者",
    "cohabitant": "同居人",
}
# How a person's 続柄 is written, as a 住民票 writes it: 妻 or 夫, 父 or 母 by sex.
RELATION_BY_SEX = {
    "spouse": {"female": "妻", "male": "夫"},
    "parent": {"male": "父", "female": "母"},
    "child_spouse": {"female": "子の妻", "male": "子の夫"},
    "fathers_parent": {"male": "父の父", "female": "父の母"},
    "mothers_parent": {"male": "母の父", "female": "母の母"},
    "spouse_unfiled": {"female": "妻（未届）", "male": "夫（未届）"},
}
# A brother or sister is written by sex and by age against the head (older, younger).
SIBLING_BY_SEX = {"male": ("兄", "弟"), "female": ("姉", "妹")}
# The head's spouse's parent or child is written through the spouse: 妻の父, 夫の子.
SPOUSE_OF_HEAD = {"male": "妻", "female": "夫"}
HEALTH_INSURANCES = {
    "national": "国民健康保険",
    "employee": "被用者保険（本人）",
    "employee_dependent": "被用者保険（被扶養者）",
    "late_elderly": "後期高齢者医療",
    "public_assistance": "生活保護",
    "none": "未加入",
}
ANSWERS = {"yes": "はい", "no": "いいえ", "unknown": "わからない"}
MEMBER_FLAGS = (
    "mynumber_card",
    "seal_registered",
    "care_certified",
    "disability_certificate",
    "child_allowance_recipient",
)


@dataclass(frozen=True)
class Address:
    postal_code: str
    text: str


@dataclass(frozen=True)
class Honseki:
    """Where a Japanese national's 戸籍 is kept: the municipality (6-digit 全国地方公共団体
    コード) decides which city issues its certificates; ``text`` is the 本籍 as written."""

    municipality: str
    text: str


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    kana: str
    birth_date: date
    sex: str
    relation: str
    health_insurance: str = "national"
    mynumber_card: bool = False
    seal_registered: bool = False
    care_certified: bool = False
    disability_certificate: bool = False
    nationality: str = "JP"
    child_allowance_recipient: bool = False
    subject: bool = False
    resident_since: date | None = None  # 住定日 in this city: 転入 or birth (a 転居 keeps it)
    honseki: Honseki | None = None  # None for foreign residents, or when not known
    former_surname: str = ""  # 旧氏, as given, when the register holds one
    # A foreign resident's facts the register holds (住民基本台帳法30条の45): the 在留資格
    # as written (or the 区分, e.g. 特別永住者), the 在留期間 (「3年」), its 満了の日 and
    # the 在留カード等の番号.
    residence_status: str = ""
    residence_period: str = ""
    residence_expiry: date | None = None
    residence_card_number: str = ""

    @property
    def is_parent(self) -> bool:
        """Head and spouse are the parents of a child born into the household."""
        return self.relation in ("head", "spouse")


def relation_label(member: Member, household: Household | None = None) -> str:
    """The member's 続柄 as a 住民票 writes it: 妻 or 夫, 父 or 母, 子の妻, 父の母 by the
    member's sex; 兄・姉・弟・妹 by birth date against the head, and 妻の父, 夫の子 through
    the head's spouse (by the head's sex), which need the ``household``. Without it, or
    for a sibling born on the head's own day (a twin: the birth order decides, which the
    register alone knows), the sex-neutral or pair wording is printed."""
    by_sex = RELATION_BY_SEX.get(member.relation, {})
    if member.sex in by_sex:
        return by_sex[member.sex]
    head = household.head if household is not None else None
    if member.relation == "sibling" and member.sex in SIBLING_BY_SEX:
        older, younger = SIBLING_BY_SEX[member.sex]
        if head is not None and member.birth_date != head.birth_date:
            return older if member.birth_date < head.birth_date else younger
        return f"{older}・{younger}"
    if member.relation in ("spouse_parent", "spouse_child") and head is not None:
        through = SPOUSE_OF_HEAD.get(head.sex)
        parent = RELATION_BY_SEX["parent"].get(member.sex)
        own = parent if member.relation == "spouse_parent" else "子"
        if through and own:
            return f"{through}の{own}"
    return RELATIONS[member.relation]


@dataclass(frozen=True)
class Household:
    address: Address
    members: tuple[Member, ...]
    household_id: str | None = None

    @property
    def head(self) -> Member | None:
        return next((m for m in self.members if m.relation == "head"), None)

    def member(self, member_id: str) -> Member:
        return next(m for m in self.members if m.id == member_id)


@dataclass(frozen=True)
class EventCase:
    """One life event of one household: the input of planning."""

    municipality: str
    event: str
    event_date: date
    household: Household
    answers: Mapping[str, str] = field(default_factory=dict)
    previous_address: Address | None = None

    @property
    def subjects(self) -> tuple[Member, ...]:
        return tuple(m for m in self.household.members if m.subject)

    def answer(self, question_id: str) -> str:
        """An unanswered question counts as unknown: it keeps procedures, never drops them."""
        return self.answers.get(question_id, "unknown")
