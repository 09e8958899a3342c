"""Demo visits (``counter demo-data --visits N``): their shapes asked of the planner and
the forms, then drawn (counter.demo_visits) and stored in bulk (db.demo_visits).

A shape is what one visit holds: each event is planned once for each of a few fictional
households it fits (counter.demo_cases) and its forms filled as the counter fills them,
and each certificate kind is decided and planned once for a household that may have
them all; so every line, department, fee and form of the demo visits is the program's
own. The households are made for this and never stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.engine import Engine

from counter.catalogue import Catalogue, load_catalogue
from counter.certificates import CertificateRequest, Requester, decide, load_certificate_rules
from counter.demo import generate_households
from counter.demo_cases import certificate_household, demo_cases
from counter.demo_visits import (
    DemoForm,
    DemoLine,
    Shapes,
    VisitFacts,
    VisitShape,
    generate_visits,
)
from counter.household import EventCase, Household, Member
from counter.plan import Plan
from counter.profile import MunicipalityProfile, load_profile
from counter.progress import Progress
from counter.rules import plan as plan_event
from db.demo_visits import save_demo_visits
from forms.prefill import BLANK, VisitInfo, forms_for_visit
from workflows.certificates import certificate_visit

SHAPE_HOUSEHOLDS = 400  # enough that every event finds its households
SHAPE_SEED = 19


def make_demo_visits(
    engine: Engine,
    count: int,
    *,
    municipality: str,
    seed: int,
    today: date,
    now: datetime,
    progress: Progress | None = None,
    audit_as: tuple[str | None, str] | None = None,
) -> int:
    """``count`` fictional visits over the open days before ``today``, each of a demo
    household of the register when it has any, stored in one transaction (refused,
    with nothing written, beside real residents: db.register.DemoRefused)."""
    profile = load_profile(municipality)

    def make(households: Sequence[str]) -> list[VisitFacts]:
        shapes = visit_shapes(profile, today)
        return generate_visits(count, shapes, profile, households, today=today, now=now,
                               seed=seed, progress=progress)  # fmt: skip

    return save_demo_visits(engine, municipality, make, progress=progress, audit_as=audit_as)


def visit_shapes(profile: MunicipalityProfile, on: date) -> Shapes:
    """Every event's shapes and every certificate kind's, as planned on ``on``."""
    catalogue = load_catalogue()
    households = generate_households(
        SHAPE_HOUSEHOLDS, seed=SHAPE_SEED, municipality=profile.code, on=on
    )
    events = {
        event: [_shape(plan_event(case, catalogue, profile, filed_on=on), case, profile)
                for case in cases]
        for event, cases in demo_cases(households, profile.code, on).items()
    }  # fmt: skip
    household, head = certificate_household(households, profile.code, on)
    return Shapes(events, _certificate_shapes(household, head, profile, catalogue, on))


def _certificate_shapes(
    household: Household,
    head: Member,
    profile: MunicipalityProfile,
    catalogue: Catalogue,
    on: date,
) -> dict[str, VisitShape]:
    """One certificate of each kind the head asks for themselves (seal card and photo id
    at hand); a kind that cannot be issued to them is left out."""
    requester = Requester("self", member=head.id, photo_id=True, seal_card=True)
    shapes = {}
    for kind in load_certificate_rules().in_force(on):
        decision = decide(household, requester, [CertificateRequest(kind)], profile, on)
        if any(line.issuable == "no" for line in decision.lines):
            continue
        visit = certificate_visit(decision, household, profile, catalogue, on=on)
        shapes[kind] = _shape(visit.plan, visit.cases[0], profile, visit.given, asked=False)
    return shapes


def _shape(
    plan: Plan,
    case: EventCase,
    profile: MunicipalityProfile,
    given: dict[int, dict[str, str]] | None = None,
    *,
    asked: bool = True,
) -> VisitShape:
    """The plan's lines and its forms' fields. A blank field staff could type (a datum
    or an individual number) counts as typed: the drawing leaves some blank again."""
    filled = forms_for_visit(plan, case, profile, VisitInfo(1, plan.filed_on, ""), given=given)
    forms = {}
    for form in filled:
        typed = sum(1 for f in form.fields
                    if f.status == BLANK and (f.datum_key or f.number_key))  # fmt: skip
        forms[form.name] = DemoForm(
            form.name, form.prefilled_count, typed, form.blank_count - typed, form.resident_count
        )
    lines = tuple(
        DemoLine(p.id, p.name, p.department, p.fee, p.fee_revenue,
                 tuple(n for n in p.forms if n in forms), asked=asked and p.status == "check")
        for p in plan.procedures
    )  # fmt: skip
    return VisitShape(lines, forms)
