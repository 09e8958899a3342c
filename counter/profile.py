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

from counter.holiday_counter import HolidayCounter, HolidayRuleError, parse_rule
from counter.honseki import normalize_municipality_code
from counter.opendays import OfficeCalendar
from counter.payment.checkdigits import is_valid_local_government_code
from counter.textnorm import TextFormatError

PROFILE_DIR = Path(__file__).parent / "data" / "municipalities"
MUNICIPALITY_ENV = "COUNTER_MUNICIPALITY"
DEFAULT_MUNICIPALITY = "312029"  # the demo city (米子市), when a terminal names none


class ProfileError(ValueError):
    """A profile file that cannot be used, naming the file and the key."""


@dataclass(frozen=True)
class Department:
    key: str
    name: str
    counter: str
    order: int
    unconfirmed: bool = False
    source: str = ""  # where the name and counter were confirmed (URL or document title)


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
    source: str = ""

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


PAYERS = {"city": "市", "prefecture": "県", "shared": "県と市"}
CHILD_MEDICAL_KEYS = {
    "until_march31_after_age",
    "payer",
    "payer_note",
    "valid_from",
    "valid_to",
    "source",
    "note",
    "unconfirmed",
}


@dataclass(frozen=True)
class ChildMedical:
    """子ども医療費助成 for one period: who is covered and who pays for it (the city
    alone, the prefecture's scheme, or the prefecture's scheme with the city's top-up)."""

    until_age: int  # covered up to the first 31 March after this age
    payer: str  # a key of PAYERS
    payer_note: str = ""
    valid_from: date = date(1900, 1, 1)
    valid_to: date | None = None
    source: str = ""
    note: str = ""
    unconfirmed: tuple[str, ...] = ()

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
    sources: dict[str, str] = field(default_factory=dict)


CERTIFICATE_KEYS = {
    "hours",
    "wide_area_hours",
    "options",
    "card_for_seal_card",
    "household_tax",
    "tax_available_from",
    "unconfirmed",
    "sources",
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
        unconfirmed=_names(table, "certificates", CERTIFICATE_KEYS - {"unconfirmed", "sources"}),
        sources=_sources(table, "certificates", CERTIFICATE_KEYS - {"unconfirmed", "sources"}),
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
    child_medical_periods: tuple[ChildMedical, ...]
    revenue: dict[str, RevenueItem]
    payment_demo: bool
    payment_demo_collector: str
    payment_demo_category: str
    procedure_overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    extra_closed_days: tuple[date, ...] = ()
    unconfirmed: tuple[str, ...] = ()
    visit_retention_days: int | None = None  # [retention] visit_days; None: not set
    certificates: CertificateSettings = field(default_factory=CertificateSettings)
    sources: dict[str, str] = field(default_factory=dict)  # [municipality] key → source
    holiday_counter: HolidayCounter | None = None
    payment_unconfirmed: tuple[str, ...] = ()
    payment_source: str = ""

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

    def child_medical(self, on: date) -> ChildMedical:
        """The 子ども医療費助成 in force on ``on`` (its ages change by 年度)."""
        for period in self.child_medical_periods:
            if period.in_force(on):
                return period
        raise ProfileError(
            f"{self.code}: 子ども医療費助成は {on.isoformat()} に有効な定めがありません"
        )


def _in_force(table: dict[str, tuple[Fee, ...]], key: str, on: date, what: str) -> Fee:
    if key not in table:
        raise ProfileError(f"{what}「{key}」が定義されていません")
    for fee in table[key]:
        if fee.in_force(on):
            return fee
    raise ProfileError(f"{what}「{key}」は {on.isoformat()} に有効な額がありません")


def available_profiles(directory: Path = PROFILE_DIR) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.toml"))


def chosen_municipality(text: str | None, directory: Path = PROFILE_DIR) -> str:
    """The city a terminal or command serves (``COUNTER_MUNICIPALITY`` or ``--municipality``):
    the code in any width, its check digit right, with a profile; the demo city if none."""
    if text is None or not text.strip():
        return DEFAULT_MUNICIPALITY
    try:
        code = normalize_municipality_code(text, what="地方公共団体コード")
    except TextFormatError as exc:
        raise ProfileError(str(exc)) from None
    if code not in available_profiles(directory):
        known = "、".join(available_profiles(directory))
        raise ProfileError(
            f"地方公共団体コード {code} のプロファイルがありません（あるもの: {known}）"
        )
    return code


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


FEE_KEYS = {
    "amount", "label", "unconfirmed", "elqr", "revenue", "valid_from", "valid_to", "source",
}  # fmt: skip
MUNICIPALITY_KEYS = {
    "code", "name", "prefecture", "office", "phone", "office_hours", "extra_closed_days",
    "unconfirmed", "sources",
}  # fmt: skip
DEPARTMENT_KEYS = {"name", "counter", "order", "unconfirmed", "source"}
HOLIDAY_KEYS = {
    "rule", "dates", "except", "hours", "services", "note", "source", "unconfirmed",
}  # fmt: skip
PAYMENT_KEYS = {
    "demo", "demo_collector", "demo_category", "default_revenue", "revenue", "unconfirmed",
    "source",
}  # fmt: skip
PAYMENT_FACTS = {"elqr", "revenue", "category"}  # what payment.unconfirmed may name
NOT_FACTS = {"unconfirmed", "sources", "source", "note"}  # keys no unconfirmed flag names
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
                source=str(period.get("source", "")),
            )
        )
    return tuple(fees)


