"""counter.progress: silent for quick work, then throttled Japanese lines and a final one,
driven by a hand-moved clock (no sleeps)."""

from __future__ import annotations

import io
import re

from counter.progress import AFTER_ENV, Progress, terminal_progress


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Lines:
    """The sink: every (line, final) the reporter gave."""

    def __init__(self) -> None:
        self.got: list[tuple[str, bool]] = []

    def __call__(self, line: str, final: bool) -> None:
        self.got.append((line, final))

    @property
    def texts(self) -> list[str]:
        return [line for line, _ in self.got]


def reporter() -> tuple[Progress, Clock, Lines]:
    clock, lines = Clock(), Lines()
    return Progress(lines, clock=clock), clock, lines


def test_work_that_ends_within_a_second_shows_nothing():
    progress, clock, lines = reporter()
    progress.step("住民データの読み込み", 150_000, "行")
    for _ in range(150):
        clock.now += 0.006
        progress.advance(1_000)
    progress.step("世帯ごとの確認", 60_000, "世帯")
    clock.now += 0.9
    progress.advance(60_000)
    progress.finish()
    assert lines.got == []


def test_after_a_second_one_japanese_line_with_counts_percent_and_time_left():
    progress, clock, lines = reporter()
    progress.step("住民データの読み込み", 150_000, "行")
    clock.now += 0.5
    progress.advance(6_000)
    assert lines.got == []
    clock.now += 1.5  # 2 s for 12,000 of 150,000: 23 s to go at that pace
    progress.advance(6_000)
    assert lines.got == [("住民データの読み込み　12,000／150,000行（8%）　残り約 23 秒", False)]


def test_lines_come_at_most_every_half_second():
    progress, clock, lines = reporter()
    progress.step("データベースへの書き込み", 100_000)
    clock.now += 1.0
    for _ in range(40):  # 0.4 s of work after the first line
        progress.advance(100)
        clock.now += 0.01
    assert len(lines.got) == 1
    clock.now += 0.11
    progress.advance(100)
    assert len(lines.got) == 2
    assert lines.texts[1].startswith("データベースへの書き込み　4,100／100,000件（4%）")


def test_a_step_that_showed_ends_with_a_final_line_and_later_steps_show_from_their_start():
    progress, clock, lines = reporter()
    progress.step("見本の住民データの作成", 60_000, "世帯")
    clock.now += 1.2
    progress.advance(30_000)
    clock.now += 1.3
    progress.advance(30_000)
    progress.step("住民データの登録", 60_000, "世帯")
    assert lines.got[-2:] == [
        ("見本の住民データの作成　60,000／60,000世帯（100%）　完了（2 秒）", True),
        ("住民データの登録　0／60,000世帯（0%）", False),
    ]
    clock.now += 95
    progress.advance(60_000)
    progress.finish()
    assert lines.got[-1] == ("住民データの登録　60,000／60,000世帯（100%）　完了（2 分）", True)
    progress.finish()  # nothing more to end
    assert len(lines.got) == 6


def test_a_long_wait_is_told_in_minutes():
    progress, clock, lines = reporter()
    progress.step("住民データの登録", 60_000, "世帯")
    clock.now += 3.0
    progress.advance(1_000)
    assert lines.texts == ["住民データの登録　1,000／60,000世帯（1%）　残り約 3 分"]


def test_stop_ends_the_line_without_claiming_the_work_done():
    progress, clock, lines = reporter()
    progress.step("住民データの読み込み", 1_000, "行")
    clock.now += 1.5
    progress.advance(400)
    progress.stop()
    progress.finish()
    assert lines.got[-1] == ("住民データの読み込み　400／1,000行（40%）　中断", True)
    assert not any("完了" in text for text in lines.texts)


def test_a_step_with_nothing_to_do_reads_as_complete():
    progress, clock, lines = reporter()
    progress.step("住民データの読み込み", 10, "行")
    clock.now += 1.5
    progress.advance(10)
    progress.step("データベースへの書き込み", 0)
    assert lines.texts[-1] == "データベースへの書き込み　0／0件（100%）"


def test_every_line_is_japanese():
    progress, clock, lines = reporter()
    for label, unit in (("納付結果の照合", "行"), ("納付済みの記録", "件")):
        progress.step(label, 5_000, unit)
        for _ in range(50):
            clock.now += 0.2
            progress.advance(100)
    progress.step("住民データの読み込み", 100, "行")
    clock.now += 2
    progress.advance(50)
    progress.stop()
    assert len(lines.got) > 20
    assert [t for t in lines.texts if re.search("[A-Za-z]", t)] == []


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_line_is_redrawn_in_place():
    stream = Terminal()
    progress = terminal_progress(stream, {AFTER_ENV: "0"})
    progress.step("納付結果の照合", 2, "行")
    progress.advance(2)
    progress.finish()
    assert stream.getvalue() == (
        "\r\x1b[K納付結果の照合　0／2行（0%）"
        "\r\x1b[K納付結果の照合　2／2行（100%）　完了（1 秒未満）\n"
    )


def test_elsewhere_each_report_is_a_plain_line():
    stream = io.StringIO()
    progress = terminal_progress(stream, {AFTER_ENV: "0"})
    progress.step("納付結果の照合", 2, "行")
    progress.finish()
    assert stream.getvalue().splitlines() == [
        "納付結果の照合　0／2行（0%）",
        "納付結果の照合　0／2行（0%）　完了（1 秒未満）",
    ]


def test_the_threshold_comes_from_the_environment_and_defaults_to_a_second():
    for environ in ({}, {AFTER_ENV: "soon"}):
        stream = io.StringIO()
        progress = terminal_progress(stream, environ)
        progress.step("納付結果の照合", 2, "行")
        progress.advance(2)
        progress.finish()
        assert stream.getvalue() == ""
