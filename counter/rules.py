"""Planning: event × household × answers → the procedures owed, each with its reason.

The catalogue says what each procedure needs; this module applies it to one household
and explains every line. A question's answer of わからない (or no answer) never drops a
procedure: it stays with status 要確認.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from counter.catalogue import Catalogue, Procedure
from counter.child_allowance import child_allowance
from counter.deadlines import compute_deadline
from counter.events import born_after_problem, event_date_problem, event_label
from counter.household import EventCase, Member
from counter.plan import Plan, PlannedProcedure, combine_plans
from counter.predicates import household_holds, member_holds
from counter.profile import MunicipalityProfile


class PlanningError(ValueError):
    """The case cannot be planned as given; the message names the field."""


def _selected(procedure: Procedure, case: EventCase) -> list[Member]:
    members = case.household.members
    selection = procedure.members
    if selection == "subjects":
        return list(case.subjects)
    if selection == "parents":
        return [m for m in members if m.is_parent and not m.subject]
    if selection == "mother":
        return [m for m in members if m.is_parent and not m.subject and m.sex == "female"]
    if selection == "head":
        return [m for m in members if m.relation == "head"]
    if selection == "others":
        return [m for m in members if not m.subject]
    dependants = [
        m for m in members if not m.subject and m.health_insurance == "employee_dependent"
    ]
    if selection == "dependants":
        return dependants
    if selection == "subjects_and_dependants":
        return [*case.subjects, *dependants]
    return list(members)


def _candidates(
    case: EventCase, catalogue: Catalogue, profile: MunicipalityProfile
) -> list[tuple[Procedure, list[Member]]]:
    """Procedures whose facts hold for this household, before any question is answered."""
    found = []
    for procedure in catalogue.for_event(case.event, case.event_date):
        if not all(household_holds(e, case, profile) for e in procedure.household_when):
            continue
        members = [
            m
            for m in _selected(procedure, case)
            if all(member_holds(e, m, case, profile) for e in procedure.member_when)
        ]
        if members:
            found.append((procedure, members))
    return found


def _local_words(city: str, department: str):
    """The catalogue's words in this city: {city} and {department} in notes and documents
    become its own names (the reason is formatted with them too)."""

    def local(text: str) -> str:
        return text.replace("{city}", city).replace("{department}", department)

    return local


def questions_for(case: EventCase, catalogue: Catalogue, profile: MunicipalityProfile) -> list[str]:
    """Only the questions whose answer changes this household's plan, in catalogue order."""
    asked: list[str] = []
    for procedure, _ in _candidates(case, catalogue, profile):
        if procedure.question and procedure.question not in asked:
            asked.append(procedure.question)
    return asked


def plan(
    case: EventCase,
    catalogue: Catalogue,
    profile: MunicipalityProfile,
    *,
    filed_on: date | None = None,
) -> Plan:
    if case.municipality != profile.code:
        raise PlanningError(f"municipality: {case.municipality} は {profile.name} ではありません")
    if not any(case.event in p.events for p in catalogue.procedures):
        raise PlanningError(f"event: 「{event_label(case.event)}」はまだ対応していません")
    for question_id in case.answers:
        if question_id not in catalogue.questions:
            raise PlanningError(f"answers.{question_id}: この質問はありません")
    filed = filed_on or date.today()
    if problem := event_date_problem(case.event, case.event_date, filed):
        raise PlanningError(f"event_date: {problem}")
    born = ((m.name, m.birth_date) for m in case.subjects)
    if problem := born_after_problem(case.event, case.event_date, born):
        raise PlanningError(f"event_date: {problem}")
    calendar = profile.calendar
    planned = []
    for procedure, members in _candidates(case, catalogue, profile):
        status = procedure.status
        benefit = profile.benefit(procedure.benefit, case.event_date) if procedure.benefit else None
        amount, amount_text = (benefit.amount, f"{benefit.amount:,}円") if benefit else (0, "")
        if procedure.computed_benefit:
            amount, amount_text = _computed_benefit(procedure.computed_benefit, case, members)
        department = profile.department(procedure.department)
        reason = procedure.reason.format(
            names="、".join(f"{m.name}さん" for m in members),
            benefit=amount_text,
            city=profile.name,
            department=department.name,
        )
        local = _local_words(profile.name, department.name)
        unanswered = ""
        if procedure.question:
            answer = case.answer(procedure.question)
            if answer == "no":
                continue
            if answer == "unknown":
                status = "check"
                unanswered = catalogue.questions[procedure.question].text
        deadline = compute_deadline(procedure.deadline, case.event_date, filed, calendar)
        fee = profile.fee(procedure.fee, filed) if procedure.fee else None
        deadline_note = local(procedure.deadline.note)
        if deadline.moved_from:
            deadline_note = (
                f"{deadline_note}（本来の期限が{deadline.closed_reason}のため翌開庁日）".lstrip()
            )
        planned.append(
            PlannedProcedure(
                id=procedure.id,
                name=procedure.name,
                department=department.name,
                department_key=department.key,
                counter=department.counter,
                order=department.order,
                members=tuple(m.id for m in members),
                member_names=tuple(m.name for m in members),
                status=status,
                reason=reason,
                deadline=deadline.last_day,
                deadline_moved_from=deadline.moved_from,
                deadline_note=deadline_note,
                fee=fee.amount if fee else 0,
                fee_label=fee.label if fee else "",
                fee_revenue=fee.revenue if fee else "",
                benefit=amount,
                documents=tuple(local(d) for d in procedure.documents),
                forms=procedure.forms,
                online=procedure.online,
                online_note=procedure.online_note,
                legal_basis=procedure.legal_basis,
                note=local(procedure.note),
                deadline_notice=procedure.deadline.notice,
                overdue=deadline.last_day is not None and deadline.last_day < filed,
                unanswered=unanswered,
                late_filing=procedure.late_filing,
            )
        )
    return Plan(
        municipality=case.municipality,
        event=case.event,
        event_date=case.event_date,
        filed_on=filed,
        procedures=tuple(sorted(planned, key=lambda p: p.order)),
        questions=tuple(questions_for(case, catalogue, profile)),
    )


def _computed_benefit(kind: str, case: EventCase, members: list[Member]) -> tuple[int, str]:
    """An amount worked out for this household (catalogue.COMPUTED_BENEFITS): the monthly
    児童手当 of ``members``, child by child with which child each counts as."""
    if kind != "child_allowance":
        raise PlanningError(f"computed_benefit: 「{kind}」は計算できません")
    allowance = child_allowance(case, members)
    if allowance is None:
        return 0, ""
    ids = [m.id for m in members]
    return allowance.total(ids), allowance.describe(ids)


def plan_visit(
    cases: Sequence[EventCase],
    catalogue: Catalogue,
    profile: MunicipalityProfile,
    *,
    filed_on: date | None = None,
) -> Plan:
    """The plan of a visit with one or more events, walked once (``combine_plans``)."""
    return combine_plans([plan(case, catalogue, profile, filed_on=filed_on) for case in cases])
