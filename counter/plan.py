"""The plan: every procedure a household owes after an event, ready to show or print."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from counter.events import event_label, planned_ahead_note
from counter.late_filing import LateFiling, late_filings
from counter.wareki import format_wareki, format_wareki_short

REFUSED = "refused"  # a certificate that cannot be issued here (counter.certificates.plan)
STATUS_LABELS = {"required": "必要", "check": "要確認", REFUSED: "交付できません"}
OVERDUE = "期限を過ぎています"
OVERDUE_MARK = "！"  # before a passed deadline in narrow columns (full width: never ambiguous)


@dataclass(frozen=True)
class PlannedProcedure:
    id: str
    name: str
    department: str
    department_key: str
    counter: str
    order: int
    members: tuple[str, ...]
    member_names: tuple[str, ...]
    status: str
    reason: str
    deadline: date | None
    deadline_moved_from: date | None
    deadline_note: str
    fee: int
    fee_label: str
    fee_revenue: str  # the revenue item whose payment code collects the fee; "" = cash
    benefit: int
    documents: tuple[str, ...]
    forms: tuple[str, ...]
    online: bool
    online_note: str
    legal_basis: str
    note: str
    case: int = 0  # which of the visit's events (0 = the first) gives rise to it
    deadline_notice: str = ""  # about the timing, but not a deadline (see counter.deadlines)
    overdue: bool = False  # the deadline had passed on the day the plan was made for
    unanswered: str = ""  # the question answered わからない that keeps it 要確認
    late_filing: str = ""  # a 届出 with a legal period: its kind (counter.late_filing)

    @property
    def late(self) -> LateFiling | None:
        """届出期間経過: what filing this 届出 after its period means, when it has passed."""
        return late_filings().get(self.late_filing) if self.overdue else None

    @property
    def explained_reason(self) -> str:
        """The reason, and for a 要確認 line the question that was left open."""
        if not self.unanswered:
            return self.reason
        return f"{self.reason}（「{self.unanswered}」がわからないため要確認）"

    @property
    def deadline_wareki(self) -> str | None:
        return format_wareki(self.deadline) if self.deadline else None

    @property
    def deadline_short(self) -> str:
        """For narrow columns: the date (marked ！ when it has passed), or whether it is
        速やかに or has no set day; a line that cannot be issued has none."""
        if self.status == REFUSED:
            return "－"
        if self.deadline is not None:
            mark = OVERDUE_MARK if self.overdue else ""
            return f"{mark}{format_wareki_short(self.deadline)}"
        return "速やかに" if "速やか" in self.deadline_note else "定めなし"

    @property
    def deadline_text(self) -> str:
        """The deadline as staff and residents read it."""
        if self.deadline is None:
            return self.deadline_note or "定めはありません"
        late = f"（{OVERDUE}）" if self.overdue else ""
        return f"{format_wareki(self.deadline)}まで{late}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "department": self.department,
            "department_key": self.department_key,
            "counter": self.counter,
            "order": self.order,
            "members": list(self.members),
            "status": self.status,
            "reason": self.reason,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_wareki": self.deadline_wareki,
            "deadline_moved_from": (
                self.deadline_moved_from.isoformat() if self.deadline_moved_from else None
            ),
            "deadline_note": self.deadline_note,
            "fee": self.fee,
            "fee_label": self.fee_label,
            "fee_revenue": self.fee_revenue,
            "benefit": self.benefit,
            "documents": list(self.documents),
            "forms": list(self.forms),
            "online": self.online,
            "online_note": self.online_note,
            "legal_basis": self.legal_basis,
            "note": self.note,
            "case": self.case,
            "deadline_notice": self.deadline_notice,
            "overdue": self.overdue,
            "unanswered": self.unanswered,
            "late_filing": self.late_filing,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], names: Mapping[str, str]) -> PlannedProcedure:
        """The inverse of ``to_json``; ``names`` gives each member id's name (from the
        case stored beside the plan). Plans stored before ``department_key``, ``order``,
        ``fee_label``, ``fee_revenue`` and ``case`` were written read them as empty, their
        position and the first event (their payment codes are stored apart, so a reprint
        does not need the item); ``overdue`` is given by ``Plan.from_json`` for plans stored
        before it was."""

        def day(value: str | None) -> date | None:
            return date.fromisoformat(value) if value else None

        return cls(
            id=data["id"],
            name=data["name"],
            department=data["department"],
            department_key=data.get("department_key", ""),
            counter=data["counter"],
            order=data["order"],
            members=tuple(data["members"]),
            member_names=tuple(names[m] for m in data["members"]),
            status=data["status"],
            reason=data["reason"],
            deadline=day(data["deadline"]),
            deadline_moved_from=day(data["deadline_moved_from"]),
            deadline_note=data["deadline_note"],
            fee=data["fee"],
            fee_label=data.get("fee_label", ""),
            fee_revenue=data.get("fee_revenue", ""),
            benefit=data["benefit"],
            documents=tuple(data["documents"]),
            forms=tuple(data["forms"]),
            online=data["online"],
            online_note=data["online_note"],
            legal_basis=data["legal_basis"],
            note=data["note"],
            case=data.get("case", 0),
            deadline_notice=data.get("deadline_notice", ""),
            overdue=data.get("overdue", False),
            unanswered=data.get("unanswered", ""),
            late_filing=data.get("late_filing", ""),
        )


@dataclass(frozen=True)
class Plan:
    municipality: str
    event: str
    event_date: date
    filed_on: date
    procedures: tuple[PlannedProcedure, ...]
    questions: tuple[str, ...]
    # The visit's further events after the first (event, event_date), in the order given.
    more_events: tuple[tuple[str, date], ...] = ()

    @property
    def events(self) -> tuple[tuple[str, date], ...]:
        """Every event of the visit with its date, the first one first."""
        return ((self.event, self.event_date), *self.more_events)

    @property
    def planned_ahead(self) -> str:
        """What to tell of a move filed before it happens (empty for any other plan)."""
        return planned_ahead_note(self.event, self.event_date, self.filed_on)

    @property
    def overdue(self) -> tuple[PlannedProcedure, ...]:
        """The procedures whose deadline had passed on the filing day."""
        return tuple(p for p in self.procedures if p.overdue)

    @property
    def total_fee(self) -> int:
        return sum(p.fee for p in self.procedures if p.status == "required")

    def elqr_totals(self) -> dict[str, int]:
        """What the slip's payment codes cover, by revenue item in visiting order: the
        required fees the city collects by eL-QR."""
        totals: dict[str, int] = {}
        for p in sorted(self.procedures, key=lambda p: p.order):
            if p.status == "required" and p.fee_revenue and p.fee:
                totals[p.fee_revenue] = totals.get(p.fee_revenue, 0) + p.fee
        return totals

    def by_department(self) -> list[tuple[str, str, list[PlannedProcedure]]]:
        """Procedures grouped by department, in the order a resident visits them."""
        groups: dict[str, list[PlannedProcedure]] = {}
        for procedure in sorted(self.procedures, key=lambda p: p.order):
            groups.setdefault(procedure.department, []).append(procedure)
        return [(name, items[0].counter, items) for name, items in groups.items()]

    def to_json(self) -> dict[str, Any]:
        return {
            "municipality": self.municipality,
            "event": self.event,
            "event_label": event_label(self.event),
            "event_date": self.event_date.isoformat(),
            "event_date_wareki": format_wareki(self.event_date),
            "filed_on": self.filed_on.isoformat(),
            "questions": list(self.questions),
            "more_events": [
                {"event": event, "event_date": day.isoformat()} for event, day in self.more_events
            ],
            "total_fee": self.total_fee,
            "procedures": [p.to_json() for p in self.procedures],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], names: Mapping[str, str]) -> Plan:
        """The inverse of ``to_json`` (see ``PlannedProcedure.from_json``)."""
        filed_on = date.fromisoformat(data["filed_on"])

        def passed(p: Mapping[str, Any]) -> bool:
            return bool(p["deadline"]) and date.fromisoformat(p["deadline"]) < filed_on

        procedures = tuple(
            PlannedProcedure.from_json({"order": position, "overdue": passed(p), **p}, names)
            for position, p in enumerate(data["procedures"])
        )
        return cls(
            municipality=data["municipality"],
            event=data["event"],
            event_date=date.fromisoformat(data["event_date"]),
            filed_on=filed_on,
            procedures=procedures,
            questions=tuple(data["questions"]),
            more_events=tuple(
                (e["event"], date.fromisoformat(e["event_date"]))
                for e in data.get("more_events", ())
            ),
        )

    def to_text(self) -> str:
        lines = [
            *(f"届出: {event_label(event)}（{format_wareki(day)}）" for event, day in self.events),
            f"手続き: {len(self.procedures)}件　手数料合計: {self.total_fee:,}円",
        ]
        if self.overdue:
            filed = format_wareki(self.filed_on)
            lines.append(f"期限を過ぎた手続き: {len(self.overdue)}件（届出日 {filed}）")
        if self.planned_ahead:
            lines.append(self.planned_ahead)
        for department, counter, items in self.by_department():
            lines.append("")
            lines.append(f"【{department}】{counter}")
            for p in items:
                status = "" if p.status == "required" else f"［{STATUS_LABELS[p.status]}］"
                fee = f"　手数料 {p.fee:,}円" if p.fee else ""
                lines.append(f"  ・{p.name}{status}　{'、'.join(p.member_names)}")
                if p.status == REFUSED:
                    lines.append(f"    請求先: {p.note}")
                else:
                    lines.append(f"    期限: {p.deadline_text}{fee}")
                lines.append(f"    理由: {p.explained_reason}")
                if p.deadline_notice:
                    lines.append(f"    ご案内: {p.deadline_notice}")
                if p.late:
                    lines.append(f"    {p.late.label}: {p.late.text}（{p.late.basis}）")
                if p.documents:
                    lines.append(f"    持ち物: {'、'.join(p.documents)}")
        return "\n".join(lines)


def combine_plans(plans: Sequence[Plan]) -> Plan:
    """One visit, several events (a 転入 and then a 出生): one plan the resident walks once.

    Each procedure remembers the event it came from (``case``), so its forms are filled
    from that event. The same procedure (by its name: 住民票の写しの交付 is one request
    whichever event's catalogue entry asks for it) for the same members, owed by two
    events, is one trip to one counter: it is listed once, with the earlier deadline, both
    reasons, and its fee charged once.
    """
    if not plans:
        raise ValueError("combine_plans needs at least one plan")
    kept: dict[tuple[str, tuple[str, ...]], PlannedProcedure] = {}
    for index, plan in enumerate(plans):
        for procedure in plan.procedures:
            key = (procedure.name, procedure.members)
            earlier = kept.get(key)
            here = replace(procedure, case=index)
            kept[key] = here if earlier is None else _owed_twice(earlier, here)
    questions = dict.fromkeys(q for plan in plans for q in plan.questions)
    first = plans[0]
    return Plan(
        municipality=first.municipality,
        event=first.event,
        event_date=first.event_date,
        filed_on=first.filed_on,
        procedures=tuple(sorted(kept.values(), key=lambda p: p.order)),
        questions=tuple(questions),
        more_events=tuple((p.event, p.event_date) for p in plans[1:]),
    )


def _owed_twice(first: PlannedProcedure, second: PlannedProcedure) -> PlannedProcedure:
    """The one procedure two events ask for: required if either requires it, due by the
    earlier deadline, with both reasons."""
    dated = [p for p in (first, second) if p.deadline is not None]
    due = min(dated, key=lambda p: p.deadline or date.max) if dated else first
    reason = first.reason if second.reason == first.reason else f"{first.reason}／{second.reason}"
    charged = max((first, second), key=lambda p: p.fee)
    required = "required" in (first.status, second.status)
    return replace(
        first,
        status="required" if required else first.status,
        unanswered="" if required else first.unanswered or second.unanswered,
        reason=reason,
        deadline=due.deadline,
        deadline_moved_from=due.deadline_moved_from,
        deadline_note=due.deadline_note,
        deadline_notice=due.deadline_notice,
        overdue=due.overdue,
        documents=tuple(dict.fromkeys((*first.documents, *second.documents))),
        fee=charged.fee,
        fee_label=charged.fee_label,
        fee_revenue=charged.fee_revenue,
    )
