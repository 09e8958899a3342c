"""Reading the household interchange format (docs/household-format.md).

This format is a product interface: pre-arrival data and other systems hand a household
to us in it, so every field is checked and the first problem is reported with its path
(``members[1].birth_date``) in one Japanese sentence.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from counter.events import EVENTS, OTHER_VISITS
from counter.files import InputFileError, read_input
from counter.honseki import (
    NOT_JAPANESE_MESSAGE,
    check_former_surname,
    check_honseki_text,
    normalize_municipality_code,
)
from counter.household import (
    ANSWERS,
    HEALTH_INSURANCES,
    MEMBER_FLAGS,
    RELATIONS,
    SEXES,
    Address,
    EventCase,
    Honseki,
    Household,
    Member,
)
from counter.mynumber import redact
from counter.register_csv import HOUSEHOLD_ID_MAX, RESIDENT_ID_MAX
from counter.residence import (
    FOREIGN_FIELDS,
    JAPANESE_MESSAGE,
    check_residence_text,
    normalize_card_number,
)
from counter.textnorm import (
    TextFormatError,
    check_field_text,
    check_plain_text,
    normalize_kana,
    normalize_postal_code,
    shown,
)
from counter.wareki import DateFormatError, parse_date

TOP_LEVEL_KEYS = {
    "format_version",
    "municipality",
    "event",
    "event_date",
    "address",
    "previous_address",
    "household_id",
    "members",
    "answers",
    "form_data",
}
MEMBER_KEYS = {
    "id",
    "name",
    "kana",
    "birth_date",
    "sex",
    "relation",
    "health_insurance",
    "nationality",
    "subject",
    *MEMBER_FLAGS,
    "resident_since",
    "honseki",
    "former_surname",
    *FOREIGN_FIELDS,
}
MAX_FILE_BYTES = 1_000_000
"""A household is a few kilobytes; anything far larger is not a household file."""


class HouseholdFormatError(ValueError):
    """One problem in a household document, with the path of the field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


def load_event_case(path: Path) -> EventCase:
    """Read and validate a household file; any problem becomes a HouseholdFormatError."""
    return parse_event_case(read_document(path))


def read_document(path: Path) -> Any:
    """The JSON of a household file (or a certificate request, which holds one).

    Only a regular file is opened (a FIFO would block, a device never end) and at most
    MAX_FILE_BYTES of it are read; a UTF-8 BOM (Windows Notepad) is allowed.
    """
    try:
        data = read_input(path, limit=MAX_FILE_BYTES)
    except InputFileError as exc:
        raise HouseholdFormatError(
            "", f"ファイルが{exc}" if "大きすぎ" in str(exc) else str(exc)
        ) from None
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise HouseholdFormatError(f"{line}行目", "UTF-8 のテキストではありません") from None
    return _json(raw)


