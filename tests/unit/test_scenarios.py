"""Planning scenarios written as data: tests/scenarios/<event>.toml.

Each scenario is a household, an event and answers, and what must (and must not) be in
the plan: the exact members of each expected procedure, statuses, deadlines and which
questions are asked. See tests/scenarios/README.md for the format.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import document, load_scenarios

from counter.interchange import parse_event_case
from counter.rules import plan

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
KEYS = {"name", "event", "event_date", "filed_on", "answers", "members", "expect", "absent",
        "status", "deadline", "asked", "not_asked", "municipality", "late"}  # fmt: skip


ALL = load_scenarios(SCENARIOS)


def member_document(raw: dict, index: int) -> dict:
    data = {
        "name": f"見本　太郎{index}",
        "kana": "ミホン　タロウ",
        "sex": "male",
        "health_insurance": "national",
    }
    data.update(raw)
    return data


def test_there_are_enough_scenarios():
    assert len(ALL) >= 40
    events = {scenario["event"] for _, scenario in ALL}
    assert len(events) == 12


@pytest.mark.parametrize("scenario", [s for _, s in ALL], ids=[name for name, _ in ALL])
def test_scenario(scenario, catalogue, profile):
    assert set(scenario) <= KEYS, set(scenario) - KEYS
    members = [member_document(m, i) for i, m in enumerate(scenario["members"])]
    doc = document(
        scenario["event"], scenario["event_date"], members, answers=scenario.get("answers", {})
    )
    case = parse_event_case(doc)
    filed = date.fromisoformat(scenario.get("filed_on", scenario["event_date"]))
    result = plan(case, catalogue, profile, filed_on=filed)
    got = {p.id: p for p in result.procedures}
    for procedure_id, member_ids in scenario.get("expect", {}).items():
        assert procedure_id in got, f"{procedure_id} がありません: {sorted(got)}"
        assert list(got[procedure_id].members) == member_ids, procedure_id
    for procedure_id in scenario.get("absent", []):
        assert procedure_id not in got, f"{procedure_id} は不要のはず"
    for procedure_id, status in scenario.get("status", {}).items():
        assert got[procedure_id].status == status, procedure_id
    for procedure_id, deadline in scenario.get("deadline", {}).items():
        shown = got[procedure_id].deadline
        assert (shown.isoformat() if shown else "none") == deadline, procedure_id
    for question in scenario.get("asked", []):
        assert question in result.questions, question
    for question in scenario.get("not_asked", []):
        assert question not in result.questions, question
    if "late" in scenario:  # the 届出 filed after their legal period (届出期間経過), no other
        assert sorted(p.id for p in result.procedures if p.late) == sorted(scenario["late"])
