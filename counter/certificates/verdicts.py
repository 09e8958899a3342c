"""The verdict of one certificate for one member: by the kind's rule for the requester's
standing, at the 本籍地 (広域交付 included), at the city of 1 January for tax, and with
the options a 住民票 may or may not carry for this requester."""

from __future__ import annotations

from datetime import date

from counter.certificates.kinds import (
    CertificateKind,
    CertificateRules,
    latest_tax_year,
    nendo_label,
)
from counter.certificates.model import REQUESTERS, CertificateRequest, Requester
from counter.household import Member
from counter.profile import MunicipalityProfile
from counter.wareki import format_wareki

IDENTITY = "来られた方の本人確認書類（顔写真付き1点、または顔写真なし2点）"
PHOTO_IDENTITY = "顔写真付きの本人確認書類（マイナンバーカード・運転免許証・パスポートなど）"
PROXY_LETTER = "委任状（本人が書いたもの）"
PURPOSE_PAPERS = "請求の理由がわかる資料（契約書・裁判所の書類など）"
SEAL_CARD = "印鑑登録証（カード）"
KINSHIP_PAPERS = "請求する方と本人の関係がわかる戸籍の証明（本籍が違う場合）"

Verdict = tuple[str, str, str, tuple[str, ...]]  # issuable, reason, where, documents


def by_rule(
    rule: str,
    requester: Requester,
    kind: CertificateKind,
    member: Member,
    profile: MunicipalityProfile,
    standing: str,
    unsure: bool,
    where: str,
) -> Verdict:
    label = REQUESTERS[standing]
    if standing == "spouse_or_lineal" and requester.member is not None:
        label = "配偶者・直系の親族"  # of the same household
    asking = f"{label}からの請求"
    if rule == "yes":
        if unsure:
            reason = f"{asking}です。配偶者・直系の親族であることを戸籍などで確かめます"
            return "check", reason, where, (IDENTITY, KINSHIP_PAPERS)
        # A relative from another household shows how they are related to the person.
        outside = standing == "spouse_or_lineal" and requester.member is None
        documents = (IDENTITY, KINSHIP_PAPERS) if outside else (IDENTITY,)
        return "yes", f"{asking}です", where, documents
    if rule == "proxy_letter":
        if requester.proxy_letter:
            reason = f"{asking}で、本人の委任状があります"
            return "yes", reason, where, (PROXY_LETTER, IDENTITY)
        reason = f"{asking}には、本人の委任状が必要です。委任状がないため交付できません"
        return "no", reason, where, (PROXY_LETTER, IDENTITY)
    if rule == "purpose":
        if requester.proxy_letter and standing != "third_party":
            reason = f"{asking}で、本人の委任状があります"
            return "yes", reason, where, (PROXY_LETTER, IDENTITY)
        if requester.purpose.strip():
            reason = (
                f"{asking}です。使いみち（{requester.purpose.strip()}）が法の認める正当な理由に"
                "あたるかを確かめてから交付します"
            )
            return "check", reason, where, (IDENTITY, PURPOSE_PAPERS)
        reason = f"{asking}には、使いみち（正当な理由）か本人の委任状が必要です"
        return "no", reason, where, (IDENTITY, PURPOSE_PAPERS)
    if rule == "seal_card":
        return _seal(requester, member, profile, where)
    reason = f"{asking}には交付できません。本人の委任状があれば代理人として請求できます"
    if requester.kind == "third_party":
        reason = f"第三者には交付できません（{kind.legal_basis}）"
    return "no", reason, where, ()


def _seal(
    requester: Requester, member: Member, profile: MunicipalityProfile, where: str
) -> Verdict:
    if not member.seal_registered:
        reason = "印鑑登録がないため交付できません（先に印鑑登録が必要です）"
        return "no", reason, where, ()
    if requester.seal_card:
        reason = (
            "印鑑登録証（カード）があります。来られた方が本人の住所・氏名・生年月日を申し出ます"
        )
        return "yes", reason, where, (SEAL_CARD,)
    card_stands_in = profile.certificates.card_for_seal_card and requester.mynumber_card
    if card_stands_in and requester.member == member.id:
        reason = "本人のマイナンバーカードを印鑑登録証の代わりに使えます（この市の定め）"
        return "yes", reason, where, ("マイナンバーカード（暗証番号の入力）",)
    reason = "印鑑登録証（カード）がないため交付できません。委任状では代わりになりません"
    return "no", reason, where, (SEAL_CARD,)


