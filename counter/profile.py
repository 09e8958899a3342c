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
    revenue: str = ""  # the revenue item whose payment code collects it; "" = cash
    valid_from: date = date(1900, 1, 1)
    valid_to: date | None = None

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class RevenueItem:
    """A revenue item (歳入科目) of the city: fees of one item share one payment code per
    visit, with its 納付区分 and its own due and payable periods."""

    key: str
    label: str
    category: str  # 納付区分, 3 digits (the city's code list; "" only in a demo profile)
    due_days: int  # 納期限 = the visit day + due_days, moved to the next open day
    payable_days: int  # 支払期限 = 納期限 + payable_days, moved to the next open day


@dataclass(frozen=True)
class CertificateSettings:
    """How this city's counter issues certificates ([certificates] in the profile)."""

    hours: str = ""
    wide_area_hours: str = ""
    options: tuple[str, ...] = ()  # what the city prints on a 住民票の写し on request
    card_for_seal_card: bool = False  # the My Number card stands in for the 印鑑登録証
    household_tax: bool = False  # a household member asks for tax certificates unaided
    tax_available_from: tuple[int, int] = (6, 1)  # (month, day) the new 年度 is issued
    unconfirmed: tuple[str, ...] = ()


CERTIFICATE_KEYS = {
    "hours",
    "wide_area_hours",
    "options",
    "card_for_seal_card",
    "household_tax",
    "tax_available_from",
    "unconfirmed",
}


def _certificate_settings(table: dict[str, Any] | None) -> CertificateSettings:
    if table is None:
        return CertificateSettings()
    unknown = set(table) - CERTIFICATE_KEYS
    if unknown:
        raise ValueError(f"certificates: 知らない項目 {sorted(unknown)}")
    month, _, day = str(table.get("tax_available_from", "06-01")).partition("-")
    try:
        available = date(2000, int(month), int(day))  # a leap year: 02-29 is a day
    except ValueError:
        raise ValueError("certificates.tax_available_from は「月-日」です（例: 06-01）") from None
    return CertificateSettings(
        hours=str(table.get("hours", "")),
        wide_area_hours=str(table.get("wide_area_hours", "")),
        options=tuple(str(o) for o in table.get("options", [])),
        card_for_seal_card=bool(table.get("card_for_seal_card", False)),
        household_tax=bool(table.get("household_tax", False)),
        tax_available_from=(available.month, available.day),
        unconfirmed=tuple(str(u) for u in table.get("unconfirmed", [])),
    )


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
    revenue: dict[str, RevenueItem]
    payment_demo: bool
    payment_demo_collector: str
    payment_demo_category: str
    procedure_overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    extra_closed_days: tuple[date, ...] = ()
    unconfirmed: tuple[str, ...] = ()
    visit_retention_days: int | None = None  # [retention] visit_days; None: not set
    certificates: CertificateSettings = field(default_factory=CertificateSettings)

    @property
    def calendar(self) -> OfficeCalendar:
        return OfficeCalendar(self.extra_closed_days)

    @property
    def collector(self) -> str:
        """The 5-digit 収納機関番号; a demo profile uses one no real city can have."""
        return self.payment_demo_collector if self.payment_demo else self.code[:5]

    def category(self, item: RevenueItem) -> str:
        """The 納付区分 printed for ``item``; a demo profile uses one no real city has."""
        return self.payment_demo_category if self.payment_demo else item.category

    def retention_days(self) -> int:
        """Days a closed visit keeps its personal data (``counter purge``); a city that
        purges must have decided this itself, so there is no default."""
        if self.visit_retention_days is None:
            raise ProfileError(
                f"{self.code}: retention.visit_days（受付の個人情報の保存日数）が設定されていません"
            )
        return self.visit_retention_days

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
    """The profile of the city ``code`` (6 ASCII digits: never a path)."""
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        raise ProfileError(f"地方公共団体コードは6桁の数字です（{code[:20]}）")
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


FEE_KEYS = {"amount", "label", "unconfirmed", "elqr", "revenue", "valid_from", "valid_to"}
REVENUE_KEYS = {"label", "category", "due_days", "payable_days"}


def _periods(key: str, value: dict | list, default_revenue: str = "") -> tuple[Fee, ...]:
    """One amount, or a list of amounts each with its valid_from / valid_to."""
    periods = value if isinstance(value, list) else [value]
    fees = []
    for period in periods:
        unknown = set(period) - FEE_KEYS
        if unknown:
            raise ValueError(f"{key}: 知らない項目 {sorted(unknown)}")
        revenue = str(period.get("revenue", default_revenue))
        if not period.get("elqr", True):
            revenue = ""
        fees.append(
            Fee(
                key=key,
                amount=int(period["amount"]),
                label=period["label"],
                unconfirmed=bool(period.get("unconfirmed", False)),
                revenue=revenue,
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
    payment = data.get("payment", {})
    demo = bool(payment.get("demo", True))
    revenue = _revenue_items(payment.get("revenue", {}), demo)
    default_revenue = str(payment.get("default_revenue", ""))
    fees = {
        key: _periods(key, value, default_revenue) for key, value in data.get("fees", {}).items()
    }
    for fee in (f for periods in fees.values() for f in periods):
        if fee.amount and fee.revenue and fee.revenue not in revenue:
            missing = f"歳入科目「{fee.revenue}」が payment.revenue にありません"
            raise ValueError(f"fees.{fee.key}: {missing}")
    benefits = {key: _periods(key, value) for key, value in data.get("benefits", {}).items()}
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
        revenue=revenue,
        payment_demo=demo,
        payment_demo_collector=str(payment.get("demo_collector", "99999")),
        payment_demo_category=str(payment.get("demo_category", "999")),
        procedure_overrides=data.get("procedures", {}),
        extra_closed_days=tuple(date.fromisoformat(d) for d in city.get("extra_closed_days", [])),
        unconfirmed=tuple(city.get("unconfirmed", [])),
        visit_retention_days=_visit_retention_days(data.get("retention")),
        certificates=_certificate_settings(data.get("certificates")),
    )


def _visit_retention_days(table: dict[str, Any] | None) -> int | None:
    """``[retention] visit_days``: a whole number of days, at least 1; None without the table."""
    if table is None:
        return None
    unknown = set(table) - {"visit_days"}
    if unknown:
        raise ValueError(f"retention: 知らない項目 {sorted(unknown)}")
    days = table.get("visit_days")
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(f"retention.visit_days は1以上の日数（整数）です（{days!r}）")
    return days


def _revenue_items(table: dict[str, Any], demo: bool) -> dict[str, RevenueItem]:
    items = {}
    for key, item in table.items():
        unknown = set(item) - REVENUE_KEYS
        if unknown:
            raise ValueError(f"payment.revenue.{key}: 知らない項目 {sorted(unknown)}")
        category = str(item.get("category", ""))
        if (category or not demo) and not (category.isdigit() and len(category) == 3):
            raise ValueError(f"payment.revenue.{key}: category（納付区分）は3桁の数字です")
        items[key] = RevenueItem(
            key=key,
            label=item["label"],
            category=category,
            due_days=int(item["due_days"]),
            payable_days=int(item["payable_days"]),
        )
    return items
