"""The visit is stored: the reception number, the slip as it will print, and printing.

When the terminal has a printer (``COUNTER_PRINTER``), the slip and the forms go to it at
once, from a worker, and each job id is shown; F6 and F7 print them again. Without a
printer, or when it fails, the PDFs stay where the screen says and the visit is kept.

The kept forms PDF shows an individual number masked. Only the copy the printer gets has
it in full: the numbers are read back from the vault into a temporary PDF, which is sent
and then deleted whatever happens, so no file on disk ever holds a number in full.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from counter.household import EventCase
from counter.payment import el_number
from counter.plan import Plan
from forms.form_pdf import render_visit_forms
from forms.prefill import mynumber_key, with_numbers
from forms.printing import PrintResult, print_pdf
from forms.slip_preview import slip_lines, slip_names
from screens.logs import log_failure
from screens.visit_service import ConfirmedVisit
from screens.widgets.header import CounterHeader
from screens.widgets.wrapped_text import WrappedText

SLIP, FORMS, LARGE = "案内票", "届出書", "大きな文字の案内票"


class DoneScreen(Screen):
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
        if self.confirmed.slip_path is None:
            lines.append(f"案内票と届出書のPDFは作れませんでした。{self.confirmed.pdf_problem}")
        else:
            lines.append(f"案内票: {self.confirmed.slip_path}")
        if self.confirmed.forms_path is not None:
            lines.append(f"記入済みの届出書: {self.confirmed.forms_path}")
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
        if self.confirmed.slip_path is None:
            self._show_status("日本語フォントを入れたあと、counter slip で案内票を作り直せます。")
        elif self.app.settings.printer:
            self.action_print("both")
        else:
            self._show_status("プリンターが設定されていません。PDFを保存しました（上の場所）。")

    def _documents(self, which: str) -> list[tuple[str, Path]]:
        documents = []
        slip = self.confirmed.slip_path
        if slip is not None:
            documents.append((SLIP, slip))
            documents.append((LARGE, slip.with_name(f"{slip.stem}-large.pdf")))
        if self.confirmed.forms_path is not None:
            documents.append((FORMS, self.confirmed.forms_path))
        wanted = {"slip": {SLIP}, "forms": {FORMS}, "both": {SLIP, FORMS}, "large": {LARGE}}
        wanted = wanted[which]
        return [(label, path) for label, path in documents if label in wanted]

    def action_print(self, which: str) -> None:
        documents = self._documents(which)
        if not documents and self.confirmed.slip_path is None:
            self._show_status(f"印刷するPDFがありません。{self.confirmed.pdf_problem}")
            return
        if not documents:
            self._show_status("この受付には印刷する届出書がありません。")
            return
        self._show_status(f"{'と'.join(label for label, _ in documents)}を印刷しています。")
        self.print_documents(documents)

    @work(thread=True, exclusive=True, exit_on_error=False, group="print")
    def print_documents(self, documents: list[tuple[str, Path]]) -> list[tuple[str, PrintResult]]:
        """Print each document; each one printed is in the audit log (the forms noted when
        they carried individual numbers in full)."""
        queue = self.app.settings.printer
        results = []
        for label, path in documents:
            result = self._print(label, path, queue)
            if result.printed:
                numbers = label == FORMS and self.confirmed.numbers_stored
                detail = f"{label}の印刷{'（個人番号あり）' if numbers else ''} {path.name}"
                self.app.audit("print", visit_id=self.confirmed.visit.id, detail=detail)
            results.append((label, result))
        return results

    def _print(self, label: str, path: Path, queue: str | None) -> PrintResult:
        """The forms with individual numbers go out as a temporary copy holding them in
        full; the large-print slip is made the first time it is asked for; everything else
        is printed as kept."""
        if label == LARGE and not path.exists():
            from forms.slip_pdf import render_slip

            render_slip(self.confirmed.slip, path, large_print=True)
        if label != FORMS or not self.confirmed.numbers_stored or not queue:
            return print_pdf(path, queue)
        from db.vault import read_key, read_numbers

        key = read_key(demo=self.app.profile.payment_demo)
        stored = read_numbers(self.app.engine, key, self.confirmed.visit.id)
        forms = with_numbers(self.confirmed.forms, {mynumber_key(p): n for p, n in stored.items()})
        with tempfile.TemporaryDirectory(prefix="counter-print-") as folder:
            copy = render_visit_forms(forms, Path(folder) / path.name)
            return print_pdf(copy, queue, kept=path)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "print":
            return
        if event.state == WorkerState.SUCCESS:
            self.print_results = event.worker.result
            self._show_status("\n".join(f"{label}: {r.message}" for label, r in self.print_results))
        elif event.state == WorkerState.ERROR:
            log_failure("印刷", event.worker.error)
            self._show_status("印刷できませんでした。PDFは上の場所に保存してあります。")

    def _show_status(self, text: str) -> None:
        self.query_one("#print-status", Static).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F8 only for a visit with a payment code."""
        return action != "show_qr" or bool(self.confirmed.visit.payments)

    def action_show_qr(self) -> None:
        from screens.payment_qr import PaymentQrScreen

        codes = self.confirmed.visit.payments
        if codes:
            labels = [payment.label for payment in self.confirmed.slip.payments]  # same order
            demo = self.app.profile.payment_demo
            self.app.push_screen(PaymentQrScreen(codes, labels, demo=demo))

    def action_checklist(self) -> None:
        from screens.checklist import ChecklistScreen

        self.app.push_screen(ChecklistScreen(self.confirmed.visit.id))

    def action_next_visit(self) -> None:
        from screens.search import SearchScreen

        self.app.visit.end()
        while len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        search = self.app.screen
        if isinstance(search, SearchScreen):
            search.reset()
