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
    calendar = profile.calendar
    bills = []
    for key, amount in plan.elqr_totals().items():
        item = profile.revenue[key]
        due = calendar.next_open_day(plan.filed_on + timedelta(days=item.due_days))
        payable_until = calendar.next_open_day(due + timedelta(days=item.payable_days))
        bills.append(
            Bill(
                item=key,
                label=item.label,
                amount=amount,
                category=profile.category(item),
                collector=profile.collector,
                year=fiscal_year(plan.filed_on),
                due_date=due,
                payable_until=payable_until,
            )
        )
    return bills
