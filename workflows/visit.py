"""Confirming a visit: store it, then write its slip and its pre-filled forms. Runs inside
a thread worker.

The visit is committed before the PDFs are made, so a failing printer or disk never loses
a confirmed visit; where the slip is kept and the issued forms (with how many fields were
prefilled or typed by staff) are added once the PDFs are kept, in the slip folder or an
outreach laptop's encrypted file, as the ``DocumentKeeper`` says. A terminal without a
Japanese font writes no PDF at all (``forms.fonts.FontMissing``): the visit and its
forms' figures are kept, ``pdf_problem`` says why there is no paper, and `counter slip`
makes it later.

An individual number staff typed is kept only when a form of the visit asks for it, and
then only encrypted (``db.vault``); the key is read before anything is written, so a
terminal without one refuses the visit whole. The kept forms PDF shows it masked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from counter.filenames import safe_file_name
from counter.household import EventCase
from counter.plan import Plan
from counter.profile import MunicipalityProfile
from counter.slip import Slip, build_slip
from db.vault import read_key, store_numbers
from db.visits import IssuedForm, StoredVisit, record_issued_forms, record_visit, set_slip_path
from forms.fonts import FontMissing
from forms.form_pdf import render_visit_forms
from forms.prefill import FilledForm, VisitInfo, forms_for_visit, mynumber_person, number_keys
from forms.slip_pdf import render_slip
from workflows.documents import FORMS, SLIP, DocumentKeeper, KeptPdf


@dataclass(frozen=True)
class ConfirmedVisit:
    visit: StoredVisit
    slip: Slip
    documents: tuple[KeptPdf, ...] = ()  # the slip, then the forms if any; none: no PDF
    forms: tuple[FilledForm, ...] = ()  # as kept: individual numbers masked
    numbers_stored: int = 0  # individual numbers in the vault for this visit
    pdf_problem: str = ""  # why no PDF was written (no Japanese font), for the screen

    def document(self, label: str) -> KeptPdf | None:
        return next((d for d in self.documents if d.label == label), None)

    @property
    def slip_path(self) -> Path | None:
        """The slip's plain file (None on an outreach laptop, which keeps none)."""
        slip = self.document(SLIP)
        return slip.path if slip else None

    @property
    def forms_path(self) -> Path | None:
        """The forms' plain file (None without forms, or on an outreach laptop)."""
        forms = self.document(FORMS)
        return forms.path if forms else None


def confirm_visit(
    engine: Engine,
    case: EventCase,
    plan: Plan,
    profile: MunicipalityProfile,
    *,
    device_id: str,
    keeper: DocumentKeeper,
    staff_name: str = "",
    typed: Mapping[str, str] | None = None,
    payment_key: bytes | None = None,
    visit_id: str | None = None,
    more_cases: Sequence[EventCase] = (),
    numbers: Mapping[str, str] | None = None,
    given: Mapping[int, Mapping[str, str]] | None = None,
) -> ConfirmedVisit:
    """Store the visit, then write its slip and its forms with what staff ``typed`` (by
    datum key, already normalised by ``forms.prefill.check_typed``). ``numbers`` are the
    individual numbers typed (by ``mynumber_key``, checked the same way), ``more_cases`` the
    visit's events after the first, which ``plan`` covers; ``given`` what an event's forms
    take from the visit itself (a certificate request's details, by the event's index).

    Raises ``db.vault.MyNumberKeyError`` before writing anything when a number was typed
    and there is no key to seal it with."""
    numbers = {k: v for k, v in (numbers or {}).items() if v}
    key = read_key(demo=profile.payment_demo) if numbers else None
    visit = record_visit(
        engine,
        case,
        plan,
        profile,
        device_id=device_id,
        payment_key=payment_key,
        visit_id=visit_id,
        more_cases=more_cases,
    )
    info = VisitInfo(visit.reception_number, visit.office_date, staff_name)
    forms = forms_for_visit(
        plan, case, profile, info, typed, more_cases=more_cases, numbers=numbers, given=given
    )
    asked = number_keys(forms)
    kept = {mynumber_person(k): v for k, v in numbers.items() if k in asked}
    stored = store_numbers(engine, key, visit.id, kept) if key is not None and kept else 0
    slip = build_slip(
        plan,
        case,
        profile,
        reception_number=visit.reception_number,
        issued_on=plan.filed_on,
        payments=visit.payments,
    )
    # The visit id is data (a draft row, an outreach laptop's): reduced to a plain name.
    name = safe_file_name(
        f"{visit.office_date:%Y%m%d}-{visit.reception_number:04d}-{visit.id[:8]}.pdf"
    )
    counts = [(f.name, f.prefilled_count, f.typed_count) for f in forms]
    hand = [(f.blank_count, f.resident_count) for f in forms]
    try:
        with keeper.writing() as folder:
            path = render_slip(slip, folder / name)
            files = [(SLIP, path)]
            if forms:
                files.append(
                    (FORMS, render_visit_forms(forms, path.with_name(f"{path.stem}-forms.pdf")))
                )
            documents = keeper.keep(engine, visit.id, files)
    except FontMissing as exc:
        record_issued_forms(
            engine, visit.id, [IssuedForm(*c, None, *h) for c, h in zip(counts, hand, strict=True)]
        )
        return ConfirmedVisit(visit, slip, forms=tuple(forms), pdf_problem=str(exc))
    set_slip_path(engine, visit.id, documents[0].where)
    forms_where = documents[1].where if forms else None
    record_issued_forms(
        engine,
        visit.id,
        [IssuedForm(*c, forms_where, *h) for c, h in zip(counts, hand, strict=True)],
    )
    return ConfirmedVisit(
        visit=visit, slip=slip, documents=documents, forms=tuple(forms), numbers_stored=stored
    )
