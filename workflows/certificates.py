"""A certificate request at the counter: from what staff choose to the stored visit.

The certificate screen keeps its choices in ``CertificateChoices`` (which certificates
and how many copies, for whom, with which options and 年度, and who is at the counter
with what papers); the rules core decides every line (``counter.certificates.decide``)
as staff change anything. Confirming goes through ``workflows.visit.confirm_visit`` like
any visit: the decision becomes a plan (``counter.certificates.plan``), so the 受付番号,
the stored lines and fees, the payment code, the slip and the request forms are the ones
a life event gets; a line that cannot be issued is stored with no fee and no form, and
the slip says where to ask instead. A certificate request may follow the life events of
the same visit (a 転入, then a 住民票 for the employer): it is planned with them.

No Textual here; the choices are plain data, so they are saved in the visit's draft and
tested without a screen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from counter.catalogue import Catalogue
from counter.certificates import (
    CertificateDecision,
    CertificateKind,
    CertificateRequest,
    CertificateRules,
    Requester,
    decide,
    latest_tax_year,
    load_certificate_rules,
)
from counter.certificates.plan import certificate_case, certificate_plan, mark_subjects
from counter.household import EventCase, Household
from counter.plan import Plan, combine_plans
from counter.profile import MunicipalityProfile
from counter.rules import plan as plan_event
from forms.certificate_forms import certificate_form_values

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from workflows.documents import DocumentKeeper
    from workflows.visit import ConfirmedVisit

# The kinds as the counter meets them, the commonest first; kinds not listed follow.
COMMON_ORDER = (
    "residence_certificate",
    "seal_certificate",
    "tax_income_certificate",
    "koseki_full",
    "koseki_individual",
    "tax_exemption_certificate",
    "tax_payment_certificate",
    "residence_record_certificate",
    "koseki_removed",
    "koseki_attachment",
)
DEFAULT_KIND = "residence_certificate"
# Who may be at the counter besides a member of the household, as the screen offers it.
OUTSIDE_VISITORS = ("spouse_or_lineal", "agent", "third_party")
# What the visitor shows or brings (Requester's flags), in the screen's order.
FLAGS = ("proxy_letter", "photo_id", "seal_card", "mynumber_card")
MAX_COPIES = 20
YEARS_OFFERED = 5  # tax certificates of the latest 年度 and the four before it


def kinds_in_order(on: date, rules: CertificateRules | None = None) -> list[CertificateKind]:
    """The kinds issued on ``on``, the commonest first."""
    kinds = (rules or load_certificate_rules()).in_force(on)
    rank = {kind: index for index, kind in enumerate(COMMON_ORDER)}
    return sorted(kinds.values(), key=lambda k: rank.get(k.id, len(rank)))


@dataclass
class CertificateChoices:
    """What staff have chosen so far on the certificate screen.

    ``person`` is the member the request is about when staff came from a search hit (or
    the first member): the visitor by default and the one a per-person certificate is for.
    A kind's members, options and 年度 are kept once chosen, even while its copies are 0,
    so unticking and ticking it again loses nothing."""

    household: Household
    person: str
    copies: dict[str, int] = field(default_factory=dict)
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)
    options: dict[str, tuple[str, ...]] = field(default_factory=dict)
    years: dict[str, int] = field(default_factory=dict)
    visitor: str = ""  # a member id, or one of OUTSIDE_VISITORS
    flags: set[str] = field(default_factory=set)
    purpose: str = ""
    name: str = ""  # the visitor's name, when they are not a member

    @classmethod
    def start(cls, household: Household, person: str | None = None) -> CertificateChoices:
        """One 住民票の写し of the whole household, asked by ``person`` (or the first
        member): the commonest request, ready to confirm as it is."""
        ids = [m.id for m in household.members]
        chosen = person if person in ids else ids[0]
        return cls(household, chosen, copies={DEFAULT_KIND: 1}, visitor=chosen)

    @property
    def visitor_member(self) -> str | None:
        return None if self.visitor in OUTSIDE_VISITORS else self.visitor

    def members_of(self, kind: CertificateKind) -> tuple[str, ...]:
        """The members a kind is asked for: as ticked, or by default the whole household
        for a 住民票 (one sheet covers everyone) and the person for anything else."""
        if kind.id in self.members:
            return self.members[kind.id]
        if kind.per == "copy":
            return tuple(m.id for m in self.household.members)
        return (self.person,)

    def options_offered(self, kind: CertificateKind, rules: CertificateRules) -> list[str]:
        """The options a kind can print; 旧氏 only when a chosen member has one."""
        chosen = {self.household.member(m).former_surname for m in self.members_of(kind)}
        return [o for o in kind.options if o != "former_surname" or any(chosen)]

    def year_of(self, kind: CertificateKind, on: date, profile: MunicipalityProfile) -> int:
        return self.years.get(kind.id, latest_tax_year(on, profile))

    def requester(self) -> Requester:
        member = self.visitor_member
        kind = self.visitor if member is None else "self"
        return Requester(
            kind=kind,
            member=member,
            name=self.name.strip() if member is None else "",
            purpose=self.purpose.strip(),
            **{flag: flag in self.flags for flag in FLAGS},
        )

    def requests(
        self, on: date, profile: MunicipalityProfile, rules: CertificateRules | None = None
    ) -> tuple[CertificateRequest, ...]:
        """One request per kind asked for (copies above 0) that has someone ticked."""
        rules = rules or load_certificate_rules()
        found = []
        for kind in kinds_in_order(on, rules):
            copies = self.copies.get(kind.id, 0)
            members = self.members_of(kind)
            if copies <= 0 or not members:
                continue
            offered = self.options_offered(kind, rules)
            found.append(
                CertificateRequest(
                    kind=kind.id,
                    members=members,
                    copies=min(copies, MAX_COPIES),
                    options=tuple(o for o in self.options.get(kind.id, ()) if o in offered),
                    year=self.year_of(kind, on, profile) if kind.where == "tax" else None,
                )
            )
        return tuple(found)

    def decision(
        self, on: date, profile: MunicipalityProfile, rules: CertificateRules | None = None
    ) -> CertificateDecision:
        """Every line with its verdict, as the law and the city decide it today."""
        rules = rules or load_certificate_rules()
        return decide(
            self.household, self.requester(), self.requests(on, profile, rules), profile, on, rules
        )

    def to_draft(self) -> dict[str, Any]:
        """The choices as the visit's draft keeps them (JSON)."""
        return {
            "household_id": self.household.household_id,
            "person": self.person,
            "copies": dict(self.copies),
            "members": {k: list(v) for k, v in self.members.items()},
            "options": {k: list(v) for k, v in self.options.items()},
            "years": dict(self.years),
            "visitor": self.visitor,
            "flags": sorted(self.flags),
            "purpose": self.purpose,
            "name": self.name,
        }

    @classmethod
    def from_draft(cls, household: Household, data: Mapping[str, Any]) -> CertificateChoices:
        """The choices saved by ``to_draft``, for ``household`` as it is now: members no
        longer in it are dropped."""
        ids = {m.id for m in household.members}
        start = cls.start(household, data.get("person"))

        def known(values: Any) -> tuple[str, ...]:
            return tuple(v for v in values or () if v in ids)

        visitor = str(data.get("visitor") or start.visitor)
        if visitor not in ids and visitor not in OUTSIDE_VISITORS:
            visitor = start.visitor
        return cls(
            household,
            start.person,
            copies={str(k): int(v) for k, v in (data.get("copies") or {}).items()},
            members={str(k): known(v) for k, v in (data.get("members") or {}).items()},
            options={str(k): tuple(map(str, v)) for k, v in (data.get("options") or {}).items()},
            years={str(k): int(v) for k, v in (data.get("years") or {}).items()},
            visitor=visitor,
            flags={str(f) for f in data.get("flags") or () if f in FLAGS},
            purpose=str(data.get("purpose") or ""),
            name=str(data.get("name") or ""),
        )


