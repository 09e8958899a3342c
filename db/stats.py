"""The figures of a period, aggregated by the database (SQLite and PostgreSQL alike).

The figures come from a few grouped queries over the confirmed visits of the period (the
covering index ix_visit_figures finds them), each answering as many figures as one pass
can: a year of a large city is 60,000 visits and must take under a second. Medians and
90th percentiles are nearest-rank over durations counted in SQL by tenth of a minute (or
of an hour), the precision they are shown in, so no visit is read into Python. Only
counts, sums and spreads come back: nothing of a person (see counter.stats). All of it is
read in one snapshot.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Integer, Table, and_, case, cast, func, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import ColumnElement, Select

from counter.events import EVENTS, OTHER_VISITS
from counter.profile import load_profile
from counter.stats import FieldCounts, Figures, Handoffs, RevenueFigures, Spread, spread_of
from counter.wareki import JST
from db.models import (
    CHANNELS,
    AuditLogRow,
    IssuedFormRow,
    PaymentCodeRow,
    VisitProcedureRow,
    VisitRow,
)

VISIT: Table = VisitRow.__table__  # type: ignore[attr-defined]
LINE: Table = VisitProcedureRow.__table__  # type: ignore[attr-defined]
FORM: Table = IssuedFormRow.__table__  # type: ignore[attr-defined]
CODE: Table = PaymentCodeRow.__table__  # type: ignore[attr-defined]
AUDIT: Table = AuditLogRow.__table__  # type: ignore[attr-defined]
V, P, F, C, A = VISIT.c, LINE.c, FORM.c, CODE.c, AUDIT.c
EVENT_LABELS = {**EVENTS, **OTHER_VISITS}
MINUTE, HOUR = 60.0, 3600.0


def figures(engine: Engine, municipality: str, start: date, end: date) -> Figures:
    """The figures of ``municipality``'s confirmed visits of office days start..end."""
    period = and_(
        V.status == "confirmed",
        V.office_date >= start,
        V.office_date <= end,
        V.municipality == municipality,
    )
    with engine.connect() as plain:
        # one snapshot: every figure counts the same visits while terminals go on writing
        # (PostgreSQL's default would let each query see the visits confirmed meanwhile)
        connection = (
            plain.execution_options(isolation_level="REPEATABLE READ")
            if plain.dialect.name == "postgresql"
            else plain
        )
        with connection.begin():
            return _Reading(connection, period).figures(municipality, start, end)


