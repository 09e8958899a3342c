"""What a certificate request writes on its forms, so nobody types it again.

Staff choose the certificates, the copies, the options and who is asking on the
certificate screen; the request forms (住民票の写し等交付申請書, 戸籍証明書等交付請求書,
印鑑登録証明書交付申請書, 税務証明交付申請書) carry exactly that. The values are given to
``forms.prefill`` by datum key (the keys the definition files name), so they are filled
as data and counted as prefilled, never as typed. A form that several lines share (two
kinds of 住民票) lists each line. Only lines that can be issued have a form.

Pure: no PDF library here.
"""

from __future__ import annotations

from collections.abc import Sequence

from counter.certificates import (
    REQUESTERS,
    CertificateDecision,
    CertificateLine,
    CertificateRules,
    Requester,
    load_certificate_rules,
    nendo_label,
)
from counter.household import Household
from counter.wareki import format_wareki
from forms.prefill import FORM_SCOPE

# The datum keys each request form names for the request's own values.
FORM_DATUMS = {
    "住民票の写し等交付申請書": {
        "kind": "certificate_kind",
        "copies": "certificate_copies",
        "items": "certificate_items",
        "purpose": "certificate_purpose",
        "fee": "certificate_fee",
        "scope": "certificate_scope",
        "removed": "certificate_removed",
    },
    "戸籍証明書等交付請求書": {
        "kind": "koseki_kind",
        "copies": "koseki_copies",
        "purpose": "koseki_purpose",
        "fee": "koseki_fee",
    },
    "印鑑登録証明書交付申請書": {
        "copies": "seal_certificate_copies",
        "fee": "seal_certificate_fee",
        "seal_card": "seal_card_presented",
    },
    "税務証明交付申請書": {
        "kind": "tax_certificate_kind",
        "year": "tax_year",
        "copies": "tax_certificate_copies",
        "purpose": "tax_purpose",
        "fee": "tax_certificate_fee",
    },
}
NO_ITEMS = "記載しない（省略）"
SEAL_CARD_PRESENTED = "提示あり"
WHOLE_HOUSEHOLD = "世帯全員"
PART_OF_HOUSEHOLD = "世帯の一部（{count}人）"
NO_REMOVED = "請求なし（現在の住民票）"  # a request here never asks for a 除票


def certificate_form_values(
    decision: CertificateDecision, household: Household, rules: CertificateRules | None = None
) -> dict[str, str]:
    """The request's details by datum key: each form's certificates, copies, options and
    年度 (from the lines that can be issued), and who asks, why and with which document;
    how the requester stands (本人, for the household) is said per form."""
    rules = rules or load_certificate_rules()
    issued = [line for line in decision.lines if line.issuable != "no"]
    values: dict[str, str] = _requester_values(decision.requester, household)
    for form, datums in FORM_DATUMS.items():
        lines = [line for line in issued if line.form == form]
        if lines:
            values.update(_form_values(lines, datums, rules, decision))
            values.update(_household_scope(lines, datums, household))
            standing = _standing(decision.requester, lines)
            if standing:
                values[f"{form}{FORM_SCOPE}applicant_type"] = standing
    return {key: value for key, value in values.items() if value}


def _form_values(
    lines: Sequence[CertificateLine],
    datums: dict[str, str],
    rules: CertificateRules,
    decision: CertificateDecision,
) -> dict[str, str]:
    kinds = list(dict.fromkeys(rules.kinds[line.kind].name for line in lines))
    several = len(lines) > 1

    def each(text: str, line: CertificateLine) -> str:
        """「2通」, or for a form several lines share 「住民票の写し 2通」."""
        return f"{rules.kinds[line.kind].name} {text}" if several else text

    values = {
        "kind": "、".join(kinds),
        "copies": "、".join(each(f"{line.copies}通", line) for line in lines),
        "fee": f"{sum(line.fee for line in lines):,}円",
        "purpose": decision.requester.purpose.strip(),
        "seal_card": SEAL_CARD_PRESENTED if decision.requester.seal_card else "",
    }
    if "items" in datums:
        labels = dict.fromkeys(label for line in lines for label in line.option_labels)
        values["items"] = "、".join(labels) or NO_ITEMS
    years = [line for line in lines if line.year is not None]
    if years:
        values["year"] = "、".join(
            dict.fromkeys(each(nendo_label(line.year), line) for line in years if line.year)
        )
    return {datums[key]: value for key, value in values.items() if key in datums}


def _household_scope(
    lines: Sequence[CertificateLine], datums: dict[str, str], household: Household
) -> dict[str, str]:
    """A 住民票's 世帯全員 or 世帯の一部 (how many it names), and that no 除票 is asked."""
    if "scope" not in datums:
        return {}
    named = {member for line in lines for member in line.members}
    whole = named >= {m.id for m in household.members}
    scope = WHOLE_HOUSEHOLD if whole else PART_OF_HOUSEHOLD.format(count=len(named))
    return {datums["scope"]: scope, datums["removed"]: NO_REMOVED}


def _standing(requester: Requester, lines: Sequence[CertificateLine]) -> str:
    """A member's standing on one form: 本人, 同一世帯の方, or both (a 住民票 of the
    household); "" for someone from outside (the same on every form)."""
    if requester.member is None:
        return ""
    about = {m for line in lines for m in line.members}
    own = requester.member in about
    if own and about - {requester.member}:
        return "本人・同一世帯の方"
    return REQUESTERS["self" if own else "household"]


def _requester_values(requester: Requester, household: Household) -> dict[str, str]:
    """Who is at the counter: their standing, their name and the document they showed;
    for a member of the household also their address and birth date (someone from outside
    gives them at the counter)."""
    kind = REQUESTERS[requester.kind]
    if requester.kind == "agent":
        kind += "（委任状あり）" if requester.proxy_letter else "（委任状なし）"
    name = requester.name.strip()
    address = birth_date = ""
    if requester.member is not None:
        member = household.member(requester.member)
        name, address = member.name, household.address.text
        birth_date = format_wareki(member.birth_date, weekday=False)
    if requester.mynumber_card:
        document = "マイナンバーカード"
    elif requester.photo_id:
        document = "顔写真付きの本人確認書類"
    else:
        document = ""
    return {
        "applicant_type": kind,
        "applicant_name": name,
        "identity_document": document,
        "applicant_address": address,
        "applicant_birth_date": birth_date,
    }
