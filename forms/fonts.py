"""Find the Japanese font that slips and forms embed, on whatever machine prints them.

A PDF that leaves its font to the reader prints boxes where the reader has no Japanese
font, so every page we write embeds its font, and without one nothing is written: the
counter is told once, in Japanese, which package to install (``FontMissing``).

The font is looked for through fontconfig (``fc-list :lang=ja``), so any Japanese
TrueType font the system has will do; ReportLab cannot embed CFF outlines (Noto Sans
CJK, Source Han), so those are passed over. Preferred, in order: BIZ UDゴシック (the
Universal Design font made for public documents), then the IPA and other common Gothic
faces. Without fontconfig the usual Debian paths are tried.

Names in the register use characters the everyday fonts lack (𠮷, 髙 variants, 人名外字).
IPAmj明朝 — the government's character-infrastructure font (文字情報基盤), made for
resident records — covers them: ``fallback_font_for`` names it for such a character, and
it is loaded only when one is printed (it is 46 MB; reading it takes 0.2 s).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

PACKAGE = "fonts-morisawa-bizud-gothic"
INSTALL = f"sudo apt-get install {PACKAGE}"
# Family names as fontconfig gives them (the first, Latin one), best first.
PREFERRED = (
    "BIZ UDGothic",
    "BIZ UDPGothic",
    "IPAexGothic",
    "IPAGothic",
    "IPAPGothic",
    "TakaoGothic",
    "VL Gothic",
    "Droid Sans Fallback",
)
FALLBACK_FAMILY = "IPAmjMincho"
# Where Debian puts them, for a machine without fontconfig's fc-list.
KNOWN_FILES = (
    ("BIZ UDGothic", "Regular", "/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Regular.ttf"),
    ("BIZ UDGothic", "Bold", "/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Bold.ttf"),
    ("IPAexGothic", "Regular", "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
    ("IPAmjMincho", "Regular", "/usr/share/fonts/truetype/ipamj/ipamjm.ttf"),
)


class FontMissing(RuntimeError):
    """No Japanese font that a PDF can embed is installed (a Japanese sentence with the
    package to install)."""


@dataclass(frozen=True)
class FontFile:
    family: str
    style: str
    path: Path
    index: int = 0  # the face inside a .ttc collection


@dataclass(frozen=True)
class SlipFonts:
    regular: str
    bold: str
    family: str


def parse_fc_list(text: str) -> list[FontFile]:
    """The TrueType faces of ``fc-list --format`` lines (file, index, format, family,
    style; tab-separated); CFF and bitmap faces are left out."""
    found = []
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) != 5 or parts[2] != "TrueType":
            continue
        path, index, _, families, style = parts
        family = families.split(",")[0]
        found.append(FontFile(family, style.split(",")[0], Path(path), int(index or 0)))
    return found


@cache
def installed_fonts() -> tuple[FontFile, ...]:
    """The embeddable Japanese faces of this machine (asked once per process)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return tuple(
            FontFile(family, style, Path(path))
            for family, style, path in KNOWN_FILES
            if Path(path).is_file()
        )
    try:
        result = subprocess.run(
            [fc_list, "--format", r"%{file}\t%{index}\t%{fontformat}\t%{family}\t%{style}\n",
             ":lang=ja"],
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return ()
    return tuple(f for f in parse_fc_list(result.stdout) if f.path.is_file())


def choose(fonts: tuple[FontFile, ...]) -> tuple[FontFile, FontFile | None] | None:
    """The regular face (and bold, when the family has one) to print in: the first
    preferred family installed, else any Japanese TrueType family (the rare-kanji
    fallback only as a last resort)."""
    families: dict[str, list[FontFile]] = {}
    for font in fonts:
        families.setdefault(font.family, []).append(font)
    ranked = [f for f in PREFERRED if f in families]
    ranked += sorted(f for f in families if f not in PREFERRED and f != FALLBACK_FAMILY)
    ranked += [FALLBACK_FAMILY] if FALLBACK_FAMILY in families else []
    for family in ranked:
        faces = families[family]
        regular = next((f for f in faces if f.style in ("Regular", "Book", "Medium")), None)
        if regular is None:
            continue
        bold = next((f for f in faces if f.style == "Bold"), None)
        return regular, bold
    return None


def _register(name: str, font: FontFile) -> str:
    pdfmetrics.registerFont(TTFont(name, str(font.path), subfontIndex=font.index))
    return name


@cache
def slip_fonts() -> SlipFonts:
    """The registered faces slips and forms print in; ``FontMissing`` when there is none."""
    chosen = choose(installed_fonts())
    if chosen is None:
        raise FontMissing(
            "案内票と届出書に使う日本語フォントがこの端末にありません。"
            f"管理者に「{INSTALL}」を実行してもらってください"
        )
    regular, bold = chosen
    name = regular.family.replace(" ", "")
    bold_name = _register(f"{name}-Bold", bold) if bold is not None else name
    return SlipFonts(regular=_register(name, regular), bold=bold_name, family=regular.family)


def warm_fonts() -> None:
    """Load the slip font and the fallback for rare kanji now (about 0.25 s), so the first
    visit of the day is not the one that waits; the app calls it from a worker at start.
    Raises ``FontMissing`` so the counter hears of it before the first visit."""
    fonts = slip_fonts()
    _characters(fonts.regular)
    _fallback_font()


@cache
def _characters(font_name: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


@cache
def _fallback_font() -> str | None:
    for font in installed_fonts():
        if font.family == FALLBACK_FAMILY:
            return _register(FALLBACK_FAMILY, font)
    return None


def fallback_font_for(char: str) -> str | None:
    """The font to print ``char`` in when the slip font lacks it; None when the slip font
    has it or nothing does."""
    fonts = slip_fonts()
    if ord(char) in _characters(fonts.regular):
        return None
    fallback = _fallback_font()
    return fallback if fallback and ord(char) in _characters(fallback) else None
