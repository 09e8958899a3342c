"""docs/forms.md, made from the form definitions: per form the 様式 it follows, how much of
it we carry, and for each of the 様式's fields ours and where its value comes from.

``uv run python -m forms.yoshiki_table`` writes it; ``--check`` writes nothing and exits 1
naming the first line that differs, so the doc can never drift from the definitions (a
test runs it). Nobody edits the doc by hand.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from counter.events import event_label
from forms.prefill import form_texts, origin_name
from forms.registry import MIN_COVERAGE, FieldDef, FormDefinition, definitions, registry_entries

DOC = Path(__file__).resolve().parents[1] / "docs" / "forms.md"
COMMAND = "uv run python -m forms.yoshiki_table"

HEAD = f"""# 届書・申請書と様式の対応

<!-- {COMMAND} が forms/definitions/forms/*.toml から作るファイルです。手で直さないでください。 -->

届書・申請書ごとに、従う様式（法令の様式、または市の様式）と、その様式の欄を当システムの
どの項目が埋めるか、その値の出どころを示します。欄の順は様式の順です。

値の出どころ:
{{origins}}

網羅率は「当システムが埋める欄の数 / 様式の欄の数」です。{MIN_COVERAGE} % に満たない定義は
`uv run counter catalogue check` が問題として報告します。
「様式の原本」が未確認の表は、法令の条文と市の案内・記入例から欄を組み立てたもので、
様式の原本を欄ごとに照らしてはいません。網羅率はその表に対する値で、原本と照らすまでは
実際より高く出ることがあります。
"""
ORIGIN_NOTES = {
    "register": "住民基本台帳の記録から",
    "interview": "窓口でお伺いした内容（届出の内容・質問への答え）",
    "counter": "窓口の職員が入力",
    "office": "窓口が作成（届出日・市・受付番号など）",
    "resident": "ご本人が手で書く欄（印字しません）",
}


def _cell(text: str) -> str:
    """Text as one Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _ordered(found: dict[str, tuple[FormDefinition, ...]]) -> list[FormDefinition]:
    """Every version of every form, in forms.toml's order (newest version first)."""
    order = {entry["name"]: index for index, entry in enumerate(registry_entries())}
    names = sorted(found, key=lambda name: (order.get(name, len(order)), name))
    return [definition for name in names for definition in found[name]]


def _origin(field: FieldDef) -> str:
    text = origin_name(field.origin)
    if field.datum and field.kind != "staff":
        text += "（記録にないときは窓口で入力）"
    if field.confirm:
        text += f"（{form_texts()['confirm_mark']}）"
    return text


def _ours(field: FieldDef) -> str:
    text = f"{field.label}（`{field.key}`）"
    if field.events:
        text += f"：{'・'.join(event_label(e) for e in field.events)}のとき"
    return text


def _form(definition: FormDefinition) -> list[str]:
    lines = [f"## {definition.name}", ""]
    lines.append(
        f"- 定義: `forms/definitions/forms/{definition.path.name}`"
        f"（{definition.effective_from.isoformat()} から）"
    )
    yoshiki = definition.yoshiki
    assert yoshiki is not None
    lines.append(f"- 様式: {yoshiki.source}")
    if yoshiki.url:
        lines.append(f"- 様式を読んだところ: <{yoshiki.url}>")
    if yoshiki.unconfirmed:
        lines.append("- **未確認**: 様式の欄を原本で確かめられていません")
    if yoshiki.draft:
        lines.append(
            "- 印刷: 「記入のための下書き（届書ではありません）」として。届書は法定様式（A3）"
        )
    lines += [f"- 網羅率: {yoshiki.coverage_text}", ""]
    lines += ["| # | 様式の欄 | 当システムの項目 | 値の出どころ |", "|---|---|---|---|"]
    by_key = {field.key: field for field in definition.fields}
    for number, entry in enumerate(yoshiki.fields, start=1):
        fields = [by_key[key] for key in entry.fields]
        ours = "、".join(_ours(f) for f in fields) if fields else "（省略）"
        origins = "、".join(dict.fromkeys(_origin(f) for f in fields)) if fields else "—"
        label = entry.label + (f"（{entry.note}）" if entry.note else "")
        lines.append(f"| {number} | {_cell(label)} | {_cell(ours)} | {_cell(origins)} |")
    omitted = [entry for entry in yoshiki.fields if entry.omitted]
    if omitted:
        lines += ["", "省略した欄:", ""]
        lines += [f"- {entry.label}: {entry.omitted}" for entry in omitted]
    extra = [field for field in definition.fields if field.extra]
    if extra:
        lines += ["", "様式にない項目（印刷はします）:", ""]
        lines += [f"- {_ours(field)}: {field.extra}" for field in extra]
    return [*lines, ""]


def render(forms: Sequence[FormDefinition]) -> str:
    """The whole doc for ``forms``: a summary table, then one section per form."""
    origins = "\n".join(f"- {origin_name(key)}: {note}" for key, note in ORIGIN_NOTES.items())
    lines = [HEAD.format(origins=origins), "## 一覧", ""]
    lines += ["| 届書・申請書 | 様式 | 網羅率 | 様式の原本 |", "|---|---|---|---|"]
    for definition in forms:
        yoshiki = definition.yoshiki
        source, coverage, checked = (
            (yoshiki.source, yoshiki.coverage_text, "未確認" if yoshiki.unconfirmed else "確認済み")
            if yoshiki
            else ("（様式の表がまだありません）", "—", "—")
        )
        row = f"| {_cell(definition.name)} | {_cell(source)} | {coverage} | {checked} |"
        lines.append(row)
    lines.append("")
    for definition in forms:
        if definition.yoshiki is not None:
            lines += _form(definition)
    waiting = [definition for definition in forms if definition.yoshiki is None]
    if waiting:
        lines += ["## 様式の表（[yoshiki]）がまだない定義", ""]
        lines += [f"- {d.name}（`forms/definitions/forms/{d.path.name}`）" for d in waiting]
    return "\n".join(lines).rstrip("\n") + "\n"


def first_difference(expected: str, actual: str) -> str | None:
    """Where ``actual`` (the doc) departs from ``expected`` (the definitions), in Japanese."""
    want, have = expected.splitlines(), actual.splitlines()
    for number, (line, written) in enumerate(zip(want, have, strict=False), start=1):
        if line != written:
            return (
                f"{number} 行目が定義と違います（ドキュメント:「{written}」、定義から:「{line}」）"
            )
    if len(want) != len(have):
        number = min(len(want), len(have)) + 1
        return (
            f"{number} 行目から行数が定義と違います"
            f"（ドキュメント {len(have)} 行、定義から {len(want)} 行）"
        )
    return None if expected == actual else "改行や末尾が定義と違います"


def main(argv: Iterable[str] | None = None, doc: Path = DOC) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m forms.yoshiki_table",
        description="様式定義から docs/forms.md（様式との対応表）を作ります",
    )
    parser.add_argument(
        "--check", action="store_true", help="書き込まず、定義と違えば違う行を示して終了コード 1"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    expected = render(_ordered(definitions()))
    if not args.check:
        doc.write_text(expected, encoding="utf-8")
        print(f"{doc.name} を書きました（様式 {len(definitions())}）")
        return 0
    if not doc.is_file():
        print(f"{doc.name} がありません。{COMMAND} で作ってください", file=sys.stderr)
        return 1
    problem = first_difference(expected, doc.read_text(encoding="utf-8"))
    if problem:
        print(f"{doc.name}: {problem}。{COMMAND} で作り直してください", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
