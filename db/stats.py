"""The figures of a period, aggregated by the database (SQLite and PostgreSQL alike).

Each figure is one grouped query over the confirmed visits of the period (the index on
visit (status, office_date) finds them); medians and 90th percentiles are nearest-rank,
from window functions both backends have, so no visit is read into Python. Only counts,
sums and spreads come back: nothing of a person (see counter.stats).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Float, Integer, Table, and_, case, cast, func, literal, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import ColumnElement, Select

from counter.events import EVENTS, OTHER_VISITS
from counter.profile import load_profile
from counter.stats import FieldCounts, Figures, Handoffs, RevenueFigures, Spread
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


def figures(engine: Engine, municipality: str, start: date, end: date) -> Figures:
    """The figures of ``municipality``'s confirmed visits of office days start..end."""
    period = and_(
        V.status == "confirmed",
        V.office_date >= start,
        V.office_date <= end,
        V.municipality == municipality,
    )
    with engine.connect() as connection:
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
        minutes = self._minutes(V.created_at, V.confirmed_at)
        spreads = self._spreads(V.event, minutes, VISIT)
        overall = self._spreads(literal("all"), minutes, VISIT)
        return Figures(
            municipality=municipality,
            start=start,
            end=end,
            visits=self.one(select(func.count()).where(self.period)),
            by_day=tuple(
                (day if isinstance(day, date) else date.fromisoformat(str(day)), n)
                for day, n in self._grouped(V.office_date)
            ),
            by_event=tuple((EVENT_LABELS.get(e, e), n) for e, n in self._grouped(V.event)),
            certificates=self._certificates(),
            minutes=overall.get("all", Spread()),
            minutes_by_event=tuple((EVENT_LABELS.get(e, e), s) for e, s in sorted(spreads.items())),
            procedures=self.one(
                select(func.count())
                .select_from(LINE.join(VISIT, P.visit_id == V.id))
                .where(self.period)
            ),
            fields=self._fields(),
            forms_issued=self.one(
                select(func.count())
                .select_from(FORM.join(VISIT, F.visit_id == V.id))
                .where(self.period)
            ),
            forms_printed=self.one(
                select(func.count())
                .select_from(AUDIT.join(VISIT, A.visit_id == V.id))
                .where(self.period, A.action == "print", A.detail.like("届出書の印刷%"))
            ),
            handoffs=self._handoffs(),
            revenue=self._revenue(municipality),
            channels=tuple((CHANNELS.get(c, c), n) for c, n in self._grouped(V.channel)),
            hours=self._hours(),
        )

    def _grouped(self, column) -> list[tuple]:
        return [
            (key, int(n))
            for key, n in self.all(
                select(column, func.count()).where(self.period).group_by(column).order_by(column)
            )
        ]

    def _certificates(self) -> tuple[tuple[str, int], ...]:
        rows = self.all(
            select(P.name, func.count())
            .select_from(LINE.join(VISIT, P.visit_id == V.id))
            .where(self.period, V.event == "certificate")
            .group_by(P.name)
            .order_by(func.count().desc(), P.name)
        )
        return tuple((name, int(n)) for name, n in rows)

    def _minutes(self, since, until) -> ColumnElement:
        """Minutes between two stored times, as each backend counts them."""
        if self.postgres:
            return func.extract("epoch", until - since) / 60.0
        return cast((func.julianday(until) - func.julianday(since)) * 1440.0, Float)

    def _spreads(self, group, minutes, source, where=()) -> dict:
        """Count, median and 90th percentile (nearest rank) of ``minutes`` by ``group``."""
        ranked = (
            select(
                group.label("grp"),
                minutes.label("m"),
                func.row_number().over(partition_by=group, order_by=minutes).label("rn"),
                func.count().over(partition_by=group).label("n"),
            )
            .select_from(source)
            .where(self.period, *where)
            .subquery()
        )
        rows = self.all(
            select(
                ranked.c.grp,
                func.max(ranked.c.n),
                func.min(case((ranked.c.rn * 2 >= ranked.c.n, ranked.c.m))),
                func.min(case((ranked.c.rn * 10 >= ranked.c.n * 9, ranked.c.m))),
            ).group_by(ranked.c.grp)
        )
        return {grp: Spread(int(n), _float(median), _float(p90)) for grp, n, median, p90 in rows}

    def _fields(self) -> FieldCounts:
        row = self.connection.execute(
            select(
                func.coalesce(func.sum(F.prefilled_fields), 0),
                func.coalesce(func.sum(F.typed_fields), 0),
                func.coalesce(func.sum(F.blank_fields), 0),
                func.coalesce(func.sum(F.resident_fields), 0),
            )
            .select_from(FORM.join(VISIT, F.visit_id == V.id))
            .where(self.period)
        ).one()
        return FieldCounts(*(int(value) for value in row))

    def _handoffs(self) -> tuple[Handoffs, ...]:
        joined = LINE.join(VISIT, P.visit_id == V.id)
        counts = self.all(
            select(P.department, func.count(), func.count(P.done_at))
            .select_from(joined)
            .where(self.period, P.handed_at.is_not(None))
            .group_by(P.department)
            .order_by(P.department)
        )
        hours = self._spreads(
            P.department,
            self._minutes(P.handed_at, P.done_at) / 60.0,
            joined,
            where=(P.handed_at.is_not(None), P.done_at.is_not(None)),
        )
        return tuple(
            Handoffs(department, int(handed), int(done), hours.get(department, Spread()))
            for department, handed, done in counts
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
        """Visits by weekday (0 = Monday) and hour of the household opened, Japan time."""
        if self.postgres:
            local = func.timezone("Asia/Tokyo", V.created_at)
            weekday = (cast(func.extract("dow", local), Integer) + 6) % 7
            hour = cast(func.extract("hour", local), Integer)
        else:
            weekday = (cast(func.strftime("%w", V.created_at, "+9 hours"), Integer) + 6) % 7
            hour = cast(func.strftime("%H", V.created_at, "+9 hours"), Integer)
        rows = self.all(
            select(weekday.label("w"), hour.label("h"), func.count())
            .where(self.period)
            .group_by("w", "h")
            .order_by("w", "h")
        )
        return tuple((int(w), int(h), int(n)) for w, h, n in rows)


def _float(value) -> float | None:
    return None if value is None else float(value)
