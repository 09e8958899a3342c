"""`counter catalogue sources`: every rule and city value with its legal basis or source,
and what is unconfirmed, so a city's legal review can go through the catalogue before
going live (issue 20). Pure: rows from the loaded catalogue and profile.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from counter.catalogue import Catalogue, Procedure
from counter.late_filing import late_filings
from counter.profile import PAYERS, MunicipalityProfile
from counter.wareki import AGE_COUNTS

UNCONFIRMED = "要確認"
LABELS = {
    "name": "自治体名",
    "office": "庁舎",
    "phone": "電話番号",
    "office_hours": "開庁時間",
    "hours": "証明書の交付時間",
    "wide_area_hours": "広域交付の時間",
    "card_for_seal_card": "マイナンバーカードで印鑑登録証の代わり",
    "household_tax": "同じ世帯の方の税証明（委任状なし）",
}
HEADER = ("種類", "ID", "名称", "有効期間", "根拠・内容", "出典", "未確認")


@dataclass(frozen=True)
class SourceRow:
    kind: str  # 手続き, 年齢の数え方, 届出期間経過, or a part of the city's profile
    key: str
    name: str
    valid: str  # 2000-04-01〜 (a rule version's or a value's period), or ""
    basis: str
    source: str
    unconfirmed: str  # what is not confirmed ("" when all is)

    def cells(self) -> tuple[str, ...]:
        return (
            self.kind,
            self.key,
            self.name,
            self.valid,
            self.basis,
            self.source,
            self.unconfirmed,
        )


def source_rows(catalogue: Catalogue, profile: MunicipalityProfile) -> list[SourceRow]:
    """Every procedure version, age count and late-filing kind, then the city's values."""
    return [
        *(_procedure(p) for p in sorted(catalogue.procedures, key=lambda p: (p.id, p.valid_from))),
        *(
            SourceRow("年齢の数え方", k, k, "", text, "年齢計算ニ関スル法律、民法第143条", "")
            for k, text in AGE_COUNTS.items()
        ),
        *(
            SourceRow(
                "届出期間経過", k.kind, k.label, "", k.basis, k.source, "、".join(k.unconfirmed)
            )
            for k in late_filings().values()
        ),
        *_profile(profile),
    ]


def _period(valid_from, valid_to) -> str:
    return f"{valid_from.isoformat()}〜{valid_to.isoformat() if valid_to else ''}"


def _procedure(p: Procedure) -> SourceRow:
    basis = p.legal_basis + (f"／年齢: {p.age_basis}" if p.age_basis else "")
    doubts = [
        part for part, text in (("出典", p.source), ("年齢", p.age_basis)) if UNCONFIRMED in text
    ]
    return SourceRow(
        "手続き",
        p.id,
        p.name,
        _period(p.valid_from, p.valid_to),
        basis,
        p.source,
        "、".join(doubts),
    )


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    return str(value)


def _flag(unconfirmed: bool | tuple[str, ...]) -> str:
    if isinstance(unconfirmed, bool):
        return "すべて" if unconfirmed else ""
    return "、".join(unconfirmed)


def _facts(kind: str, table: Any, keys: tuple[str, ...]) -> Iterator[SourceRow]:
    """Plain values of a profile table that keeps ``sources`` and ``unconfirmed`` by key."""
    for key in keys:
        unconfirmed = "すべて" if key in table.unconfirmed else ""
        value = _value(getattr(table, key))
        yield SourceRow(kind, key, LABELS[key], "", value, table.sources.get(key, ""), unconfirmed)


def _profile(profile: MunicipalityProfile) -> Iterator[SourceRow]:
    city = f"{profile.name}（{profile.code}）"
    yield from _facts(city, profile, ("name", "office", "phone", "office_hours"))
    for d in sorted(profile.departments.values(), key=lambda d: d.order):
        yield SourceRow(
            f"{city} 担当課",
            d.key,
            d.name,
            "",
            f"{d.order}番目　{d.counter}",
            d.source,
            _flag(d.unconfirmed),
        )
    for kind, table in (("手数料", profile.fees), ("給付", profile.benefits)):
        for key, periods in sorted(table.items()):
            for fee in periods:
                yield SourceRow(
                    f"{city} {kind}",
                    key,
                    fee.label,
                    _period(fee.valid_from, fee.valid_to),
                    f"{fee.amount:,}円",
                    fee.source,
                    _flag(fee.unconfirmed),
                )
    for medical in profile.child_medical_periods:
        yield SourceRow(
            f"{city} 子ども医療費助成",
            "child_medical",
            "対象年齢と負担",
            _period(medical.valid_from, medical.valid_to),
            f"{medical.until_age}歳到達後最初の3月31日まで（{PAYERS[medical.payer]}が負担）",
            medical.source,
            _flag(medical.unconfirmed),
        )
    holiday = profile.holiday_counter
    if holiday is not None:
        yield SourceRow(
            f"{city} 休日窓口",
            "holiday_counter",
            "休日窓口",
            "",
            holiday.rule or "（日が分からない）",
            holiday.source,
            _flag(holiday.unconfirmed),
        )
    certificate_facts = ("hours", "wide_area_hours", "card_for_seal_card", "household_tax")
    yield from _facts(f"{city} 証明書", profile.certificates, certificate_facts)
    payment = "見本の納付（本番前に設定）" if profile.payment_demo else "納付"
    yield SourceRow(
        f"{city} 納付（eL-QR）",
        "payment",
        payment,
        "",
        "歳入科目: " + "、".join(sorted(profile.revenue)),
        profile.payment_source,
        _flag(profile.payment_unconfirmed),
    )


def as_text(rows: list[SourceRow]) -> str:
    """For reading: one block per row, the unconfirmed ones marked 【要確認】."""
    lines = []
    for row in rows:
        mark = f"【{UNCONFIRMED}: {row.unconfirmed}】" if row.unconfirmed else ""
        valid = f"（{row.valid}）" if row.valid else ""
        lines.append(f"■ {row.kind}　{row.name}［{row.key}］{valid}{mark}")
        lines.append(f"  根拠・内容: {row.basis or '—'}")
        lines.append(f"  出典: {row.source or '—'}")
    unconfirmed = sum(1 for row in rows if row.unconfirmed)
    lines.append(f"計 {len(rows)}件（うち{UNCONFIRMED} {unconfirmed}件）")
    return "\n".join(lines) + "\n"
