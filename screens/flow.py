"""The order of a visit's steps, in one place.

Screens say what happened (a household was chosen, an event entered, the questions
answered, the visit confirmed) and the flow shows what comes next: search → event →
questions → plan → forms → done, with the side paths (a newcomer household, another event
in the same visit, a certificate request — on its own from a search hit or the event
screen, or added after a plan — the checklist, the payment QR, parking, resuming, leaving
a visit's first step). So no screen imports another, and the way back to the search for the next
resident is written once (``back_to_search``).

Each screen is imported when it is first shown, not when the app starts: the first frame
(the sign-in) must not wait for the imports of every screen behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from counter.household import Address, EventCase
from counter.plan import Plan
from screens.visit_session import draft_case, draft_earlier

if TYPE_CHECKING:
    from counter.billing import IssuedCode
    from counter.household import Household
    from db.drafts import OpenVisit
    from screens.app import CounterApp
    from workflows.certificates import CertificateVisit
    from workflows.visit import ConfirmedVisit

SEARCH_DEPTH = 2  # the app's own default screen, then the search under everything else


class VisitFlow:
    def __init__(self, app: CounterApp) -> None:
        self.app = app

    # -- from the search ------------------------------------------------------------

    def open_household(self, household_id: str) -> None:
        from screens.event import EventScreen

        self.app.push_screen(EventScreen(household_id))

    def newcomer(self) -> None:
        from screens.newcomer import NewcomerScreen

        self.app.push_screen(NewcomerScreen())

    def newcomer_registered(
        self, household_id: str, event_date: date, previous_address: Address
    ) -> None:
        """A household typed at the counter is stored: its 転入 comes next."""
        from screens.event import EventScreen

        self.app.push_screen(
            EventScreen(
                household_id,
                event="move_in",
                event_date=event_date,
                previous_address=previous_address,
            )
        )

    def certificates(
        self,
        household_id: str,
        *,
        person: str | None = None,
        household: Household | None = None,
        earlier: tuple[EventCase, ...] = (),
        typed: dict[str, str] | None = None,
        first_step: bool = True,
    ) -> None:
        """証明書の請求: from a search hit (``person`` is the one found), from the event
        screen (``household`` already open, Esc goes back to it) or after a plan
        (``earlier`` events of the same visit)."""
        from screens.certificates import CertificateScreen

        self.app.push_screen(
            CertificateScreen(
                household_id,
                household=household,
                person=person,
                earlier=earlier,
                typed=typed,
                first_step=first_step,
            )
        )

    def certificate_forms(
        self, visit: CertificateVisit, typed: dict[str, str], draft: dict
    ) -> None:
        """A certificate request after life events: their forms are checked and typed
        first, and F10 there stores everything as one visit."""
        from screens.forms_check import FormsScreen

        self.app.push_screen(
            FormsScreen(visit.cases, visit.plan, typed, given=visit.given, draft=draft)
        )

    def department_queue(self) -> None:
        from screens.department import DepartmentQueueScreen

        self.app.push_screen(DepartmentQueueScreen())

    def open_visits(self, *, offered: bool = False) -> None:
        """The day's open and parked visits; ``offered`` after a crash (this terminal's)."""
        from screens.resume import ResumeScreen

        self.app.push_screen(ResumeScreen(offered=offered))

    # -- a visit's steps --------------------------------------------------------------

    def event_entered(
        self, case: EventCase, earlier: tuple[EventCase, ...], typed: dict[str, str]
    ) -> None:
        from screens.questions import QuestionsScreen

        self.app.push_screen(QuestionsScreen(case, earlier=earlier, typed=typed))

    def answered(
        self, case: EventCase, earlier: tuple[EventCase, ...], typed: dict[str, str]
    ) -> None:
        from screens.plan import PlanScreen

        self.app.push_screen(PlanScreen(case, earlier=earlier, typed=typed))

    def add_event(self, cases: tuple[EventCase, ...], typed: dict[str, str]) -> None:
        """Another event of the same visit, for the household as the visit leaves it."""
        from screens.event import EventScreen

        household_id = cases[-1].household.household_id or ""
        self.app.push_screen(EventScreen(household_id, earlier=cases, typed=typed))

    def to_forms(self, cases: tuple[EventCase, ...], plan: Plan, typed: dict[str, str]) -> None:
        from screens.forms_check import FormsScreen

        self.app.push_screen(FormsScreen(cases, plan, typed))

    def confirmed(self, case: EventCase, plan: Plan, confirmed: ConfirmedVisit) -> None:
        from screens.done import DoneScreen

        self.app.push_screen(DoneScreen(case, plan, confirmed))

    def checklist(self, visit_id: str) -> None:
        from screens.checklist import ChecklistScreen

        self.app.push_screen(ChecklistScreen(visit_id))

    def payment_qr(self, codes: Sequence[IssuedCode], labels: list[str], *, demo: bool) -> None:
        from screens.payment_qr import PaymentQrScreen

        self.app.push_screen(PaymentQrScreen(codes, labels, demo=demo))

    # -- leaving, parking, resuming ----------------------------------------------------

    def leave(self, reception_number: int, draft: dict) -> None:
        """Esc on a visit's first step: staff say what becomes of its number."""
        from screens.leave_visit import LeaveVisitScreen, leave_visit

        def chosen(choice: str | None) -> None:
            if choice:
                leave_visit(self.app, choice, draft)

        self.app.push_screen(LeaveVisitScreen(reception_number), chosen)

    def back_to_search(self, notice: str | None = None, *, title: str = "") -> None:
        """Ready for the next resident: the visit ended, every screen above the search
        closed, the search emptied; ``notice`` says why, when there is something to say."""
        from screens.search import SearchScreen

        self.app.visit.end()
        while len(self.app.screen_stack) > SEARCH_DEPTH:
            self.app.pop_screen()
        search = self.app.screen_stack[-1] if self.app.screen_stack else None
        if isinstance(search, SearchScreen):
            search.reset()
        if notice:
            self.app.notify(notice, title=title)

    def resume(self, visit: OpenVisit) -> None:
        """Open ``visit`` at its step: the event screen, or the questions (and the plan
        over them) with the case as saved, or the certificate request with its choices,
        so Esc still walks back through the visit."""
        from screens.certificates import DRAFT_KEY, CertificateScreen
        from screens.event import EventScreen
        from screens.plan import PlanScreen
        from screens.questions import QuestionsScreen

        self.back_to_search()
        self.app.visit.resume(visit)
        typed = dict(visit.draft.get("typed") or {})
        earlier = draft_earlier(visit.draft)
        push = self.app.push_screen
        for index, done in enumerate(earlier):  # the events planned before, as left
            push(QuestionsScreen(done, earlier=earlier[:index], typed=typed))
            push(PlanScreen(done, earlier=earlier[:index], typed=typed))
        if visit.draft.get(DRAFT_KEY):  # its forms step opens at the request, like a plan
            household_id = visit.draft["household_id"]
            saved = visit.draft[DRAFT_KEY]
            push(CertificateScreen(household_id, earlier=earlier, typed=typed, saved=saved))
            return
        case = draft_case(visit.draft)
        if case is None:
            push(EventScreen(visit.draft["household_id"], earlier=earlier, typed=typed))
            return
        push(QuestionsScreen(case, earlier=earlier, typed=typed))
        if visit.step in ("plan", "forms"):
            push(PlanScreen(case, earlier=earlier, typed=typed))
