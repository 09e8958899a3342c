"""The counter's own figures for a period (issue 19): what the supervisor screen shows and
``counter stats`` exports for the city's reports (窓口の処理時間, 書かない窓口の利用,
eL-QR の科目 …).

Pure: ``db.stats`` fills a ``Figures`` from SQL aggregates; this module says which cells
are too small to show and lays the figures out as rows, JSON and text. Nothing here
holds a name, a date of birth, an address, a visit id or any value of one person: only
counts, sums and spreads of groups. A cell that rests on fewer than five visits (or
codes, or lines) is shown as 「5件未満」, never as its number, so nobody can be picked
out of a small count; 0 is shown, since it points at nobody.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from counter.wareki import DateFormatError, parse_date

MIN_SHOWN = 5
SUPPRESSED = "5件未満"
WEEKDAYS = "月火水木金土日"
LONGEST_DAYS = 3660  # ten years: the figures of a longer period are not one report
Cell = int | float | str | None
# The fields of the forms issued, as the export and the screen name them.
FIELD_LABELS = {
    "prefilled": "記入済み（台帳・聞き取り）",
    "typed_by_staff": "職員が入力",
    "written_at_counter": "窓口で手書き",
    "written_by_resident": "住民が記入",
    "no_writing_rate_percent": "書かない率（%）",
}


class PeriodError(ValueError):
    """A period that cannot be read: one Japanese line that starts with the field at fault
    (``field``), as `counter stats` prints it and the screen shows it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def read_period(
    first: str, last: str, names: tuple[str, str] = ("--from", "--to")
) -> tuple[date, date]:
    """The period typed as ``first``〜``last`` (西暦 or 和暦): one reading for `counter stats`
    and the screen 窓口の実績, so both accept and refuse the same text. ``names`` are the
    two fields as staff know them (the options, or the screen's labels)."""
    days = []
    for text, name in zip((first, last), names, strict=True):
        try:
            days.append(parse_date(text))
        except DateFormatError as exc:
            raise PeriodError(name, str(exc)) from None
    start, end = days
    if start > end:
        raise PeriodError(names[0], f"{names[1]}より後の日は指定できません")
    if (end - start).days >= LONGEST_DAYS:
        raise PeriodError(names[1], f"期間は{LONGEST_DAYS}日までにしてください")
    return start, end


@dataclass(frozen=True)
class Spread:
    """How long a group took: how many, the median and the 90th percentile (nearest
    rank: the smallest value with at least half, or nine tenths, of the group at or
    below it)."""

    count: int = 0
    median: float | None = None
    p90: float | None = None


def spread_of(histogram: Iterable[tuple[float, int]]) -> Spread:
    """The spread of a group from its histogram, ``(value, how many)`` pairs: the
    database counts the group's durations by tenth of a minute or hour, which is all it
    sends back."""
    pairs = sorted((value, n) for value, n in histogram if n > 0)
    total = sum(n for _, n in pairs)
    if not total:
        return Spread()
    median = p90 = None
    running = 0
    for value, n in pairs:
        running += n
        if median is None and running * 2 >= total:
            median = value
        if running * 10 >= total * 9:
            p90 = value
            break
    return Spread(total, median, p90)


@dataclass(frozen=True)
class FieldCounts:
    """The fields of the forms issued: from the register or the interview (prefilled),
    typed by staff, left for the counter to write by hand (blank), left for the resident
    (resident: a no-writing counter has none)."""

    prefilled: int = 0
    typed: int = 0
    blank: int = 0
    resident: int = 0

    @property
    def total(self) -> int:
        return self.prefilled + self.typed + self.blank + self.resident

    @property
    def no_writing_rate(self) -> float | None:
        """The share of fields nobody wrote by hand (prefilled or typed), in per cent."""
        return round(100 * (self.prefilled + self.typed) / self.total, 1) if self.total else None


