"""Ask only what the register cannot know; わからない keeps a procedure as 要確認."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, RadioSet, Static

from counter.household import ANSWERS, EventCase
from counter.rules import questions_for
from screens.base import VisitStep
from screens.visit_session import case_draft
from screens.widgets.choice_set import ChoiceButton, ChoiceSet
from screens.widgets.header import CounterHeader

ANSWER_ORDER = ("yes", "no", "unknown")


class QuestionsScreen(VisitStep):
    HELP = "登録からわからないことだけを確認します。不明なら「わからない」のまま進めます。"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "戻る", tooltip="届出の選択に戻ります"),
        Binding("f5", "next", "手続き一覧へ", tooltip="回答から手続きの一覧を作ります"),
    ]

    def __init__(
        self,
        case: EventCase,
        *,
        earlier: tuple[EventCase, ...] = (),
        typed: dict[str, str] | None = None,
    ) -> None:
        """``earlier`` are the visit's events planned before this one, ``typed`` what staff
        typed for their forms; both go on to the plan."""
        super().__init__()
        self.case = case
        self.earlier = earlier
        self.typed = typed or {}
        self.question_ids: list[str] = []

    def compose(self) -> ComposeResult:
        app = self.app
        self.question_ids = questions_for(self.case, app.catalogue, app.profile)
        yield CounterHeader()
        yield Static("確認すること", classes="title")
        yield Static(
            "左右キーで回答を選び、上下キーかEnterキーで次の質問へ。わからない場合は"
            "「わからない」のままで進めます（要確認として残ります）。",
            classes="hint",
        )
        with VerticalScroll(id="questions"):
            if not self.question_ids:
                yield Static(
                    "この届出では、確認することはありません。F5 で手続き一覧に進みます。",
                    classes="hint",
                )
            for number, question_id in enumerate(self.question_ids, start=1):
                text = app.catalogue.questions[question_id].text
                with Vertical(classes="question"):
                    yield Static(f"{number}. {text}")
                    with ChoiceSet(id=f"q-{question_id}"):
                        for answer in ANSWER_ORDER:
                            chosen = self.case.answers.get(question_id, "unknown")
                            yield ChoiceButton(ANSWERS[answer], value=answer == chosen)
        yield Footer()

    def on_mount(self) -> None:
        if self.question_ids:
            self.query_one(f"#q-{self.question_ids[0]}", ChoiceSet).focus()
        self.app.visit.keep(self.visit_draft())

    def answered_case(self) -> EventCase:
        """The case with the answers chosen on the screen."""
        answers = {}
        for question_id in self.question_ids:
            index = self.query_one(f"#q-{question_id}", RadioSet).pressed_index
            answers[question_id] = ANSWER_ORDER[index] if index >= 0 else "unknown"
        return replace(self.case, answers=answers)

    def visit_draft(self) -> dict:
        return case_draft("questions", self.answered_case(), self.typed, self.earlier)

    def action_next(self) -> None:
        self.app.flow.answered(self.answered_case(), self.earlier, self.typed)
