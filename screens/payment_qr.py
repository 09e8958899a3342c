"""The payment codes large on screen, so the resident can pay from a phone at the counter.

The QR (black on white half blocks) sits beside the eL番号 parts for typing by hand and
the amount and dates; a demo code says 見本 so nobody tries to pay it. A visit with codes
for several revenue items shows one at a time (left and right arrow keys). Esc closes.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static

from counter.billing import IssuedCode
from counter.payment import el_number_parts
from counter.wareki import format_wareki
from screens.base import CounterModal
from screens.widgets.qr_view import QrView

FULL_QUIET_ZONE_ROWS = 27  # a version-6 symbol with its four-module quiet zone, plus a frame


class PaymentQrScreen(CounterModal[None]):
    HELP = "お支払い用のQRコードとeL番号を大きく表示します。スマートフォンで読み取れます。"
    BINDINGS = [
        Binding("escape", "dismiss", "閉じる", tooltip="受付完了の画面に戻ります"),
        Binding("left", "turn(-1)", "前のコード", show=False),
        Binding("right", "turn(1)", "次のコード", show=False),
    ]

    def __init__(self, codes: Sequence[IssuedCode], labels: Sequence[str], *, demo: bool):
        super().__init__()
        self.codes = tuple(codes)
        self.labels = tuple(labels)
        self.demo = demo
        self.index = 0

    @property
    def payload(self) -> str:
        return self.codes[self.index].payload

    def compose(self) -> ComposeResult:
        with Horizontal(id="payment-qr"):
            yield QrView(self.payload, quiet_zone=self._quiet_zone(), id="qr")
            yield Static(self._numbers(), id="payment-numbers")

    def _quiet_zone(self) -> int:
        return 4 if self.app.size.height >= FULL_QUIET_ZONE_ROWS else 2

    def _numbers(self) -> str:
        fields = self.codes[self.index].fields
        lines = ["お支払い用コード"]
        if len(self.codes) > 1:
            lines[0] += f"（{self.index + 1}／{len(self.codes)}）"
        if self.labels[self.index]:
            lines.append(self.labels[self.index])
        if self.demo:
            lines.append("【見本】支払いには使えません")
        lines += [
            f"金額　　　{fields.amount:,}円",
            f"納期限　　{format_wareki(fields.due_date)}",
            f"支払期限　{format_wareki(fields.payable_until)}",
            "",
            "スマートフォン決済アプリで読み取るか、eL番号を入力してください。",
            "",
        ]
        for label, value in el_number_parts(fields).items():
            lines += [label, f"　{value}"]
        lines.append("")
        if len(self.codes) > 1:
            lines.append("左右の矢印キーで次のコード")
        lines.append("Esc で閉じます")
        return "\n".join(lines)

    async def action_turn(self, step: int) -> None:
        if len(self.codes) < 2:
            return
        self.index = (self.index + step) % len(self.codes)
        await self.query_one(QrView).remove()
        view = QrView(self.payload, quiet_zone=self._quiet_zone(), id="qr")
        await self.query_one("#payment-qr").mount(view, before=0)
        self.query_one("#payment-numbers", Static).update(self._numbers())
