"""The payment code for what a visit costs: one eL-QR for the fee total.

The payment number comes from the database (unique across terminals); everything else
is derived here. A demo profile uses a collector and category no real city can have, and
the slip then says 見本.
"""

from __future__ import annotations

from datetime import date, timedelta

from counter.payment import ElqrFields, confirmation_number
from counter.plan import Plan
from counter.profile import MunicipalityProfile

DUE_DAYS = 14
PAYABLE_DAYS = 30
DEMO_KEY = b"madoguchi-demo-confirmation-key"


def fiscal_year(day: date) -> int:
    """年度: April to March."""
    return day.year if day.month >= 4 else day.year - 1


def payment_for_plan(
    plan: Plan, profile: MunicipalityProfile, payment_number: str, key: bytes = DEMO_KEY
) -> ElqrFields | None:
    """The payment code fields for the fees the code covers, or None when there are none."""
    if plan.elqr_total <= 0:
        return None
    calendar = profile.calendar
    due = calendar.next_open_day(plan.filed_on + timedelta(days=DUE_DAYS))
    payable_until = calendar.next_open_day(due + timedelta(days=PAYABLE_DAYS))
    year = fiscal_year(plan.filed_on)
    return ElqrFields(
        amount=plan.elqr_total,
        category=profile.payment_category,
        payment_number=payment_number,
        confirmation_number=confirmation_number(payment_number, key),
        collector=profile.collector,
        levy_year=year,
        tax_year=year,
        due_date=due,
        payable_until=payable_until,
    )
