"""The procedure catalogue, loaded from data files with effective dates.

The national layer (``data/catalogue/*.toml``) says what each procedure is and when it
applies; a municipality profile may override any field of a procedure by id. An event
plans with the version of each procedure in force on the event date.
"""

from __future__ import annotations

import itertools
import string
import tomllib
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from counter.deadlines import DeadlineRule
from counter.events import EVENTS
from counter.late_filing import late_filings
from counter.predicates import check_known, uses_age
from counter.profile import MunicipalityProfile

CATALOGUE_DIR = Path(__file__).parent / "data" / "catalogue"
MEMBER_SELECTIONS = (
    "subjects",
    "all",
    "parents",
    "mother",
    "head",
    "others",
    "dependants",
    "subjects_and_dependants",
)
STATUSES = ("required", "check")
COMPUTED_BENEFITS = ("child_allowance",)  # counter.child_allowance


class CatalogueError(ValueError):
    """A catalogue file that cannot be used, naming the file and procedure."""


@dataclass(frozen=True)
class Question:
    id: str
    text: str


@dataclass(frozen=True)
class Procedure:
    id: str
    name: str
    events: tuple[str, ...]
    department: str
    members: str
    deadline: DeadlineRule
    documents: tuple[str, ...]
    forms: tuple[str, ...]
    online: bool
    legal_basis: str
    reason: str
    valid_from: date
    valid_to: date | None = None
    member_when: tuple[str, ...] = ()
    household_when: tuple[str, ...] = ()
    question: str | None = None
    status: str = "required"
    fee: str | None = None
    benefit: str | None = None
    # An amount the planner works out for the household (COMPUTED_BENEFITS), not a
    # fixed one from the profile: {benefit} in the reason then says it child by child.
    computed_benefit: str = ""
    online_note: str = ""
    note: str = ""
    source: str = ""
    age_basis: str = ""  # the statute of its age conditions and how it counts the age
    late_filing: str = ""  # a 届出 with a legal period: its kind in counter.late_filing
    origin: str = ""  # file:line where the data defines it; set by the loader

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class Catalogue:
    procedures: tuple[Procedure, ...]
    questions: dict[str, Question]

    def for_event(self, event: str, on: date) -> list[Procedure]:
        return [p for p in self.procedures if event in p.events and p.in_force(on)]

    def with_profile(self, profile: MunicipalityProfile) -> Catalogue:
        """Apply the municipality's overrides and check every name it refers to."""
        procedures = []
        for procedure in self.procedures:
            override = profile.procedure_overrides.get(procedure.id)
            if override:
                where = f"{profile.code}.toml procedures.{procedure.id}"
                try:
                    procedure = replace(procedure, **_fields(override, where, override=True))
                except (TypeError, ValueError) as exc:
                    raise CatalogueError(f"{where}: {exc}") from None
            where = f"{procedure.origin} ({procedure.id})"
            if procedure.department not in profile.departments:
                raise CatalogueError(
                    f"{where}: 担当課「{procedure.department}」が {profile.code}.toml にありません"
                )
            if procedure.fee and procedure.fee not in profile.fees:
                raise CatalogueError(
                    f"{where}: 手数料「{procedure.fee}」が {profile.code}.toml にありません"
                )
            if procedure.benefit and procedure.benefit not in profile.benefits:
                raise CatalogueError(
                    f"{where}: 給付額「{procedure.benefit}」が {profile.code}.toml にありません"
                )
            procedures.append(procedure)
        return Catalogue(procedures=tuple(procedures), questions=self.questions)


def load_catalogue(directory: Path = CATALOGUE_DIR) -> Catalogue:
    """Load every data file; any problem raises CatalogueError listing all of them."""
    catalogue, problems = read_catalogue(directory)
    if problems:
        raise CatalogueError("\n".join(problems))
    return catalogue


