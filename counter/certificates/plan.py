"""A certificate request as a visit: its lines become the procedures of a plan.

So a certificate visit is stored, numbered, billed by payment code, printed on the slip
and pre-filled on its forms by exactly the code a life event uses; it may share one
visit with a life event (a 転入, then a 住民票 for the employer). A line that cannot be
issued here stays on the plan with no fee, saying where to ask instead.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from counter.certificates import CertificateDecision, CertificateLine
from counter.household import EventCase, Household
from counter.plan import REFUSED, Plan, PlannedProcedure
from counter.profile import MunicipalityProfile

CERTIFICATE_EVENT = "certificate"


def certificate_case(household: Household, profile: MunicipalityProfile, on: date) -> EventCase:
    """The visit's case: the household, with the members certificates are about marked."""
    return EventCase(
        municipality=profile.code, event=CERTIFICATE_EVENT, event_date=on, household=household
    )


def certificate_plan(decision: CertificateDecision, profile: MunicipalityProfile) -> Plan:
    procedures = tuple(
        _procedure(index, line, profile) for index, line in enumerate(decision.lines)
    )
    return Plan(
        municipality=profile.code,
        event=CERTIFICATE_EVENT,
        event_date=decision.decided_on,
        filed_on=decision.decided_on,
        procedures=procedures,
        questions=(),
    )


def mark_subjects(case: EventCase, decision: CertificateDecision) -> EventCase:
    """The case with every member a certificate line is about marked as its subject."""
    wanted = {member for line in decision.lines for member in line.members}
    members = tuple(replace(m, subject=m.id in wanted) for m in case.household.members)
    return replace(case, household=replace(case.household, members=members))


def _procedure(index: int, line: CertificateLine, profile: MunicipalityProfile) -> PlannedProcedure:
    department = profile.department(line.department)
    issued = line.issuable != "no"
    options = f"（記載: {'・'.join(line.option_labels)}）" if line.option_labels else ""
    return PlannedProcedure(
        id=f"certificate.{line.kind}.{index}",
        name=f"{line.name} {line.copies}通{options}",
        department=department.name,
        department_key=department.key,
        counter=department.counter,
        order=department.order,
        members=line.members,
        member_names=line.member_names,
        status={"yes": "required", "check": "check"}.get(line.issuable, REFUSED),
        reason=line.reason,
        deadline=None,
        deadline_moved_from=None,
        deadline_note="その場で交付します" if issued else "",
        fee=line.fee,
        fee_label=f"{line.name} {line.unit_fee:,}円×{line.units}" if issued else "",
        fee_revenue=line.fee_revenue if issued else "",
        benefit=0,
        documents=line.documents,
        forms=(line.form,) if issued else (),
        online=False,
        online_note="",
        legal_basis=line.legal_basis,
        note=line.where,
    )
