"""The guidance slip as plain lines, for the screen that shows staff what will be printed.

Same order and the same fixed texts as the A4 PDF (``definitions/guidance_slip.toml``),
so what staff read on the counter screen is what the resident gets on paper. The QR
symbol itself is not drawn here; its eL番号 numbers are. ``slip_names`` are the names a
screen must never wrap in two (``counter.screentext.wrap``).
"""

from __future__ import annotations

from counter.plan import REFUSED
from counter.slip import Slip, SlipLine, SlipPayment
from forms.slip_typography import Words

# The printed slip's □ tick box, in full-width brackets: □ is East-Asian ambiguous width
# and shifts the layout on terminals that draw such characters wide.
TICK = "［　］"


def _line(line: SlipLine, t: Words) -> list[str]:
    if line.status == REFUSED:  # no deadline and no fee: where to ask instead
        status = t["status_refused"]
        when = t.label("refused_where", line.where)
    else:
        status = t["status_check"] if line.status == "check" else t["status_required"]
        if line.deadline is not None:
            deadline = t.format("deadline_by", date=t.date(line.deadline))
            if line.overdue:
                deadline += f"　{t['overdue']}"
        else:
            deadline = line.deadline_note or t["no_deadline"]
        when = t.label("deadline", deadline)
    lines = [f"{TICK}{line.name}　{status}", f"　　{when}"]
    if line.fee:
        lines.append(f"　　{t.label('fee', t.yen(line.fee))}")
    if not all(member in line.reason for member in line.members):
        members = t["separator"].join(t.format("member_name", name=n) for n in line.members)
        lines.append(f"　　{t.label('members', members)}")
    if line.documents:
        lines.append(f"　　{t.label('documents', t['separator'].join(line.documents))}")
    if line.deadline_notice:
        lines.append(f"　　{t.label('notice', line.deadline_notice)}")
    if line.late:
        lines.append(f"　　【{t['late']}】{t['late_note']}")
    lines.append(f"　　{t.label('reason', line.reason)}")
    if line.online_note:
        lines.append(f"　　{t.format('online', note=line.online_note)}")
    return lines


def _payment(slip: Slip, payment: SlipPayment, t: Words) -> list[str]:
    title = t["payment_title"] + (f"【{t['demo_mark']}】" if slip.demo else "")
    lines = ["", title]
    if payment.label and t.texts["payment_item"]:
        lines.append(t.format("payment_item", label=payment.label))
    return [
        *lines,
        t.label("payment_amount", t.yen(payment.amount)),
        t.label("payment_due", t.date(payment.due_date)),
        t.label("payment_until", t.date(payment.payable_until)),
        t.label("el_collector", payment.collector),
        t.label("el_payment_number", payment.payment_number),
        t.label("el_confirmation", payment.confirmation_number),
        t.label("el_category", payment.category),
        t["payment_note"],
    ]


def slip_lines(slip: Slip, language: str = "ja") -> list[str]:
    """Every printed text of the slip, top to bottom, one string per line."""
    t = Words(language, escape=str)
    lines = [
        t["title"],
        t.format("household", head=slip.head_name),
        *t.events(slip),
        *t.ahead(slip),
        t.format("issued", date=t.date(slip.issued_on)),
        t.format("reception", number=slip.reception_number),
    ]
    if slip.demo:
        lines.append(f"【{t['demo_mark']}】{t['demo_note']}")
    count = t.format("summary", count=len(slip.lines), checks=slip.checks)
    total = t.label("total_fee", t.yen(slip.total_fee)) if slip.total_fee else t["no_fee"]
    lines += ["", f"{count}　{total}"]
    if slip.checks:
        lines.append(t.label("status_check", t["status_check_note"]))
    for payment in slip.payments:
        lines += _payment(slip, payment, t)
    lines += ["", t["intro"]]
    for section in slip.sections:
        lines += ["", t.format("section", number=section.number,
                               department=section.department, counter=section.counter)]  # fmt: skip
        for line in section.lines:
            lines += _line(line, t)
    lines += ["", t.format("contact_title", city=slip.city)]
    lines.append(t.format("office_hours", hours=slip.office_hours))
    if slip.holiday_counter:
        lines.append(t.format("holiday_counter", days=slip.holiday_counter))
    if slip.phone:  # a profile without a confirmed number prints none
        lines.append(t.format("phone", phone=slip.phone))
    return lines


def slip_names(slip: Slip) -> list[str]:
    """The names printed on the slip, which a screen must keep whole on one line."""
    return list(dict.fromkeys([slip.head_name, *(m for line in slip.lines for m in line.members)]))
