"""`counter forms`: a household file's pre-filled forms as PDFs, one file per form (no
database): what the counter would print for the visit, for tests, kiosks and other
systems. Everything is checked before the first file is written, and a file already in
the folder is never replaced."""

from __future__ import annotations

import argparse
import errno
import os
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from counter.cli.common import fail, refuse
from counter.cli.plan import add_household_arguments, file_label, filed_on, planned

if TYPE_CHECKING:
    from forms.prefill import FilledForm

    Targets = list[tuple[FilledForm, Path]]

NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK}
RECEPTION_NUMBER = 0  # no visit is recorded: the forms carry no reception number of one


def add(commands) -> None:
    forms = commands.add_parser(
        "forms",
        help="世帯ファイルから記入済みの届出書（PDF）を作ります",
        description="世帯ファイル（docs/household-format.md）を読み、counter plan と同じ手続きの"
        "一覧の届出書を\n記入済みの PDF にして、1様式1ファイルでフォルダに書き出します。"
        "--form で様式を選べます。\n窓口で入力する値は世帯ファイルの form_data に書けます"
        "（個人番号は書けません）。\n同じ名前のファイルがフォルダにあるときは、何も書き出しません。",
    )
    add_household_arguments(forms, "期限の計算と届出書の日付に使います")
    forms.add_argument(
        "--out",
        metavar="DIR",
        required=True,
        type=Path,
        help="PDF を書き出すフォルダ（既存のもの）",
    )
    forms.add_argument(
        "--form",
        metavar="NAME",
        action="append",
        dest="form_names",
        help="作る様式の名前（例: 出生届）。繰り返して複数指定できます"
        "（既定: 手続きの一覧の届出書すべて）",
    )


def run(args: argparse.Namespace) -> int:
    on = filed_on(args)
    _check_folder(args.out)
    names = _chosen_names(args.form_names or [])
    filled = _filled_forms(args.household, on, names)
    if not filled:
        print("作る届出書はありません（手続きの一覧に届出書がありません）", file=sys.stderr)
        return 0
    targets = [(form, args.out / _file_name(form.name, on)) for form in filled]
    for _, target in targets:
        if os.path.lexists(target):
            fail(f"--out: {target} はすでにあります（上書きしません。何も書き出していません）")
    for form, target in _write(targets, args.out):
        print(f"{form.name}: {target}")
    return 0


def _check_folder(folder: Path) -> None:
    """``--out`` must be an existing folder this account may write in."""
    if not folder.exists():
        fail(f"--out: フォルダがありません（{folder}）")
    if not folder.is_dir():
        fail(f"--out: フォルダではありません（{folder}）")
    if not os.access(folder, os.W_OK | os.X_OK):
        fail(f"--out: フォルダに書き込めません（{folder}）")


def _chosen_names(names: list[str]) -> list[str]:
    """The ``--form`` names, each once, in the order given; an unknown one is named."""
    from counter.textnorm import shown
    from forms.registry import form_names

    known = form_names()
    for name in names:
        if name not in known:
            fail(f"--form: 「{shown(name)}」という様式はありません（{' / '.join(sorted(known))}）")
    return list(dict.fromkeys(names))


def _filled_forms(path: Path, on: date, names: list[str]) -> list[FilledForm]:
    """The household planned as `counter plan` plans it, and its forms filled: the plan's
    forms, or the ``names`` (one the plan does not use gets the event's subjects as rows)."""
    from counter.interchange import HouseholdFormatError
    from forms.form_data import check_form_data
    from forms.prefill import VisitInfo, forms_for_visit, prefill_form
    from forms.registry import FormDefinitionError, definition_for

    case, form_data, profile, result = planned(path, on)
    try:
        typed = check_form_data(form_data, case)
    except HouseholdFormatError as exc:
        fail(f"{file_label(path)}: {exc}")
    visit = VisitInfo(RECEPTION_NUMBER, on, "")
    try:
        planned_forms = forms_for_visit(result, case, profile, visit, typed)
        if not names:
            return planned_forms
        by_name = {form.name: form for form in planned_forms}
        subjects = tuple(m.id for m in case.household.members if m.subject)
        return [
            by_name.get(name)
            or prefill_form(
                definition_for(name, on), case, result, profile, visit, typed,
                member_ids=subjects,
            )
            for name in names
        ]  # fmt: skip
    except FormDefinitionError as exc:
        fail(str(exc))


def _file_name(form_name: str, on: date) -> str:
    """The definition file's ASCII stem (``shussei.pdf``): a form name is Japanese, which
    some print queues and file shares mangle."""
    from counter.filenames import safe_file_name
    from forms.registry import definition_for

    return safe_file_name(f"{definition_for(form_name, on).path.stem}.pdf")


def _write(targets: Targets, folder: Path) -> Targets:
    """Render every form into a private folder inside ``folder`` first, then place each
    under its name (``_place``: whole, never over a file that appeared meanwhile): an
    error removes what was placed, so no half set is left behind."""
    from forms.fonts import FontMissing
    from forms.form_pdf import render_form

    try:
        work = Path(tempfile.mkdtemp(prefix=".counter-forms-", dir=folder))
    except OSError:
        fail(f"--out: フォルダに書き込めません（{folder}）")
    placed: list[Path] = []
    try:
        rendered = [render_form(form, work / f"{i}.pdf") for i, (form, _) in enumerate(targets)]
        for source, (_, target) in zip(rendered, targets, strict=True):
            _place(source, target)
            placed.append(target)
    except FontMissing as exc:
        _undo(placed)
        refuse(str(exc))
    except FileExistsError as exc:
        _undo(placed)
        existing = exc.filename2 or exc.filename  # a link names its source first
        fail(f"--out: {existing} はすでにあります（上書きしません。何も書き出していません）")
    except OSError as exc:
        _undo(placed)
        fail(f"--out: 書き出せません（{folder}: {exc.strerror or exc}）")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return targets


def _place(source: Path, target: Path) -> None:
    """``source`` under the name ``target``, whole or not at all and never over a file: a
    hard link, made in one step (a kill -9 leaves no file cut short under its name). A
    file system without links (a USB stick's FAT) gets a copy, created only if absent."""
    try:
        os.link(source, target)
        return
    except OSError as exc:
        if exc.errno not in NO_LINKS:
            raise
    try:
        with open(target, "xb") as file:
            file.write(source.read_bytes())
    except FileExistsError:
        raise  # another's file: never removed
    except OSError:
        target.unlink(missing_ok=True)  # a copy cut short by a full disk
        raise


def _undo(placed: list[Path]) -> None:
    for path in placed:
        path.unlink(missing_ok=True)
