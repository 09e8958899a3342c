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
    key: str
    amount: int
    label: str
    unconfirmed: bool = False


@dataclass(frozen=True)
class MunicipalityProfile:
    code: str
    name: str
    prefecture: str
    office: str
    phone: str
    office_hours: str
    departments: dict[str, Department]
    fees: dict[str, Fee]
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

    def fee(self, key: str) -> Fee:
        try:
            return self.fees[key]
        except KeyError:
            raise ProfileError(f"{self.code}: 手数料「{key}」が定義されていません") from None


def available_profiles() -> list[str]:
    return sorted(p.stem for p in PROFILE_DIR.glob("*.toml"))


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


def _build(code: str, data: dict[str, Any]) -> MunicipalityProfile:
    city = data["municipality"]
    if city["code"] != code:
        raise ValueError(f"municipality.code が {code} ではありません")
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
    fees = {
        key: Fee(
            key=key,
            amount=int(f["amount"]),
            label=f["label"],
            unconfirmed=bool(f.get("unconfirmed", False)),
        )
        for key, f in data.get("fees", {}).items()
    }
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
        child_medical_until_age=int(data["child_medical"]["until_march31_after_age"]),
        payment_category=str(payment.get("category", "999")),
        payment_demo=bool(payment.get("demo", True)),
        payment_demo_collector=str(payment.get("demo_collector", "99999")),
        procedure_overrides=data.get("procedures", {}),
        extra_closed_days=tuple(date.fromisoformat(d) for d in city.get("extra_closed_days", [])),
        unconfirmed=tuple(city.get("unconfirmed", [])),
    )
