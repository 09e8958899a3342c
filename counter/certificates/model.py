"""A certificate request and its decision: who asks, what for, and each line's verdict
with its reason, place, documents and fee, as the screens, the slip and the JSON show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from counter.wareki import format_wareki

REQUESTERS = {
    "self": "本人",
    "household": "同一世帯の方",
    "spouse_or_lineal": "配偶者・直系の親族（別世帯）",
    "agent": "代理人",
    "third_party": "第三者",
}
VERDICTS = {"yes": "交付できる", "no": "交付できない", "check": "要確認"}


@dataclass(frozen=True)
class Requester:
    """Who is at the counter asking. ``member`` is their id when they are in the household."""

    kind: str
    member: str | None = None
    name: str = ""  # an agent's or a third party's name, as given
    proxy_letter: bool = False
    photo_id: bool = False
    seal_card: bool = False
    mynumber_card: bool = False
    purpose: str = ""

    @property
    def label(self) -> str:
        return REQUESTERS[self.kind]


@dataclass(frozen=True)
class CertificateRequest:
    kind: str
    members: tuple[str, ...] = ()  # () = the whole household (住民票) or the requester
    copies: int = 1
    options: tuple[str, ...] = ()
    year: int | None = None  # 年度 of a tax certificate; None = the latest issued


@dataclass(frozen=True)
class CertificateLine:
    kind: str
    name: str
    members: tuple[str, ...]
    member_names: tuple[str, ...]
    copies: int
    issuable: str  # yes | no | check
    reason: str
    fee: int  # for the whole line; 0 when it cannot be issued
    unit_fee: int
    units: int  # copies × what one copy covers
    where: str
    documents: tuple[str, ...]
    options: tuple[str, ...] = ()
    option_labels: tuple[str, ...] = ()
    year: int | None = None
    department: str = ""
    form: str = ""
    legal_basis: str = ""
    fee_revenue: str = ""  # the revenue item whose payment code collects it ("" = cash)
    fee_unconfirmed: bool = False

    @property
    def verdict(self) -> str:
        return VERDICTS[self.issuable]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "members": list(self.members),
            "member_names": list(self.member_names),
            "copies": self.copies,
            "options": list(self.options),
            "year": self.year,
            "issuable": self.issuable,
            "verdict": self.verdict,
            "reason": self.reason,
            "fee": self.fee,
            "unit_fee": self.unit_fee,
            "units": self.units,
            "fee_unconfirmed": self.fee_unconfirmed,
            "where": self.where,
            "documents": list(self.documents),
            "legal_basis": self.legal_basis,
        }


@dataclass(frozen=True)
class CertificateDecision:
    requester: Requester
    lines: tuple[CertificateLine, ...]
    decided_on: date
    notes: tuple[str, ...] = field(default=())

    @property
    def fee_total(self) -> int:
        """What is paid now: a 要確認 line is paid only once staff have confirmed it."""
        return sum(line.fee for line in self.lines if line.issuable == "yes")

    @property
    def documents(self) -> tuple[str, ...]:
        """What the requester shows, once, for every line that can be issued."""
        wanted = [d for line in self.lines if line.issuable != "no" for d in line.documents]
        return tuple(dict.fromkeys(wanted))

    def to_json(self) -> dict[str, Any]:
        return {
            "decided_on": self.decided_on.isoformat(),
            "requester": self.requester.kind,
            "certificates": [line.to_json() for line in self.lines],
            "fee_total": self.fee_total,
            "documents": list(self.documents),
            "notes": list(self.notes),
        }

    def to_text(self) -> str:
        out = [f"証明書の請求（{format_wareki(self.decided_on)}）　請求者: {self.requester.label}"]
        for line in self.lines:
            who = "・".join(line.member_names)
            out.append(f"■ {line.name}　{who}　{line.copies}通　【{line.verdict}】")
            out.append(f"  理由: {line.reason}")
            out.append(f"  窓口: {line.where}")
            if line.issuable != "no":
                later = "、確かめて交付するとき" if line.issuable == "check" else ""
                out.append(f"  手数料: {line.fee:,}円（{line.unit_fee:,}円×{line.units}{later}）")
                out.append(f"  必要なもの: {'、'.join(line.documents)}")
        out.append(f"手数料の合計: {self.fee_total:,}円")
        out.extend(f"※ {note}" for note in self.notes)
        return "\n".join(out)
