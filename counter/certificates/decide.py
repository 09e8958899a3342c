"""Deciding a request: each certificate, per member, from the requester's standing, the
kind's rule, where it is issued (this city, the 本籍地, the city of 1 January) and the
options asked for; members with the same verdict share a line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from counter.certificates.kinds import (
    CertificateKind,
    CertificateRules,
    latest_tax_year,
    load_certificate_rules,
    nendo_label,
)
from counter.certificates.model import (
    CertificateDecision,
    CertificateLine,
    CertificateRequest,
    Requester,
)
from counter.certificates.verdicts import (
    Verdict,
    by_rule,
    in_honseki_city,
    not_resident_on_january_1,
    with_options,
)
from counter.household import Household, Member
from counter.profile import MunicipalityProfile

# Which rule lets more people ask: a member asking about a relative takes the best of
# their standings (同一世帯 and 配偶者・直系).
RULE_RANK = {"yes": 0, "seal_card": 1, "proxy_letter": 2, "purpose": 3, "no": 4}


# The 続柄 the register writes besides the first six (counter.household.RELATIONS): how
# a pair that holds one of them is related. ``none`` only where no line of descent can
# join the two (in-laws, brothers and sisters, a 同居人 to the head); a pair not listed is
# ``unknown`` (staff check it). 父の父 and 母の母 are lineal to the father, the mother.
_MORE_KINSHIP: dict[frozenset[str], str] = {
    frozenset(pair): kind
    for kind, pairs in {
        "lineal": (
            ("head", "fathers_parent"), ("head", "mothers_parent"),
            ("child", "fathers_parent"), ("child", "mothers_parent"),
            ("grandchild", "fathers_parent"), ("grandchild", "mothers_parent"),
            ("spouse", "spouse_parent"), ("spouse", "spouse_child"),
        ),
        "none": (
            ("head", "child_spouse"), ("head", "sibling"), ("head", "spouse_parent"),
            ("head", "spouse_child"), ("head", "spouse_unfiled"), ("head", "cohabitant"),
            ("spouse", "child_spouse"), ("spouse", "sibling"),
            ("spouse", "fathers_parent"), ("spouse", "mothers_parent"),
            ("child", "sibling"), ("grandchild", "sibling"), ("child", "spouse_child"),
            ("sibling",), ("child_spouse",), ("spouse_child",),
            ("fathers_parent", "mothers_parent"),
        ),
    }.items()
    for pair in pairs
}  # fmt: skip
_FIRST_RELATIONS = {"head", "spouse", "child", "parent", "grandchild", "other"}


def kinship(one: Member, other: Member) -> str:
    """How two members of one household are related, from their 続柄 to the head:
    ``spouse``, ``lineal`` (直系), ``none`` (e.g. siblings, in-laws) or ``unknown``."""
    pair = {one.relation, other.relation}
    if not pair <= _FIRST_RELATIONS:
        return _more_kinship(one, other)
    if one.relation == other.relation:
        return "none" if one.relation in ("child", "parent", "grandchild") else "unknown"
    if pair == {"head", "spouse"}:
        return "spouse"
    if "other" in pair:
        return "unknown"
    if "head" in pair:
        return "lineal"  # the head's parent, child or grandchild
    if pair in ({"spouse", "child"}, {"spouse", "grandchild"}):
        return "lineal"  # the usual case; a stepchild is not, and staff are told to check
    if pair == {"spouse", "parent"}:
        return "none"  # the head's parent is the spouse's parent-in-law
    if pair in ({"parent", "child"}, {"parent", "grandchild"}):
        return "lineal"
    return "unknown"  # a child and a grandchild: parent, or aunt or uncle


def _more_kinship(one: Member, other: Member) -> str:
    """``kinship`` for a pair with a 続柄 beyond the first six: the head's father's parent
    is lineal to the father and an in-law of the mother (and the other way round)."""
    for parent, grand in ((one, other), (other, one)):
        if parent.relation == "parent" and grand.relation in ("fathers_parent", "mothers_parent"):
            side = "male" if grand.relation == "fathers_parent" else "female"
            return "lineal" if parent.sex == side else "none"
    return _MORE_KINSHIP.get(frozenset({one.relation, other.relation}), "unknown")


def decide(
    household: Household,
    requester: Requester,
    requests: Sequence[CertificateRequest],
    profile: MunicipalityProfile,
    on: date,
    rules: CertificateRules | None = None,
) -> CertificateDecision:
    """Every requested certificate, per member, with its verdict; members with the same
    verdict and reason share a line."""
    rules = rules or load_certificate_rules()
    lines = [
        line
        for request in requests
        for line in _decide_request(household, requester, request, profile, on, rules)
    ]
    return CertificateDecision(requester, tuple(lines), on, _notes(lines, profile))


def _notes(lines: Sequence[CertificateLine], profile: MunicipalityProfile) -> tuple[str, ...]:
    settings = profile.certificates
    notes = []
    if settings.hours:
        notes.append(f"交付の受付時間: {settings.hours}")
    if settings.wide_area_hours and any("広域交付" in line.where for line in lines):
        notes.append(f"広域交付の受付時間: {settings.wide_area_hours}")
    if any(line.fee_unconfirmed for line in lines if line.issuable != "no"):
        notes.append("手数料に未確認の額があります（市の手数料条例で確かめてください）")
    return tuple(notes)


def _decide_request(
    household: Household,
    requester: Requester,
    request: CertificateRequest,
    profile: MunicipalityProfile,
    on: date,
    rules: CertificateRules,
) -> list[CertificateLine]:
    kind = rules.kinds[request.kind]
    year = (request.year or latest_tax_year(on, profile)) if kind.where == "tax" else None
    # One sheet covers every member of a 住民票 (of a 戸籍): one line, whoever it is about.
    one_sheet = kind.per in ("copy", "koseki")
    groups: dict[tuple[str, str, str, tuple[str, ...]], list[tuple[Member, str]]] = {}
    for member in _members_of(household, requester, request, kind):
        issuable, reason, where, documents = _decide_member(
            household, requester, request, kind, member, profile, on, rules, year
        )
        key = (issuable, "" if one_sheet else reason, where, documents)
        groups.setdefault(key, []).append((member, reason))
    fee = profile.fee(kind.fee, on)
    lines = []
    for (issuable, _, where, documents), decided in groups.items():
        group = [member for member, _ in decided]
        reason = _merged_reason([reason for _, reason in decided])
        units = request.copies * _copies_cover(kind, group)
        lines.append(
            CertificateLine(
                kind=kind.id,
                name=kind.name if year is None else f"{kind.name}（{nendo_label(year)}）",
                members=tuple(m.id for m in group),
                member_names=tuple(m.name for m in group),
                copies=request.copies,
                issuable=issuable,
                reason=reason,
                fee=0 if issuable == "no" else fee.amount * units,
                unit_fee=fee.amount,
                units=units,
                where=where,
                documents=documents,
                options=request.options,
                option_labels=tuple(rules.options[o].label for o in request.options),
                year=year,
                department=kind.department,
                form=kind.form,
                legal_basis=kind.legal_basis,
                fee_revenue=fee.revenue,
                fee_unconfirmed=fee.unconfirmed,
            )
        )
    return lines


def _merged_reason(reasons: Sequence[str]) -> str:
    """「本人・同一世帯の方からの請求です。…」 for one sheet asked for by its own members:
    the standings joined, then every further sentence once."""
    asked = "からの請求です"
    sentences = [reason.split("。") for reason in reasons]
    firsts = list(dict.fromkeys(s[0] for s in sentences))
    rest = list(dict.fromkeys(x for s in sentences for x in s[1:] if x))
    if len(firsts) > 1 and all(f.endswith(asked) for f in firsts):
        firsts = ["・".join(f.removesuffix(asked) for f in firsts) + asked]
    return "。".join([*firsts, *rest])


def _members_of(
    household: Household, requester: Requester, request: CertificateRequest, kind: CertificateKind
) -> list[Member]:
    if request.members:
        return [household.member(i) for i in request.members]
    if kind.per == "copy" or requester.member is None:
        return list(household.members)
    return [household.member(requester.member)]


def _copies_cover(kind: CertificateKind, members: Sequence[Member]) -> int:
    if kind.per == "copy":
        return 1
    if kind.per == "koseki":
        known = {m.honseki for m in members if m.honseki is not None}
        return len(known) + sum(1 for m in members if m.honseki is None)
    return len(members)


def _decide_member(
    household: Household,
    requester: Requester,
    request: CertificateRequest,
    kind: CertificateKind,
    member: Member,
    profile: MunicipalityProfile,
    on: date,
    rules: CertificateRules,
    year: int | None,
) -> Verdict:
    """``year``: the 年度 of a tax certificate, already resolved (None for the others)."""
    department = profile.department(kind.department)
    counter = f"{department.name}（{department.counter}）"
    standing, rule, unsure = _standing(household, requester, kind, member, profile)
    if kind.where == "honseki":
        return in_honseki_city(
            requester, kind, member, profile, on, rules, standing, rule, unsure, counter
        )
    if year is not None:
        refused = not_resident_on_january_1(year, member, profile, on)
        if refused is not None:
            return refused
    verdict = by_rule(rule, requester, kind, member, profile, standing, unsure, counter)
    if verdict[0] != "no" and request.options:
        return with_options(verdict, request, kind, member, profile, rules, standing)
    return verdict


def _standing(
    household: Household,
    requester: Requester,
    kind: CertificateKind,
    member: Member,
    profile: MunicipalityProfile,
) -> tuple[str, str, bool]:
    """The requester's standing towards ``member``, the rule it gives, and whether the
    better rule rests on a kinship the register's 続柄 cannot prove (staff check it)."""
    who = dict(kind.who)
    if kind.where == "tax" and not profile.certificates.household_tax:
        who["household"] = "proxy_letter"
    if requester.member is None:
        return requester.kind, who[requester.kind], False
    if requester.member == member.id:
        return "self", who["self"], False
    related = kinship(household.member(requester.member), member)
    standings = ["household"]
    if related in ("spouse", "lineal", "unknown"):
        standings.append("spouse_or_lineal")
    best = min(standings, key=lambda s: RULE_RANK[who[s]])
    unsure = related == "unknown" and best == "spouse_or_lineal" and who[best] != who["household"]
    return best, who[best], unsure
