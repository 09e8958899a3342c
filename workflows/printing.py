"""Printing a confirmed visit's papers: the slip, the large-print slip and the forms, each
print in the audit log.

The kept forms PDF shows an individual number masked. Only the copy the printer gets has
it in full: the numbers are read back from the vault into a temporary PDF, which is sent
and then deleted whatever happens, so no file on disk ever holds a number in full. The
large-print slip is made the first time it is asked for.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy.engine import Engine

from db.audit import record
from db.vault import read_key, read_numbers
from forms.form_pdf import render_visit_forms
from forms.prefill import mynumber_key, with_numbers
from forms.printing import PrintResult, print_pdf
from forms.slip_pdf import render_slip
from workflows.visit import ConfirmedVisit

SLIP, FORMS, LARGE = "案内票", "届出書", "大きな文字の案内票"
CHOICES = {"slip": (SLIP,), "forms": (FORMS,), "both": (SLIP, FORMS), "large": (LARGE,)}


def visit_documents(confirmed: ConfirmedVisit, which: str) -> list[tuple[str, Path]]:
    """The papers of ``which`` (slip, forms, both or large) the visit has, by label."""
    documents = []
    slip = confirmed.slip_path
    if slip is not None:
        documents.append((SLIP, slip))
        documents.append((LARGE, slip.with_name(f"{slip.stem}-large.pdf")))
    if confirmed.forms_path is not None:
        documents.append((FORMS, confirmed.forms_path))
    return [(label, path) for label, path in documents if label in CHOICES[which]]


def print_documents(
    engine: Engine,
    confirmed: ConfirmedVisit,
    documents: list[tuple[str, Path]],
    *,
    queue: str | None,
    staff_id: str | None,
    terminal: str,
    demo: bool,
) -> list[tuple[str, PrintResult]]:
    """Print each document; each one printed is in the audit log (the forms noted when
    they carried individual numbers in full). ``demo``: the vault's demo key."""
    results = []
    for label, path in documents:
        result = _print(engine, confirmed, label, path, queue, demo)
        if result.printed:
            numbers = label == FORMS and confirmed.numbers_stored
            detail = f"{label}の印刷{'（個人番号あり）' if numbers else ''} {path.name}"
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
    confirmed: ConfirmedVisit,
    label: str,
    path: Path,
    queue: str | None,
    demo: bool,
) -> PrintResult:
    if label == LARGE and not path.exists():
        render_slip(confirmed.slip, path, large_print=True)
    if label != FORMS or not confirmed.numbers_stored or not queue:
        return print_pdf(path, queue)
    stored = read_numbers(engine, read_key(demo=demo), confirmed.visit.id)
    forms = with_numbers(confirmed.forms, {mynumber_key(p): n for p, n in stored.items()})
    with tempfile.TemporaryDirectory(prefix="counter-print-") as folder:
        copy = render_visit_forms(forms, Path(folder) / path.name)
        return print_pdf(copy, queue, kept=path)
