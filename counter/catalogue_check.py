"""`counter catalogue check`: every data file, every profile, every form reference.

Run by CI and by whoever edits the data: it reports all problems at once, each as
``file:line: message``, instead of stopping at the first one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from counter.catalogue import (
    CATALOGUE_DIR,
    Catalogue,
    CatalogueError,
    Procedure,
    read_catalogue,
)
from counter.certificates import CertificateDataError, CertificateRules, load_certificate_rules
from counter.child_allowance import allowance_rules
from counter.profile import (
    PROFILE_DIR,
    MunicipalityProfile,
    ProfileError,
    available_profiles,
    load_profile,
    unsourced,
)


def check_data(
    form_ids: Iterable[str],
    catalogue_dir: Path = CATALOGUE_DIR,
    profile_dir: Path = PROFILE_DIR,
    form_problems: Iterable[str] = (),
) -> tuple[list[str], str]:
    """All problems found, and a one-line summary of what was checked. ``form_problems``
    are those of the form definitions themselves (``forms.registry.definition_problems``:
    the core does not read forms), reported with the rest."""
    catalogue, problems = read_catalogue(catalogue_dir)
    problems += form_problems
    known_forms = set(form_ids)  # forms that have a definition file, so can be pre-filled
    for procedure in catalogue.procedures:
        for form in procedure.forms:
            if form not in known_forms:
                problems.append(
                    f"{procedure.origin}: 様式「{form}」の定義ファイルがありません"
                    "（forms/definitions/forms.toml と forms/definitions/forms/ を確認）"
                )
    try:
        certificates: CertificateRules | None = load_certificate_rules()
    except (CertificateDataError, KeyError, ValueError) as exc:
        certificates = None
        problems.append(f"certificates.toml: {exc}")
    for kind in certificates.kinds.values() if certificates else ():
        if kind.form not in known_forms:
            problems.append(
                f"certificates.toml: {kind.id}: 様式「{kind.form}」の定義ファイルがありません"
            )
    try:
        allowance_rules()
    except (KeyError, TypeError, ValueError) as exc:
        problems.append(f"child_allowance.toml: 読めません（{exc}）")
    codes = available_profiles(profile_dir)
    for code in codes:
        try:
            profile = load_profile(code, profile_dir)
        except ProfileError as exc:  # most already start with the file's name
            message = str(exc)
            problems.append(
                message if message.startswith(f"{code}.toml") else f"{code}.toml: {message}"
            )
            continue
        missing = _reference_problems(profile, catalogue)
        problems += missing + [f"{code}.toml: {p}" for p in _profile_problems(profile)]
        if not missing:  # else with_profile would only repeat the first one
            try:
                catalogue.with_profile(profile)
            except CatalogueError as exc:
                problems.append(str(exc))
        if certificates:
            problems += [f"{code}.toml: {p}" for p in _certificate_problems(profile, certificates)]
    used = {p.question for p in catalogue.procedures if p.question}
    for question in sorted(set(catalogue.questions) - used):
        problems.append(f"質問「{question}」はどの手続きにも使われていません")
    summary = (
        f"手続き {len({p.id for p in catalogue.procedures})}種類（{len(catalogue.procedures)}版）、"
        f"質問 {len(catalogue.questions)}、様式 {len(known_forms)}、プロファイル {len(codes)}"
    )
    return problems, summary


def _reference_problems(profile: MunicipalityProfile, catalogue: Catalogue) -> list[str]:
    """Every department, fee and benefit the catalogue names that the profile lacks, each
    once, at the first procedure that needs it with the others named (a city missing one
    would fail mid-visit)."""
    needed: dict[tuple[str, str], list[Procedure]] = {}
    for procedure in catalogue.procedures:
        override = profile.procedure_overrides.get(procedure.id, {})
        for kind, key in (
            ("担当課", override.get("department", procedure.department)),
            ("手数料", override.get("fee", procedure.fee)),
            ("給付額", override.get("benefit", procedure.benefit)),
        ):
            if key:
                needed.setdefault((kind, key), []).append(procedure)
    tables: dict[str, Mapping[str, object]] = {
        "担当課": profile.departments,
        "手数料": profile.fees,
        "給付額": profile.benefits,
    }
    return [
        f"{users[0].origin} ({'、'.join(dict.fromkeys(p.id for p in users))}): "
        f"{kind}「{key}」が {profile.code}.toml にありません"
        for (kind, key), users in needed.items()
        if key not in tables[kind]
    ]


def _profile_problems(profile: MunicipalityProfile) -> list[str]:
    """Fees complete today, one visiting place per order, a child medical range in force,
    and no value that is neither sourced nor marked unconfirmed."""
    today = date.today()
    problems = []
    for what, table in (("手数料", profile.fees), ("給付額", profile.benefits)):
        for key, periods in table.items():
            if not any(p.in_force(today) for p in periods):
                problems.append(f"{what}「{key}」に今日（{today.isoformat()}）有効な額がありません")
            problems += [f"{what}「{key}」の額が負です" for p in periods if p.amount < 0]
    orders: dict[int, list[str]] = {}
    for department in profile.departments.values():
        orders.setdefault(department.order, []).append(department.key)
    problems += [
        f"担当課 {'、'.join(keys)} の順番（order = {order}）が重なっています"
        for order, keys in sorted(orders.items())
        if len(keys) > 1
    ]
    try:
        profile.child_medical(today)
    except ProfileError as exc:
        problems.append(str(exc).removeprefix(f"{profile.code}: "))
    problems += [
        f"{key}: 出典（source / sources）がありません。出典を書くか unconfirmed にしてください"
        for key in unsourced(profile)
    ]
    return problems


def _certificate_problems(profile: MunicipalityProfile, rules: CertificateRules) -> list[str]:
    """Each certificate needs its fee (today) and department in the city's profile, and
    the city may print only the options the law knows."""
    problems = []
    for kind in rules.kinds.values():
        try:
            profile.fee(kind.fee, date.today())
            profile.department(kind.department)
        except ProfileError as exc:
            problems.append(f"証明書 {kind.id}: {exc}")
    for option in set(profile.certificates.options) - set(rules.options):
        problems.append(f"certificates.options: 知らない記載事項「{option}」")
    return problems
