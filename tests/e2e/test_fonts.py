"""Slips and forms print right on any machine, or are not written at all.

The font is found through fontconfig, as the program finds it on a real machine: each
test here gives a real `counter` process a fontconfig of its own (FONTCONFIG_FILE) that
sees only the fonts the test chooses.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import CLERK_PASSWORD, add_staff, birth_family, case_of
from pdfcheck import embedded_fonts, pdf_text

from counter.rules import plan
from db.engine import make_engine
from db.visits import record_visit
from forms.fonts import FALLBACK_FAMILY, FontFile, choose, parse_fc_list

BIZ = Path("/usr/share/fonts/truetype/bizud-gothic")
ANSWERS = {"birth_acceptance_certificate": "yes", "residence_certificate": "yes"}


def fontconfig(tmp_path: Path, *fonts: Path) -> dict[str, str]:
    """An environment whose fontconfig knows only ``fonts``."""
    folder = tmp_path / "fonts"
    folder.mkdir()
    for font in fonts:
        (folder / font.name).symlink_to(font)
    config = tmp_path / "fonts.conf"
    config.write_text(
        f"<?xml version='1.0'?><fontconfig><dir>{folder}</dir>"
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return {"FONTCONFIG_FILE": str(config)}


@pytest.fixture
def stored_visit(tmp_path, catalogue, profile, new_sqlite) -> tuple[str, str]:
    """A SQLite file holding one confirmed 出生 visit and the clerk tanaka; its URL and id."""
    url = new_sqlite(tmp_path / "counter.sqlite3")
    engine = make_engine(url)
    add_staff(engine)
    case = case_of("birth", "2026-11-20", birth_family(), answers=ANSWERS)
    result = plan(case, catalogue, profile, filed_on=date(2026, 11, 24))
    visit = record_visit(engine, case, result, profile, device_id="t1")
    engine.dispose()
    return url, visit.id


def reprint(url: str, visit_id: str, out: Path, env: dict[str, str]):
    return subprocess.run(
        [sys.executable, "-m", "counter.cli", "--database-url", url, "slip", visit_id,
         "--out", str(out), "--as", "tanaka"],
        input=f"{CLERK_PASSWORD}\n", capture_output=True, text=True, timeout=120,
        env={**os.environ, "COUNTER_PASSWORD_STDIN": "1", **env},
    )  # fmt: skip


def test_a_machine_without_a_japanese_font_is_told_what_to_install_and_gets_no_pdf(
    tmp_path, stored_visit
):
    url, visit_id = stored_visit
    out = tmp_path / "slip.pdf"
    result = reprint(url, visit_id, out, fontconfig(tmp_path))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "エラー: 案内票と届出書に使う日本語フォントがこの端末にありません。"
        "管理者に「sudo apt-get install fonts-morisawa-bizud-gothic」を実行してもらってください"
    ]
    assert "Traceback" not in result.stderr and not out.exists()


def test_another_japanese_truetype_font_that_fontconfig_knows_is_found_and_embedded(
    tmp_path, stored_visit
):
    url, visit_id = stored_visit
    out = tmp_path / "slip.pdf"
    env = fontconfig(tmp_path, BIZ / "BIZUDPGothic-Regular.ttf", BIZ / "BIZUDPGothic-Bold.ttf")
    result = reprint(url, visit_id, out, env)
    assert result.returncode == 0, result.stderr
    fonts = embedded_fonts(out)
    assert fonts and all(fonts.values()), fonts
    assert {name.split("+")[-1] for name in fonts} == {"BIZUDPGothic-Regular", "BIZUDPGothic-Bold"}
    assert "米子\u3000陽翔さん" in pdf_text(out)


def face(family: str, style: str = "Regular", fmt: str = "TrueType") -> str:
    return f"/f/{family}-{style}.ttf\t0\t{fmt}\t{family},和名\t{style}"


def test_fc_list_lines_keep_truetype_faces_only():
    text = "\n".join([face("BIZ UDGothic"), face("Noto Sans CJK JP", fmt="CFF"), "garbage"])
    assert parse_fc_list(text) == [
        FontFile("BIZ UDGothic", "Regular", Path("/f/BIZ UDGothic-Regular.ttf"))
    ]


def test_the_universal_design_font_is_preferred_and_the_rare_kanji_font_comes_last():
    def chosen(*lines: str) -> tuple[str, str | None] | None:
        pick = choose(tuple(parse_fc_list("\n".join(lines))))
        return pick and (pick[0].family, pick[1] and pick[1].style)

    assert chosen(face("IPAexGothic"), face("BIZ UDGothic"), face("BIZ UDGothic", "Bold")) == (
        "BIZ UDGothic",
        "Bold",
    )
    assert chosen(face(FALLBACK_FAMILY), face("Some Gothic")) == ("Some Gothic", None)
    assert chosen(face(FALLBACK_FAMILY)) == (FALLBACK_FAMILY, None)
    assert chosen(face("Noto Sans CJK JP", fmt="CFF")) is None
    assert chosen() is None
