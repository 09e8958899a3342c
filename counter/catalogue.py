"""The procedure catalogue, loaded from data files with effective dates.

The national layer (``data/catalogue/*.toml``) says what each procedure is and when it
applies; a municipality profile may override any field of a procedure by id. An event
plans with the version of each procedure in force on the event date.
"""

from __future__ import annotations

import itertools
import tomllib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from counter.deadlines import DeadlineRule
from counter.events import EVENTS
from counter.predicates import check_known
from counter.profile import MunicipalityProfile

CATALOGUE_DIR = Path(__file__).parent / "data" / "catalogue"
MEMBER_SELECTIONS = ("subjects", "all", "parents", "mother", "head")
STATUSES = ("required", "check")


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
    online_note: str = ""
    note: str = ""

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
                    procedure = replace(procedure, **_fields(override, where))
                except (TypeError, ValueError) as exc:
                    raise CatalogueError(f"{where}: {exc}") from None
            profile.department(procedure.department)
            if procedure.fee:
                profile.fee(procedure.fee)
            procedures.append(procedure)
        return Catalogue(procedures=tuple(procedures), questions=self.questions)


def load_catalogue(directory: Path = CATALOGUE_DIR) -> Catalogue:
    questions: dict[str, Question] = {}
    procedures: list[Procedure] = []
    for path in sorted(directory.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise CatalogueError(f"{path.name}: TOML の書き方が正しくありません（{exc}）") from None
        for item in data.get("questions", []):
            questions[item["id"]] = Question(id=item["id"], text=item["text"])
        for index, item in enumerate(data.get("procedures", [])):
            where = f"{path.name} procedures[{index}] ({item.get('id', '?')})"
            try:
                procedures.append(Procedure(**_fields(item, where)))
            except (TypeError, ValueError) as exc:
                raise CatalogueError(f"{where}: {exc}") from None
    for procedure in procedures:
        if procedure.question and procedure.question not in questions:
            raise CatalogueError(f"{procedure.id}: 質問「{procedure.question}」が未定義です")
    _check_overlaps(procedures)
    return Catalogue(procedures=tuple(procedures), questions=questions)


def _fields(item: dict[str, Any], where: str) -> dict[str, Any]:
    """Turn one TOML table into Procedure keyword arguments, checking each value."""
    fields = dict(item)
    if "deadline" in fields:
        fields["deadline"] = DeadlineRule(**fields["deadline"])
    for key in ("valid_from", "valid_to"):
        if isinstance(fields.get(key), str):
            fields[key] = date.fromisoformat(fields[key])
    for key in ("events", "documents", "forms", "member_when", "household_when"):
        if key in fields:
            fields[key] = tuple(fields[key])
    for event in fields.get("events", ()):
        if event not in EVENTS:
            raise CatalogueError(f"{where}: 未知の届出「{event}」")
    if fields.get("members", "subjects") not in MEMBER_SELECTIONS:
        raise CatalogueError(f"{where}: members は {' / '.join(MEMBER_SELECTIONS)} のどれかです")
    if fields.get("status", "required") not in STATUSES:
        raise CatalogueError(f"{where}: status は required か check です")
    try:
        for expression in fields.get("member_when", ()):
            check_known(expression, household=False)
        for expression in fields.get("household_when", ()):
            check_known(expression, household=True)
    except ValueError as exc:
        raise CatalogueError(f"{where}: {exc}") from None
    return fields


def _check_overlaps(procedures: list[Procedure]) -> None:
    """Two versions of one procedure may not be in force on the same day."""
    by_id: dict[str, list[Procedure]] = {}
    for procedure in procedures:
        by_id.setdefault(procedure.id, []).append(procedure)
    for versions in by_id.values():
        versions.sort(key=lambda p: p.valid_from)
        for earlier, later in itertools.pairwise(versions):
            if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                raise CatalogueError(f"{later.id}: 有効期間が重なっています")
