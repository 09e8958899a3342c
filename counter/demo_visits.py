"""Fictional visits of the demo city (``counter demo-data --visits N``, issue 19), so the
figures screen and ``counter stats`` have something to show before any real visit.

Pure and deterministic for a seed (its own ``random.Random``). What an event's visit
holds, its checklist lines and forms, is not invented here: ``VisitShape``s come from
the planner and the forms (workflows.demo_visits). This module draws the rest: the
office day, the event, the hour, how long it took, which of the lines to check the
resident needed, which went to a department and when it was done there, and whether the
fee was paid. The parameters below are orders of magnitude for a city of about
150,000 (米子市: 146,000), each said where from; none is one city's measurement.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate

from counter.billing import Bill, bill_for
from counter.opendays import OfficeCalendar
from counter.profile import MunicipalityProfile
from counter.progress import Progress, quiet
from counter.wareki import JST

DEVICE = "demo-data"  # the device id of every visit made here: no terminal took them
CERTIFICATE = "certificate"
VISITS_PER_DAY = 245  # 60,000 a year over about 245 open days; fewer visits, fewer days
OPENS, CLOSES = time(8, 30), time(17, 15)

# Visits per 1,000, by event. A year of a city of about 150,000: births, deaths,
# marriages and divorces at about 7, 12, 4 and 1.5 per 1,000 residents (人口動態統計, a
# regional city with 30 % aged 65+); moves in from and out to other municipalities about
# 4 % of residents each, within the city about 3.5 % (住民基本台帳人口移動報告), at about
# 1.5 people a visit; 国民健康保険 left for an employer's insurance, or joined on leaving
# one, by about a fifth of its 25,000 members each way. Certificates are the rest: the
# commonest visit by far.
EVENT_SHARES = {
    CERTIFICATE: 617,
    "employee_insurance_gain": 67,
    "employee_insurance_loss": 67,
    "move_in": 61,
    "move_out": 60,
    "move_within": 52,
    "death": 29,
    "birth": 17,
    "marriage": 10,
    "household_change": 8,
    "move_in_from_abroad": 5,
    "divorce": 4,
    "move_abroad": 3,
}
# Requests per 100, by certificate: in the order the certificate screen offers them (the
# commonest first, workflows.certificates.COMMON_ORDER), shares as cities' 証明書交付件数
# tables run (住民票 first, then 印鑑登録証明書, 税, 戸籍).
CERTIFICATE_SHARES = {
    "residence_certificate": 40,
    "seal_certificate": 22,
    "tax_income_certificate": 12,
    "koseki_full": 11,
    "koseki_individual": 4,
    "tax_exemption_certificate": 3,
    "tax_payment_certificate": 2,
    "residence_record_certificate": 2,
    "koseki_removed": 2,
    "koseki_attachment": 2,
}
SECOND_CERTIFICATE = 0.2  # visits asking for two kinds (a 住民票 and a 印鑑登録証明書)
# Minutes from the household opened to the visit confirmed (low, most likely, high):
# assumed for a counter that writes the forms itself; cities reporting their 書かない窓口
# quote a move-in at 20–40 minutes and a certificate at a few.
MINUTES = {
    CERTIFICATE: (2, 5, 15),
    "employee_insurance_gain": (5, 10, 20),
    "employee_insurance_loss": (8, 15, 30),
    "move_in": (15, 30, 60),
    "move_out": (8, 15, 30),
    "move_within": (10, 20, 40),
    "death": (25, 45, 90),
    "birth": (15, 25, 50),
    "marriage": (8, 15, 30),
    "household_change": (8, 12, 25),
    "move_in_from_abroad": (25, 45, 90),
    "divorce": (10, 20, 40),
    "move_abroad": (10, 20, 40),
}
# Arrivals by half hour from 8:30 (the last slot 17:00–17:15 is half as long): the morning
# peak and the lunch hour that cities' 窓口混雑状況 pages show, quieter at the ends.
ARRIVALS = (0.6, 1.0, 1.3, 1.4, 1.4, 1.2, 1.0, 1.2, 1.2, 1.0, 1.0, 1.0,
            0.9, 0.9, 0.8, 0.7, 0.5, 0.25)  # fmt: skip
# Busier days, as those pages warn: Mondays, the first day after three or more closed
# days (Golden Week, the New Year), and March and April (the moving season).
WEEKDAY_LOAD = (1.25, 1.0, 1.0, 0.95, 1.05)
AFTER_BREAK_LOAD = 1.3
MONTH_LOAD = {3: 1.3, 4: 1.3}
OUTREACH = 0.01  # visits served on an outreach laptop's round
ANSWERED_YES = 0.5  # a line to check (要確認) that the resident's answer kept
LEFT_BLANK = 0.1  # a field staff could type that they left to write by hand
# A department's hours from hand-off to done (office hours only): log-normal, median
# 1.5 hours, so a tenth wait into the next day; a few lines are forgotten for good.
HANDOFF_MEDIAN_HOURS, HANDOFF_SIGMA = 1.5, 1.0
FORGOTTEN = 0.01
# Payment codes: most paid at once at the city's cashier, the rest within days; the
# bank's result file reaches the city RESULT_DAYS after payment. An assumption: no
# city has published how its residents pay eL-QR codes at a counter yet.
PAID = 0.97
PAYMENT_CHANNELS = {"counter": 60, "smartphone_app": 20, "convenience_store": 10,
                    "bank": 5, "internet_banking": 3, "credit_card": 2}  # fmt: skip
RESULT_DAYS = 2


@dataclass(frozen=True)
class DemoLine:
    """A checklist line an event brings, as the planner names it."""

    procedure_id: str
    name: str
    department: str
    fee: int = 0
    revenue: str = ""  # the revenue item whose payment code collects the fee
    forms: tuple[str, ...] = ()
    asked: bool = False  # 要確認: on the visit only when the resident's answer needs it


@dataclass(frozen=True)
class DemoForm:
    """A form's fields: prefilled, typed by staff, blank (the counter writes them by
    hand) and the resident's."""

    name: str
    prefilled: int
    typed: int
    blank: int
    resident: int


