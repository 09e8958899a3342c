"""Printing a confirmed visit's papers: the slip, the large-print slip and the forms, each
print in the audit log.

Each PDF comes from the terminal's ``DocumentKeeper`` (``workflows.documents``): the slip
folder's file at the office, on an outreach laptop a copy written out of the encrypted
file for the moment of printing and deleted whatever happens.

The kept forms PDF shows an individual number masked. Only the copy the printer gets has
it in full: the numbers are read back from the vault into a temporary PDF, which is sent
and then deleted whatever happens, so no file on disk ever holds a number in full. The
large-print slip is made, and kept, the first time it is asked for.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from db.audit import record
from db.vault import read_key, read_numbers
from forms.form_pdf import render_visit_forms
from forms.prefill import mynumber_key, with_numbers
from forms.printing import PrintResult, print_pdf
from forms.slip_pdf import render_slip
from workflows.documents import FORMS, LARGE, SLIP, DocumentKeeper, KeptPdf
from workflows.visit import ConfirmedVisit

CHOICES = {"slip": (SLIP,), "forms": (FORMS,), "both": (SLIP, FORMS), "large": (LARGE,)}


def visit_documents(confirmed: ConfirmedVisit, which: str) -> list[KeptPdf]:
    """The papers of ``which`` (slip, forms, both or large) the visit has."""
    documents = list(confirmed.documents)
    slip = confirmed.document(SLIP)
    if slip is not None:
        documents.append(slip.beside(LARGE, f"{Path(slip.name).stem}-large.pdf"))
    return [document for document in documents if document.label in CHOICES[which]]


def print_documents(
    engine: Engine,
    keeper: DocumentKeeper,
    confirmed: ConfirmedVisit,
    documents: list[KeptPdf],
    *,
    queue: str | None,
    staff_id: str | None,
    terminal: str,
    demo: bool,
) -> list[tuple[str, PrintResult]]:
    """Print each document; each one printed is in the audit log (the forms noted when
    they carried individual numbers in full). ``demo``: the vault's demo key."""
    results = []
    for document in documents:
        label = document.label
        result = _print(engine, keeper, confirmed, document, queue, demo)
        if result.printed:
            numbers = label == FORMS and confirmed.numbers_stored
            detail = f"{label}の印刷{'（個人番号あり）' if numbers else ''} {document.name}"
            record(
                engine,
                action="print",
                staff_id=staff_id,
                terminal=terminal,
                visit_id=confirmed.visit.id,
                detail=detail,
            )
        results.append((label, result))
    return results


def _print(
    engine: Engine,
    keeper: DocumentKeeper,
    confirmed: ConfirmedVisit,
    document: KeptPdf,
    queue: str | None,
    demo: bool,
) -> PrintResult:
    visit_id = confirmed.visit.id
    if document.label == LARGE and not keeper.holds(engine, visit_id, document):
        with keeper.writing() as folder:
            large = render_slip(confirmed.slip, folder / document.name, large_print=True)
            keeper.keep(engine, visit_id, [(LARGE, large)])
    if document.label == FORMS and confirmed.numbers_stored and queue:
        stored = read_numbers(engine, read_key(demo=demo), visit_id)
        forms = with_numbers(confirmed.forms, {mynumber_key(p): n for p, n in stored.items()})
        with keeper.scratch() as folder:
            copy = render_visit_forms(forms, folder / document.name)
            return print_pdf(copy, queue, kept=document.path, note=keeper.note)
    with keeper.printable(engine, visit_id, document) as path:
        return print_pdf(path, queue, kept=document.path, note=keeper.note)
