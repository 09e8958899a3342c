"""A foreign resident's 在留資格, 在留期間, 満了の日 and 在留カード等の番号 from pre-arrival
data reach the register unchanged through the real app; a member whose nationality staff
correct to 日本 keeps none of them (they are a foreign resident's only)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from test_newcomer_resident_facts import prearrival_file as matsue_file
from test_newcomer_resident_facts import register_prearrival

FACTS = {
    "nationality": "VN",
    "residence_status": "技術・人文知識・国際業務",
    "residence_period": "3年",
    "residence_expiry": "2028-05-01",
    "residence_card_number": "AB12345678CD",
}


def prearrival_file(tmp_path: Path) -> Path:
    """The 松江 household's file of test_newcomer_resident_facts, its people foreign."""
    path = matsue_file(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["members"] = [
        {"id": "a", "name": "グエン　ヴァン　アン", "kana": "ぐえん　ばん　あん",
         "birth_date": "1990-04-01", "sex": "male", "relation": "head",
         "health_insurance": "employee", "subject": True, **FACTS},
        {"id": "b", "name": "グエン　ティ　ラン", "kana": "ぐえん　てぃ　らん",
         "birth_date": "1992-05-05", "sex": "female", "relation": "spouse_unfiled",
         "health_insurance": "national", "subject": True,
         **FACTS, "residence_card_number": "XY87654321ZW"},
    ]  # fmt: skip
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


async def test_pre_arrival_residence_facts_are_kept_for_foreign_residents_only(
    settings, tmp_path, clerk
):
    stored = await register_prearrival(settings, clerk, prearrival_file(tmp_path), 1, "日本")
    head, partner = stored.members
    assert head.residence_status == "技術・人文知識・国際業務"
    assert (head.residence_period, head.residence_expiry) == ("3年", date(2028, 5, 1))
    assert head.residence_card_number == "AB12345678CD"
    assert (partner.nationality, partner.relation) == ("JP", "spouse_unfiled")
    facts = (partner.residence_status, partner.residence_period, partner.residence_card_number)
    assert facts == ("", "", "") and partner.residence_expiry is None
