"""Roles, permissions and the password policy of staff accounts (counter.staff)."""

from __future__ import annotations

import pytest

from counter.staff import (
    ADMINISTRATOR,
    CLERK,
    MAX_FAILED_ATTEMPTS,
    ROLE_LABELS,
    SUPERVISOR,
    can,
    normalize_login,
    password_problem,
)
from counter.textnorm import TextFormatError


def test_roles_have_japanese_labels():
    assert ROLE_LABELS == {CLERK: "窓口職員", SUPERVISOR: "監督者", ADMINISTRATOR: "管理者"}


@pytest.mark.parametrize(
    ("permission", "allowed"),
    [
        ("reset_clerk", {SUPERVISOR, ADMINISTRATOR}),
        ("manage_staff", {ADMINISTRATOR}),
        ("export_audit", {SUPERVISOR, ADMINISTRATOR}),
        ("purge", {ADMINISTRATOR}),
    ],
)
def test_each_permission_belongs_to_exactly_its_roles(permission, allowed):
    assert {role for role in ROLE_LABELS if can(role, permission)} == allowed


def test_a_clerk_has_no_supervisor_or_administrator_permission():
    assert not any(can(CLERK, p) for p in ("reset_clerk", "manage_staff", "export_audit", "purge"))


def test_an_unknown_role_may_do_nothing_and_an_unknown_permission_is_an_error():
    assert not can("guest", "reset_clerk")
    assert not can("", "purge")
    with pytest.raises(KeyError):
        can(ADMINISTRATOR, "delete_everything")


def test_five_failures_lock():
    assert MAX_FAILED_ATTEMPTS == 5


@pytest.mark.parametrize(
    "password", ["correct horse", "Yonago-2026", "ひらがなのパスワードです", "1234567890a"]
)
def test_good_passwords_pass(password):
    assert password_problem("tanaka", password) is None


@pytest.mark.parametrize(
    ("login", "password", "reason"),
    [
        ("tanaka", "short-pw1", "10文字以上"),  # 9 characters
        ("tanaka", "", "10文字以上"),
        ("yonago.taro", "yonago.taro", "ログイン名と同じ"),
        ("yonago.taro", "ＹＯＮＡＧＯ．ＴＡＲＯ", "ログイン名と同じ"),  # the IME's full width
        ("yonago.taro", " Yonago.Taro ", "ログイン名と同じ"),
        ("tanaka", "aaaaaaaaaaaa", "同じ文字"),
        ("tanaka", "            ", "同じ文字"),
        ("tanaka", "0859235111", "数字だけ"),
        ("tanaka", "０８５９２３５１１１", "数字だけ"),
    ],
)
def test_weak_passwords_get_a_japanese_reason(login, password, reason):
    problem = password_problem(login, password)
    assert problem is not None and reason in problem


def test_ten_characters_is_long_enough_and_nine_is_not():
    assert password_problem("tanaka", "abcdefgh1!") is None
    assert password_problem("tanaka", "abcdefgh1") is not None


def test_logins_are_stored_in_one_form():
    assert normalize_login("  Yonago.Taro ") == "yonago.taro"
    assert normalize_login("ＴＡＮＡＫＡ＿０１") == "tanaka_01"


@pytest.mark.parametrize("login", ["", "   ", "田中", "tanaka hanako", "-tanaka", "a" * 65])
def test_unusable_logins_are_refused_with_a_japanese_reason(login):
    with pytest.raises(TextFormatError, match="ログイン名は"):
        normalize_login(login)