def _build(code: str, data: dict[str, Any]) -> MunicipalityProfile:
    city = data["municipality"]
    _known(city, "municipality", MUNICIPALITY_KEYS)
    if city["code"] != code:
        raise ValueError(f"municipality.code が {code} ではありません")
    if not is_valid_local_government_code(code):
        raise ValueError(f"地方公共団体コード {code} の検査数字が合いません")
    city_facts = MUNICIPALITY_KEYS - {"unconfirmed", "sources", "extra_closed_days"}
    departments = {}
    for key, d in data["departments"].items():
        _known(d, f"departments.{key}", DEPARTMENT_KEYS)
        departments[key] = Department(
            key=key,
            name=d["name"],
            counter=d["counter"],
            order=int(d["order"]),
            unconfirmed=bool(d.get("unconfirmed", False)),
            source=str(d.get("source", "")),
        )
    payment = data.get("payment", {})
    _known(payment, "payment", PAYMENT_KEYS)
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
        child_medical_periods=_child_medical(data["child_medical"]),
        revenue=revenue,
        payment_demo=demo,
        payment_demo_collector=str(payment.get("demo_collector", "99999")),
        payment_demo_category=str(payment.get("demo_category", "999")),
        procedure_overrides=data.get("procedures", {}),
        extra_closed_days=tuple(date.fromisoformat(d) for d in city.get("extra_closed_days", [])),
        unconfirmed=_names(city, "municipality", city_facts),
        visit_retention_days=_visit_retention_days(data.get("retention")),
        certificates=_certificate_settings(data.get("certificates")),
        sources=_sources(city, "municipality", city_facts),
        holiday_counter=_holiday_counter(data.get("holiday_counter")),
        payment_unconfirmed=_names(payment, "payment", PAYMENT_FACTS),
        payment_source=str(payment.get("source", "")),
    )


def _known(table: dict[str, Any], where: str, keys: set[str]) -> None:
    unknown = set(table) - keys
    if unknown:
        raise ValueError(f"{where}: 知らない項目 {sorted(unknown)}")


def _names(table: dict[str, Any], where: str, keys: set[str]) -> tuple[str, ...]:
    """``unconfirmed = [...]``: each must name a key of the table, so no flag is a typo."""
    names = table.get("unconfirmed", [])
    if names is True:
        return tuple(sorted(keys))
    if not isinstance(names, list):
        raise ValueError(f"{where}.unconfirmed は項目名の配列です（true はすべて）")
    wrong = [str(n) for n in names if n not in keys]
    if wrong:
        raise ValueError(f"{where}.unconfirmed: 知らない項目 {wrong}（書けるのは {sorted(keys)}）")
    return tuple(str(n) for n in names)


