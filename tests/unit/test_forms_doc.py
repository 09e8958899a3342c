"""docs/forms.md is made from the form definitions, and a test fails when they disagree."""

from __future__ import annotations

from formsample import write_sample

from forms.registry import load_definition
from forms.yoshiki_table import DOC, main, render


def test_docs_forms_md_agrees_with_the_definitions(capsys):
    """Else: `uv run python -m forms.yoshiki_table` writes it again."""
    assert main(["--check"]) == 0, capsys.readouterr().err


def test_a_form_is_documented_field_by_field_in_the_yoshikis_order(tmp_path):
    sample = load_definition(write_sample(tmp_path))
    waiting = load_definition(write_sample(tmp_path, entries=None, name="waiting.toml"))
    lines = render([sample, waiting]).splitlines()
    assert "| 見本届 | テスト用の様式（第一号様式） | 9/11（81.8 %） | 確認済み |" in lines
    start = lines.index("## 見本届")
    assert "- 網羅率: 9/11（81.8 %）" in lines[start:]
    rows = [line for line in lines[start:] if line.startswith("| ") and line[2].isdigit()]
    assert rows == [
        "| 1 | 届出日 | 届出日（`filed_on`） | 窓口で作成 |",
        "| 2 | 宛先 | 宛先（`addressee`） | 窓口で作成 |",
        "| 3 | 氏名・フリガナ | 氏名（`name`）、フリガナ（`kana`） | 住民記録 |",
        "| 4 | 生年月日 | 生年月日（`birth_date`） | 住民記録 |",
        "| 5 | 本籍 | 本籍（`honseki`） | 住民記録（記録にないときは窓口で入力） |",
        "| 6 | 医師の証明 | （省略） | — |",
        "| 7 | 住所 | 住所（`address`） | 住民記録 |",
        "| 8 | 住所・世帯の変更 | 住所・世帯の変更（`moving`） | 聞き取り（ご確認ください） |",
        "| 9 | 世帯のおもな仕事 | 世帯のおもな仕事（`occupation`） | 窓口で入力 |",
        "| 10 | 届出人の署名 | 届出人の署名（自署）（`own_hand`） | ご本人が記入 |",
        "| 11 | 証人 | （省略） | — |",
    ]
    after = lines[lines.index(rows[-1]) :]
    assert "- 医師の証明: 医師が記入する欄" in after
    assert "- 証人: 成年の証人2人が署名する欄" in after
    assert "- 受付番号（`reception`）: 窓口の控えと突き合わせる番号" in after
    # a form without its table yet is listed as such, and has no section of its own
    assert lines.count("## 見本届") == 1
    assert "- 見本届（`forms/definitions/forms/waiting.toml`）" in lines
    assert lines.index("## 様式の表（[yoshiki]）がまだない定義") > start


def test_a_draft_says_it_is_printed_as_one(tmp_path):
    draft = load_definition(write_sample(tmp_path, draft=True))
    assert "記入のための下書き（届書ではありません）" in render([draft])
    assert "下書き" not in render([load_definition(write_sample(tmp_path))])


def test_check_names_the_first_line_that_differs_and_writes_nothing(tmp_path, capsys):
    doc = tmp_path / "forms.md"
    assert main(["--check"], doc=doc) == 1
    assert "forms.md がありません" in capsys.readouterr().err
    assert main([], doc=doc) == 0 and doc.read_text(encoding="utf-8") == DOC.read_text("utf-8")
    assert main(["--check"], doc=doc) == 0
    lines = doc.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = "手で直した行\n"
    doc.write_text("".join(lines), encoding="utf-8")
    assert main(["--check"], doc=doc) == 1
    error = capsys.readouterr().err
    assert "3 行目が定義と違います" in error and "手で直した行" in error
    assert doc.read_text(encoding="utf-8").splitlines()[2] == "手で直した行"  # left as it was
    doc.write_text(DOC.read_text("utf-8") + "| 余分な行 |\n", encoding="utf-8")
    assert main(["--check"], doc=doc) == 1
    assert "行数が定義と違います" in capsys.readouterr().err


def test_a_table_built_without_the_original_form_says_so_in_the_summary():
    """Every table so far was built from statutes and cities' pages: the summary must not
    read as if the coverage were checked against the 様式 itself."""
    doc = DOC.read_text(encoding="utf-8")
    rows = [line for line in doc.splitlines() if line.startswith("| 住民異動届 |")]
    assert len(rows) == 1 and rows[0].endswith("| 未確認 |")
