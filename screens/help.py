"""F1: what the current screen is for and every key it answers to, in Japanese.

The key list is built from the screen's own BINDINGS and the App's, so the help cannot
drift from the keys; Textual's built-in bindings (English descriptions such as
"Focus Next") are left out and the common keys are described here instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from screens.base import CounterModal

OUR_PACKAGE = "screens."
KEY_NAMES = {
    "escape": "Esc",
    "enter": "Enter",
    "space": "スペース",
    "tab": "Tab",
    "left": "左矢印",
    "right": "右矢印",
    "up": "上矢印",
    "down": "下矢印",
}
COMMON_KEYS = (
    ("Tab", "次の項目へ移ります", "Shift+Tab で前の項目へ戻ります"),
    ("上矢印・下矢印", "一覧や選択肢の中を移ります", ""),
    ("Enter", "選んだものに決めます", ""),
    ("スペース", "選択・解除を切り替えます", "対象の方を選ぶ一覧などで使います"),
)
NO_HELP = "この画面の説明はまだありません。下のキーで操作できます。"
LOOKS = (
    "Ctrl+Pで開くコマンドの「コントラスト強調の表示」で、見やすい表示にできます"
    "（太字・広めの間隔・黒地に白と黄色）。端末の文字の大きさはこのアプリからは"
    "変えられません。文字そのものを大きくするには、端末の設定で文字サイズを上げて"
    "ください。案内票は、受付完了の画面の F9 で大きな文字のものを印刷できます。"
)


@dataclass(frozen=True)
class KeyHelp:
    keys: str
    description: str
    detail: str = ""


def key_display(key: str) -> str:
    """``ctrl+q`` → ``Ctrl+Q``, ``escape`` → ``Esc``, ``f5`` → ``F5``; ``a,b`` → ``A／B``."""
    shown = []
    for one in key.split(","):
        *modifiers, name = one.strip().split("+")
        name = KEY_NAMES.get(name, name.upper() if len(name) <= 3 else name.capitalize())
        shown.append("+".join([*(m.capitalize() for m in modifiers), name]))
    return "／".join(shown)


def _own_bindings(node: App | Screen) -> list[Binding]:
    """The bindings declared by our classes (base classes first overridden by subclasses)."""
    found: dict[str, Binding] = {}
    for cls in reversed(type(node).__mro__):
        if not cls.__module__.startswith(OUR_PACKAGE):
            continue
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.description:
                found[binding.key] = binding
    return list(found.values())


def keys_for(screen: Screen, app: App) -> list[KeyHelp]:
    """Every key of the screen, then the App's, then the common ones; each key once."""
    result: dict[str, KeyHelp] = {}
    for binding in [*_own_bindings(screen), *_own_bindings(app)]:
        shown = binding.key_display or key_display(binding.key)
        result.setdefault(shown, KeyHelp(shown, binding.description, binding.tooltip))
    for keys, description, detail in COMMON_KEYS:
        result.setdefault(keys, KeyHelp(keys, description, detail))
    return list(result.values())


class HelpScreen(CounterModal[None]):
    HELP = "ヘルプの画面です。Esc または F1 で元の画面に戻ります。"
    BINDINGS = [
        Binding("escape", "dismiss", "閉じる", tooltip="ヘルプを閉じて元の画面に戻ります"),
        Binding("f1", "dismiss", "閉じる", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen #help-box {
        width: 90%;
        max-width: 100;
        height: auto;
        max-height: 90%;
        border: thick $primary;
        background: $surface;
    }
    HelpScreen #help-purpose, HelpScreen .help-heading {
        padding: 1 1 0 1;
    }
    HelpScreen #help-looks {
        padding: 0 1 0 2;
    }
    HelpScreen .help-heading {
        text-style: bold;
    }
    HelpScreen .help-row {
        height: auto;
    }
    HelpScreen .help-key {
        width: 18;
        padding: 0 1 0 2;
        text-style: bold;
    }
    HelpScreen .help-description {
        width: 1fr;
        padding-right: 1;
    }
    """

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.purpose = screen.HELP or NO_HELP
        self.keys = keys_for(screen, screen.app)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static("ヘルプ", classes="title")
            yield Static(self.purpose, id="help-purpose")
            yield Static("キー操作", classes="help-heading")
            for key in self.keys:
                with Horizontal(classes="help-row"):
                    yield Static(key.keys, classes="help-key")
                    text = f"{key.description}\n{key.detail}" if key.detail else key.description
                    yield Static(text, classes="help-description")
            yield Static("表示", classes="help-heading")
            yield Static(LOOKS, id="help-looks")
        yield Footer()