def _sources(table: dict[str, Any], where: str, keys: set[str]) -> dict[str, str]:
    """``sources = { key = "URL or title" }``: where each value was confirmed."""
    sources = table.get("sources", {})
    if not isinstance(sources, dict):
        raise ValueError(f"{where}.sources は「項目名 = 出典」の表です")
    wrong = sorted(set(sources) - keys)
    if wrong:
        raise ValueError(f"{where}.sources: 知らない項目 {wrong}")
    return {str(k): str(v) for k, v in sources.items()}


def _child_medical(value: dict[str, Any] | list[dict[str, Any]]) -> tuple[ChildMedical, ...]:
    """One [child_medical] table, or [[child_medical]] periods with valid_from/valid_to."""
    periods = value if isinstance(value, list) else [value]
    found = []
    for index, period in enumerate(periods):
        where = f"child_medical[{index}]" if isinstance(value, list) else "child_medical"
        _known(period, where, CHILD_MEDICAL_KEYS)
        payer = str(period.get("payer", "city"))
        if payer not in PAYERS:
            raise ValueError(f"{where}.payer は {' / '.join(PAYERS)} のどれかです（{payer}）")
        found.append(
            ChildMedical(
                until_age=int(period["until_march31_after_age"]),
                payer=payer,
                payer_note=str(period.get("payer_note", "")),
                valid_from=date.fromisoformat(period.get("valid_from", "1900-01-01")),
                valid_to=date.fromisoformat(period["valid_to"]) if "valid_to" in period else None,
                source=str(period.get("source", "")),
                note=str(period.get("note", "")),
                unconfirmed=_names(period, where, CHILD_MEDICAL_KEYS - NOT_FACTS),
            )
        )
    return tuple(found)


def _holiday_counter(table: dict[str, Any] | None) -> HolidayCounter | None:
    """[holiday_counter]: a rule that parses or dates, unless the rule is unconfirmed."""
    if table is None:
        return None
    _known(table, "holiday_counter", HOLIDAY_KEYS)
    unconfirmed = _names(table, "holiday_counter", HOLIDAY_KEYS - NOT_FACTS)
    rule = str(table.get("rule", ""))
    dates = tuple(date.fromisoformat(str(d)) for d in table.get("dates", []))
    if not rule and not dates and "rule" not in unconfirmed:
        raise ValueError("holiday_counter: rule か dates を書くか、unconfirmed に rule を入れます")
    try:
        days = parse_rule(rule) if rule else ()
    except HolidayRuleError as exc:
        raise ValueError(f"holiday_counter.rule: {exc}") from None
    return HolidayCounter(
        rule=rule,
        days=days,
        dates=dates,
        skipped=tuple(date.fromisoformat(str(d)) for d in table.get("except", [])),
        hours=str(table.get("hours", "")),
        services=tuple(str(s) for s in table.get("services", [])),
        note=str(table.get("note", "")),
        source=str(table.get("source", "")),
        unconfirmed=unconfirmed,
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


CITY_FACTS = ("code", "name", "prefecture", "office", "phone", "office_hours")
CHILD_MEDICAL_FACTS = ("until_march31_after_age", "payer")


def unsourced(profile: MunicipalityProfile) -> list[str]:
    """Each value that is neither marked unconfirmed nor names its source: a value with
    neither is one nobody can vouch for (`counter catalogue check` refuses it)."""
    found = [
        f"municipality.{key}"
        for key in CITY_FACTS
        if key not in profile.unconfirmed and not profile.sources.get(key)
    ]
    found += [
        f"departments.{d.key}"
        for d in profile.departments.values()
        if not d.unconfirmed and not d.source
    ]
    for table, name in ((profile.fees, "fees"), (profile.benefits, "benefits")):
        for key, periods in table.items():
            found += [
                f"{name}.{key}（{p.valid_from.isoformat()}から）"
                if len(periods) > 1
                else f"{name}.{key}"
                for p in periods
                if not p.unconfirmed and not p.source
            ]
    for index, period in enumerate(profile.child_medical_periods):
        found += [
            f"child_medical[{index}].{key}"
            for key in CHILD_MEDICAL_FACTS
            if key not in period.unconfirmed and not period.source
        ]
    counter = profile.holiday_counter
    if counter and "rule" not in counter.unconfirmed and not counter.source:
        found.append("holiday_counter.rule")
    return found
