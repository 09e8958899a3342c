"""The confirmation key comes from a file outside the database, and a real city needs one."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from counter.payment.keys import KEY_FILE_ENV, PaymentKeyError, read_payment_key
from screens import app as app_module
from screens.app import CounterApp
from screens.settings import Settings


def test_no_key_file_configured_means_no_key(monkeypatch):
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)
    assert read_payment_key() is None


def test_the_key_is_the_files_bytes_without_surrounding_whitespace(tmp_path, monkeypatch):
    path = tmp_path / "payment.key"
    path.write_bytes(b"  0123456789abcdef-city\n")
    monkeypatch.setenv(KEY_FILE_ENV, str(path))
    assert read_payment_key() == b"0123456789abcdef-city"
    assert Settings.from_environment("sqlite://").payment_key == b"0123456789abcdef-city"


@pytest.mark.parametrize(("content", "words"), [(None, "読めません"), (b"short\n", "短すぎます")])
def test_an_unusable_key_file_is_named(tmp_path, content, words):
    path = tmp_path / "payment.key"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(PaymentKeyError, match=words) as error:
        read_payment_key(path)
    assert KEY_FILE_ENV in str(error.value)


def test_a_real_city_does_not_start_without_its_key(tmp_path: Path, monkeypatch, profile):
    monkeypatch.setattr(
        app_module, "load_profile", lambda code: replace(profile, payment_demo=False)
    )
    settings = Settings(database_url="sqlite://", slip_dir=tmp_path, device_id="t")
    with pytest.raises(PaymentKeyError, match="鍵ファイルが必要"):
        CounterApp(settings)
    assert CounterApp(replace(settings, payment_key=b"0123456789abcdef")).profile.code == "312029"
