"""The payment QR drawn in the terminal decodes back to the payload, at 80×24 and 120×40."""

from __future__ import annotations

from datetime import date

import pytest
import zxingcpp
from PIL import Image
from textual.app import App

from counter.billing import IssuedCode
from counter.payment import ElqrFields, build_elqr, el_number
from screens.payment_qr import PaymentQrScreen
from screens.widgets.qr_view import BLACK, UPPER_HALF, QrView

FIELDS = ElqrFields(
    amount=350,
    category="999",
    payment_number="20261202000017",
    confirmation_number="482913",
    collector="99999",
    levy_year=2026,
    tax_year=2026,
    due_date=date(2026, 12, 16),
    payable_until=date(2027, 1, 15),
)


def drawn_modules(view: QrView) -> list[list[bool]]:
    """Read the half blocks back: the upper module is the foreground, the lower the background."""
    rows: list[list[bool]] = []
    for line in view.render().split("\n"):
        upper, lower = [], []
        for segment in line.render(view.app.console):
            assert set(segment.text) == {UPPER_HALF}
            colour, background = segment.style.color, segment.style.bgcolor
            for _ in segment.text:
                upper.append(colour.name == BLACK or colour.triplet.hex == BLACK)
                lower.append(background.name == BLACK or background.triplet.hex == BLACK)
        rows += [upper, lower]
    return rows


def decode(modules: list[list[bool]], scale: int = 6) -> list[str]:
    image = Image.new("L", (len(modules[0]) * scale, len(modules) * scale), 255)
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                image.paste(0, (x * scale, y * scale, (x + 1) * scale, (y + 1) * scale))
    return [result.text for result in zxingcpp.read_barcodes(image)]


class Host(App):
    pass


@pytest.mark.parametrize(("size", "quiet_zone"), [((80, 24), 2), ((120, 40), 4)])
async def test_the_qr_on_screen_decodes_to_the_payload(size, quiet_zone):
    payload = build_elqr(FIELDS)
    app = Host()
    async with app.run_test(size=size) as pilot:
        code = IssuedCode("certificates", FIELDS, payload)
        app.push_screen(PaymentQrScreen([code], ["証明手数料"], demo=True))
        await pilot.pause()
        view = app.screen.query_one(QrView)
        modules = drawn_modules(view)
        assert len(modules[0]) == 41 + 2 * quiet_zone
        assert decode(modules) == [payload]
        corners = (modules[0][0], modules[0][-1], modules[-1][0], modules[-1][-1])
        assert not any(corners)  # a white quiet zone: black on white, not inverted
        assert view.region.height <= size[1] and view.region.right <= size[0]
        text = str(app.screen.query_one("#payment-numbers").render())
        assert "見本" in text and "350円" in text
        assert "令和8年12月16日（水）" in text
        for part in el_number(FIELDS).split(" "):
            assert part in text
        await pilot.press("escape")
        assert not isinstance(app.screen, PaymentQrScreen)