def read_catalogue(directory: Path = CATALOGUE_DIR) -> tuple[Catalogue, list[str]]:
    """The catalogue and every problem found, each as ``file:line: message``."""
    questions: dict[str, Question] = {}
    procedures: list[Procedure] = []
    problems: list[str] = []
    for path in sorted(directory.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            problems.append(f"{path.name}: TOML の書き方が正しくありません（{exc}）")
            continue
        unknown = set(data) - {"questions", "procedures"}
        if unknown:
            problems.append(f"{path.name}:1: 知らない表 {sorted(unknown)}")
        question_lines = _header_lines(text, "[[questions]]")
        procedure_lines = _header_lines(text, "[[procedures]]")
        for index, item in enumerate(data.get("questions", [])):
            where = f"{path.name}:{_line(question_lines, index)}"
            if set(item) != {"id", "text"}:
                problems.append(f"{where}: 質問は id と text だけを書きます")
            elif item["id"] in questions:
                problems.append(f"{where}: 質問「{item['id']}」が重複しています")
            else:
                questions[item["id"]] = Question(id=item["id"], text=item["text"])
        for index, item in enumerate(data.get("procedures", [])):
            where = f"{path.name}:{_line(procedure_lines, index)}"
            try:
                values = _fields(item, f"{where} ({item.get('id', '?')})")
                procedures.append(Procedure(**values, origin=where))
            except (TypeError, ValueError) as exc:
                problems.append(str(exc) if str(exc).startswith(where) else f"{where}: {exc}")
    for procedure in procedures:
        if procedure.question and procedure.question not in questions:
            problems.append(f"{procedure.origin}: 質問「{procedure.question}」が定義されていません")
    problems += _overlaps(procedures)
    return Catalogue(procedures=tuple(procedures), questions=questions), problems


def _header_lines(text: str, header: str) -> list[int]:
    """The line numbers of a ``[[…]]`` table header in a TOML text, in order (read once
    per file: looking each table up again made loading the catalogue quadratic)."""
    lines = enumerate(text.splitlines(), start=1)
    return [number for number, line in lines if line.strip() == header]


def _line(numbers: list[int], index: int) -> int:
    return numbers[index] if index < len(numbers) else 1


REQUIRED = {
    "id", "name", "events", "department", "members", "deadline", "documents", "forms",
    "online", "legal_basis", "reason", "valid_from",
}  # fmt: skip
KNOWN = {f.name for f in fields(Procedure)} - {"origin"}
DEADLINE_KEYS = {"rule", "days", "months", "roll_to_open_day", "note", "notice"}
LOCAL_WORDS = {"city", "department"}  # each city's own names (counter.rules)
REASON_WORDS = {"names", "benefit"} | LOCAL_WORDS


def _placeholders(text: str, allowed: set[str], where: str) -> None:
    """A ``{word}`` the planner does not fill would reach a resident's slip as it is."""
    try:
        words = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        raise CatalogueError(
            f"{where}: 「{{」「}}」の対応が取れていません（{text[:30]}）"
        ) from None
    unknown = sorted(words - allowed)
    if unknown:
        raise CatalogueError(f"{where}: 知らない差し込み {unknown}（使えるのは {sorted(allowed)}）")


def _fields(item: dict[str, Any], where: str, *, override: bool = False) -> dict[str, Any]:
    """Turn one TOML table into Procedure keyword arguments, checking each value."""
    unknown = set(item) - KNOWN
    if unknown:
        raise CatalogueError(f"{where}: 知らない項目 {sorted(unknown)}")
    missing = set() if override else REQUIRED - set(item)
    if missing:
        raise CatalogueError(f"{where}: 必須の項目がありません {sorted(missing)}")
    values = dict(item)
    if "deadline" in values:
        deadline = values["deadline"]
        if not isinstance(deadline, dict) or not set(deadline) <= DEADLINE_KEYS:
            raise CatalogueError(f"{where}: deadline に書けるのは {sorted(DEADLINE_KEYS)} です")
        try:
            values["deadline"] = DeadlineRule(**deadline)
        except ValueError as exc:
            raise CatalogueError(f"{where}: {exc}") from None
    for key in ("valid_from", "valid_to"):
        if key in values:
            try:
                values[key] = date.fromisoformat(str(values[key]))
            except ValueError:
                raise CatalogueError(f"{where}: {key} は YYYY-MM-DD で書いてください") from None
    _placeholders(values.get("reason", ""), REASON_WORDS, where)
    for text in (values.get("note", ""), *values.get("documents", ())):
        _placeholders(text, LOCAL_WORDS, where)
    if isinstance(values.get("deadline"), DeadlineRule):
        _placeholders(values["deadline"].note, LOCAL_WORDS, where)
    for key in ("events", "documents", "forms", "member_when", "household_when"):
        if key in values:
            values[key] = tuple(values[key])
    for event in values.get("events", ()):
        if event not in EVENTS:
            raise CatalogueError(f"{where}: 未知の届出「{event}」")
    if values.get("members", "subjects") not in MEMBER_SELECTIONS:
        raise CatalogueError(f"{where}: members は {' / '.join(MEMBER_SELECTIONS)} のどれかです")
    if values.get("status", "required") not in STATUSES:
        raise CatalogueError(f"{where}: status は required か check です")
    try:
        for expression in values.get("member_when", ()):
            check_known(expression, household=False)
        for expression in values.get("household_when", ()):
            check_known(expression, household=True)
    except ValueError as exc:
        raise CatalogueError(f"{where}: {exc}") from None
    if values.get("computed_benefit", "") not in ("", *COMPUTED_BENEFITS):
        raise CatalogueError(
            f"{where}: computed_benefit は {' / '.join(COMPUTED_BENEFITS)} のどれかです"
        )
    if values.get("late_filing", "") not in ("", *late_filings()):
        raise CatalogueError(f"{where}: late_filing は {' / '.join(late_filings())} のどれかです")
    conditions = [*values.get("member_when", ()), *values.get("household_when", ())]
    if not override and any(uses_age(c) for c in conditions) and not values.get("age_basis"):
        raise CatalogueError(
            f"{where}: 年齢の条件があります。根拠の法令と年齢の数え方を age_basis に書いてください"
        )
    return values


def _overlaps(procedures: list[Procedure]) -> list[str]:
    """Two versions of one procedure may not be in force on the same day."""
    by_id: dict[str, list[Procedure]] = {}
    for procedure in procedures:
        by_id.setdefault(procedure.id, []).append(procedure)
    problems = []
    for versions in by_id.values():
        versions.sort(key=lambda p: p.valid_from)
        for earlier, later in itertools.pairwise(versions):
            if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                problems.append(f"{later.origin}: {later.id} の有効期間が重なっています")
    return problems
