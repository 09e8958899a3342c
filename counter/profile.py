"""The municipality profile: the per-city layer over the national catalogue.

Cities differ in department names, counters, fees and some age ranges, so these live in
``counter/data/municipalities/<code>.toml`` and never in code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from counter.opendays import OfficeCalendar
from counter.payment.checkdigits import is_valid_local_government_code

PROFILE_DIR = Path(__file__).parent / "data" / "municipalities"


class ProfileError(ValueError):
    """A profile file that cannot be used, naming the file and the key."""


@dataclass(frozen=True)
class Department:
    key: str
    name: str
    counter: str
    order: int
    unconfirmed: bool = False


@dataclass(frozen=True)
class Fee:
    """A fee or benefit amount for one period; ``elqr`` says whether a slip's payment
    code covers it (else it is paid in cash at the counter)."""

    key: str
    amount: int
    label: str
    unconfirmed: bool = False
    elqr: bool = True
    category: str = ""
    valid_from: date = date(1900, 1, 1)
    valid_to: date | None = None

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class MunicipalityProfile:
    code: str
    name: str
    prefecture: str
    office: str
    phone: str
    office_hours: str
    departments: dict[str, Department]
    fees: dict[str, tuple[Fee, ...]]
    benefits: dict[str, tuple[Fee, ...]]
    child_medical_until_age: int
    payment_category: str
    payment_demo: bool
    payment_demo_collector: str
    procedure_overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    extra_closed_days: tuple[date, ...] = ()
    unconfirmed: tuple[str, ...] = ()

    @property
    def calendar(self) -> OfficeCalendar:
        return OfficeCalendar(self.extra_closed_days)

    @property
    def collector(self) -> str:
        """The 5-digit 収納機関番号; a demo profile uses one no real city can have."""
        return self.payment_demo_collector if self.payment_demo else self.code[:5]

    def department(self, key: str) -> Department:
        try:
            return self.departments[key]
        except KeyError:
            raise ProfileError(f"{self.code}: 担当課「{key}」が定義されていません") from None

    def fee(self, key: str, on: date) -> Fee:
        return _in_force(self.fees, key, on, f"{self.code}: 手数料")

    def benefit(self, key: str, on: date) -> Fee:
        return _in_force(self.benefits, key, on, f"{self.code}: 給付額")


def _in_force(table: dict[str, tuple[Fee, ...]], key: str, on: date, what: str) -> Fee:
    if key not in table:
        raise ProfileError(f"{what}「{key}」が定義されていません")
    for fee in table[key]:
        if fee.in_force(on):
            return fee
    raise ProfileError(f"{what}「{key}」は {on.isoformat()} に有効な額がありません")


def available_profiles(directory: Path = PROFILE_DIR) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.toml"))


def load_profile(code: str, directory: Path = PROFILE_DIR) -> MunicipalityProfile:
    path = directory / f"{code}.toml"
    if not path.is_file():
        raise ProfileError(f"地方公共団体コード {code} のプロファイルがありません")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path.name}: TOML の書き方が正しくありません（{exc}）") from None
    try:
        return _build(code, data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ProfileError(f"{path.name}: 項目が不足または不正です（{exc}）") from None


FEE_KEYS = {"amount", "label", "unconfirmed", "elqr", "category", "valid_from", "valid_to"}


def _periods(key: str, value: dict | list) -> tuple[Fee, ...]:
    """One amount, or a list of amounts each with its valid_from / valid_to."""
    periods = value if isinstance(value, list) else [value]
    fees = []
    for period in periods:
        unknown = set(period) - FEE_KEYS
        if unknown:
            raise ValueError(f"{key}: 知らない項目 {sorted(unknown)}")
        category = str(period.get("category", ""))
        if category and not (category.isdigit() and len(category) == 3):
            raise ValueError(f"{key}: category は3桁の数字です")
        fees.append(
            Fee(
                key=key,
                amount=int(period["amount"]),
                label=period["label"],
                unconfirmed=bool(period.get("unconfirmed", False)),
                elqr=bool(period.get("elqr", True)),
                category=category,
                valid_from=date.fromisoformat(period.get("valid_from", "1900-01-01")),
                valid_to=date.fromisoformat(period["valid_to"]) if "valid_to" in period else None,
            )
        )
    return tuple(fees)


def _build(code: str, data: dict[str, Any]) -> MunicipalityProfile:
    city = data["municipality"]
    if city["code"] != code:
        raise ValueError(f"municipality.code が {code} ではありません")
    if not is_valid_local_government_code(code):
        raise ValueError(f"地方公共団体コード {code} の検査数字が合いません")
    departments = {
        key: Department(
            key=key,
            name=d["name"],
            counter=d["counter"],
            order=int(d["order"]),
            unconfirmed=bool(d.get("unconfirmed", False)),
        )
        for key, d in data["departments"].items()
    }
    fees = {key: _periods(key, value) for key, value in data.get("fees", {}).items()}
    benefits = {key: _periods(key, value) for key, value in data.get("benefits", {}).items()}
    payment = data.get("payment", {})
    return MunicipalityProfile(
        code=code,
        name=city["name"],
        prefecture=city["prefecture"],
        office=city["office"],
        phone=city["phone"],
        office_hours=city["office_hours"],
        departments=departments,
        fees=fees,
        benefits=benefits,
        child_medical_until_age=int(data["child_medical"]["until_march31_after_age"]),
        payment_category=str(payment.get("category", "999")),
        payment_demo=bool(payment.get("demo", True)),
        payment_demo_collector=str(payment.get("demo_collector", "99999")),
        procedure_overrides=data.get("procedures", {}),
        extra_closed_days=tuple(date.fromisoformat(d) for d in city.get("extra_closed_days", [])),
        unconfirmed=tuple(city.get("unconfirmed", [])),
    )
