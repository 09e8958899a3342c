"""The payment codes for what a visit costs: one eL-QR per revenue item of its fees.

Each revenue item of the municipality profile gives its 納付区分 and its due and payable
periods. The payment number comes from the database (unique across terminals) and the
confirmation number from a keyed hash, so a code cannot be guessed from its neighbours. A
demo profile uses a collector and a category no real city can have, and the slip says 見本.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from counter.payment import ElqrFields, build_elqr, confirmation_number
from counter.plan import Plan
from counter.profile import MunicipalityProfile

# The key of demo and training codes only; a real profile's key lives outside the database
# (see screens.settings / the README's "Payment codes" section).
DEMO_KEY = b"madoguchi-demo-confirmation-key"
DEFAULT_PAYABLE_DAYS = 30  # a hand-made demo code without a revenue item


def confirmation_key(profile: MunicipalityProfile, configured: bytes | None) -> bytes | None:
    """The city's key (from outside the database); a demo profile falls back to the
    published demo key, a real one has none without it."""
    return configured or (DEMO_KEY if profile.payment_demo else None)


def fiscal_year(day: date) -> int:
    """年度: April to March."""
    return day.year if day.month >= 4 else day.year - 1


@dataclass(frozen=True)
class IssuedCode:
    """A numbered payment code of a visit: its revenue item, fields and QR payload."""

    item: str
    fields: ElqrFields
    payload: str


@dataclass(frozen=True)
class Bill:
    """One payment code still to be numbered: what it collects and until when."""

    item: str
    label: str
    amount: int
    category: str
    collector: str
    year: int
    due_date: date
    payable_until: date

    def issue(self, payment_number: str, key: bytes) -> IssuedCode:
        """The code with its number; ``key`` derives the confirmation number."""
        fields = ElqrFields(
            amount=self.amount,
            category=self.category,
            payment_number=payment_number,
            confirmation_number=confirmation_number(payment_number, key),
            collector=self.collector,
            levy_year=self.year,
            tax_year=self.year,
            due_date=self.due_date,
            payable_until=self.payable_until,
        )
        return IssuedCode(self.item, fields, build_elqr(fields))


def bills_for_plan(plan: Plan, profile: MunicipalityProfile) -> list[Bill]:
    """One bill per revenue item with fees to collect, in visiting order."""
    return [
        bill_for(profile, key, amount, plan.filed_on) for key, amount in plan.elqr_totals().items()
    ]


def bill_for(profile: MunicipalityProfile, key: str, amount: int, filed_on: date) -> Bill:
    """The bill of revenue item ``key`` for fees filed on ``filed_on``: its 納期限 and
    支払期限 the item's periods later, each moved to the next open day."""
    calendar = profile.calendar
    item = profile.revenue[key]
    due = calendar.next_open_day(filed_on + timedelta(days=item.due_days))
    return Bill(
        item=key,
        label=item.label,
        amount=amount,
        category=profile.category(item),
        collector=profile.collector,
        year=fiscal_year(filed_on),
        due_date=due,
        payable_until=calendar.next_open_day(due + timedelta(days=item.payable_days)),
    )


def manual_bill(
    profile: MunicipalityProfile,
    *,
    amount: int,
    category: str,
    due_date: date,
    payable_until: date | None = None,
) -> Bill:
    """A code asked for by hand (``counter payment make``), outside a visit.

    A real profile accepts only the 納付区分 of one of its revenue items (whose payable
    period gives the default 支払期限); a demo profile always prints its demo category.
    """
    item = next((i for i in profile.revenue.values() if i.category == category), None)
    if not profile.payment_demo and item is None:
        known = "、".join(sorted(i.category for i in profile.revenue.values()))
        raise ValueError(f"納付区分 {category} は歳入科目にありません（{known}）")
    days = item.payable_days if item else DEFAULT_PAYABLE_DAYS
    until = payable_until or profile.calendar.next_open_day(due_date + timedelta(days=days))
    return Bill(
        item=item.key if item else "",
        label=item.label if item else "",
        amount=amount,
        category=profile.category(item) if item else profile.payment_demo_category,
        collector=profile.collector,
        year=fiscal_year(due_date),
        due_date=due_date,
        payable_until=until,
    )