@dataclass(frozen=True)
class Handoffs:
    """The checklist lines a department was handed: how many, how many it marked done,
    how many still wait, and the hours from hand-off to done."""

    department: str
    handed: int
    done: int
    hours: Spread = Spread()

    @property
    def waiting(self) -> int:
        return self.handed - self.done


@dataclass(frozen=True)
class RevenueFigures:
    """Payment codes of one revenue item (歳入科目): issued and paid, count and yen."""

    item: str
    label: str
    issued: int
    issued_amount: int
    paid: int
    paid_amount: int


@dataclass(frozen=True)
class Figures:
    """Everything the screen shows and the export writes, for ``start``..``end``."""

    municipality: str
    start: date
    end: date
    visits: int = 0
    by_day: tuple[tuple[date, int], ...] = ()
    by_event: tuple[tuple[str, int], ...] = ()  # the visit's (first) event, its label
    certificates: tuple[tuple[str, int], ...] = ()  # requests by certificate
    minutes: Spread = Spread()  # from the household opened to the visit confirmed
    minutes_by_event: tuple[tuple[str, Spread], ...] = ()
    procedures: int = 0  # checklist lines of the visits
    fields: FieldCounts = field(default_factory=FieldCounts)
    forms_issued: int = 0
    forms_printed: int = 0
    handoffs: tuple[Handoffs, ...] = ()
    revenue: tuple[RevenueFigures, ...] = ()
    channels: tuple[tuple[str, int], ...] = ()
    hours: tuple[tuple[int, int, int], ...] = ()  # weekday (0 = 月), hour (Japan time), visits

    @property
    def procedures_per_visit(self) -> float | None:
        return round(self.procedures / self.visits, 2) if self.visits else None


def shown(count: int) -> int | str:
    """A count as it may be shown: 1 to 4 suppressed."""
    return SUPPRESSED if 0 < count < MIN_SHOWN else count


def resting_on(count: int, value: float | int | None) -> Cell:
    """A figure computed from ``count`` visits (or codes, or lines): suppressed with them."""
    if 0 < count < MIN_SHOWN:
        return SUPPRESSED
    return value


def cell_text(value: Cell, none: str = "—") -> str:
    """A cell as read: counts and yen grouped by thousands, 「5件未満」 as it is, ``none``
    for a figure with nothing to compute it from."""
    if value is None:
        return none
    return f"{value:,}" if isinstance(value, int) else str(value)


