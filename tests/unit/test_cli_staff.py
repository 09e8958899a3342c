"""`counter staff add | disable | reset | list` as an administrator runs them: answers
typed at the prompts (getpass and input fed through monkeypatch) and a real SQLite file;
one real process reads its passwords from stdin with COUNTER_PASSWORD_STDIN=1."""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
from pathlib import Path

import pytest

from counter.cli import main
from counter.staff import ADMINISTRATOR, CLERK
from db.engine import make_engine
from db.staff import (
    SignInRefused,
    create_staff,
    has_staff,
    list_staff,
    sign_in,
)

ADMIN_PASSWORD = "kanri-password-1"


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'staff.sqlite3'}"


@pytest.fixture
def engine(url, new_sqlite):
    engine = make_engine(new_sqlite(Path(url.removeprefix("sqlite:///"))))
    yield engine
    engine.dispose()


@pytest.fixture
def admin(engine):
    return create_staff(
        engine,
        login="admin",
        display_name="管理　一郎",
        role=ADMINISTRATOR,
        password=ADMIN_PASSWORD,
        actor=None,
        terminal="setup",
    )


@pytest.fixture
def clerk(engine, admin):
    return create_staff(
        engine,
        login="madoguchi",
        display_name="窓口　花子",
        role=CLERK,
        password="madoguchi-password",
        actor=admin,
        terminal="setup",
    )


class Typed:
    """What the administrator types: lines for input() and passwords for getpass."""

    def __init__(self, monkeypatch, lines=(), passwords=()) -> None:
        self.lines, self.passwords = list(lines), list(passwords)
        monkeypatch.delenv("COUNTER_PASSWORD_STDIN", raising=False)
        monkeypatch.setattr("builtins.input", lambda _prompt="": self.lines.pop(0))
        monkeypatch.setattr(getpass, "getpass", lambda _prompt="": self.passwords.pop(0))

    def all_used(self) -> bool:
        return not self.lines and not self.passwords


def staff(url: str, *args: str) -> int:
    """Run the command; a refusal or bad input exits with its code."""
    try:
        return main(["--database-url", url, "staff", *args])
    except SystemExit as exit_:
        return exit_.code


def test_the_first_administrator_is_created_interactively(url, engine, monkeypatch, capsys):
    typed = Typed(monkeypatch, lines=["Yonago.Admin", "米子　一郎"], passwords=["first-pass-1"] * 2)
    assert staff(url, "add") == 0
    assert typed.all_used()
    out, err = capsys.readouterr()
    assert "最初の管理者 yonago.admin（米子　一郎）を登録しました" in out
    assert "first-pass-1" not in out + err
    member = sign_in(engine, "yonago.admin", "first-pass-1", terminal="t1")
    assert (member.role, member.display_name, member.must_change_password) == (
        ADMINISTRATOR,
        "米子　一郎",
        False,
    )


def test_the_first_start_has_no_default_password_and_no_other_role(
    url, engine, monkeypatch, capsys
):
    Typed(monkeypatch, lines=["admin", "管理　一郎"], passwords=["first-pass-1", "first-pass-2"])
    assert staff(url, "add") == 2
    assert "2つのパスワードが違います" in capsys.readouterr().err
    Typed(monkeypatch, lines=["admin", "管理　一郎"], passwords=["admin"] * 2)
    assert staff(url, "add") == 2
    assert "10文字以上" in capsys.readouterr().err
    assert staff(url, "add", "--role", "clerk") == 2
    assert "管理者" in capsys.readouterr().err
    assert not has_staff(engine)


def test_a_non_administrator_is_refused_in_one_line(url, clerk, monkeypatch, capsys):
    typed = Typed(monkeypatch, passwords=["madoguchi-password"])
    assert staff(url, "list", "--as", "madoguchi") == 1
    assert typed.all_used()
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "エラー: このコマンドは管理者だけが使えます（madoguchi は窓口職員です）\n"


def test_a_wrong_administrator_password_changes_nothing(url, engine, clerk, monkeypatch, capsys):
    Typed(monkeypatch, passwords=["not-the-password"])
    assert staff(url, "disable", "madoguchi", "--as", "admin") == 1
    assert capsys.readouterr().err == "エラー: ログイン名またはパスワードが違います\n"
    assert not any(m.disabled for m in list_staff(engine))


def test_an_administrator_adds_resets_disables_and_lists(url, engine, admin, monkeypatch, capsys):
    typed = Typed(monkeypatch, passwords=[ADMIN_PASSWORD, "kantoku-pass-1", "kantoku-pass-1"])
    assert staff(url, "add", "kantoku", "--name", "監督　次郎", "--role", "supervisor",
                 "--as", "admin") == 0  # fmt: skip
    assert typed.all_used()
    assert "kantoku（監督　次郎、監督者）を登録しました" in capsys.readouterr().out
    assert sign_in(engine, "kantoku", "kantoku-pass-1", terminal="t1").must_change_password

    typed = Typed(monkeypatch, lines=["admin"], passwords=[ADMIN_PASSWORD] + ["reset-pass-1"] * 2)
    assert staff(url, "reset", "kantoku") == 0  # the acting login asked at the prompt
    assert typed.all_used()
    out, err = capsys.readouterr()
    assert "kantoku のパスワードを再設定しました" in out
    assert "reset-pass-1" not in out + err
    with pytest.raises(SignInRefused):
        sign_in(engine, "kantoku", "kantoku-pass-1", terminal="t1")
    assert sign_in(engine, "kantoku", "reset-pass-1", terminal="t1").must_change_password

    Typed(monkeypatch, passwords=[ADMIN_PASSWORD])
    assert staff(url, "disable", "kantoku", "--as", "admin") == 0
    assert "kantoku を無効にしました" in capsys.readouterr().out
    Typed(monkeypatch, passwords=[ADMIN_PASSWORD])
    assert staff(url, "disable", "admin", "--as", "admin") == 1
    assert "自分のアカウントは無効にできません" in capsys.readouterr().err

    Typed(monkeypatch, passwords=[ADMIN_PASSWORD])
    assert staff(url, "list", "--as", "admin") == 0
    assert capsys.readouterr().out.splitlines() == [
        "ログイン名\t氏名\t役割\t状態",
        "admin\t管理　一郎\t管理者\t有効",
        "kantoku\t監督　次郎\t監督者\t無効",
    ]


def test_passwords_come_from_getpass_unless_stdin_is_asked_for(url, monkeypatch, capsys):
    typed = Typed(monkeypatch, lines=["admin", "管理　一郎"], passwords=["first-pass-1"] * 2)
    monkeypatch.setattr(sys, "stdin", _Unreadable())
    assert staff(url, "add") == 0
    assert typed.all_used()


class _Unreadable:
    def readline(self) -> str:
        raise AssertionError("passwords must not be read from stdin by default")


def test_a_real_process_reads_passwords_from_stdin_when_asked(url, engine):
    environment = os.environ | {"COUNTER_PASSWORD_STDIN": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "counter.cli", "--database-url", url, "staff", "add"],
        input="admin\n管理　一郎\nfirst-pass-1\nfirst-pass-1\n",
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "first-pass-1" not in result.stdout + result.stderr
    assert sign_in(engine, "admin", "first-pass-1", terminal="t1").role == ADMINISTRATOR
