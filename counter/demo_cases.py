"""The households the demo visits are modelled on: for each event, a few fictional
households of the demo register it fits, with its subjects marked, so the planner (and
the forms) can be asked once per event what such a visit holds (``counter demo-data
--visits``, counter.demo_visits).

Pure rules on ``counter.household``: who moves (everyone), who dies (the oldest member,
75 or over, survived by someone), who is born (a newborn added to a couple of 20–45) …
Nothing here is stored; the visits keep only the names of procedures and forms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta

from counter.household import EventCase, Household, Member
from counter.wareki import age_on

VARIANTS = 4  # households per event: a visit takes the lines of one of them
# Answers given where the planner cannot tell the usual case: most divorces are 協議離婚
# (about 9 in 10, 人口動態統計), filed by the couple at the counter.
ANSWERS = {"divorce": {"consensual_divorce": "yes", "court_divorce": "no"}}

Fit = Callable[[Household, date], tuple[str, ...] | None]  # the subjects, or None


def _everyone(household: Household, on: date) -> tuple[str, ...]:
    return tuple(m.id for m in household.members)


def _alone(household: Household, on: date) -> tuple[str, ...] | None:
    return _everyone(household, on) if len(household.members) == 1 else None


def _head_aged(low: int, high: int, insurance: str | None = None) -> Fit:
    def fit(household: Household, on: date) -> tuple[str, ...] | None:
        head = household.head
        if head is None or not low <= age_on(head.birth_date, on) <= high:
            return None
        if insurance is not None and head.health_insurance != insurance:
            return None
        return (head.id,)

    return fit


def _couple(low: int, high: int) -> Fit:
    """A head and a spouse, both aged low..high: the head is the subject."""

    def fit(household: Household, on: date) -> tuple[str, ...] | None:
        pair = [m for m in household.members if m.relation in ("head", "spouse")]
        if len(pair) != 2 or not all(low <= age_on(m.birth_date, on) <= high for m in pair):
            return None
        return (pair[0].id,) if pair[0].relation == "head" else (pair[1].id,)

    return fit


def _dying(household: Household, on: date) -> tuple[str, ...] | None:
    oldest = min(household.members, key=lambda m: m.birth_date)
    if len(household.members) < 2 or age_on(oldest.birth_date, on) < 75:
        return None
    return (oldest.id,)


def _adult_child(household: Household, on: date) -> tuple[str, ...] | None:
    child = next(
        (m for m in household.members
         if m.relation == "child" and age_on(m.birth_date, on) >= 20),
        None,
    )  # fmt: skip
    return (child.id,) if child else None


def _foreign(household: Household, on: date) -> tuple[str, ...] | None:
    return _everyone(household, on) if household.members[0].nationality != "JP" else None


FITS: dict[str, Fit] = {
    "move_in": _everyone,
    "move_out": _everyone,
    "move_within": _everyone,
    "birth": _couple(20, 45),
    "death": _dying,
    "marriage": lambda h, on: _alone(h, on) and _head_aged(22, 40)(h, on),
    "divorce": _couple(28, 55),
    "household_change": _adult_child,
    "move_abroad": lambda h, on: _alone(h, on) and _head_aged(20, 64)(h, on),
    "move_in_from_abroad": _foreign,
    "employee_insurance_gain": _head_aged(20, 59, "national"),
    "employee_insurance_loss": _head_aged(20, 64, "employee"),
}


def demo_cases(
    households: Sequence[Household], municipality: str, on: date
) -> dict[str, list[EventCase]]:
    """Up to ``VARIANTS`` cases per event from ``households``, in their order: a newborn
    is added for a birth, and a move-in comes from the address of another household."""
    found: dict[str, list[EventCase]] = {event: [] for event in FITS}
    for n, registered in enumerate(households):
        for event, fit in FITS.items():
            subjects = fit(registered, on) if len(found[event]) < VARIANTS else None
            if not subjects:
                continue
            household = registered
            if event == "birth":
                household = _with_newborn(registered, on)
                subjects = (household.members[-1].id,)
            marked = tuple(replace(m, subject=m.id in subjects) for m in household.members)
            previous = households[n - 1].address if event == "move_in" else None
            found[event].append(
                EventCase(municipality, event, on, replace(household, members=marked),
                          answers=ANSWERS.get(event, {}), previous_address=previous)
            )  # fmt: skip
    return found


def _with_newborn(household: Household, on: date) -> Household:
    head = household.members[0]
    surname, kana = head.name.split("\u3000")[0], head.kana.split("\u3000")[0]
    newborn = Member(
        id=f"{household.household_id}-b",
        name=f"{surname}\u3000ひなた",
        kana=f"{kana}\u3000ヒナタ",
        birth_date=on - timedelta(days=7),
        sex="female",
        relation="child",
        health_insurance="none",
        nationality=head.nationality,
    )
    return replace(household, members=(*household.members, newborn))


def certificate_household(
    households: Sequence[Household], municipality: str, on: date
) -> tuple[Household, Member]:
    """A household and its head, who may be issued every certificate kind here: a Japanese
    national with a 本籍 in this city and a registered seal, living here since before
    1 January of the year of ``on`` (the tax certificates' day)."""
    for household in households:
        head = household.head
        if (
            head is not None
            and head.honseki is not None
            and head.honseki.municipality == municipality
            and head.seal_registered
            and head.resident_since is not None
            and head.resident_since.year < on.year
        ):
            return household, head
    raise ValueError("証明書の見本にできる世帯がありません")
