"""`counter certificates` as a user runs it: real console script, real files, exit codes,
and the request format's errors, each one Japanese line naming the field."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from counter.certificates import kinship
from counter.certificates.request import parse_request
from counter.household import Member
from counter.interchange import HouseholdFormatError

REQUEST: dict[str, Any] = {
    "municipality": "312029",
    "address": {"postal_code": "6830823", "text": "鳥取県米子市加茂町二丁目1番地"},
    "members": [
        {"id": "m1", "name": "米子　太郎", "kana": "ヨナゴ　タロウ", "birth_date": "1980-04-01",
         "sex": "male", "relation": "head", "health_insurance": "national",
         "seal_registered": True, "resident_since": "2010-05-01",
         "honseki": {"municipality": "312029", "text": "鳥取県米子市加茂町二丁目1番地"}},
        {"id": "m2", "name": "米子　花子", "kana": "ヨナゴ　ハナコ", "birth_date": "1982-06-01",
         "sex": "female", "relation": "spouse", "health_insurance": "national",
         "resident_since": "2026-02-01",
         "honseki": {"municipality": "322016", "text": "島根県松江市殿町1番地"}},
    ],
    "requester": {"kind": "self", "member": "m1", "photo_id": True},
    "requests": [
        {"kind": "residence_certificate", "copies": 2, "options": ["head_relation"]},
        {"kind": "koseki_full", "members": ["m2"]},
        {"kind": "tax_income_certificate", "members": ["m2"], "year": 2026},
    ],
}  # fmt: skip


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "counter.cli", *args], capture_output=True, text=True, timeout=60
    )


def write(tmp_path, data) -> str:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_the_json_lists_each_certificate_with_its_verdict_and_the_total(tmp_path):
    result = run("certificates", "--request", write(tmp_path, REQUEST), "--format", "json",
                 "--on", "R8.12.5")  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    lines = out["certificates"]
    assert [(c["kind"], c["issuable"], c["fee"]) for c in lines] == [
        ("residence_certificate", "yes", 600),
        ("koseki_full", "yes", 450),
        ("tax_income_certificate", "no", 0),
    ]
    assert lines[0]["members"] == ["m1", "m2"] and lines[0]["copies"] == 2
    assert "広域交付" in lines[1]["where"]
    assert "前の住所地" in lines[2]["reason"]
    assert out["fee_total"] == 1050
    for line in lines:
        assert set(line) >= {"kind", "name", "members", "copies", "issuable", "reason", "fee",
                             "where", "documents"}  # fmt: skip


def test_the_text_says_each_verdict_in_japanese(tmp_path):
    result = run("certificates", "--request", write(tmp_path, REQUEST), "--on", "2026-12-05")
    assert result.returncode == 0, result.stderr
    assert "住民票の写し" in result.stdout and "【交付できる】" in result.stdout
    assert "【交付できない】" in result.stdout
    assert "手数料の合計: 1,050円" in result.stdout


def with_change(path: list, value: Any) -> dict:
    data = copy.deepcopy(REQUEST)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


BAD = [
    (["requester"], KeyError, "requester"),
    (["requester", "kind"], "friend", "requester.kind"),
    (["requester", "kind"], [], "requester.kind"),  # was TypeError (found by deep fuzzing)
    (["requester", "kind"], {"self": 1}, "requester.kind"),
    (["requester", "member"], "m9", "requester.member"),
    (["requester", "member"], ["m1"], "requester.member"),  # was TypeError, as kind was
    (["requester", "proxy_letter"], "yes", "requester.proxy_letter"),
    (["requester", "purpose"], "理由\u202e", "requester.purpose"),
    (["requests"], [], "requests"),
    (["requests", 0, "kind"], "juminhyo", "requests[0].kind"),
    (["requests", 0, "copies"], 0, "requests[0].copies"),
    (["requests", 0, "copies"], 21, "requests[0].copies"),
    (["requests", 0, "copies"], True, "requests[0].copies"),
    (["requests", 0, "options"], ["mynumber", "blood_type"], "requests[0].options"),
    (["requests", 1, "options"], ["mynumber"], "requests[1].options"),
    (["requests", 1, "members"], ["m1", "m1"], "requests[1].members"),
    (["requests", 1, "year"], 2026, "requests[1].year"),
    (["requests", 2, "year"], "2026", "requests[2].year"),
    (["requests", 0, "colour"], "red", "requests[0].colour"),
    (["members", 1, "honseki"], {"municipality": "322017", "text": "松江市"}, "members[1].honseki"),
]


@pytest.mark.parametrize(("path", "value", "field"), BAD, ids=[b[2] + str(b[1]) for b in BAD])
def test_a_bad_request_names_its_field(path, value, field):
    with pytest.raises(HouseholdFormatError) as caught:
        parse_request(with_change(path, value), date(2026, 12, 5))
    assert caught.value.field.startswith(field), caught.value
    message = caught.value.message  # Japanese; it may list the values the field takes
    assert any("\u3040" <= ch <= "\u9fff" for ch in message), message
    assert not {"must", "invalid", "error", "expected"} & set(message.lower().split()), message


def test_an_agent_is_not_a_member_of_the_household():
    data = with_change(["requester"], {"kind": "agent", "member": "m1"})
    with pytest.raises(HouseholdFormatError, match="世帯の外の方"):
        parse_request(data, date(2026, 12, 5))


def test_bad_input_is_one_japanese_line_and_exit_2(tmp_path):
    result = run("certificates", "--request",
                 write(tmp_path, with_change(["requests", 0, "copies"], 0)))  # fmt: skip
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines == ["エラー: request.json: requests[0].copies: 1から20までの整数にしてください"]


def test_a_bad_date_names_the_option(tmp_path):
    result = run("certificates", "--request", write(tmp_path, REQUEST), "--on", "R8.2.30")
    assert result.returncode == 2
    assert result.stderr.startswith("エラー: --on: ") and "Traceback" not in result.stderr


def member(relation: str, sex: str = "male", id: str = "x") -> Member:
    return Member(id, "見本　太郎", "ミホン　タロウ", date(1980, 1, 1), sex, relation)


@pytest.mark.parametrize(
    ("one", "other", "expected"),
    [
        ("head", "spouse", "spouse"),
        ("head", "child", "lineal"),
        ("head", "parent", "lineal"),
        ("spouse", "child", "lineal"),
        ("spouse", "parent", "none"),  # the head's parent is an in-law of the spouse
        ("child", "child", "none"),  # siblings
        ("parent", "grandchild", "lineal"),
        ("child", "grandchild", "unknown"),  # parent, or aunt or uncle
        ("head", "other", "unknown"),
    ],
)
def test_kinship_from_the_relation_to_the_head(one, other, expected):
    assert kinship(member(one, id="a"), member(other, id="b")) == expected
    assert kinship(member(other, id="b"), member(one, id="a")) == expected


def test_the_documented_example_request_is_decided():
    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "certificate-request.json"
    result = run("certificates", "--request", str(example),
                 "--format", "json", "--on", "2026-12-05")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["fee_total"] == 1050


@pytest.mark.parametrize("key", ["", " ", "\u3000", "\x1b[2J", "a\nb", "\ud800"])
@pytest.mark.parametrize("where", [[], ["requester"], ["requests", 0]])
def test_an_unknown_key_is_named_as_staff_can_read_it(where, key):
    """Found by fuzzing (issue 23): a blank key was refused naming nothing, and a key with
    a terminal escape was printed as it was. Now as in a household file."""
    data = copy.deepcopy(REQUEST)
    target = data
    for step in where:
        target = target[step]
    target[key] = 1
    with pytest.raises(HouseholdFormatError) as caught:
        parse_request(data, date(2026, 12, 5))
    field, message = caught.value.field, caught.value.message
    assert message == "この項目は書式にありません"
    assert field.removeprefix("requester.").removeprefix("requests[0].").strip()
    assert field.isprintable() and "\x1b" not in field and "\ud800" not in field
