"""The counter's two looks: Textual's standard dark one and a large-text high-contrast one.

A terminal program cannot change the font size (the terminal owns it), so "large text"
here means bold text, more space around rows and fields, and pure black, white and yellow
with no greyed-out hints. The spacing lives in app.tcss under the ``-theme-<name>`` class
Textual puts on the App while a theme is on. Staff pick the look with Ctrl+P or, per
terminal, with the environment variable COUNTER_THEME (``standard`` or ``contrast``).
"""

from __future__ import annotations

from textual.theme import Theme

THEME_ENV = "COUNTER_THEME"
STANDARD = "textual-dark"
CONTRAST = "madoguchi-contrast"
# What COUNTER_THEME accepts: the short words, or the theme names themselves.
THEME_CHOICES = {"standard": STANDARD, "contrast": CONTRAST, STANDARD: STANDARD, CONTRAST: CONTRAST}

BLACK, WHITE, YELLOW = "#000000", "#FFFFFF", "#FFFF00"

CONTRAST_THEME = Theme(
    name=CONTRAST,
    primary=YELLOW,
    secondary=WHITE,
    accent=YELLOW,
    warning=YELLOW,
    error="#FF7070",  # the one non-b/w/y colour: errors must not look like highlights
    success=YELLOW,
    foreground=WHITE,
    background=BLACK,
    surface=BLACK,
    panel=BLACK,
    boost=BLACK,
    dark=True,
    text_alpha=1.0,
    variables={
        "text-muted": "auto 100%",  # no greyed-out hints; black on yellow, white on black
        "foreground-muted": WHITE,
        "text-primary": YELLOW,
        "text-success": YELLOW,
        "text-warning": YELLOW,
        "border": YELLOW,
        "border-blurred": WHITE,
        "block-cursor-foreground": BLACK,
        "block-cursor-background": YELLOW,
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-foreground": BLACK,
        "block-cursor-blurred-background": WHITE,
        "block-cursor-blurred-text-style": "bold",
        "block-hover-background": BLACK,
        "input-cursor-background": YELLOW,
        "input-cursor-foreground": BLACK,
        "input-selection-background": "#FFFF00 50%",
        "footer-background": BLACK,
        "footer-foreground": WHITE,
        "footer-key-foreground": YELLOW,
        "footer-description-foreground": WHITE,
        "scrollbar": WHITE,
        "scrollbar-background": BLACK,
        "scrollbar-hover": YELLOW,
        "scrollbar-active": YELLOW,
    },
)


def theme_from_environment(value: str | None) -> tuple[str, str | None]:
    """The theme COUNTER_THEME asks for, and a Japanese warning when it names none."""
    if not value or not value.strip():
        return STANDARD, None
    name = THEME_CHOICES.get(value.strip().lower())
    if name is None:
        return STANDARD, (
            f"{THEME_ENV}: 「{value.strip()}」という表示テーマはありません"
            "（standard または contrast）。標準の表示で始めます"
        )
    return name, None


def other_theme(current: str) -> str:
    """The look the palette's theme command switches to."""
    return STANDARD if current == CONTRAST else CONTRAST
