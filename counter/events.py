"""The life events a counter serves, with their Japanese names, and what the law and the
counter's practice say about an event's date and whom it is about.

Kept in the core so the screens, the command line and the outreach laptop apply the same
rules: a date in the future is refused except for the moves filed before they happen,
moves are about the whole household unless staff untick someone, and deaths are taken
one person at a time (each has its own 死亡届 and its own survivors' procedures).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from counter.wareki import format_wareki

EVENTS = {
    "birth": "出生",
    "move_in": "転入",
    "move_out": "転出",
    "move_within": "転居",
    "death": "死亡",
    "marriage": "婚姻",
    "divorce": "離婚",
    "household_change": "世帯変更",
    "move_abroad": "国外転出",
    "move_in_from_abroad": "国外からの転入",
    "employee_insurance_gain": "社会保険の加入",
    "employee_insurance_loss": "社会保険の喪失",
}
# 転出 and 国外転出 may be filed before the move (住基法24条). At the counter a city takes
# them from 14 days before the planned day (the usual practice, 要確認 per city; online
# through マイナポータル up to 30 days ahead). Every other event must have happened.
ADVANCE_DAYS = {"move_out": 14, "move_abroad": 14}
# Moves are about everyone in the household unless staff untick someone.
EVERYONE_BY_DEFAULT = frozenset(
    {"move_in", "move_out", "move_within", "move_abroad", "move_in_from_abroad"}
)
ONE_AT_A_TIME = frozenset({"death"})


# Visits that are not a life event but are stored, numbered and billed like one.
OTHER_VISITS = {"certificate": "証明書の請求"}


def event_label(event: str) -> str:
    return EVENTS.get(event) or OTHER_VISITS.get(event, event)


def event_date_problem(event: str, day: date, today: date) -> str | None:
    """Why ``day`` cannot be the date of ``event`` filed on ``today`` (Japanese), or None."""
    allowed = ADVANCE_DAYS.get(event, 0)
    if (day - today).days <= allowed:
        return None
    if allowed:
        return f"予定日は届出の日から{allowed}日先までです"
    return f"{event_label(event)}の日が届出の日より後です。まだ来ていない日付は入力できません"


def planned_ahead_note(event: str, day: date, today: date) -> str:
    """What the plan says of a move filed before it happens (empty otherwise)."""
    if day <= today or event not in ADVANCE_DAYS:
        return ""
    return (
        f"{event_label(event)}予定日（届出の日から{(day - today).days}日後）での届出です。"
        "予定が変わったときは窓口にお知らせください"
    )


def born_after_problem(event: str, day: date, people: Iterable[tuple[str, date]]) -> str | None:
    """Why ``day`` cannot be the date of ``event`` for these (name, birth date) people: it
    comes before one's birth (a death before the birth, a move before it)."""
    for name, birth in people:
        if birth > day:
            born = format_wareki(birth)
            return f"{event_label(event)}の日が{name}さんの生年月日（{born}）より前です"
    return None


# Who the people chosen for an event are, as the event screen names them.
SUBJECT_LABELS = {
    "move_in": "転入した方",
    "move_out": "転出する方",
    "move_within": "転居する方",
    "death": "亡くなった方",
    "marriage": "婚姻する方",
    "divorce": "離婚する方",
    "household_change": "世帯を変わる方",
    "move_abroad": "国外へ転出する方",
    "move_in_from_abroad": "国外から転入した方",
    "employee_insurance_gain": "勤務先の健康保険に入った方",
    "employee_insurance_loss": "勤務先の健康保険をやめた方",
}


def subjects_problem(event: str, chosen: int) -> str | None:
    """Why ``chosen`` people cannot be the subjects of ``event`` (Japanese), or None."""
    label = SUBJECT_LABELS[event]
    if chosen == 0:
        return f"{label}を選んでください（スペースキーで選びます）"
    if event in ONE_AT_A_TIME and chosen > 1:
        return f"{label}は1人ずつ受け付けてください"
    return None
