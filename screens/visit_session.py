"""The visit in progress on this terminal, from its first step to its confirmation.

A visit is started (and numbered) when staff open a household, and every step saves its
draft (``db.drafts``), so the visit can be parked while the resident fetches a document,
resumed on any terminal, and offered back after a crash or a power cut. The header shows
the 受付番号 for as long as the visit lasts.

The individual numbers staff type for the forms are never in a draft: they stay in this
terminal's memory for the visit (``VisitSession.numbers``) and are gone once it is parked,
ended or resumed; the draft says only how many there were, so a resumed visit can ask
for them again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from counter.household import EventCase
from counter.interchange import event_case_to_dict, parse_event_case

if TYPE_CHECKING:
    from db.drafts import OpenVisit
    from screens.app import CounterApp

# The steps a visit is saved at, in order; a resumed visit opens at its step (the forms
# step opens at the plan, whose F5 leads on to the forms with what was typed; a
# certificate request, on its own or after events, opens at its own screen).
STEPS = ("event", "questions", "plan", "certificates", "forms")
# The draft key counting the individual numbers typed before the visit was parked.
NUMBERS_TYPED = "mynumbers_typed"


def make_draft(
    step: str,
    *,
    household_id: str | None,
    head_name: str,
    case: EventCase | None = None,
    typed: Mapping[str, str] | None = None,
    earlier: Sequence[EventCase] = (),
) -> dict[str, Any]:
    """What a step saves: enough to open the visit again at that step. ``earlier`` are
    the events already planned in this visit before the one at hand."""
    return {
        "step": step,
        "household_id": household_id,
        "head_name": head_name,
        "earlier": [event_case_to_dict(c) for c in earlier],
        "case": event_case_to_dict(case) if case is not None else None,
        "typed": dict(typed or {}),
    }


def case_draft(
    step: str,
    case: EventCase,
    typed: Mapping[str, str] | None = None,
    earlier: Sequence[EventCase] = (),
) -> dict:
    """The draft of a step that has the case (questions and after)."""
    first = earlier[0] if earlier else case
    head = first.household.head
    return make_draft(
        step,
        household_id=first.household.household_id,
        head_name=head.name if head else "",
        case=case,
        typed=typed,
        earlier=earlier,
    )


def draft_case(draft: dict[str, Any]) -> EventCase | None:
    return parse_event_case(draft["case"]) if draft.get("case") else None


def draft_earlier(draft: dict[str, Any]) -> tuple[EventCase, ...]:
    """The events planned before the one at hand (none in drafts saved before there could
    be several)."""
    return tuple(parse_event_case(c) for c in draft.get("earlier") or ())


class VisitSession:
    def __init__(self, app: CounterApp) -> None:
        self.app = app
        self.current: OpenVisit | None = None
        # Individual numbers typed for the forms (forms.prefill.mynumber_key): memory only.
        self.numbers: dict[str, str] = {}

    @property
    def reception_number(self) -> int | None:
        return self.current.reception_number if self.current else None

    def ensure_started(self) -> OpenVisit:
        """The current visit, started (numbered) now if there is none. From a worker."""
        from db.drafts import start_visit

        if self.current is None:
            app = self.app
            self.current = start_visit(
                app.engine,
                municipality=app.profile.code,
                device_id=app.settings.device_id,
                office_date=app.today,
                staff_id=app.staff_id,
            )
            app.call_from_thread(self.show)
        return self.current

    def keep(self, draft: dict[str, Any], *, status: str = "open") -> None:
        """Save the draft of the current visit from a worker (the screen never waits)."""
        if self.current is None:
            return
        from db.drafts import save_draft

        visit_id, engine = self.current.id, self.app.engine
        self.app.run_worker(
            lambda: save_draft(engine, visit_id, draft, status=status),
            thread=True,
            group="draft",
            exit_on_error=False,
        )

    def resume(self, visit: OpenVisit) -> None:
        self.current = visit
        self.numbers.clear()
        self.show()

    def end(self) -> None:
        self.current = None
        self.numbers.clear()
        self.show()

    def show(self) -> None:
        """The header: the city and its office, or during a visit its 受付番号 first (the
        office name gives way, so the line fits 80 columns)."""
        profile = self.app.profile
        if self.current is None:
            self.app.sub_title = f"{profile.name}　{profile.office}"
        else:
            self.app.sub_title = f"受付番号 {self.current.reception_number}　{profile.name}"
        self.app.count_waiting()  # an outreach laptop's header counts the visits kept