def in_honseki_city(
    requester: Requester,
    kind: CertificateKind,
    member: Member,
    profile: MunicipalityProfile,
    on: date,
    rules: CertificateRules,
    standing: str,
    rule: str,
    unsure: bool,
    counter: str,
) -> Verdict:
    if member.nationality != "JP":
        reason = "日本の国籍がない方には戸籍がありません（住民票の写しで証明できることがあります）"
        return "no", reason, counter, ()
    if member.honseki is None:
        reason = "本籍が登録されていません。本籍地を伺って確かめます"
        return "check", reason, counter, (IDENTITY,)
    if member.honseki.municipality == profile.code:
        where = f"本籍地の{profile.name} {counter}"
        return by_rule(rule, requester, kind, member, profile, standing, unsure, where)
    elsewhere = f"本籍地（{member.honseki.text}）の市区町村"
    if not kind.wide_area or on < rules.wide_area_from:
        reason = f"本籍が{profile.name}にないため、本籍地に請求してください（郵送でも請求できます）"
        return "no", reason, elsewhere, ()
    where = f"広域交付（{counter}、本籍地: {member.honseki.text}）"
    basis = rules.wide_area_basis
    if requester.kind in ("agent", "third_party"):
        reason = (
            f"本籍が他の市区町村にあり、広域交付は本人・配偶者・直系の方が窓口に来た場合に限られます"
            f"（{basis}）。代理人・第三者は本籍地に請求してください"
        )
        return "no", reason, elsewhere, ()
    if standing not in ("self", "spouse_or_lineal"):
        reason = f"広域交付を請求できるのは本人・配偶者・直系の方だけです（{basis}）"
        return "no", reason, elsewhere, ()
    if not requester.photo_id:
        reason = f"広域交付には顔写真付きの本人確認書類が必要です（{basis}）"
        return "no", reason, where, (PHOTO_IDENTITY,)
    documents = (PHOTO_IDENTITY,)
    if unsure:
        reason = f"広域交付です（{basis}）。配偶者・直系の親族であることを戸籍で確かめます"
        return "check", reason, where, documents
    if kind.wide_area_note:
        return "check", f"広域交付です（{basis}）。{kind.wide_area_note}", where, documents
    return "yes", f"広域交付です（{basis}）。本籍地から取り寄せて交付します", where, documents


def not_resident_on_january_1(
    year: int, member: Member, profile: MunicipalityProfile, on: date
) -> Verdict | None:
    """A tax certificate comes from the city where the person lived on 1 January of the
    年度 (the 賦課期日, 地方税法39条・318条); a 年度 not yet issued is none at all."""
    latest = latest_tax_year(on, profile)
    label = nendo_label(year)
    if year > latest:
        month, day = profile.certificates.tax_available_from
        reason = f"{label}の証明は{year}年{month}月{day}日から交付します"
        return "no", reason, profile.name, ()
    january = date(year, 1, 1)
    if member.resident_since is None:
        reason = (
            f"{profile.name}に住み始めた日が登録されていません。"
            f"{format_wareki(january)}に住んでいた市区町村を確かめます"
        )
        return "check", reason, profile.name, (IDENTITY,)
    if member.resident_since > january:
        reason = (
            f"{format_wareki(january)}には{profile.name}に住んでいなかったため（住み始めた日: "
            f"{format_wareki(member.resident_since)}）、{label}の証明はその日に住んでいた市区町村"
            "（前の住所地）に請求してください"
        )
        return "no", reason, "1月1日に住んでいた市区町村", ()
    return None


def with_options(
    verdict: Verdict,
    request: CertificateRequest,
    kind: CertificateKind,
    member: Member,
    profile: MunicipalityProfile,
    rules: CertificateRules,
    standing: str,
) -> Verdict:
    issuable, reason, where, documents = verdict
    for option_id in request.options:
        option = rules.options[option_id]
        if option_id not in profile.certificates.options:
            return "no", f"{profile.name}では「{option.label}」を記載していません", where, ()
        if option.only and standing not in option.only:
            reason = (
                f"「{option.label}」は本人・同一世帯の方・委任を受けた代理人の請求に限り記載します"
                "（住民基本台帳法第12条の3第7項）。この項目を外せば請求できます"
            )
            return "no", reason, where, ()
    if "mynumber" in request.options and standing == "agent":
        reason += "。個人番号入りの住民票は代理人には窓口でお渡しせず、本人の住所に郵送します"
        where = "本人の住所へ郵送"
    if "former_surname" in request.options and not member.former_surname:
        reason += f"。{member.name}さんには旧氏の登録がないため、旧氏は記載されません"
    return issuable, reason, where, documents
