"""What the guidance slip (案内票) says, independent of how it is printed.

Built from the plan, the household and the stored visit; the PDF renderer in ``forms``
only lays it out. Procedures are grouped by counter in the order the resident walks.
Dates stay ``date`` and names stay bare, so every language variant of the slip words
them its own way (和暦 always, a Western date or an honorific where the variant says).
The individual number has no field here, so no layout can print it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from counter.billing import IssuedCode
from counter.events import event_label
from counter.household import EventCase
from counter.payment import el_number, grouped_payment_number
from counter.plan import REFUSED, Plan
from counter.profile import MunicipalityProfile


@dataclass(frozen=True)
class SlipLine:
    name: str
    members: tuple[str, ...]
    status: str  # "required", "check" (要確認) or "refused" (a certificate not issued here)
    deadline: date | None
    deadline_note: str  # the catalogue's words when there is no fixed day
    documents: tuple[str, ...]
    fee: int
    reason: str
    online_note: str
    overdue: bool = False  # the deadline had passed on the day of the visit
    deadline_notice: str = ""  # about the timing, not a deadline
    where: str = ""  # where to ask instead, for a line that cannot be issued here
    late: bool = False  # 届出期間経過: a 届出 filed after its legal period (counter.late_filing)


@dataclass(frozen=True)
class SlipSection:
    number: int
    department: str
    counter: str
    lines: tuple[SlipLine, ...]


@dataclass(frozen=True)
class SlipPayment:
    label: str  # the revenue item, e.g. 戸籍・住民票などの証明手数料
    payload: str
    amount: int
    due_date: date
    payable_until: date
    el_number: str
    collector: str
    payment_number: str  # grouped in fours, as typed into a payment app
    confirmation_number: str
    category: str


@dataclass(frozen=True)
class SlipEvent:
    key: str  # e.g. "birth", for a language variant's own word
    label: str  # 出生
    date: date


@dataclass(frozen=True)
class Slip:
    city: str
    office_hours: str
    phone: str
    reception_number: int
    issued_on: date
    head_name: str
    events: tuple[SlipEvent, ...]  # the visit's events, the first one first
    sections: tuple[SlipSection, ...]
    total_fee: int
    payments: tuple[SlipPayment, ...]
    demo: bool
    holiday_counter: str = ""  # when the city opens a counter on closed days; "" if unknown
    ahead: tuple[str, date] | None = None  # a move filed before its planned day: its event key, day

    @property
    def lines(self) -> list[SlipLine]:
        return [line for section in self.sections for line in section.lines]

    @property
    def procedure_names(self) -> list[str]:
        return [line.name for line in self.lines]

    @property
    def checks(self) -> int:
        """How many procedures are 要確認."""
        return sum(1 for line in self.lines if line.status == "check")

    @property
    def refused(self) -> int:
        """How many certificates cannot be issued here (each says where to ask)."""
        return sum(1 for line in self.lines if line.status == REFUSED)


def build_slip(
    plan: Plan,
    case: EventCase,
    profile: MunicipalityProfile,
    *,
    reception_number: int,
    issued_on: date,
    payments: Sequence[IssuedCode],
) -> Slip:
    sections = []
    for number, (department, counter, items) in enumerate(plan.by_department(), start=1):
        lines = tuple(
            SlipLine(
                name=p.name,
                members=p.member_names,
                status=p.status,
                deadline=p.deadline,
                deadline_note=p.deadline_note,
                documents=p.documents,
                fee=p.fee if p.status == "required" else 0,
                reason=p.reason,
                online_note=p.online_note if p.online else "",
                overdue=p.overdue,
                deadline_notice=p.deadline_notice,
                where=p.note if p.status == REFUSED else "",
                late=p.late is not None,
            )
            for p in items
        )
        sections.append(SlipSection(number, department, counter, lines))
    head = case.household.head
    slip_payments = tuple(
        SlipPayment(
            label=profile.revenue[code.item].label if code.item in profile.revenue else "",
            payload=code.payload,
            amount=code.fields.amount,
            due_date=code.fields.due_date,
            payable_until=code.fields.payable_until,
            el_number=el_number(code.fields),
            collector=code.fields.collector,
            payment_number=grouped_payment_number(code.fields.payment_number),
            confirmation_number=code.fields.confirmation_number,
            category=code.fields.category,
        )
        for code in payments
    )
    return Slip(
        city=profile.name,
        office_hours=profile.office_hours,
        phone=profile.phone,
        reception_number=reception_number,
        issued_on=issued_on,
        head_name=head.name if head else "",
        events=tuple(SlipEvent(event, event_label(event), day) for event, day in plan.events),
        sections=tuple(sections),
        total_fee=plan.total_fee,
        payments=slip_payments,
        demo=profile.payment_demo,
        holiday_counter=profile.holiday_counter.description() if profile.holiday_counter else "",
        ahead=(plan.event, plan.event_date) if plan.planned_ahead else None,
    )
