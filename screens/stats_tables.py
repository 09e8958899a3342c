"""What the 窓口の実績 screen shows, laid out from the export's JSON (counter.stats.as_json)
and from nothing else: a cell the export suppresses is 「5件未満」 on the screen too, and no
count the export withholds can reach a table, a bar or the order of a list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from counter.stats import FIELD_LABELS, Cell, cell_text
from counter.wareki import format_wareki
from screens.widgets.fitted_table import Column

NONE = "－"  # nothing to compute a figure from (the export's 「—」 is ambiguous width)
COUNT = Column("件数", "count")


@dataclass(frozen=True)
class Section:
    """One table of the screen; ``chart`` is the column drawn as bars beside it."""

    key: str
    heading: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    chart: int | None = None

    def texts(self) -> list[tuple[str, ...]]:
        return [tuple(cell_text(cell, NONE) for cell in row) for row in self.rows]


def with_unit(value: Cell, unit: str) -> str:
    """A number with its unit; 「5件未満」 and 「－」 as they are."""
    return cell_text(value, NONE) + (unit if isinstance(value, int | float) else "")


def summary(data: dict[str, Any]) -> list[str]:
    """What a supervisor reads first, each part to be kept on one line: visits, minutes,
    procedures, the no-writing rate and the fields residents wrote (none, on a counter
    that writes for them)."""
    minutes, fields = data["minutes_per_visit"]["all"], data["fields"]
    return [
        f"受付 {with_unit(data['visits'], '件')}",
        f"1件の分数 中央値 {with_unit(minutes['median'], '分')}"
        f"・90%値 {with_unit(minutes['p90'], '分')}",
        f"1件あたりの手続き {with_unit(data['procedures']['per_visit'], '件')}",
        f"書かない率 {with_unit(fields['no_writing_rate_percent'], '%')}",
        f"住民が記入した欄 {with_unit(fields['written_by_resident'], '')}",
    ]


SPREAD = ("count", "median", "p90")
MINUTES = (
    Column("届出・請求", "event", flexible=True),
    COUNT,
    Column("中央値（分）", "median"),
    Column("90%値（分）", "p90"),
)
HANDOFFS = (
    Column("担当課", "department", flexible=True),
    Column("引き継ぎ", "handed"),
    Column("完了", "done"),
    Column("未完了", "waiting"),
    Column("中央値（時間）", "median"),
    Column("90%値（時間）", "p90"),
)
PAYMENTS = (
    Column("歳入科目", "item", flexible=True),
    Column("発行", "issued"),
    Column("発行額（円）", "issued_yen"),
    Column("納付済", "paid"),
    Column("納付額（円）", "paid_yen"),
)


def sections(data: dict[str, Any]) -> list[Section]:
    """Every table, in the order of the screen (the same for any period, empty or not)."""
    minutes, fields = data["minutes_per_visit"], data["fields"]
    days = [
        (format_wareki(date.fromisoformat(r["date"])), r["visits"]) for r in data["visits_by_day"]
    ]
    handoffs = [
        (r["department"], r["handed"], r["done"], r["waiting"], *_hours(r))
        for r in data["handoffs"]
    ]
    payments = [
        (r["label"], r["issued"], r["issued_yen"], r["paid"], r["paid_yen"])
        for r in data["payment_codes"]
    ]
    hours = [
        (f"{r['weekday']}曜日", f"{r['hour']}時台", r["visits"])
        for r in busiest_first(data["visits_by_hour"])
    ]
    requests = data["certificates"]
    return [
        Section("days", "日別の受付", (Column("日付", "date"), COUNT), tuple(days), chart=1),
        _counts("events", "届出別の受付", "届出・請求", data["visits_by_event"], "event"),
        _counts("certificates", "証明書別の請求", "証明書", requests, "certificate", "requests"),
        Section(
            "minutes",
            "受付1件の分数（世帯を開いてから確定まで）",
            MINUTES,
            (
                ("全体", *(minutes["all"][k] for k in SPREAD)),
                *((r["event"], *(r[k] for k in SPREAD)) for r in minutes["by_event"]),
            ),
        ),
        Section(
            "fields",
            "届出書の欄（書かない率）",
            (Column("欄", "field", flexible=True), Column("欄数・率", "value")),
            tuple((label, fields[key]) for key, label in FIELD_LABELS.items()),
        ),
        Section(
            "work",
            "手続きと届出書",
            (Column("項目", "item", flexible=True), COUNT),
            (
                ("手続き", data["procedures"]["total"]),
                ("受付1件あたりの手続き", data["procedures"]["per_visit"]),
                ("届出書の作成", data["forms"]["issued"]),
                ("届出書の印刷", data["forms"]["printed"]),
            ),
        ),
        Section("handoffs", "担当課への引き継ぎ（完了までの時間）", HANDOFFS, tuple(handoffs)),
        Section(
            "payments",
            f"納付番号（eL-QR）　科目数 {data['elqr_revenue_items']}",
            PAYMENTS,
            tuple(payments),
        ),
        _counts("channels", "受付の場所", "場所", data["visits_by_channel"], "channel"),
        Section(
            "hours",
            "混む曜日・時間帯（多い順）",
            (Column("曜日", "weekday"), Column("時間帯", "hour"), COUNT),
            tuple(hours),
            chart=2,
        ),
    ]


def _counts(key: str, heading: str, label: str, rows: list[dict[str, Any]], name: str,
            count: str = "visits") -> Section:  # fmt: skip
    """Names with their counts, charted."""
    column = Column(label, name, flexible=True)
    return Section(key, heading, (column, COUNT), tuple((r[name], r[count]) for r in rows), 1)


def _hours(handoff: dict[str, Any]) -> tuple[Cell, Cell]:
    return handoff["hours_to_done"]["median"], handoff["hours_to_done"]["p90"]


def busiest_first(hours: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The hours shown with a number, most visits first; then those under five in the
    week's order, so that their order tells nothing of their counts."""
    return sorted(hours, key=lambda r: -r["visits"] if isinstance(r["visits"], int) else 1)
