"""The guidance slip as plain lines, for the screen that shows staff what will be printed.

Same order and the same fixed texts as the PDF (``definitions/guidance_slip.toml``), so
what staff read on the counter screen is what the resident gets on paper. The QR symbol
itself is not drawn here; its eL番号 numbers are.
"""

from __future__ import annotations

from counter.slip import Slip, SlipLine
from forms.slip_typography import Words

# The printed slip's □ tick box, in full-width brackets: □ is East-Asian ambiguous width
# and shifts the layout on terminals that draw such characters wide.
TICK = "［　］"


def _line(line: SlipLine, t: Words) -> list[str]:
    status = t["status_check"] if line.status == "check" else t["status_required"]
    members = t["separator"].join(t.format("member_name", name=n) for n in line.members)
    if line.deadline is not None:
        deadline = t.format("deadline_by", date=t.date(line.deadline))
    else:
        deadline = line.deadline_note or t["no_deadline"]
    lines = [f"{TICK}{line.name}　{status}"]
    if line.status == "check":
        lines.append(f"　　{t['status_check_note']}")
    lines += [f"　　{t.label('members', members)}", f"　　{t.label('deadline', deadline)}"]
    if len(line.documents) == 1:
        lines.append(f"　　{t.label('documents', line.documents[0])}")
    elif line.documents:
        lines.append(f"　　{t.label('documents', '')}")
        lines += [f"　　・{document}" for document in line.documents]
    if line.fee:
        lines.append(f"　　{t.label('fee', t.yen(line.fee))}")
    lines.append(f"　　{t.label('reason', line.reason)}")
    return lines


def slip_lines(slip: Slip, language: str = "ja") -> list[str]:
    """Every printed text of the slip, top to bottom, one string per line."""
    t = Words(language, escape=str)
    lines = [
        t["title"],
        t.format("reception", number=slip.reception_number),
        t.format("household", head=slip.head_name),
        *t.events(slip),
        t.format("issued", date=t.date(slip.issued_on)),
    ]  # fmt: skip
    if slip.demo:
        lines.append(f"【{t['demo_mark']}】{t['demo_note']}")
    for section in slip.sections:
        lines += ["", t.format("section", number=section.number,
                               department=section.department, counter=section.counter)]  # fmt: skip
        for line in section.lines:
            lines += _line(line, t)
    lines.append("")
    lines.append(t.label("total_fee", t.yen(slip.total_fee)) if slip.total_fee else t["no_fee"])
    for payment in slip.payments:
        lines += ["", t["payment_title"]]
        if payment.label and t.texts["payment_item"]:
            lines.append(t.format("payment_item", label=payment.label))
        if slip.demo:
            lines.append(f"【{t['demo_mark']}】{t['demo_note']}")
        lines += [
            t.label("payment_amount", t.yen(payment.amount)),
            t.label("payment_due", t.date(payment.due_date)),
            t.label("payment_until", t.date(payment.payable_until)),
            t.label("el_collector", payment.collector),
            t.label("el_payment_number", payment.payment_number),
            t.label("el_confirmation", payment.confirmation_number),
            t.label("el_category", payment.category),
        ]
    if slip.online:
        lines += ["", t["online_title"]]
        lines += [f"・{t.format('online_item', name=n, note=o)}" for n, o in slip.online]
    return [
        *lines,
        "",
        t.format("contact_title", city=slip.city),
        t.format("office_hours", hours=slip.office_hours),
        t.format("phone", phone=slip.phone),
    ]
