"""A certificate request as a document: a household in the household format, plus who
asks (``requester``) and what for (``requests``). Read by ``counter certificates`` for
tests, kiosks and other systems; the layout is in docs/certificates.md.

Every problem is one ``HouseholdFormatError`` naming the field, as for a household file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from counter.certificates import (
    REQUESTERS,
    CertificateRequest,
    CertificateRules,
    Requester,
    load_certificate_rules,
)
from counter.household import Household
from counter.interchange import (
    HouseholdFormatError,
    parse_household,
    read_document,
    reject_unknown_keys,
)
from counter.textnorm import TextFormatError, check_plain_text

HOUSEHOLD_KEYS = {"format_version", "municipality", "address", "household_id", "members"}
REQUEST_KEYS = HOUSEHOLD_KEYS | {"requester", "requests"}
REQUESTER_FLAGS = ("proxy_letter", "photo_id", "seal_card", "mynumber_card")
REQUESTER_KEYS = {"kind", "member", "name", "purpose", *REQUESTER_FLAGS}
LINE_KEYS = {"kind", "members", "copies", "options", "year"}
MAX_COPIES = 20
MAX_TEXT = 200
# Members of the household ask as themselves; the others come from outside it.
MEMBER_REQUESTERS = ("self", "household")


@dataclass(frozen=True)
class RequestDocument:
    municipality: str
    household: Household
    requester: Requester
    requests: tuple[CertificateRequest, ...]


def load_request(path: Path, on: date, rules: CertificateRules | None = None) -> RequestDocument:
    return parse_request(read_document(path), on, rules)


def parse_request(data: Any, on: date, rules: CertificateRules | None = None) -> RequestDocument:
    rules = rules or load_certificate_rules()
    if not isinstance(data, dict):
        raise HouseholdFormatError("（全体）", "JSON のオブジェクト { ... } にしてください")
    reject_unknown_keys(data, REQUEST_KEYS, "")
    municipality, household = parse_household(data, on)
    requester = _requester(data.get("requester"), household)
    value = data.get("requests")
    if not isinstance(value, list) or not value:
        raise HouseholdFormatError("requests", "請求する証明書を1つ以上、配列で書いてください")
    kinds = rules.in_force(on)
    requests = tuple(
        _line(item, f"requests[{i}]", household, kinds, rules) for i, item in enumerate(value)
    )
    return RequestDocument(municipality, household, requester, requests)


def _requester(value: Any, household: Household) -> Requester:
    path = "requester"
    if not isinstance(value, dict):
        raise HouseholdFormatError(path, "kind を持つオブジェクトにしてください")
    reject_unknown_keys(value, REQUESTER_KEYS, f"{path}.")
    kind = value.get("kind")
    if not isinstance(kind, str) or kind not in REQUESTERS:  # a list or {} is unhashable
        raise HouseholdFormatError(
            f"{path}.kind", f"次のどれかにしてください: {', '.join(REQUESTERS)}"
        )
    member = value.get("member")
    ids = {m.id for m in household.members}
    if kind in MEMBER_REQUESTERS:
        if not isinstance(member, str) or member not in ids:
            raise HouseholdFormatError(f"{path}.member", "請求する方の世帯員の id を書いてください")
    elif member is not None:
        raise HouseholdFormatError(
            f"{path}.member", f"「{REQUESTERS[kind]}」は世帯の外の方です。member は書きません"
        )
    flags = {flag: _flag(value, flag, f"{path}.{flag}") for flag in REQUESTER_FLAGS}
    return Requester(
        kind=kind,
        member=member,
        name=_text(value, "name", f"{path}.name"),
        purpose=_text(value, "purpose", f"{path}.purpose"),
        **flags,
    )


def _flag(data: dict, key: str, path: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise HouseholdFormatError(path, "true か false にしてください")
    return value


def _text(data: dict, key: str, path: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise HouseholdFormatError(path, "文字列にしてください")
    try:
        check_plain_text(value)
    except TextFormatError as exc:
        raise HouseholdFormatError(path, str(exc)) from None
    if len(value) > MAX_TEXT:
        raise HouseholdFormatError(path, f"{MAX_TEXT}文字までにしてください")
    return value


def _whole(data: dict, key: str, path: str, low: int, high: int) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise HouseholdFormatError(path, f"{low}から{high}までの整数にしてください")
    return value


def _line(
    value: Any, path: str, household: Household, kinds: dict, rules: CertificateRules
) -> CertificateRequest:
    if not isinstance(value, dict):
        raise HouseholdFormatError(path, "kind を持つオブジェクトにしてください")
    reject_unknown_keys(value, LINE_KEYS, f"{path}.")
    kind_id = value.get("kind")
    if not isinstance(kind_id, str) or kind_id not in rules.kinds:
        raise HouseholdFormatError(
            f"{path}.kind", f"次のどれかにしてください: {', '.join(rules.kinds)}"
        )
    if kind_id not in kinds:
        raise HouseholdFormatError(f"{path}.kind", "この日にはまだない証明書です")
    kind = kinds[kind_id]
    members = value.get("members", [])
    ids = [m.id for m in household.members]
    if not isinstance(members, list) or any(m not in ids for m in members):
        raise HouseholdFormatError(f"{path}.members", "世帯員の id の配列にしてください")
    if len(set(members)) != len(members):
        raise HouseholdFormatError(f"{path}.members", "同じ世帯員が2回あります")
    options = value.get("options", [])
    if not isinstance(options, list) or any(o not in kind.options for o in options):
        allowed = "、".join(rules.options[o].label + f"（{o}）" for o in kind.options) or "なし"
        raise HouseholdFormatError(f"{path}.options", f"{kind.name}に選べる記載事項: {allowed}")
    year = _whole(value, "year", f"{path}.year", 1989, 2200)
    if year is not None and kind.where != "tax":
        raise HouseholdFormatError(f"{path}.year", "年度は税の証明にだけ書きます")
    copies = _whole(value, "copies", f"{path}.copies", 1, MAX_COPIES)
    return CertificateRequest(
        kind=kind_id,
        members=tuple(members),
        copies=1 if copies is None else copies,
        options=tuple(dict.fromkeys(options)),
        year=year,
    )
