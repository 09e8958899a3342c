"""Postal code lookup from the bundled Japan Post data (no network)."""

from __future__ import annotations

import threading

import pytest

from counter.postal import UnknownPostalCode, address_for_postal_code
from counter.textnorm import TextFormatError


@pytest.mark.parametrize(
    ("code", "address"),
    [
        ("683-0823", "鳥取県米子市加茂町"),
        ("6830001", "鳥取県米子市皆生温泉"),
        ("〒６８３－００６４", "鳥取県米子市道笑町"),  # full width, as an IME types it
        ("689-3418", "鳥取県米子市淀江町高井谷"),
    ],
)
def test_yonago_codes_give_prefecture_city_and_town(code: str, address: str) -> None:
    assert address_for_postal_code(code) == address


def test_the_city_wide_code_gives_the_city_only() -> None:
    assert address_for_postal_code("683-0000") == "鳥取県米子市"  # 以下に掲載がない場合


def test_a_code_shared_by_several_towns_gives_only_what_they_share() -> None:
    # 068-0546 is both 南部青葉町 and 南部菊水町 in 夕張市.
    assert address_for_postal_code("068-0546") == "北海道夕張市"


def test_an_unknown_code_is_a_clear_error() -> None:
    with pytest.raises(UnknownPostalCode, match="郵便番号 689-0000 は見つかりません"):
        address_for_postal_code("689-0000")


def test_a_business_code_is_refused() -> None:
    with pytest.raises(UnknownPostalCode, match="事業所用"):
        address_for_postal_code("060-8621")


@pytest.mark.parametrize("code", ["683-082", "", "abc-defg", "683-08231"])
def test_a_code_that_is_not_seven_digits_says_so(code: str) -> None:
    with pytest.raises(TextFormatError, match="7桁"):
        address_for_postal_code(code)


def test_lookups_work_in_worker_threads() -> None:
    found: list[str] = []
    worker = threading.Thread(target=lambda: found.append(address_for_postal_code("6830823")))
    worker.start()
    worker.join()
    assert found == ["鳥取県米子市加茂町"]
