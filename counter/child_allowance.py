"""児童手当: which child of the family each one counts as, and the monthly amount.

Since 2024-10 a child is paid for up to the first 31 March after 18, and the 第3子以降
amount counts the older siblings (兄姉等) too, up to the first 31 March after 22, when the
claimant still looks after them and bears their living costs (監護相当・生計費の負担,
stated on a 確認書). The amounts and ages are data (``data/child_allowance.toml``) with
their statute; this module only applies them to one household.

The register says whose child a member is only through the 世帯主 (子 is the head's, 孫
a 子's), so the children counted together are the members of the claimed children's own
続柄 to the head. An older sibling who lives elsewhere is not in the register: the plan
cannot count them, and says the figure is a guide.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from counter.household import EventCase, Member, relation_label
from counter.wareki import age_counts_from, first_march_31_after_age

RULES_FILE = Path(__file__).parent / "data" / "child_allowance.toml"
RULE_KEYS = {
    "valid_from", "valid_to", "paid_until_march31_after_age",
    "counted_until_march31_after_age", "under_3", "from_3", "third_and_later",
    "legal_basis", "older_sibling_basis", "source", "unconfirmed",
}  # fmt: skip
# The question whose はい lets the older siblings count (counter/data/catalogue/questions.toml).
SUPPORT_QUESTION = "older_sibling_support"
THIRD = 3  # 第3子以降


@dataclass(frozen=True)
class AllowanceRule:
    valid_from: date
    paid_until_age: int
    counted_until_age: int
    under_3: int
    from_3: int
    third_and_later: int
    legal_basis: str
    older_sibling_basis: str
    source: str
    valid_to: date | None = None
    unconfirmed: tuple[str, ...] = ()

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def paid(self, member: Member, on: date) -> bool:
        """A 支給要件児童 on ``on``: born, and not past the first 3/31 after the paid age."""
        return (
            member.birth_date
            <= on
            <= first_march_31_after_age(member.birth_date, self.paid_until_age)
        )

    def older(self, member: Member, on: date) -> bool:
        """兄姉等 on ``on``: past the paid age's 3/31, not past the counted age's 3/31."""
        end = first_march_31_after_age(member.birth_date, self.counted_until_age)
        return not self.paid(member, on) and member.birth_date <= on <= end


@cache
def allowance_rules() -> tuple[AllowanceRule, ...]:
    """Every period of the rules, oldest first; ValueError naming the key if malformed."""
    data = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))
    rules = []
    for number, item in enumerate(data["rules"], start=1):
        unknown = sorted(set(item) - RULE_KEYS)
        if unknown:
            raise ValueError(f"child_allowance.toml: {number}番目: 知らない項目 {unknown}")
        rules.append(
            AllowanceRule(
                valid_from=date.fromisoformat(item["valid_from"]),
                valid_to=date.fromisoformat(item["valid_to"]) if "valid_to" in item else None,
                paid_until_age=int(item["paid_until_march31_after_age"]),
                counted_until_age=int(item["counted_until_march31_after_age"]),
                under_3=int(item["under_3"]),
                from_3=int(item["from_3"]),
                third_and_later=int(item["third_and_later"]),
                legal_basis=item["legal_basis"],
                older_sibling_basis=item["older_sibling_basis"],
                source=item["source"],
                unconfirmed=tuple(item.get("unconfirmed", ())),
            )
        )
    return tuple(sorted(rules, key=lambda r: r.valid_from))


def rule_on(day: date) -> AllowanceRule | None:
    """The rules in force on ``day``; None before the modelled periods."""
    return next((r for r in allowance_rules() if r.in_force(day)), None)


@dataclass(frozen=True)
class CountedChild:
    member: Member
    rank: int  # 第何子: 1 for the oldest child counted
    monthly: int  # 0 for an older sibling: counted, not paid for
    older: bool = False  # 兄姉等 (18歳年度末後〜22歳年度末)


@dataclass(frozen=True)
class ChildAllowance:
    """The family's children as the allowance counts them on the event date."""

    rule: AllowanceRule
    children: tuple[CountedChild, ...]
    older_left_out: tuple[Member, ...] = ()  # 兄姉等 not counted
    left_out_because: str = ""  # why, in the words of the plan

    def of(self, member_ids: Iterable[str]) -> tuple[CountedChild, ...]:
        wanted = set(member_ids)
        return tuple(c for c in self.children if c.member.id in wanted and not c.older)

    def total(self, member_ids: Iterable[str]) -> int:
        return sum(c.monthly for c in self.of(member_ids))

    def describe(self, member_ids: Iterable[str]) -> str:
        """「米子　結さん 30,000円（第3子）」 for each child named, and the 兄姉等 left out."""
        text = "、".join(
            f"{c.member.name}さん {c.monthly:,}円（第{c.rank}子）" for c in self.of(member_ids)
        )
        if self.older_left_out:
            names = "、".join(f"{m.name}さん" for m in self.older_left_out)
            text += f"。18歳年度末を過ぎた{names}は、{self.left_out_because}数えていません"
        return text


