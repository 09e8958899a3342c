"""The individual number at rest: sealed with a key outside the database, readable only for
its own visit and member, and not stored at all without a key (SQLite and PostgreSQL)."""

from __future__ import annotations

import base64
import os
import stat
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import case_of, member, spouse
from pdfcheck import pdf_text
from sqlalchemy import inspect, text

from counter.rules import plan
from db.drafts import start_visit
from db.vault import (
    DEMO_KEY_FILE,
    KEY_FILE_ENV,
    MyNumberKeyError,
    MyNumberUnreadable,
    read_key,
    read_numbers,
    store_numbers,
)
from forms.prefill import mynumber_key
from workflows.documents import SlipFolder
from workflows.visit import confirm_visit

DAY = date(2026, 11, 24)
HEAD, SPOUSE = "123456789018", "999999999996"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def start(engine):
    return start_visit(engine, municipality="312029", device_id="t1", office_date=DAY)


def vault_rows(engine) -> list[dict]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM mynumber_vault ORDER BY member_id"))
        return [dict(row._mapping) for row in rows]


def database_text(engine) -> str:
    """Every value of every table, as text: what a copy of the database gives away."""
    with engine.connect() as connection:
        return "\n".join(
            repr(tuple(row))
            for table in inspect(engine).get_table_names()
            for row in connection.execute(text(f'SELECT * FROM "{table}"'))
        )


def move_in(catalogue, profile):
    case = case_of("move_in", "2026-11-16", [member("m1", subject=True), spouse(subject=True)])
    return case, plan(case, catalogue, profile, filed_on=DAY)


@pytest.fixture
def key_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "keys" / "mynumber.key"
    path.parent.mkdir()
    path.write_text(base64.b64encode(os.urandom(32)).decode() + "\n")
    monkeypatch.setenv(KEY_FILE_ENV, str(path))
    return path


def test_a_number_is_sealed_and_opens_only_for_its_visit_and_member(engine, key_file):
    key = read_key(demo=False)
    visit, other = start(engine), start(engine)
    assert store_numbers(engine, key, visit.id, {"m1": HEAD, "m2": SPOUSE, "m3": HEAD}) == 3
    assert read_numbers(engine, key, visit.id) == {"m1": HEAD, "m2": SPOUSE, "m3": HEAD}

    rows = vault_rows(engine)
    for row in rows:
        stored = repr(row)
        for number in (HEAD, SPOUSE):
            assert number not in stored and number.translate(FULL_WIDTH) not in stored
        assert len(base64.b64decode(row["ciphertext"])) == 12 + 12 + 16  # nonce, digits, tag
    same_number = [row["ciphertext"] for row in rows if row["member_id"] in ("m1", "m3")]
    assert same_number[0] != same_number[1]  # a fresh nonce per row

    with pytest.raises(MyNumberUnreadable, match="復号できません"):
        read_numbers(engine, os.urandom(32), visit.id)

    # Someone with database rights moves a row to another visit: it no longer opens.
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE mynumber_vault SET visit_id = :other WHERE member_id = 'm2'"),
            {"other": other.id},
        )
    with pytest.raises(MyNumberUnreadable, match="鍵が違うか、記録が書き換えられています"):
        read_numbers(engine, key, other.id)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE mynumber_vault SET member_id = 'm9' WHERE member_id = 'm3'")
        )
    with pytest.raises(MyNumberUnreadable):
        read_numbers(engine, key, visit.id)


def test_a_number_failing_its_check_digit_is_never_stored(engine, key_file):
    visit = start(engine)
    with pytest.raises(ValueError, match="検査数字"):
        store_numbers(engine, read_key(demo=False), visit.id, {"m1": HEAD, "m2": "123456789019"})
    assert vault_rows(engine) == []


def test_confirming_keeps_the_numbers_its_forms_ask_for_sealed_and_the_pdf_masked(
    engine, catalogue, profile, tmp_path, monkeypatch
):
    """A demo profile without a key file variable makes its key in the data directory."""
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)
    case, result = move_in(catalogue, profile)
    typed = {mynumber_key("m1"): HEAD, mynumber_key("m2"): "", mynumber_key("m7"): SPOUSE}
    confirmed = confirm_visit(
        engine,
        case,
        result,
        profile,
        device_id="t1",
        keeper=SlipFolder(tmp_path / "slips"),
        numbers=typed,
    )
    assert confirmed.numbers_stored == 1  # m2 left blank, m7 is on no form
    key_path = Path(os.environ["COUNTER_DATA_DIR"]) / DEMO_KEY_FILE
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    key_text = key_path.read_text().strip()
    assert len(key_text) == 44 and len(base64.b64decode(key_text)) == 32
    assert read_numbers(engine, read_key(demo=True), confirmed.visit.id) == {"m1": HEAD}

    everything = database_text(engine)
    assert HEAD not in everything and SPOUSE not in everything
    assert HEAD.translate(FULL_WIDTH) not in everything
    assert key_text not in everything

    kept = "".join(pdf_text(confirmed.forms_path).split())
    # 異動届, 国保 (the 世帯主's own box and his row), 年金
    assert HEAD not in kept and kept.count("********9018") == 4
    assert "********" not in "".join(pdf_text(confirmed.slip_path).split())
    assert "9018" not in "".join(pdf_text(confirmed.slip_path).split())


def test_a_real_profile_without_a_key_refuses_a_number_and_stores_nothing(
    engine, catalogue, profile, tmp_path, monkeypatch
):
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)
    real = replace(profile, payment_demo=False)
    case, result = move_in(catalogue, real)
    slips = tmp_path / "slips"
    with pytest.raises(MyNumberKeyError, match="個人番号を保存する鍵がありません") as refused:
        confirm_visit(
            engine,
            case,
            result,
            real,
            device_id="t1",
            keeper=SlipFolder(slips),
            payment_key=b"k" * 32,
            numbers={mynumber_key("m1"): HEAD},
        )
    assert KEY_FILE_ENV in str(refused.value)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM visit")).scalar_one() == 0
    assert vault_rows(engine) == []
    assert not slips.exists()
    assert not (Path(os.environ["COUNTER_DATA_DIR"]) / DEMO_KEY_FILE).exists()
    # Left blank, the same visit confirms: the form then says 「窓口で記入」.
    confirmed = confirm_visit(
        engine,
        case,
        result,
        real,
        device_id="t1",
        keeper=SlipFolder(slips),
        payment_key=b"k" * 32,
        numbers={mynumber_key("m1"): ""},
    )
    assert confirmed.numbers_stored == 0 and vault_rows(engine) == []
    assert "窓口で記入" in pdf_text(confirmed.forms_path)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "形式が違います"),
        (bytes(range(7, 39)), "形式が違います"),  # raw bytes: the file holds base64 text
        (base64.b64encode(bytes(range(16))), "形式が違います"),  # base64 of too short a key
        (b"not base64 at all!!", "形式が違います"),
    ],
)
def test_an_unusable_key_file_is_refused_in_japanese(tmp_path, monkeypatch, content, reason):
    path = tmp_path / "mynumber.key"
    path.write_bytes(content)
    monkeypatch.setenv(KEY_FILE_ENV, str(path))
    for demo in (True, False):
        with pytest.raises(MyNumberKeyError, match=reason):
            read_key(demo=demo)


def test_a_missing_key_file_is_refused_in_japanese(tmp_path, monkeypatch):
    monkeypatch.setenv(KEY_FILE_ENV, str(tmp_path / "nowhere.key"))
    with pytest.raises(MyNumberKeyError, match="鍵ファイルを読めません"):
        read_key(demo=True)
