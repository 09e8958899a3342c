"""The paper as pdftotext reads it: each value tagged with where it came from, the
resident's boxes captioned, and a 戸籍届書 printed only as a labelled copying aid."""

from __future__ import annotations

import re

from formsample import ENTRIES, filled_sample
from pdfcheck import pdftotext_layout

from forms.form_pdf import render_form

DRAFT_TITLE = "記入のための下書き（届書ではありません）"


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def printed(tmp_path, catalogue, profile, **sample) -> str:
    form = filled_sample(tmp_path, catalogue, profile, **sample)
    return pdftotext_layout(render_form(form, tmp_path / "form.pdf"))


def around(lines: list[str], label: str) -> str:
    """The lines from just above to just below the one holding ``label``: a bordered box
    in a value cell spreads over them (caption above, value below)."""
    index = next(n for n, line in enumerate(lines) if label in line.split())
    return "\n".join(lines[index - 1 : index + 2])


def in_order(text: str, words: list[str]) -> bool:
    position = 0
    for word in words:
        position = text.find(word, position)
        if position < 0:
            return False
        position += len(word)
    return True


def test_each_value_carries_its_origin_tag(tmp_path, catalogue, profile):
    text = flat(printed(tmp_path, catalogue, profile))
    for tagged in (
        "〔窓口作成〕令和8年11月24日（火）",
        "〔窓口作成〕米子市長",
        "〔住民記録〕米子太郎",
        "〔住民記録〕ヨナゴハナコ",
        "〔住民記録〕鳥取県米子市加茂町二丁目1番地",
        "〔聞き取り〕はい",
        "〔窓口入力〕会社員",
    ):
        assert tagged in text
    # a blank has no origin yet: only the mark for the counter
    assert text.count("【窓口で記入】") == 2 and "〕【窓口で記入】" not in text


def test_the_legend_explains_the_tags_and_boxes_the_form_uses(tmp_path, catalogue, profile):
    text = flat(printed(tmp_path, catalogue, profile))
    legend = text[text.index("表示の見かた") : text.index("届出日")]
    for part in (
        "〔住民記録〕住民記録から写した内容",
        "〔聞き取り〕窓口でお伺いした内容",
        "〔窓口入力〕窓口の職員が入力した内容",
        "〔窓口作成〕窓口で作成",
        "ご本人が記入ご本人がお書きください",
        "ご確認ください内容をお確かめください",
    ):
        assert part in legend
    plain = flat(printed(tmp_path, catalogue, profile, typed={}))  # nothing typed
    assert "〔窓口入力〕" not in plain  # so the legend does not list it either


def test_the_residents_boxes_are_captioned_where_they_stand(tmp_path, catalogue, profile):
    text = printed(tmp_path, catalogue, profile)
    lines = text.splitlines()
    check = around(lines, "住所・世帯の変更")
    assert "ご確認ください" in check and "〔聞き取り〕はい" in check
    own = around(lines, "届出人の署名（自署）")
    assert "ご本人が記入" in own and "〔" not in own  # nothing printed in it
    # once in the legend, once on its box
    assert flat(text).count("ご確認ください") == 2 and flat(text).count("ご本人が記入") == 2
    assert "署名欄" in flat(text) and DRAFT_TITLE not in flat(text)


def test_a_draft_is_titled_as_such_and_follows_the_whole_yoshiki(tmp_path, catalogue, profile):
    text = printed(tmp_path, catalogue, profile, draft=True)
    body = flat(text)
    assert in_order(body, [DRAFT_TITLE, "見本届", "届書は法定様式（A3）の用紙で、戸籍の窓口に提出"])
    # every 様式 field in its order, the omitted ones too, each with its members' values
    assert in_order(body, [label for label, _, _ in ENTRIES])
    assert in_order(body, ["様式の欄", "米子太郎", "米子花子", "届出日"])
    assert in_order(
        body, ["生年月日", "〔住民記録〕平成2年4月1日（日）", "〔住民記録〕平成4年6月15日"]
    )
    lines = text.splitlines()
    for label in ("医師の証明", "証人"):  # an empty row: its label alone, no value
        row = next(n for n, line in enumerate(lines) if line.strip() == label)
        assert lines[row - 1].strip() == lines[row + 1].strip() == ""
    assert "医師が記入する欄" not in body  # why it is omitted is for docs/forms.md
    # our field the 様式 lacks comes after it, and nothing is signed on a draft
    assert in_order(body, ["証人", "届書にない欄", "受付番号〔窓口作成〕5"])
    assert "署名欄" not in body and "署名は届書にご本人がします" in body


def test_every_page_of_a_draft_says_it_is_no_filing_form(tmp_path, catalogue, profile):
    entries = ENTRIES + [(f"備考{n}", ["own_hand"], "") for n in range(12)]
    pages = printed(tmp_path, catalogue, profile, draft=True, entries=entries).split("\f")
    pages = [flat(page) for page in pages if page.strip()]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert page.startswith(DRAFT_TITLE + "見本届受付番号5") and f"{number}ページ" in page
