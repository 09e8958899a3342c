"""The certificate kinds as data (``data/certificates.toml``): what each is, its statute,
who may ask for it, what one copy covers and where it is issued; and the 年度 of tax
certificates."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from counter.profile import MunicipalityProfile
from counter.wareki import era_year

DATA = Path(__file__).parents[1] / "data" / "certificates.toml"
REQUESTER_KINDS = ("self", "household", "spouse_or_lineal", "agent", "third_party")
RULES = ("yes", "proxy_letter", "purpose", "seal_card", "no")


class CertificateDataError(ValueError):
    """The certificate data file cannot be used, naming the entry at fault."""


@dataclass(frozen=True)
class CertificateOption:
    id: str
    label: str
    only: tuple[str, ...] = ()  # standings that may have it printed; () = everyone


@dataclass(frozen=True)
class CertificateKind:
    id: str
    name: str
    short: str
    per: str  # copy | member | koseki
    where: str  # counter | honseki | tax
    department: str
    fee: str
    form: str
    options: tuple[str, ...]
    legal_basis: str
    who: Mapping[str, str]
    valid_from: date
    wide_area: bool = False
    wide_area_note: str = ""


@dataclass(frozen=True)
class CertificateRules:
    kinds: Mapping[str, CertificateKind]
    options: Mapping[str, CertificateOption]
    wide_area_from: date
    wide_area_basis: str

    def in_force(self, on: date) -> dict[str, CertificateKind]:
        return {k: v for k, v in self.kinds.items() if v.valid_from <= on}


@cache
def load_certificate_rules(path: Path = DATA) -> CertificateRules:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    options = {
        key: CertificateOption(key, value["label"], tuple(value.get("only", ())))
        for key, value in data["options"].items()
    }
    kinds = {}
    for entry in data["certificates"]:
        kind = _kind(entry)
        unknown_rules = set(kind.who.values()) - set(RULES)
        if unknown_rules:
            raise CertificateDataError(f"{kind.id}: who に知らない規則 {sorted(unknown_rules)}")
        if set(kind.who) != set(REQUESTER_KINDS):
            raise CertificateDataError(f"{kind.id}: who はすべての請求者について書いてください")
        if set(kind.options) - set(options):
            raise CertificateDataError(f"{kind.id}: 知らない記載事項 {kind.options}")
        kinds[kind.id] = kind
    wide = data["wide_area"]
    return CertificateRules(
        kinds, options, date.fromisoformat(wide["valid_from"]), wide["legal_basis"]
    )


def _kind(entry: dict[str, Any]) -> CertificateKind:
    try:
        return CertificateKind(
            id=entry["id"],
            name=entry["name"],
            short=entry["short"],
            per=entry["per"],
            where=entry["where"],
            department=entry["department"],
            fee=entry["fee"],
            form=entry["form"],
            options=tuple(entry.get("options", ())),
            legal_basis=entry["legal_basis"],
            who=dict(entry["who"]),
            valid_from=date.fromisoformat(entry["valid_from"]),
            wide_area=bool(entry.get("wide_area", False)),
            wide_area_note=entry.get("wide_area_note", ""),
        )
    except KeyError as exc:
        raise CertificateDataError(f"{entry.get('id', '?')}: {exc.args[0]} がありません") from None


def nendo_label(year: int) -> str:
    """令和8年度 for the 年度 that starts on 1 April 2026."""
    era, number = era_year(date(year, 4, 1))
    return f"{era}{'元' if number == 1 else number}年度"


def latest_tax_year(on: date, profile: MunicipalityProfile) -> int:
    """The newest 年度 whose tax certificates are issued on ``on`` (from early summer)."""
    month, day = profile.certificates.tax_available_from
    return on.year if (on.month, on.day) >= (month, day) else on.year - 1
