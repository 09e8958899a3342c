"""Fuzzing the certificate request file (`counter certificates --request`, docs/certificates.md).

A request that is read keeps the format's rules, writes out and reads back unchanged, and
is decided as the command decides it: one line or more per certificate asked for, a fee
of nothing where it cannot be issued, a text that prints. Anything else is one
HouseholdFormatError naming the field (or a ProfileError for a city without a profile),
as the command prints it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from fuzzing import (
    FAST,
    JSON_VALUES,
    assert_printable,
    assert_staff_message,
    assert_storable,
    json_files,
    mutated_documents,
)
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_fuzz_household import check_refusal

from counter.certificates import (
    REQUESTERS,
    CertificateDecision,
    decide,
    load_certificate_rules,
)
from counter.certificates.request import (
    MAX_COPIES,
    MEMBER_REQUESTERS,
    RequestDocument,
    load_request,
    parse_request,
)
from counter.interchange import HouseholdFormatError, member_to_dict
from counter.profile import ProfileError, load_profile

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "certificate-request.json"
AGENT = {
    "municipality": "312029",
    "address": {"postal_code": "683-0823", "text": "鳥取県米子市加茂町二丁目1番地"},
    "household_id": "H000123",
    "members": [
        {"id": "m1", "name": "米子　太郎", "kana": "ヨナゴ　タロウ", "birth_date": "1950-04-01",
         "sex": "male", "relation": "head", "health_insurance": "late_elderly",
         "seal_registered": True, "former_surname": "﨑山",
         "honseki": {"municipality": "312029", "text": "鳥取県米子市加茂町二丁目1番地"}},
        {"id": "m2", "name": "米子　一郎", "kana": "ヨナゴ　イチロウ", "birth_date": "1985-06-01",
         "sex": "male", "relation": "child", "health_insurance": "employee",
         "resident_since": "2025-03-01", "nationality": "JP"},
    ],
    "requester": {"kind": "agent", "name": "境　花子", "proxy_letter": True, "photo_id": True,
                  "purpose": "年金の手続き"},
    "requests": [
        {"kind": "residence_certificate", "members": ["m1"], "options": ["mynumber"]},
        {"kind": "seal_certificate", "members": ["m1"], "copies": 20},
        {"kind": "koseki_individual", "members": ["m1", "m2"]},
        {"kind": "tax_payment_certificate", "members": ["m2"]},
    ],
}  # fmt: skip
VALID = [json.loads(EXAMPLE.read_text(encoding="utf-8")), AGENT]
RULES = load_certificate_rules()
profile_of = cache(load_profile)  # the same profile each time: read once, not per case
DAYS = st.dates(date(2023, 1, 1), date(2030, 12, 31))  # before and after 広域交付 (2024-03-01)
ON = date(2026, 12, 5)
FLAGS = ("proxy_letter", "photo_id", "seal_card", "mynumber_card")


@st.composite
def valid_requests(draw) -> tuple[dict[str, Any], date]:
    """A seed household with any requester and any certificates the rules allow on a day
    after every date it holds: each must be read and decided, never refused."""
    data = copy.deepcopy(draw(st.sampled_from(VALID)))
    on = draw(st.dates(date(2026, 2, 1), date(2030, 12, 31)))
    ids = [m["id"] for m in data["members"]]
    kind = draw(st.sampled_from(sorted(REQUESTERS)))
    requester: dict[str, Any] = {"kind": kind, **{f: draw(st.booleans()) for f in FLAGS}}
    if kind in MEMBER_REQUESTERS:
        requester["member"] = draw(st.sampled_from(ids))
    requester["name"] = draw(st.sampled_from(["", "境　花子", "𠮷田　結衣", "Nguyen Van A"]))
    requester["purpose"] = draw(st.sampled_from(["", "年金の手続き", "相続（父の死亡）"]))
    lines = []
    for kind_id in draw(
        st.lists(st.sampled_from(sorted(RULES.in_force(on))), min_size=1, max_size=5)
    ):
        certificate = RULES.kinds[kind_id]
        line: dict[str, Any] = {"kind": kind_id}
        line["members"] = draw(st.lists(st.sampled_from(ids), unique=True))
        line["options"] = (
            draw(st.lists(st.sampled_from(certificate.options), max_size=4))
            if certificate.options
            else []
        )
        line["copies"] = draw(st.integers(1, MAX_COPIES))
        if certificate.where == "tax" and draw(st.booleans()):
            line["year"] = draw(st.integers(1989, 2200))
        lines.append(line)
    data["requester"], data["requests"] = requester, lines
    return data, on


def request_to_dict(document: RequestDocument) -> dict[str, Any]:
    """The request as a file would hold it: what parse_request reads back to the same."""
    household, requester = document.household, document.requester
    data: dict[str, Any] = {
        "municipality": document.municipality,
        "address": {"postal_code": household.address.postal_code, "text": household.address.text},
        "members": [member_to_dict(m) for m in household.members],
        "requester": {
            "kind": requester.kind,
            "name": requester.name,
            "purpose": requester.purpose,
            "proxy_letter": requester.proxy_letter,
            "photo_id": requester.photo_id,
            "seal_card": requester.seal_card,
            "mynumber_card": requester.mynumber_card,
        },
        "requests": [
            {"kind": r.kind, "members": list(r.members), "copies": r.copies,
             "options": list(r.options)} | ({} if r.year is None else {"year": r.year})
            for r in document.requests
        ],
    }  # fmt: skip
    if requester.member is not None:
        data["requester"]["member"] = requester.member
    if household.household_id is not None:
        data["household_id"] = household.household_id
    return data


def check_decided(document: RequestDocument, on: date) -> CertificateDecision | None:
    """What the command does with a request it has read: its rules hold, it reads back,
    and the decision is one that can be printed and paid (None: the city or its fee of
    that day is refused in one Japanese line, as the command prints it)."""
    household, requester = document.household, document.requester
    assert_storable(household)
    ids = [m.id for m in household.members]
    assert requester.kind in REQUESTERS
    assert (
        (requester.member in ids) if requester.kind in MEMBER_REQUESTERS else not requester.member
    )
    assert_printable(requester.name + requester.purpose)
    kinds = RULES.in_force(on)
    assert document.requests
    for request in document.requests:
        assert request.kind in kinds
        assert set(request.members) <= set(ids) and len(set(request.members)) == len(
            request.members
        )
        assert set(request.options) <= set(kinds[request.kind].options)
        assert len(set(request.options)) == len(request.options)
        assert 1 <= request.copies <= MAX_COPIES
        assert request.year is None or kinds[request.kind].where == "tax"
    written = json.dumps(request_to_dict(document), ensure_ascii=False)
    assert parse_request(json.loads(written), on, RULES) == document
    try:
        profile = profile_of(document.municipality)
        decision = decide(household, requester, document.requests, profile, on, RULES)
    except ProfileError as exc:  # no profile for the city, or no fee in force that day
        assert_staff_message(str(exc))
        return None
    assert {line.kind for line in decision.lines} == {r.kind for r in document.requests}
    for line in decision.lines:
        assert line.issuable in ("yes", "no", "check")
        assert set(line.members) <= set(ids)
        assert line.fee >= 0 and (line.fee == 0 or line.issuable != "no")
    assert decision.fee_total == sum(line.fee for line in decision.lines if line.issuable == "yes")
    assert_printable(decision.to_text())
    json.dumps(decision.to_json(), ensure_ascii=False).encode("utf-8")
    return decision


def test_the_seed_requests_are_valid():
    for data in VALID:
        check_decided(parse_request(data, ON, RULES), ON)


def check(read: Callable[[], RequestDocument], on: date) -> None:
    """A request read is decided; a refusal names its field."""
    try:
        document = read()
    except HouseholdFormatError as exc:
        check_refusal(exc)
        return
    check_decided(document, on)


@settings(**FAST)
@given(valid_requests())
def test_a_valid_request_is_read_and_decided(request_and_day):
    data, on = request_and_day
    assert check_decided(parse_request(data, on, RULES), on) is not None  # never refused


@settings(**FAST)
@given(mutated_documents(VALID) | JSON_VALUES, DAYS)
@example({**AGENT, "requests": [{"kind": "koseki_full", "year": 2026}]}, ON)
@example({**AGENT, "requester": {"kind": "self", "member": "m9"}}, ON)
@example({**AGENT, "requester": {"kind": []}}, ON)  # was TypeError: unhashable (deep)
@example({**AGENT, "requester": {"kind": "self", "member": ["m1"]}}, ON)  # the same
@example({**AGENT, "requester": {**AGENT["requester"], "name": "境\x1b[2J"}}, ON)
@example({**AGENT, "\x1b[2J": 1}, ON)  # the escape was printed as the field's name
@example({**AGENT, "requests": [{"kind": "seal_certificate", "": 1}]}, ON)  # named nothing
def test_a_request_is_decided_or_one_field_is_named(data, on):
    check(lambda: parse_request(data, on, RULES), on)


@settings(**FAST)
@given(json_files(VALID))
@example(b"[" * 100_000)
def test_a_request_file_is_decided_or_is_refused(tmp_path_factory, data):
    path = tmp_path_factory.getbasetemp() / "request.json"
    path.write_bytes(data)
    check(lambda: load_request(path, ON, RULES), ON)
