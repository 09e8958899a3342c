"""The payment code large on screen, so the resident can pay from a phone at the counter.

The QR (black on white half blocks) sits beside the eL番号 parts for typing by hand and
the amount and dates; a demo code says 見本 so nobody tries to pay it. Esc closes.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Static

from counter.payment import ElqrFields, el_number_parts
from counter.wareki import format_wareki
from screens.widgets.qr_view import QrView

FULL_QUIET_ZONE_ROWS = 27  # a version-6 symbol with its four-module quiet zone, plus a frame


class PaymentQrScreen(ModalScreen):
    BINDINGS = [Binding("escape", "dismiss", "閉じる", tooltip="受付完了の画面に戻ります")]

    def __init__(self, fields: ElqrFields, payload: str, *, demo: bool) -> None:
        super().__init__()
        self.fields = fields
        self.payload = payload
        self.demo = demo

    def compose(self) -> ComposeResult:
        quiet_zone = 4 if self.app.size.height >= FULL_QUIET_ZONE_ROWS else 2
        lines = ["お支払い用コード"]
        if self.demo:
            lines.append("【見本】支払いには使えません")
        lines += [
            f"金額　　　{self.fields.amount:,}円",
            f"納期限　　{format_wareki(self.fields.due_date)}",
            f"支払期限　{format_wareki(self.fields.payable_until)}",
            "",
            "スマートフォン決済アプリで読み取るか、eL番号を入力してください。",
            "",
        ]
        for label, value in el_number_parts(self.fields).items():
            lines += [label, f"　{value}"]
        lines += ["", "Esc で閉じます"]
        with Horizontal(id="payment-qr"):
            yield QrView(self.payload, quiet_zone=quiet_zone, id="qr")
            yield Static("\n".join(lines), id="payment-numbers")