@dataclass(frozen=True)
class VisitShape:
    """What one planned visit holds: its lines, and the forms they print by name."""

    lines: tuple[DemoLine, ...]
    forms: Mapping[str, DemoForm]


@dataclass(frozen=True)
class Shapes:
    """The shapes of each event's visits (a few households each), and of each
    certificate asked for."""

    events: Mapping[str, Sequence[VisitShape]]
    certificates: Mapping[str, VisitShape]


@dataclass(frozen=True)
class LineFacts:
    line: DemoLine
    status: str  # the checklist status it ends in
    updated_at: datetime
    handed_at: datetime | None = None
    done_at: datetime | None = None


@dataclass(frozen=True)
class PaymentFacts:
    bill: Bill
    paid_on: date | None = None
    channel: str | None = None
    reconciled_at: datetime | None = None


@dataclass(frozen=True)
class VisitFacts:
    """One fictional confirmed visit; its times are aware (UTC)."""

    office_date: date
    event: str
    event_date: date
    channel: str
    household_id: str | None
    opened: datetime
    confirmed: datetime
    lines: tuple[LineFacts, ...]
    forms: tuple[DemoForm, ...]
    payments: tuple[PaymentFacts, ...]

    @property
    def total_fee(self) -> int:
        return sum(f.line.fee for f in self.lines)


def office_days(calendar: OfficeCalendar, today: date, visits: int) -> list[date]:
    """The open days ``visits`` are spread over, oldest first: the last ones before
    ``today``, as many as VISITS_PER_DAY asks, at most those of the year before it."""
    wanted = max(1, math.ceil(visits / VISITS_PER_DAY))
    days: list[date] = []
    day = today - timedelta(days=1)
    while len(days) < wanted and day >= today - timedelta(days=365):
        if calendar.is_open(day):
            days.append(day)
        day -= timedelta(days=1)
    if not days:
        raise ValueError("過去1年に開庁日がありません")
    return days[::-1]