def _json(raw: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise HouseholdFormatError(
            f"{exc.lineno}行目 {exc.colno}文字目", "JSON の書き方が正しくありません"
        ) from None
    except ValueError:  # an integer of thousands of digits
        raise HouseholdFormatError("", "JSON に桁数の多すぎる数があります") from None
    except RecursionError:
        raise HouseholdFormatError("", "JSON の入れ子が深すぎます") from None


def parse_event_case(data: Any) -> EventCase:
    if not isinstance(data, dict):
        raise HouseholdFormatError("（全体）", "JSON のオブジェクト { ... } にしてください")
    reject_unknown_keys(data, TOP_LEVEL_KEYS, "")
    municipality = _municipality(data)
    # A certificate visit is stored like an event (counter.events.OTHER_VISITS).
    event = _choice(data, "event", "event", {**EVENTS, **OTHER_VISITS})
    event_date = _date(data, "event_date", "event_date")
    address = _address(data.get("address"), "address")
    previous = data.get("previous_address")
    previous_address = None if previous is None else _address(previous, "previous_address")
    members = _members(data.get("members"), event, event_date)
    answers = _answers(data.get("answers", {}))
    parse_form_data(data.get("form_data"))  # checked here too: a plan never passes a bad one
    household_id = data.get("household_id")
    if household_id is not None:
        household_id = _plain(household_id, "household_id", HOUSEHOLD_ID_MAX)
    return EventCase(
        municipality=municipality,
        event=event,
        event_date=event_date,
        household=Household(address=address, members=members, household_id=household_id),
        answers=answers,
        previous_address=previous_address,
    )


def _municipality(data: dict) -> str:
    """The household's city: the profile it is planned with (any width, check digit)."""
    return _checked(
        lambda text: normalize_municipality_code(text, what="地方公共団体コード"),
        _text(data, "municipality", "municipality"),
        "municipality",
    )


def reject_unknown_keys(data: dict, allowed: set[str], prefix: str) -> None:
    """A key the format does not have is named, as staff can read it: a blank one said to
    be blank, a control character never printed (it could rewrite the terminal)."""
    for key in data:
        if key not in allowed:
            name = shown(str(key)) if str(key).strip() else "（空の項目名）"
            raise HouseholdFormatError(f"{prefix}{name}", "この項目は書式にありません")


def _text(
    data: dict, key: str, path: str, *, required: bool = True, line_breaks: bool = False
) -> str:
    value = data.get(key)
    if value is None:
        if required:
            raise HouseholdFormatError(path, "必須の項目がありません")
        return ""
    value = _plain(value, path, line_breaks=line_breaks)
    if required and not value.strip(" \u3000"):
        raise HouseholdFormatError(path, "空欄です")
    return value


def _plain(value: Any, path: str, limit: int | None = None, *, line_breaks: bool = False) -> str:
    """A string without control characters or lone surrogates (``check_plain_text``), at
    most ``limit`` long: what the register accepts, so a stored case always reads back."""
    if not isinstance(value, str):
        raise HouseholdFormatError(path, "文字列にしてください")
    try:
        check_plain_text(value, line_breaks=line_breaks)
    except TextFormatError as exc:
        raise HouseholdFormatError(path, str(exc)) from None
    if limit is not None and len(value) > limit:
        raise HouseholdFormatError(path, f"{limit}文字までにしてください")
    return value


def _choice(data: dict, key: str, path: str, allowed: dict[str, str]) -> str:
    value = _text(data, key, path)
    if value not in allowed:
        raise HouseholdFormatError(path, f"「{shown(value)}」は使えません（{' / '.join(allowed)}）")
    return value


def _date(data: dict, key: str, path: str) -> date:
    try:
        return parse_date(_text(data, key, path))
    except DateFormatError as exc:
        raise HouseholdFormatError(path, str(exc)) from None


def _bool(data: dict, key: str, path: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise HouseholdFormatError(path, "true か false にしてください")
    return value


def _address(value: Any, path: str) -> Address:
    if not isinstance(value, dict):
        raise HouseholdFormatError(path, "postal_code と text を持つオブジェクトにしてください")
    reject_unknown_keys(value, {"postal_code", "text"}, f"{path}.")
    try:
        postal_code = normalize_postal_code(_text(value, "postal_code", f"{path}.postal_code"))
    except TextFormatError as exc:
        raise HouseholdFormatError(f"{path}.postal_code", str(exc)) from None
    text = _text(value, "text", f"{path}.text", line_breaks=True)
    return Address(postal_code=postal_code, text=_limited(text, "address", f"{path}.text"))


def _limited(text: str, kind: str, path: str) -> str:
    """``text`` when no longer than its kind of field takes (``TEXT_LIMITS``)."""
    try:
        return check_field_text(text, kind, line_breaks=kind == "address")
    except TextFormatError as exc:
        raise HouseholdFormatError(path, str(exc)) from None


def parse_household(data: dict, on: date) -> tuple[str, Household]:
    """The city and the household of a document in this format, without its event: what
    a certificate request (``counter certificates``) holds. ``on`` bounds the dates."""
    municipality = _municipality(data)
    address = _address(data.get("address"), "address")
    household_id = data.get("household_id")
    if household_id is not None:
        household_id = _plain(household_id, "household_id", HOUSEHOLD_ID_MAX)
    members = parse_members(data.get("members"), on)
    return municipality, Household(address=address, members=members, household_id=household_id)


def parse_members(value: Any, on: date) -> tuple[Member, ...]:
    """One or more members with distinct ids and exactly one head."""
    if not isinstance(value, list) or not value:
        raise HouseholdFormatError("members", "世帯員を1人以上、配列で書いてください")
    members = tuple(_member(item, f"members[{i}]", on) for i, item in enumerate(value))
    seen: set[str] = set()
    for i, member in enumerate(members):
        if member.id in seen:
            raise HouseholdFormatError(
                f"members[{i}].id", f"「{shown(member.id)}」が重複しています"
            )
        seen.add(member.id)
    heads = [i for i, m in enumerate(members) if m.relation == "head"]
    if len(heads) != 1:
        raise HouseholdFormatError("members", "世帯主（relation: head）はちょうど1人にしてください")
    return members


def _members(value: Any, event: str, event_date: date) -> tuple[Member, ...]:
    members = parse_members(value, event_date)
    subjects = [i for i, m in enumerate(members) if m.subject]
    if not subjects:
        raise HouseholdFormatError("members", "届出の対象者（subject: true）がいません")
    if event == "birth":
        if len(subjects) != 1 and not all(members[i].relation == "child" for i in subjects):
            raise HouseholdFormatError("members", "出生の対象者は生まれた子にしてください")
        for i in subjects:
            if members[i].birth_date != event_date:
                raise HouseholdFormatError(
                    f"members[{i}].birth_date", "出生の対象者の生年月日は event_date と同じ日です"
                )
    return members


def _member(value: Any, path: str, event_date: date) -> Member:
    if not isinstance(value, dict):
        raise HouseholdFormatError(path, "オブジェクト { ... } にしてください")
    reject_unknown_keys(value, MEMBER_KEYS, f"{path}.")
    member_id = _text(value, "id", f"{path}.id")
    if len(member_id) > RESIDENT_ID_MAX:
        raise HouseholdFormatError(f"{path}.id", f"{RESIDENT_ID_MAX}文字までにしてください")
    name = _limited(_text(value, "name", f"{path}.name"), "name", f"{path}.name")
    try:
        kana = check_field_text(normalize_kana(_text(value, "kana", f"{path}.kana")), "kana")
    except TextFormatError as exc:
        raise HouseholdFormatError(f"{path}.kana", str(exc)) from None
    birth_date = _date(value, "birth_date", f"{path}.birth_date")
    if birth_date > event_date:
        raise HouseholdFormatError(
            f"{path}.birth_date",
            "出来事の日（event_date）より後の生年月日です。どちらかの日付が違います",
        )
    nationality = value.get("nationality", "JP")
    if not (
        isinstance(nationality, str)
        and len(nationality) == 2
        and nationality.isascii()
        and nationality.isalpha()
    ):
        raise HouseholdFormatError(f"{path}.nationality", "国籍は2文字の国コードです（例: JP）")
    honseki = _honseki(value.get("honseki"), f"{path}.honseki")
    if honseki is not None and nationality.upper() != "JP":
        message = NOT_JAPANESE_MESSAGE.format(nationality=nationality.upper())
        raise HouseholdFormatError(f"{path}.honseki", message)
    residence = _residence(value, path, birth_date)
    if nationality.upper() == "JP":
        for key in FOREIGN_FIELDS:
            if residence[key] not in ("", None):
                raise HouseholdFormatError(f"{path}.{key}", JAPANESE_MESSAGE)
    return Member(
        id=member_id,
        name=name,
        kana=kana,
        birth_date=birth_date,
        sex=_choice(value, "sex", f"{path}.sex", SEXES),
        relation=_choice(value, "relation", f"{path}.relation", RELATIONS),
        health_insurance=_choice(
            value, "health_insurance", f"{path}.health_insurance", HEALTH_INSURANCES
        ),
        nationality=nationality.upper(),
        subject=_bool(value, "subject", f"{path}.subject"),
        **{flag: _bool(value, flag, f"{path}.{flag}") for flag in MEMBER_FLAGS},
        resident_since=_resident_since(value, f"{path}.resident_since", birth_date),
        honseki=honseki,
        former_surname=_checked(
            check_former_surname,
            _text(value, "former_surname", f"{path}.former_surname", required=False),
            f"{path}.former_surname",
        ),
        residence_status=residence["residence_status"],
        residence_period=residence["residence_period"],
        residence_expiry=residence["residence_expiry"],
        residence_card_number=residence["residence_card_number"],
    )


def _residence(data: dict, path: str, birth_date: date) -> dict[str, Any]:
    """A foreign resident's 在留資格, 在留期間の満了の日 and 在留カード等の番号; each
    optional (absent, ``null`` or blank: not known)."""
    expiry = None
    if data.get("residence_expiry") is not None:
        expiry = _date(data, "residence_expiry", f"{path}.residence_expiry")
        if expiry < birth_date:
            raise HouseholdFormatError(
                f"{path}.residence_expiry", "生年月日（birth_date）より前の日付です"
            )
    return {
        "residence_status": _checked(
            check_residence_text,
            _text(data, "residence_status", f"{path}.residence_status", required=False),
            f"{path}.residence_status",
        ),
        "residence_period": _checked(
            check_residence_text,
            _text(data, "residence_period", f"{path}.residence_period", required=False),
            f"{path}.residence_period",
        ),
        "residence_expiry": expiry,
        "residence_card_number": _checked(
            normalize_card_number,
            _text(data, "residence_card_number", f"{path}.residence_card_number", required=False),
            f"{path}.residence_card_number",
        ),
    }


def _resident_since(data: dict, path: str, birth_date: date) -> date | None:
    """住定日: optional (absent or null), never before the birth date."""
    if data.get("resident_since") is None:
        return None
    since = _date(data, "resident_since", path)
    if since < birth_date:
        raise HouseholdFormatError(path, "生年月日（birth_date）より前の日付です")
    return since


def _honseki(value: Any, path: str) -> Honseki | None:
    """``{"municipality": "312029", "text": "..."}``, or None when absent or null."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise HouseholdFormatError(path, "municipality と text を持つオブジェクトにしてください")
    reject_unknown_keys(value, {"municipality", "text"}, f"{path}.")
    code_path, text_path = f"{path}.municipality", f"{path}.text"
    return Honseki(
        municipality=_checked(
            normalize_municipality_code, _text(value, "municipality", code_path), code_path
        ),
        text=_checked(check_honseki_text, _text(value, "text", text_path), text_path),
    )


def _checked(check: Callable[[str], str], text: str, path: str) -> str:
    """``check(text)``, its TextFormatError made a HouseholdFormatError naming ``path``."""
    try:
        return check(text)
    except TextFormatError as exc:
        raise HouseholdFormatError(path, str(exc)) from None


def _answers(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise HouseholdFormatError("answers", "質問ID と回答のオブジェクトにしてください")
    for key, answer in value.items():
        path = f"answers.{shown(str(key))}"
        _plain(key, path)
        if not isinstance(answer, str) or answer not in ANSWERS:
            raise HouseholdFormatError(path, "回答は yes / no / unknown のどれかです")
    return dict(value)


def event_case_to_dict(case: EventCase) -> dict[str, Any]:
    """The inverse of parse_event_case, used to store and hand on a case unchanged."""

    def address(a: Address) -> dict[str, str]:
        return {"postal_code": a.postal_code, "text": a.text}

    data: dict[str, Any] = {
        "municipality": case.municipality,
        "event": case.event,
        "event_date": case.event_date.isoformat(),
        "address": address(case.household.address),
        "members": [member_to_dict(m) for m in case.household.members],
        "answers": dict(case.answers),
    }
    if case.household.household_id is not None:
        data["household_id"] = case.household.household_id
    if case.previous_address is not None:
        data["previous_address"] = address(case.previous_address)
    return data


def member_to_dict(m: Member) -> dict[str, Any]:
    """One member in the format; the optional facts only when known, so that a member
    without them is written as before they existed."""
    data: dict[str, Any] = {
        "id": m.id,
        "name": m.name,
        "kana": m.kana,
        "birth_date": m.birth_date.isoformat(),
        "sex": m.sex,
        "relation": m.relation,
        "health_insurance": m.health_insurance,
        "nationality": m.nationality,
        "subject": m.subject,
        **{flag: getattr(m, flag) for flag in MEMBER_FLAGS},
    }
    if m.resident_since is not None:
        data["resident_since"] = m.resident_since.isoformat()
    if m.honseki is not None:
        data["honseki"] = {"municipality": m.honseki.municipality, "text": m.honseki.text}
    if m.former_surname:
        data["former_surname"] = m.former_surname
    if m.residence_status:
        data["residence_status"] = m.residence_status
    if m.residence_period:
        data["residence_period"] = m.residence_period
    if m.residence_expiry is not None:
        data["residence_expiry"] = m.residence_expiry.isoformat()
    if m.residence_card_number:
        data["residence_card_number"] = m.residence_card_number
    return data


FORM_DATA_MAX = 200
"""The longest value a form's box takes (as a note or an address)."""
MYNUMBER_KEY = "mynumber"
NO_MYNUMBER = "個人番号はこのファイルに書けません（窓口で入力します）"


def load_household_with_form_data(path: Path) -> tuple[EventCase, dict[str, str]]:
    """A household file's case and its ``form_data`` (``counter forms``), each checked."""
    data = read_document(path)
    case = parse_event_case(data)
    return case, parse_form_data(data.get("form_data"))


def parse_form_data(value: Any) -> dict[str, str]:
    """``form_data``: what the counter would type on the forms, by datum key. Only its
    shape is checked here (the core knows no form): which keys exist and how a value is
    written is ``forms.form_data``'s to say. The individual number never comes this way:
    a key of one, or a value holding twelve digits in a row, is refused."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise HouseholdFormatError("form_data", "項目名と値のオブジェクト { ... } にしてください")
    found: dict[str, str] = {}
    for key, text in value.items():
        path = f"form_data.{shown(str(key))}" if str(key).strip() else "form_data.（空の項目名）"
        _plain(key, path)
        if not key.strip():
            raise HouseholdFormatError(path, "項目名が空です")
        if key.strip().lower().startswith(MYNUMBER_KEY):
            raise HouseholdFormatError(path, NO_MYNUMBER)
        text = _plain(text, path, FORM_DATA_MAX)
        if redact(text) != text:
            raise HouseholdFormatError(
                path, "12桁の数字は書けません（個人番号はこのファイルに書けません）"
            )
        found[key] = text
    return found
