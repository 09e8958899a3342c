"""A household file's ``form_data``: the values the counter would type on the forms,
given in advance (by a kiosk, a test, another system) and checked as typed ones are.

A key is a datum of some form definition (``contact_phone``), or for a box each member
has, the datum and the member (``birth_place#m3``), as ``forms.prefill`` keys them. A
value passes ``StaffInput.normalize`` as if staff had typed it: a phone number must be
one. The individual number is never a datum (``counter.interchange.parse_form_data``
refuses it first; a definition's number box has no datum key).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from counter.household import EventCase
from counter.interchange import HouseholdFormatError
from counter.textnorm import shown
from forms.prefill import TYPED_CHECKS, StaffInput, check_typed
from forms.registry import definitions

MEMBER_MARK = "#"  # 「<datum>#<member id>」, as forms.prefill keys a per-member datum


@dataclass(frozen=True)
class Datum:
    """One datum key as the definitions use it: how its value is checked and whether it
    is asked once for the visit, once per member, or either (on different forms)."""

    format: str | None
    per_member: bool
    shared: bool


@cache
def datums() -> dict[str, Datum]:
    """Every datum key of every definition (all versions)."""
    found: dict[str, Datum] = {}
    for versions in definitions().values():
        for definition in versions:
            rows = {s.key for s in definition.sections if s.per_member}
            for field in definition.fields:
                if not field.datum:
                    continue
                known = found.get(field.datum, Datum(None, False, False))
                checked = field.format if field.format in TYPED_CHECKS else None
                found[field.datum] = Datum(
                    format=known.format or checked,
                    per_member=known.per_member or field.section in rows,
                    shared=known.shared or field.section not in rows,
                )
    return found


def check_form_data(values: Mapping[str, str], case: EventCase) -> dict[str, str]:
    """``values`` as the forms take them (normalised, by datum key); the first unknown
    key, unknown member or badly written value is a HouseholdFormatError naming
    ``form_data.<key>``."""
    known = datums()
    members = {m.id for m in case.household.members}
    checked: dict[str, str] = {}
    for key, text in values.items():
        path = f"form_data.{shown(key)}"
        name, mark, person = key.partition(MEMBER_MARK)
        datum = known.get(name)
        if datum is None:
            raise HouseholdFormatError(path, "どの届出書にもない項目です")
        if mark and not datum.per_member:
            raise HouseholdFormatError(
                path, f"世帯員ごとの項目ではありません（「{shown(name)}」と書いてください）"
            )
        if mark and person not in members:
            raise HouseholdFormatError(path, f"世帯員「{shown(person)}」は members にいません")
        if not mark and not datum.shared:
            raise HouseholdFormatError(
                path, f"世帯員ごとの項目です（「{shown(name)}#世帯員のid」と書いてください）"
            )
        item = StaffInput(key, name, "", "", (), datum.format)
        normalised, errors = check_typed([item], {key: text})
        if key in errors:
            raise HouseholdFormatError(path, errors[key])
        checked[key] = normalised[key]
    return checked