def spread_cells(spread: Spread) -> dict[str, Cell]:
    return {
        "count": shown(spread.count),
        "median": resting_on(spread.count, _round(spread.median)),
        "p90": resting_on(spread.count, _round(spread.p90)),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def as_json(figures: Figures) -> dict[str, Any]:
    """The export's JSON (docs/stats.md), every small cell already suppressed."""
    f, visits = figures, figures.visits
    return {
        "format": 1,
        "municipality": f.municipality,
        "from": f.start.isoformat(),
        "to": f.end.isoformat(),
        "suppressed_below": MIN_SHOWN,
        "visits": shown(visits),
        "visits_by_day": [{"date": d.isoformat(), "visits": shown(n)} for d, n in f.by_day],
        "visits_by_event": [{"event": e, "visits": shown(n)} for e, n in f.by_event],
        "certificates": [{"certificate": c, "requests": shown(n)} for c, n in f.certificates],
        "minutes_per_visit": {
            "all": spread_cells(f.minutes),
            "by_event": [{"event": e, **spread_cells(s)} for e, s in f.minutes_by_event],
        },
        "procedures": {
            "total": resting_on(visits, f.procedures),
            "per_visit": resting_on(visits, f.procedures_per_visit),
        },
        "fields": {
            "prefilled": resting_on(visits, f.fields.prefilled),
            "typed_by_staff": resting_on(visits, f.fields.typed),
            "written_at_counter": resting_on(visits, f.fields.blank),
            "written_by_resident": resting_on(visits, f.fields.resident),
            "no_writing_rate_percent": resting_on(visits, f.fields.no_writing_rate),
        },
        "forms": {
            "issued": resting_on(visits, f.forms_issued),
            "printed": resting_on(visits, f.forms_printed),
        },
        "handoffs": [
            {
                "department": h.department,
                "handed": shown(h.handed),
                "done": resting_on(h.handed, h.done),
                "waiting": resting_on(h.handed, h.waiting),
                "hours_to_done": spread_cells(h.hours),
            }
            for h in f.handoffs
        ],
        "payment_codes": [
            {
                "revenue_item": r.item,
                "label": r.label,
                "issued": shown(r.issued),
                "issued_yen": resting_on(r.issued, r.issued_amount),
                "paid": resting_on(min(r.issued, r.paid or MIN_SHOWN), r.paid),
                "paid_yen": resting_on(min(r.issued, r.paid or MIN_SHOWN), r.paid_amount),
            }
            for r in f.revenue
        ],
        "elqr_revenue_items": len(f.revenue),
        "visits_by_channel": [{"channel": c, "visits": shown(n)} for c, n in f.channels],
        "visits_by_hour": [
            {"weekday": WEEKDAYS[w], "hour": h, "visits": shown(n)} for w, h, n in f.hours
        ],
    }


def as_rows(figures: Figures) -> Iterator[tuple[str, str, str, Cell]]:
    """The JSON flattened to (区分, 項目, 列, 値) rows, for CSV and for the text export."""
    data = as_json(figures)
    yield ("期間", "", "開始", data["from"])
    yield ("期間", "", "終了", data["to"])
    yield ("受付", "合計", "件数", data["visits"])
    for row in data["visits_by_day"]:
        yield ("日別の受付", row["date"], "件数", row["visits"])
    for row in data["visits_by_event"]:
        yield ("届出別の受付", row["event"], "件数", row["visits"])
    for row in data["certificates"]:
        yield ("証明書別の請求", row["certificate"], "件数", row["requests"])
    minutes = data["minutes_per_visit"]
    for label, cells in [("全体", minutes["all"])] + [
        (row["event"], row) for row in minutes["by_event"]
    ]:
        yield ("受付1件の分数", label, "件数", cells["count"])
        yield ("受付1件の分数", label, "中央値", cells["median"])
        yield ("受付1件の分数", label, "90%値", cells["p90"])
    yield ("手続き", "合計", "件数", data["procedures"]["total"])
    yield ("手続き", "受付1件あたり", "件数", data["procedures"]["per_visit"])
    for key, label in FIELD_LABELS.items():
        yield ("届出書の欄", label, "率" if "rate" in key else "欄数", data["fields"][key])
    yield ("届出書", "作成", "件数", data["forms"]["issued"])
    yield ("届出書", "印刷", "件数", data["forms"]["printed"])
    for row in data["handoffs"]:
        yield ("担当課への引き継ぎ", row["department"], "引き継ぎ", row["handed"])
        yield ("担当課への引き継ぎ", row["department"], "完了", row["done"])
        yield ("担当課への引き継ぎ", row["department"], "未完了", row["waiting"])
        yield ("担当課への引き継ぎ", row["department"], "完了までの時間（中央値）",
               row["hours_to_done"]["median"])  # fmt: skip
        yield ("担当課への引き継ぎ", row["department"], "完了までの時間（90%値）",
               row["hours_to_done"]["p90"])  # fmt: skip
    for row in data["payment_codes"]:
        for column, key in (("発行", "issued"), ("発行額（円）", "issued_yen"),
                            ("納付済", "paid"), ("納付額（円）", "paid_yen")):  # fmt: skip
            yield ("納付番号（eL-QR）", row["label"], column, row[key])
    yield ("納付番号（eL-QR）", "科目数", "件数", data["elqr_revenue_items"])
    for row in data["visits_by_channel"]:
        yield ("受付の場所", row["channel"], "件数", row["visits"])
    for row in data["visits_by_hour"]:
        yield ("曜日・時間帯", f"{row['weekday']} {row['hour']:02d}時台", "件数", row["visits"])
