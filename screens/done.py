"""The visit is stored: the reception number, the slip as it will print, and printing.

When the terminal has a printer (``COUNTER_PRINTER``), the slip and the forms go to it at
once, from a worker, and each job id is shown; F6 and F7 print them again. Without a
printer, or when it fails, the PDFs stay where the screen says (the slip folder, or an
outreach laptop's encrypted file: the app's ``DocumentKeeper``) and the visit is kept.

Printing, the individual numbers the printed forms carry in full among it, is
``workflows.printing``'s.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from counter.household import EventCase
from counter.payment import el_number
from counter.plan import Plan
from forms.printing import PrintResult
from forms.slip_preview import slip_lines, slip_names
from screens.base import CounterScreen, worker_result
from screens.logs import log_failure
from screens.widgets.header import CounterHeader
from screens.widgets.wrapped_text import WrappedText
from workflows.documents import FORMS, SLIP, KeptPdf
from workflows.printing import print_documents, visit_documents
from workflows.visit import ConfirmedVisit


class DoneScreen(CounterScreen):
    HELP = "受付の保存後の画面です。案内票・届出書の印刷、支払いコードの表示、次の受付へ。"
    BINDINGS = [
        Binding("f2", "next_visit", "次の受付", tooltip="世帯の検索に戻ります"),
        Binding("f4", "checklist", "チェック", tooltip="手続きの完了や引き継ぎを記録します"),
        Binding("f6", "print('slip')", "案内票", tooltip="案内票をプリンターに送ります"),
        Binding("f7", "print('forms')", "届出書", tooltip="届出書をプリンターに送ります"),
        Binding("f8", "show_qr", "QR", tooltip="お支払い用コードを大きく表示します"),
        Binding(
            "f9",
            "print('large')",
            "大きな字",
            tooltip="文字を大きくした案内票（14ポイント以上）を作って印刷します",
        ),
    ]

    def __init__(self, case: EventCase, plan: Plan, confirmed: ConfirmedVisit) -> None:
        super().__init__()
        self.case = case
        self.plan = plan
        self.confirmed = confirmed
        self.print_results: list[tuple[str, PrintResult]] = []

    def compose(self) -> ComposeResult:
        visit = self.confirmed.visit
        lines = [
            f"受付番号 {visit.reception_number} を保存しました。",
            f"手続き {len(self.plan.procedures)}件　手数料の合計 {self.plan.total_fee:,}円",
        ]
        slip_pdf, forms_pdf = self.confirmed.document(SLIP), self.confirmed.document(FORMS)
        if slip_pdf is None:
            lines.append(f"案内票と届出書のPDFは作れませんでした。{self.confirmed.pdf_problem}")
        else:
            lines.append(f"案内票: {slip_pdf.where}")
        if forms_pdf is not None:
            lines.append(f"記入済みの届出書・申請書: {forms_pdf.where}")
        if self.confirmed.numbers_stored:
            lines.append(f"個人番号 {self.confirmed.numbers_stored}件を暗号化して保存しました。")
            lines.append(
                "　全桁はプリンターで印刷した届出書にだけ出ます（保存したPDFは下4桁のみ）。"
            )
        demo = "（見本・架空の番号）" if self.app.profile.payment_demo else ""
        for code in visit.payments:
            lines.append(f"お支払い用コード{demo} {code.fields.amount:,}円")
            lines.append(f"　eL番号 {el_number(code.fields)}")
        if visit.payments:
            lines.append("F8 でQRコードを大きく表示します（スマートフォンで読み取れます）。")
        yield CounterHeader()
        yield Static("受付完了", classes="title")
        with Horizontal(id="done-body"):
            with VerticalScroll(id="done-side"):
                yield WrappedText(lines, id="done")
                yield Static("", id="print-status")
            with VerticalScroll(id="slip-preview-box"):
                slip = self.confirmed.slip
                yield WrappedText(slip_lines(slip), slip_names(slip), id="slip-preview")
        yield Footer()

    def on_mount(self) -> None:
        if not self.confirmed.documents:
            self._show_status("日本語フォントを入れたあと、counter slip で案内票を作り直せます。")
        elif self.app.settings.printer:
            self.action_print("both")
        else:
            place = self.app.documents.place
            self._show_status(f"プリンターが設定されていません。PDFを保存しました（{place}）。")

    def action_print(self, which: str) -> None:
        documents = visit_documents(self.confirmed, which)
        if not documents and not self.confirmed.documents:
            self._show_status(f"印刷するPDFがありません。{self.confirmed.pdf_problem}")
            return
        if not documents:
            self._show_status("この受付には印刷する届出書・申請書がありません。")
            return
        self._show_status(f"{'と'.join(d.label for d in documents)}を印刷しています。")
        self.print_documents(documents)

    @work(thread=True, exclusive=True, exit_on_error=False, group="print")
    def print_documents(self, documents: list[KeptPdf]) -> list[tuple[str, PrintResult]]:
        app = self.app
        return print_documents(
            app.engine,
            app.documents,
            self.confirmed,
            documents,
            queue=app.settings.printer,
            staff_id=app.staff_id,
            terminal=app.settings.device_id,
            demo=app.profile.payment_demo,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "print":
            return
        if event.state == WorkerState.SUCCESS:
            self.print_results = worker_result(event.worker, list)
            self._show_status("\n".join(f"{label}: {r.message}" for label, r in self.print_results))
        elif event.state == WorkerState.ERROR:
            log_failure("印刷", event.worker.error)
            place = self.app.documents.place
            self._show_status(f"印刷できませんでした。PDFは{place}に保存してあります。")

    def _show_status(self, text: str) -> None:
        self.query_one("#print-status", Static).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F8 only for a visit with a payment code."""
        return action != "show_qr" or bool(self.confirmed.visit.payments)

    def action_show_qr(self) -> None:
        codes = self.confirmed.visit.payments
        if codes:
            labels = [payment.label for payment in self.confirmed.slip.payments]  # same order
            self.app.flow.payment_qr(codes, labels, demo=self.app.profile.payment_demo)

    def action_checklist(self) -> None:
        self.app.flow.checklist(self.confirmed.visit.id)

    def action_next_visit(self) -> None:
        self.app.flow.back_to_search()