def family(case: EventCase, claimed: Sequence[Member]) -> list[Member]:
    """The members counted with the claimed children: those of the same 続柄 to the head,
    in the order of birth (twins in the register's order)."""
    relations = {m.relation for m in claimed}
    order = {m.id: n for n, m in enumerate(case.household.members)}
    members = [m for m in case.household.members if m.relation in relations]
    return sorted(members, key=lambda m: (m.birth_date, order[m.id]))


def older_siblings(case: EventCase, claimed: Sequence[Member]) -> tuple[Member, ...]:
    """The family's 兄姉等 in the register on the event date (none before the reform)."""
    rule = rule_on(case.event_date)
    if rule is None:
        return ()
    return tuple(m for m in family(case, claimed) if rule.older(m, case.event_date))


def child_allowance(case: EventCase, claimed: Sequence[Member]) -> ChildAllowance | None:
    """The family of ``claimed`` ranked and paid as on the event date; None when no rule
    is in force. The 兄姉等 count only when the claimant said they look after them and
    bear their living costs (``SUPPORT_QUESTION`` answered はい)."""
    rule = rule_on(case.event_date)
    if rule is None or not claimed:
        return None
    on = case.event_date
    answer = case.answer(SUPPORT_QUESTION)
    supported = answer == "yes"
    counted: list[CountedChild] = []
    left_out: list[Member] = []
    for member in family(case, claimed):
        if rule.older(member, on):
            if supported:
                counted.append(CountedChild(member, len(counted) + 1, 0, older=True))
            else:
                left_out.append(member)
        elif rule.paid(member, on):
            rank = len(counted) + 1
            counted.append(CountedChild(member, rank, _monthly(rule, member, rank, on)))
    because = "確認書がまだないため" if answer == "unknown" else "世話・生計費の負担がないため"
    return ChildAllowance(rule, tuple(counted), tuple(left_out), because if left_out else "")


def _monthly(rule: AllowanceRule, member: Member, rank: int, on: date) -> int:
    if rank >= THIRD:
        return rule.third_and_later
    return rule.under_3 if on < age_counts_from(member.birth_date, 3, "reached") else rule.from_3


def older_sibling_counts(member: Member, case: EventCase) -> bool:
    """Whether ``member`` is a 兄姉等 whose counting would make the family three or more
    children: then the claimant's 確認書 decides a 第3子's amount."""
    on = case.event_date
    rule = rule_on(on)
    if rule is None or not rule.older(member, on):
        return False
    kin = family(case, (member,))
    paid = sum(1 for m in kin if rule.paid(m, on))
    older = sum(1 for m in kin if rule.older(m, on))  # never also paid
    return paid > 0 and paid + older >= THIRD


# --- who claims, and how each child stands to them (the forms' 請求者 and 続柄) ---

CHILD = "子"  # the 続柄 of a claimant's own child on the 児童手当 forms
SELF = "本人"  # the claimant (or recipient) themselves, when a form lists them too


def register_parents(member: Member, members: Sequence[Member]) -> tuple[Member, ...]:
    """The parents of ``member`` as far as the register tells: the head and spouse of a
    子 (Member.is_parent); the one 子 of the head for a 孫 (with several it cannot tell)."""
    if member.relation == "child":
        return tuple(m for m in members if m.is_parent)
    children = [m for m in members if m.relation == "child"]
    return tuple(children) if member.relation == "grandchild" and len(children) == 1 else ()


def recipient(case: EventCase) -> Member | None:
    """The one member who already receives the allowance (額改定・消滅届)."""
    found = [m for m in case.household.members if m.child_allowance_recipient]
    return found[0] if len(found) == 1 else None


def claimant_candidates(case: EventCase, claimed: Sequence[Member]) -> tuple[Member, ...]:
    """Who may file a new 認定請求 for ``claimed``: their parents in the household, not the
    member a death is about. The higher income decides between two, which only the
    resident can say."""
    gone = {m.id for m in case.subjects} if case.event == "death" else set()
    found = {
        p.id: p
        for child in claimed
        for p in register_parents(child, case.household.members)
        if p.id not in gone
    }
    return tuple(found.values())


def claimant(case: EventCase, claimed: Sequence[Member], named: str = "") -> Member | None:
    """The 請求者 of a new claim when the register leaves one choice; of several, the one
    whose name is ``named`` (as staff typed it: spaces aside, U+3000 or not); else None."""
    candidates = claimant_candidates(case, claimed)
    if len(candidates) == 1:
        return candidates[0]
    wanted = "".join(named.split())
    found = [m for m in candidates if wanted and "".join(m.name.split()) == wanted]
    return found[0] if len(found) == 1 else None


def relation_to(
    person: Member | None, candidates: Sequence[Member], member: Member, case: EventCase
) -> str | None:
    """``member``'s 続柄 to the 請求者 (or 受給者) ``person``: 子 for their own child, the
    register's 続柄 when they are the head; when ``person`` is not known, 子 if every
    possible claimant is a parent. None when the register cannot tell."""
    parents = {p.id for p in register_parents(member, case.household.members)}
    if person is not None:
        if person.id == member.id:
            return SELF
        if person.id in parents:
            return CHILD
        return relation_label(member) if person.relation == "head" else None
    if candidates and {c.id for c in candidates} <= parents:
        return CHILD
    return None
