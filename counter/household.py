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
    "grandchild": "孫",
    "other": "その他",
}
# How a person's 続柄 is written, as a 住民票 writes it: 妻 or 夫, 父 or 母 by sex.
RELATION_BY_SEX = {
    "spouse": {"female": "妻", "male": "夫"},
    "parent": {"male": "父", "female": "母"},
}
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

    @property
    def is_parent(self) -> bool:
        """Head and spouse are the parents of a child born into the household."""
        return self.relation in ("head", "spouse")


def relation_label(member: Member) -> str:
    """The member's 続柄 as printed: 妻 for a wife, 夫 for a husband, 父 or 母."""
    return RELATION_BY_SEX.get(member.relation, {}).get(member.sex, RELATIONS[member.relation])


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