@dataclass(frozen=True)
class CertificateVisit:
    """The visit as it will be stored: its events with the certificate request last, the
    plan covering them all, and what the request writes on its forms."""

    cases: tuple[EventCase, ...]
    plan: Plan
    given: dict[int, dict[str, str]]
    decision: CertificateDecision


def certificate_visit(
    decision: CertificateDecision,
    household: Household,
    profile: MunicipalityProfile,
    catalogue: Catalogue,
    *,
    on: date,
    earlier: Sequence[EventCase] = (),
) -> CertificateVisit:
    """The request (after ``earlier`` events of the same visit, each planned as on the
    plan screen) as one visit: one plan, one slip, one payment code."""
    if not decision.lines:
        raise ValueError("請求する証明書がありません")
    case = mark_subjects(certificate_case(household, profile, on), decision)
    plans = [plan_event(c, catalogue, profile, filed_on=on) for c in earlier]
    plan = combine_plans([*plans, certificate_plan(decision, profile)])
    values = certificate_form_values(decision, household)
    return CertificateVisit((*earlier, case), plan, {len(earlier): values}, decision)


def confirm_certificate_visit(
    engine: Engine,
    visit: CertificateVisit,
    profile: MunicipalityProfile,
    *,
    device_id: str,
    keeper: DocumentKeeper,
    staff_name: str = "",
    typed: Mapping[str, str] | None = None,
    payment_key: bytes | None = None,
    visit_id: str | None = None,
    numbers: Mapping[str, str] | None = None,
) -> ConfirmedVisit:
    """Store the visit (受付番号, lines and fees, payment code) and write its slip and its
    request forms, filled with the request, for the resident's signature only."""
    from workflows.visit import confirm_visit

    first, *more = visit.cases
    return confirm_visit(
        engine,
        first,
        visit.plan,
        profile,
        device_id=device_id,
        keeper=keeper,
        staff_name=staff_name,
        typed=typed,
        payment_key=payment_key,
        visit_id=visit_id,
        more_cases=more,
        numbers=numbers,
        given=visit.given,
    )
