"""Shared builders: households and cases in the interchange format, and the 米子市 setup."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from counter.catalogue import Catalogue, load_catalogue
from counter.interchange import parse_event_case
from counter.profile import MunicipalityProfile, load_profile


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user data directory."""
    monkeypatch.setenv("COUNTER_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("COUNTER_DATABASE_URL", raising=False)


@pytest.fixture(scope="session")
def profile() -> MunicipalityProfile:
    return load_profile("312029")


@pytest.fixture(scope="session")
def catalogue(profile: MunicipalityProfile) -> Catalogue:
    return load_catalogue().with_profile(profile)


def member(member_id: str, **overrides: Any) -> dict[str, Any]:
    data = {
        "id": member_id,
        "name": "米子　太郎",
        "kana": "ヨナゴ　タロウ",
        "birth_date": "1990-04-01",
        "sex": "male",
        "relation": "head",
        "health_insurance": "national",
    }
    data.update(overrides)
    return data


def document(event: str, event_date: str, members: list[dict], **extra: Any) -> dict[str, Any]:
    data = {
        "municipality": "312029",
        "event": event,
        "event_date": event_date,
        "address": {"postal_code": "6830823", "text": "鳥取県米子市加茂町二丁目1番地"},
        "members": copy.deepcopy(members),
        "answers": {},
    }
    data.update(extra)
    return data


def case_of(event: str, event_date: str, members: list[dict], **extra: Any):
    return parse_event_case(document(event, event_date, members, **extra))


def birth_family(parent_insurance: str = "national", **child: Any) -> list[dict]:
    return [
        member("m1", health_insurance=parent_insurance),
        member(
            "m2",
            name="米子　花子",
            kana="ヨナゴ　ハナコ",
            birth_date="1992-06-15",
            sex="female",
            relation="spouse",
            health_insurance=parent_insurance,
        ),
        member(
            "m3",
            name="米子　陽翔",
            kana="ヨナゴ　ハルト",
            birth_date=child.pop("date", "2026-11-20"),
            relation="child",
            health_insurance="none",
            subject=True,
            **child,
        ),
    ]