class _Reading:
    def __init__(self, connection: Connection, period: ColumnElement[bool]) -> None:
        self.connection, self.period = connection, period
        self.postgres = connection.dialect.name == "postgresql"

    def all(self, query: Select) -> list:
        return list(self.connection.execute(query))

    def one(self, query: Select) -> int:
        return int(self.connection.execute(query).scalar() or 0)

    def figures(self, municipality: str, start: date, end: date) -> Figures:
        by_day = self._by_day()
        by_event, channels = self._events_and_channels()
        overall, spreads = self._minutes()
        lines = self._lines()
        forms_issued, fields = self._forms()
        return Figures(
            municipality=municipality,
            start=start,
            end=end,
            visits=sum(n for _, n in by_day),
            by_day=by_day,
            by_event=tuple((EVENT_LABELS.get(e, e), n) for e, n in sorted(by_event.items())),
            certificates=tuple(
                sorted(lines.certificates.items(), key=lambda item: (-item[1], item[0]))
            ),
            minutes=overall,
            minutes_by_event=tuple((EVENT_LABELS.get(e, e), s) for e, s in sorted(spreads.items())),
            procedures=lines.procedures,
            fields=fields,
            forms_issued=forms_issued,
            forms_printed=self.one(
                select(func.count())
                .select_from(AUDIT.join(VISIT, A.visit_id == V.id))
                .where(self.period, A.action == "print", A.detail.like("届出書の印刷%"))
            ),
            handoffs=self._handoffs(lines),
            revenue=self._revenue(municipality),
            channels=tuple((CHANNELS.get(c, c), n) for c, n in sorted(channels.items())),
            hours=self._hours(),
        )

    def _by_day(self) -> tuple[tuple[date, int], ...]:
        rows = self.all(
            select(V.office_date, func.count())
            .where(self.period)
            .group_by(V.office_date)
            .order_by(V.office_date)
        )
        return tuple(
            (day if isinstance(day, date) else date.fromisoformat(str(day)), int(n))
            for day, n in rows
        )

    def _events_and_channels(self) -> tuple[Counter[str], Counter[str]]:
        """Visits by event and by channel, from one pass."""
        events: Counter[str] = Counter()
        channels: Counter[str] = Counter()
        for event, channel, n in self.all(
            select(V.event, V.channel, func.count()).where(self.period).group_by(V.event, V.channel)
        ):
            events[event] += int(n)
            channels[channel] += int(n)
        return events, channels

    def _lines(self) -> _Lines:
        """The visits' checklist lines in one pass: all of them, the certificate requests'
        by certificate, and per department the lines handed, done, and the histogram of
        hours from hand-off to done (see _spreads)."""
        certificate = case((V.event == "certificate", P.name)).label("certificate")
        handed = P.handed_at.is_not(None).label("handed")
        hours = self._tenths(P.handed_at, P.done_at, HOUR).label("tenths")  # NULL until done
        lines = _Lines()
        for department, name, was_handed, tenths, n, done in self.all(
            select(P.department, certificate, handed, hours, func.count(), func.count(P.done_at))
            .select_from(LINE.join(VISIT, P.visit_id == V.id))
            .where(self.period)
            .group_by(P.department, certificate, handed, hours)
        ):
            lines.procedures += n
            if name is not None:
                lines.certificates[name] = lines.certificates.get(name, 0) + n
            if was_handed:
                before = lines.handed.get(department, (0, 0))
                lines.handed[department] = (before[0] + n, before[1] + done)
                if tenths is not None:
                    lines.hours.setdefault(department, []).append((tenths / 10, n))
        return lines

    def _tenths(self, since, until, unit: float) -> ColumnElement:
        """The time from ``since`` to ``until`` in tenths of ``unit`` seconds, rounded."""
        seconds: ColumnElement
        if self.postgres:
            seconds = func.extract("epoch", until - since)
        else:
            seconds = (func.julianday(until) - func.julianday(since)) * 86400.0
        return cast(func.round(seconds * 10.0 / unit), Integer)

    def _minutes(self) -> tuple[Spread, dict[str, Spread]]:
        """Count, median and 90th percentile of the minutes from the household opened to
        the visit confirmed, of all visits and by event. The database sends back each
        event's histogram by tenth of a minute, the precision the figures are shown in (a
        few thousand rows for a year), and counter.stats.spread_of ranks it: sorting every
        visit by window functions cost SQLite five times as much."""
        tenths = self._tenths(V.created_at, V.confirmed_at, MINUTE).label("tenths")
        rows = self.all(
            select(V.event, tenths, func.count()).where(self.period).group_by(V.event, tenths)
        )
        groups: dict[str, list[tuple[float, int]]] = {}
        for event, tenths, n in rows:
            groups.setdefault(event, []).append((tenths / 10, n))
        whole = spread_of(pair for histogram in groups.values() for pair in histogram)
        return whole, {event: spread_of(histogram) for event, histogram in groups.items()}

    def _forms(self) -> tuple[int, FieldCounts]:
        """The forms issued and their fields, from one pass."""
        row = self.connection.execute(
            select(
                func.count(),
                func.coalesce(func.sum(F.prefilled_fields), 0),
                func.coalesce(func.sum(F.typed_fields), 0),
                func.coalesce(func.sum(F.blank_fields), 0),
                func.coalesce(func.sum(F.resident_fields), 0),
            )
            .select_from(FORM.join(VISIT, F.visit_id == V.id))
            .where(self.period)
        ).one()
        issued, *fields = (int(value) for value in row)
        return issued, FieldCounts(*fields)

    def _handoffs(self, lines: _Lines) -> tuple[Handoffs, ...]:
        return tuple(
            Handoffs(department, n, done, spread_of(lines.hours.get(department, ())))
            for department, (n, done) in sorted(lines.handed.items())
        )

    def _revenue(self, municipality: str) -> tuple[RevenueFigures, ...]:
        rows = self.all(
            select(
                C.revenue_item,
                func.count(),
                func.coalesce(func.sum(C.amount), 0),
                func.count(C.paid_on),
                func.coalesce(func.sum(C.paid_amount), 0),
            )
            .select_from(CODE.join(VISIT, C.visit_id == V.id))
            .where(self.period)
            .group_by(C.revenue_item)
            .order_by(C.revenue_item)
        )
        items = load_profile(municipality).revenue
        return tuple(
            RevenueFigures(
                item, items[item].label if item in items else item, *(int(v) for v in values)
            )
            for item, *values in rows
        )

    def _hours(self) -> tuple[tuple[int, int, int], ...]:
        """Visits by weekday (0 = Monday) and hour of the household opened, Japan time:
        counted by stored hour (UTC), cheap for the database, then turned to Japan time."""
        if self.postgres:
            bucket = func.date_trunc("hour", V.created_at)
        else:
            bucket = func.substr(V.created_at, 1, 13)  # 'YYYY-MM-DD HH' of the UTC time
        week: Counter[tuple[int, int]] = Counter()
        for at, n in self.all(select(bucket, func.count()).where(self.period).group_by(bucket)):
            moment = at if isinstance(at, datetime) else datetime.fromisoformat(f"{at}:00")
            local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(JST)
            week[local.weekday(), local.hour] += int(n)
        return tuple((w, h, n) for (w, h), n in sorted(week.items()))


@dataclass
class _Lines:
    procedures: int = 0
    certificates: dict[str, int] = field(default_factory=dict)
    handed: dict[str, tuple[int, int]] = field(default_factory=dict)  # department: handed, done
    hours: dict[str, list[tuple[float, int]]] = field(default_factory=dict)  # (hours, lines)