def day_load(calendar: OfficeCalendar, day: date) -> float:
    """How busy ``day`` is against an ordinary Tuesday."""
    after_break = not any(calendar.is_open(day - timedelta(days=n)) for n in (1, 2, 3))
    return (
        WEEKDAY_LOAD[day.weekday()]
        * (AFTER_BREAK_LOAD if after_break else 1.0)
        * MONTH_LOAD.get(day.month, 1.0)
    )


def generate_visits(
    count: int,
    shapes: Shapes,
    profile: MunicipalityProfile,
    households: Sequence[str],
    *,
    today: date,
    now: datetime,
    seed: int = 0,
    progress: Progress | None = None,
) -> list[VisitFacts]:
    """``count`` confirmed visits over the open days before ``today``, in the order they
    were opened; each of one of ``households`` (ids) when there are any. ``now`` ends
    what can have happened: a hand-off not done by then is still waiting, a payment not
    reconciled by then is unpaid. 60,000 take seconds: ``progress`` hears of each."""
    drawer = _Drawer(shapes, profile, households, now, random.Random(seed))
    return drawer.visits(count, today, progress or quiet())


class _Drawer:
    """The drawing of one run: one random stream, so a seed gives the same visits."""

    def __init__(self, shapes: Shapes, profile: MunicipalityProfile,
                 households: Sequence[str], now: datetime, rng: random.Random) -> None:  # fmt: skip
        self.shapes, self.profile, self.households = shapes, profile, households
        self.now, self.rng = now, rng
        self.calendar = profile.calendar
        self.counter = min(profile.departments.values(), key=lambda d: d.order).name
        self.events = [e for e in EVENT_SHARES if e == CERTIFICATE or shapes.events.get(e)]
        self.event_cum = list(accumulate(EVENT_SHARES[e] for e in self.events))
        self.kinds = [k for k in CERTIFICATE_SHARES if k in shapes.certificates]
        self.kind_weights = [CERTIFICATE_SHARES[k] for k in self.kinds]
        self.slot_cum = list(accumulate(ARRIVALS))
        self.channels = list(PAYMENT_CHANNELS)
        self.channel_cum = list(accumulate(PAYMENT_CHANNELS.values()))

    def visits(self, count: int, today: date, progress: Progress) -> list[VisitFacts]:
        days = office_days(self.calendar, today, count)
        day_cum = list(accumulate(day_load(self.calendar, d) for d in days))
        when = self.rng.choices(days, cum_weights=day_cum, k=count)
        what = self.rng.choices(self.events, cum_weights=self.event_cum, k=count)
        progress.step("見本の受付の作成", count, "件")
        made = []
        for day, event in zip(when, what, strict=True):
            made.append(self.visit(day, event))
            progress.advance()
        return sorted(made, key=lambda v: (v.office_date, v.opened))

    def visit(self, day: date, event: str) -> VisitFacts:
        rng = self.rng
        opened = self.arrival(day)
        low, likely, high = MINUTES[event]
        confirmed = opened + timedelta(minutes=rng.triangular(low, high, likely))
        chosen, forms = self.chosen(event)
        lines = tuple(self.handled(line, event, confirmed) for line in chosen)
        return VisitFacts(
            office_date=day,
            event=event,
            event_date=self.event_date(day, event),
            channel="outreach" if rng.random() < OUTREACH else "counter",
            household_id=rng.choice(self.households) if self.households else None,
            opened=opened,
            confirmed=confirmed,
            lines=lines,
            forms=self.forms(chosen, forms),
            payments=self.payments(day, chosen),
        )

    def arrival(self, day: date) -> datetime:
        slot = self.rng.choices(range(len(ARRIVALS)), cum_weights=self.slot_cum)[0]
        minutes = 30 * slot + self.rng.random() * (15 if slot == len(ARRIVALS) - 1 else 30)
        start = datetime.combine(day, OPENS, JST)
        return (start + timedelta(minutes=minutes)).astimezone(UTC)

    def event_date(self, day: date, event: str) -> date:
        """The day of the event: a certificate's is the visit's; moves out are filed up to
        two weeks ahead, other events within the two weeks after."""
        if event == CERTIFICATE:
            return day
        days = timedelta(days=self.rng.randint(0, 13))
        return day + days if event in ("move_out", "move_abroad") else day - days

    def chosen(self, event: str) -> tuple[list[DemoLine], Mapping[str, DemoForm]]:
        """The visit's lines and the forms they may print: one or two certificates, or
        one household's plan with each line to check kept when the answer needs it."""
        rng = self.rng
        if event == CERTIFICATE:
            kinds = rng.choices(self.kinds, weights=self.kind_weights, k=2)
            asked = kinds[:1] if rng.random() >= SECOND_CERTIFICATE else dict.fromkeys(kinds)
            shapes = [self.shapes.certificates[kind] for kind in asked]
            lines = [line for shape in shapes for line in shape.lines]
            return lines, {n: f for shape in shapes for n, f in shape.forms.items()}
        shape = rng.choice(self.shapes.events[event])
        kept = [line for line in shape.lines if not line.asked or rng.random() < ANSWERED_YES]
        return kept, shape.forms

    def handled(self, line: DemoLine, event: str, confirmed: datetime) -> LineFacts:
        """Done at the counter (a certificate, or a line of the counter's own department),
        or handed to its department as the visit is confirmed and done there later."""
        if event == CERTIFICATE or line.department == self.counter:
            return LineFacts(line, "done_here", confirmed)
        hours = self.rng.lognormvariate(math.log(HANDOFF_MEDIAN_HOURS), HANDOFF_SIGMA)
        done = after_office_hours(confirmed, hours, self.calendar)
        if done > self.now or self.rng.random() < FORGOTTEN:
            return LineFacts(line, "handed_to_department", confirmed, handed_at=confirmed)
        return LineFacts(line, "done_by_department", done, handed_at=confirmed, done_at=done)

    def forms(
        self, lines: Sequence[DemoLine], known: Mapping[str, DemoForm]
    ) -> tuple[DemoForm, ...]:
        """One form per name the lines print, some fields staff could type left blank."""
        made = []
        for name in dict.fromkeys(name for line in lines for name in line.forms):
            form = known[name]
            blank = sum(self.rng.random() < LEFT_BLANK for _ in range(form.typed))
            made.append(
                DemoForm(name, form.prefilled, form.typed - blank, form.blank + blank,
                         form.resident)
            )  # fmt: skip
        return tuple(made)

    def payments(self, day: date, lines: Sequence[DemoLine]) -> tuple[PaymentFacts, ...]:
        totals: dict[str, int] = {}
        for line in lines:
            if line.fee and line.revenue:
                totals[line.revenue] = totals.get(line.revenue, 0) + line.fee
        return tuple(
            self.paid(bill_for(self.profile, item, amount, day), day)
            for item, amount in totals.items()
        )

    def paid(self, bill: Bill, day: date) -> PaymentFacts:
        rng = self.rng
        if rng.random() >= PAID:
            return PaymentFacts(bill)
        channel = rng.choices(self.channels, cum_weights=self.channel_cum)[0]
        days = 0 if channel == "counter" else min(int(rng.expovariate(1 / 3)), 13)
        paid_on = day + timedelta(days=days)
        reconciled = datetime.combine(paid_on + timedelta(days=RESULT_DAYS), time(10), JST)
        if reconciled > self.now:
            return PaymentFacts(bill)
        return PaymentFacts(bill, paid_on, channel, reconciled.astimezone(UTC))


def after_office_hours(start: datetime, hours: float, calendar: OfficeCalendar) -> datetime:
    """The moment ``hours`` of office hours after ``start`` (from the next opening when
    ``start`` is after closing)."""
    left = timedelta(hours=hours)
    moment = start.astimezone(JST)
    while True:
        closing = datetime.combine(moment.date(), CLOSES, JST)
        if calendar.is_open(moment.date()) and moment + left <= closing:
            return (moment + left).astimezone(UTC)
        if calendar.is_open(moment.date()) and moment < closing:
            left -= closing - moment
        next_day = calendar.next_open_day(moment.date() + timedelta(days=1))
        moment = datetime.combine(next_day, OPENS, JST)
