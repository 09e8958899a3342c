"""File names built from data stay inside their folder: ``safe_file_name`` over any text,
and the slip and forms PDFs of a visit whose id is hostile (a row written by someone else:
another terminal, an outreach laptop, whoever can reach the database)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import case_of, member, spouse
from fuzzing import ANY_CHARACTER, FAST
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from counter.filenames import MAX_NAME_LENGTH, safe_file_name
from counter.rules import plan
from db.drafts import start_visit
from db.engine import make_engine
from workflows.documents import SlipFolder
from workflows.visit import confirm_visit

HOSTILE_NAMES = [
    "../../etc/passwd",
    "/etc/passwd",
    "..",
    ".",
    "",
    "a\x00b.pdf",
    "..\\..\\Windows\\win.ini",
    "C:\\Users\\x.pdf",
    "x" * 10_000 + ".pdf",
    "受付 17.pdf",
    "\ud800",
]


@settings(**FAST)
@given(st.text(ANY_CHARACTER, max_size=300) | st.sampled_from(HOSTILE_NAMES))
@example("/" * 300)
@example("." * 300 + "x")
def test_a_safe_name_is_one_plain_name_inside_its_folder(tmp_path_factory, name):
    folder = tmp_path_factory.getbasetemp() / "slips"
    safe = safe_file_name(name)
    assert re.fullmatch(r"[0-9A-Za-z_-][0-9A-Za-z._-]*", safe), safe
    assert len(safe) <= MAX_NAME_LENGTH
    assert (folder / safe).resolve().parent == folder.resolve()


def test_a_plain_name_is_kept():
    assert safe_file_name("20261124-0001-1f0e2d3c.pdf") == "20261124-0001-1f0e2d3c.pdf"
    assert safe_file_name("x" * 300 + ".pdf").endswith("x.pdf")  # the suffix survives a cut


DAY = date(2026, 11, 24)


@pytest.mark.parametrize("visit_id", ["/../../evil", "..\\..\\ev", "ab\x00/../x", "../../../"])
def test_a_visit_with_a_hostile_id_writes_its_pdfs_into_the_slip_folder(
    tmp_path, catalogue, profile, visit_id, new_sqlite
):
    engine = make_engine(new_sqlite(tmp_path / "counter.sqlite3"))
    started = start_visit(engine, municipality="312029", device_id="t1", office_date=DAY)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE visit SET id = :hostile WHERE id = :id"),
            {"hostile": visit_id, "id": started.id},
        )
    case = case_of("move_in", "2026-11-16", [member("m1", subject=True), spouse(subject=True)])
    slips = tmp_path / "deep" / "slips"
    confirmed = confirm_visit(
        engine,
        case,
        plan(case, catalogue, profile, filed_on=DAY),
        profile,
        device_id="t1",
        keeper=SlipFolder(slips),
        visit_id=visit_id,
    )
    engine.dispose()
    assert confirmed.visit.id == visit_id
    assert confirmed.slip_path.parent == slips
    assert confirmed.forms_path is not None and confirmed.forms_path.parent == slips
    written = {p for p in tmp_path.rglob("*") if p.is_file()} - {tmp_path / "counter.sqlite3"}
    assert written == {confirmed.slip_path, confirmed.forms_path}
    assert all(isinstance(p, Path) and p.name.startswith("20261124-") for p in written)
