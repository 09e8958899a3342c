"""Certificate request scenarios written as data: tests/scenarios/certificates/<group>.toml.

Each scenario is read through the request format (as ``counter certificates`` reads it)
and decided against the 米子市 profile; every expected line is checked: its verdict, its
members and fee exactly, its reason, place and documents by the words they must hold.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import load_scenarios

from counter.certificates import decide
from counter.certificates.request import parse_request

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios" / "certificates"
KEYS = {"name", "on", "members", "requester", "requests", "expect", "fee_total"}
LINE_KEYS = {"issuable", "members", "fee", "reason", "where", "documents", "name"}
HERE = {"municipality": "312029", "text": "鳥取県米子市加茂町二丁目1番地"}
MATSUE = {"municipality": "322016", "text": "島根県松江市殿町1番地"}
HOUSEHOLD = [
    {"id": "h", "birth_date": "1980-04-01", "relation": "head", "seal_registered": True,
     "resident_since": "2010-05-01", "honseki": HERE},
    {"id": "s", "birth_date": "1982-06-01", "relation": "spouse", "sex": "female",
     "resident_since": "2026-02-01", "honseki": MATSUE, "former_surname": "松江"},
    {"id": "c", "birth_date": "2015-04-01", "relation": "child",
     "resident_since": "2015-04-01", "honseki": HERE},
]  # fmt: skip


ALL = load_scenarios(SCENARIOS)


def request_document(scenario: dict) -> dict:
    members = [
        {"name": f"見本　花子{i}", "kana": "ミホン　ハナコ", "sex": "male",
         "health_insurance": "national", **raw}
        for i, raw in enumerate(scenario.get("members", HOUSEHOLD))
    ]  # fmt: skip
    return {
        "municipality": "312029",
        "address": {"postal_code": "6830823", "text": "鳥取県米子市加茂町二丁目1番地"},
        "members": members,
        "requester": scenario["requester"],
        "requests": scenario["requests"],
    }


def test_there_are_enough_scenarios_for_every_kind_and_verdict():
    assert len(ALL) >= 30
    kinds = {r["kind"] for _, s in ALL for r in s["requests"]}
    assert len(kinds) == 10
    verdicts = {line["issuable"] for _, s in ALL for line in s["expect"]}
    assert verdicts == {"yes", "no", "check"}


@pytest.mark.parametrize("scenario", [s for _, s in ALL], ids=[name for name, _ in ALL])
def test_scenario(scenario, profile):
    assert set(scenario) <= KEYS, set(scenario) - KEYS
    on = date.fromisoformat(scenario.get("on", "2026-12-05"))
    request = parse_request(request_document(scenario), on)
    decision = decide(request.household, request.requester, request.requests, profile, on)
    lines = decision.lines
    assert len(lines) == len(scenario["expect"]), [line.reason for line in lines]
    for line, expected in zip(lines, scenario["expect"], strict=True):
        assert set(expected) <= LINE_KEYS, set(expected) - LINE_KEYS
        assert line.issuable == expected["issuable"], line.reason
        if "members" in expected:
            assert list(line.members) == expected["members"]
        if "fee" in expected:
            assert line.fee == expected["fee"]
        for key in ("reason", "where", "name"):
            if key in expected:
                assert expected[key] in getattr(line, key), getattr(line, key)
        for wanted in expected.get("documents", []):
            assert any(wanted in document for document in line.documents), line.documents
    if "fee_total" in scenario:
        assert decision.fee_total == scenario["fee_total"]
