"""What the guidance slip (案内票) says, independent of how it is printed.

Built from the plan, the household and the stored visit; the PDF renderer in ``forms``
only lays it out. Procedures are grouped by counter in the order the resident walks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from counter.events import event_label
from counter.household import EventCase
from counter.payment import ElqrFields, el_number, el_number_parts
from counter.plan import Plan
from counter.profile import MunicipalityProfile
from counter.wareki import format_wareki


@dataclass(frozen=True)
class SlipLine:
    name: str
    members: str
    status: str
    deadline: str
    documents: tuple[str, ...]
    fee: int
    reason: str
    online_note: str


@dataclass(frozen=True)
class SlipSection:
    number: int
    department: str
    counter: str
    lines: tuple[SlipLine, ...]


@dataclass(frozen=True)
class SlipPayment:
    payload: str
    amount: int
    due_date: str
    payable_until: str
    el_number: str
    el_parts: dict[str, str]


@dataclass(frozen=True)
class Slip:
    city: str
    office_hours: str
    phone: str
    reception_number: int
    issued_on: str
    head_name: str
    event: str
    event_date: str
    sections: tuple[SlipSection, ...]
    total_fee: int
    payment: SlipPayment | None
    online: tuple[str, ...]
    demo: bool

    @property
    def procedure_names(self) -> list[str]:
        return [line.name for section in self.sections for line in section.lines]


def build_slip(
    plan: Plan,
    case: EventCase,
    profile: MunicipalityProfile,
    *,
    reception_number: int,
    issued_on: date,
    payment: ElqrFields | None,
    payload: str | None,
) -> Slip:
    sections = []
    for number, (department, counter, items) in enumerate(plan.by_department(), start=1):
        lines = tuple(
            SlipLine(
                name=p.name,
                members="、".join(f"{name}さん" for name in p.member_names),
                status=p.status,
                deadline=p.deadline_text,
                documents=p.documents,
                fee=p.fee if p.status == "required" else 0,
                reason=p.reason,
                online_note=p.online_note if p.online else "",
            )
            for p in items
        )
        sections.append(SlipSection(number, department, counter, lines))
    head = case.household.head
    slip_payment = None
    if payment is not None and payload is not None:
        slip_payment = SlipPayment(
            payload=payload,
            amount=payment.amount,
            due_date=format_wareki(payment.due_date),
            payable_until=format_wareki(payment.payable_until),
            el_number=el_number(payment),
            el_parts=el_number_parts(payment),
        )
    return Slip(
        city=profile.name,
        office_hours=profile.office_hours,
        phone=profile.phone,
        reception_number=reception_number,
        issued_on=format_wareki(issued_on),
        head_name=head.name if head else "",
        event=event_label(case.event),
        event_date=format_wareki(case.event_date),
        sections=tuple(sections),
        total_fee=plan.total_fee,
        payment=slip_payment,
        online=tuple(f"{p.name}：{p.online_note}" for p in plan.procedures if p.online),
        demo=profile.payment_demo,
    )
