"""An outreach laptop's slips and forms kept only inside its store (``SealedStore``): a
visit confirmed and printed leaves no plain PDF behind, whatever the printer does.

On SQLite and PostgreSQL (the ``engine`` fixture): the keeper's work is the same on both;
that the laptop's file is encrypted is proved on a real SQLCipher file by
``tests/functional/test_outreach_app.py``. The printer is a stand-in that looks at the
file it is given; the real `lp` is in the Pilot test."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfcheck import font_sizes, pdf_text, plain_pdfs
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from test_vault import HEAD, move_in

from db.documents import read_document
from db.models import IssuedFormRow, VisitRow
from db.vault import KEY_FILE_ENV
from forms.prefill import mynumber_key
from forms.printing import PrintResult
from workflows.documents import FORMS, IN_OUTREACH_FILE, LARGE, SLIP, SealedStore
from workflows.printing import print_documents, visit_documents
from workflows.visit import confirm_visit
from workflows.working_folder import open_working_folder

QUEUE = "counter-test"
NO_PRINTER = "プリンターが設定されていません。PDFは出張用ファイルの中に保存しました"


@pytest.fixture
def sealed(tmp_path):
    base = tmp_path / "ram"
    base.mkdir()
    keeper = SealedStore(open_working_folder(base))
    yield keeper
    keeper.close()


def confirm(engine, catalogue, profile, keeper, **more):
    case, result = move_in(catalogue, profile)
    return confirm_visit(engine, case, result, profile, device_id="t1", keeper=keeper, **more)


class Printer:
    """``print_pdf`` as the workflow calls it: notes each file it is handed, with its bytes
    and whether it is inside the working folder, then prints or raises."""

    def __init__(self, folder: Path, fails: bool = False) -> None:
        self.folder, self.fails = folder, fails
        self.seen: list[tuple[Path, bytes]] = []

    def __call__(self, path: Path, queue, *, kept=None, note=None) -> PrintResult:
        assert path.is_relative_to(self.folder) and path.is_file()
        self.seen.append((path, path.read_bytes()))
        if self.fails:
            raise OSError("プリンターが止まりました")
        return PrintResult(f"{queue}-{len(self.seen)}", queue, path, "印刷しました")


def print_visit(engine, keeper, confirmed, which: str, queue: str | None = QUEUE):
    documents = visit_documents(confirmed, which)
    return print_documents(
        engine, keeper, confirmed, documents, queue=queue, staff_id=None, terminal="t1", demo=True
    )


def test_a_confirmed_visits_pdfs_are_rows_of_the_store_and_never_files(
    engine, catalogue, profile, sealed, tmp_path
):
    confirmed = confirm(engine, catalogue, profile, sealed)
    assert [(d.label, d.path) for d in confirmed.documents] == [(SLIP, None), (FORMS, None)]
    assert confirmed.slip_path is None and confirmed.forms_path is None
    slip = read_document(engine, confirmed.visit.id, SLIP)
    forms = read_document(engine, confirmed.visit.id, FORMS)
    assert slip is not None and forms is not None
    assert slip.pdf.startswith(b"%PDF") and forms.pdf.startswith(b"%PDF")
    assert f"受付番号{confirmed.visit.reception_number}" in "".join(pdf_text(slip.pdf).split())
    assert "住民異動届" in pdf_text(forms.pdf)
    # The visit records where they are, and no path of a file.
    with Session(engine) as session:
        visit = session.get(VisitRow, confirmed.visit.id)
        issued = session.exec(select(IssuedFormRow.file_path)).all()
    assert visit is not None and visit.slip_path == f"{IN_OUTREACH_FILE}{slip.file_name}"
    assert set(issued) == {f"{IN_OUTREACH_FILE}{forms.file_name}"}
    assert plain_pdfs(tmp_path) == []
    assert list(sealed.folder.path.iterdir()) == []


@pytest.mark.parametrize("fails", [False, True], ids=["printed", "printer-raises"])
def test_a_pdf_is_a_file_only_while_the_printer_has_it(
    engine, catalogue, profile, sealed, tmp_path, monkeypatch, fails
):
    confirmed = confirm(engine, catalogue, profile, sealed)
    printer = Printer(sealed.folder.path, fails=fails)
    monkeypatch.setattr("workflows.printing.print_pdf", printer)
    if fails:
        with pytest.raises(OSError, match="プリンターが止まりました"):
            print_visit(engine, sealed, confirmed, "both")
    else:
        results = print_visit(engine, sealed, confirmed, "both")
        assert [(label, r.printed) for label, r in results] == [(SLIP, True), (FORMS, True)]
    handed = [read_document(engine, confirmed.visit.id, label) for label in (SLIP, FORMS)]
    expected = [(d.file_name, d.pdf) for d in handed if d is not None][: len(printer.seen)]
    assert [(path.name, pdf) for path, pdf in printer.seen] == expected
    assert all(not path.exists() for path, _ in printer.seen)
    assert plain_pdfs(tmp_path) == []


def test_without_a_printer_the_pdf_is_said_to_be_in_the_outreach_file(
    engine, catalogue, profile, sealed, tmp_path
):
    confirmed = confirm(engine, catalogue, profile, sealed)
    results = print_visit(engine, sealed, confirmed, "both", queue=None)
    assert [(label, r.message) for label, r in results] == [(SLIP, NO_PRINTER), (FORMS, NO_PRINTER)]
    assert plain_pdfs(tmp_path) == []


def test_the_large_print_slip_is_made_once_into_the_store(
    engine, catalogue, profile, sealed, tmp_path, monkeypatch
):
    confirmed = confirm(engine, catalogue, profile, sealed)
    assert read_document(engine, confirmed.visit.id, LARGE) is None
    printer = Printer(sealed.folder.path)
    monkeypatch.setattr("workflows.printing.print_pdf", printer)
    print_visit(engine, sealed, confirmed, "large")
    large = read_document(engine, confirmed.visit.id, LARGE)
    assert large is not None and large.file_name.endswith("-large.pdf")
    print_visit(engine, sealed, confirmed, "large")  # printed again, not made again
    assert [pdf for _, pdf in printer.seen] == [large.pdf, large.pdf]
    assert min(font_sizes(large.pdf)) >= 14
    assert plain_pdfs(tmp_path) == []


def test_the_forms_with_numbers_in_full_exist_only_in_the_working_folder_while_printed(
    engine, catalogue, profile, sealed, tmp_path, monkeypatch
):
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)  # the demo profile's key in the data dir
    confirmed = confirm(engine, catalogue, profile, sealed, numbers={mynumber_key("m1"): HEAD})
    assert confirmed.numbers_stored == 1
    printer = Printer(sealed.folder.path)
    monkeypatch.setattr("workflows.printing.print_pdf", printer)
    print_visit(engine, sealed, confirmed, "forms")
    [(path, pdf)] = printer.seen
    assert HEAD in "".join(pdf_text(pdf).split()) and not path.exists()
    kept = read_document(engine, confirmed.visit.id, FORMS)
    assert kept is not None and HEAD not in "".join(pdf_text(kept.pdf).split())
    assert plain_pdfs(tmp_path) == []


def test_keeping_deletes_the_files_even_when_the_store_refuses_them(engine, sealed):
    with sealed.writing() as folder:
        path = folder / "20261124-0201-abcd1234.pdf"
        path.write_bytes(b"%PDF-1.7 a slip")
        with pytest.raises(IntegrityError):  # no such visit
            sealed.keep(engine, "no-such-visit", [(SLIP, path)])
        assert not path.exists()
