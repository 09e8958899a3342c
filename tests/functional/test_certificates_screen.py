"""The certificate request (証明書の請求) driven through the real app with Pilot on a real
SQLite file: its defaults, its verdicts as staff change who is asking, F10 storing the
visit with its lines and fees and writing a real slip (its payment QR read back) and
request forms, lines that cannot be issued never billed, a request added to a 転入's
visit, a parked request taken up again, and the screen at 80×24."""

from __future__ import annotations

import json

from narrow import table_problems
from pdfcheck import decoded_qr_codes, pdf_text
from sqlmodel import Session, select
from test_keyboard import drawn_ambiguous, search_screen
from test_several_events import plan_a_move_in
from test_visit_flow import TODAY, paste, shown, wait_for
from textual.widgets import Input, RadioSet

from counter.payment import parse_elqr
from db.engine import make_engine
from db.models import PaymentCodeRow, VisitProcedureRow, VisitRow
from db.visits import issued_forms, load_visit_for_slip
from screens.app import CounterApp
from screens.certificates import CertificateScreen
from screens.done import DoneScreen
from screens.event import EventScreen
from screens.forms_check import FormsScreen
from screens.plan import PlanScreen
from screens.resume import ResumeScreen
from screens.search import SearchScreen
from screens.widgets.check_list import CheckList
from screens.widgets.copies_list import CopiesList
from screens.widgets.fitted_table import FittedTable

HEAD, SPOUSE = "H900001-1", "H900001-2"
VISITORS = [HEAD, SPOUSE, "spouse_or_lineal", "agent", "third_party"]


async def certificate_screen(pilot, *keys: str) -> CertificateScreen:
    """From a search for よなご, ``keys`` on the hits, then F6."""
    app = pilot.app
    await search_screen(pilot)
    await pilot.press(*keys, "f6")
    await wait_for(pilot, lambda: shown(app, CertificateScreen) and app.screen.choices is not None)
    await pilot.pause()
    return app.screen


def detail_of(screen: CertificateScreen) -> str:
    """The highlighted line's reason, place and documents, unwrapped."""
    return "".join(str(screen.query_one("#cert-detail").render()).split())


def verdicts(screen: CertificateScreen) -> list[tuple[str, str, str]]:
    """Each line of the table as drawn in full: (certificate, verdict, fee)."""
    table = screen.query_one("#lines", FittedTable)
    return [(row[0], row[3], row[4]) for row in (table.full_row(key) for key in table.keys)]


async def choose_visitor(pilot, screen: CertificateScreen, visitor: str) -> None:
    """Who is at the counter, chosen with the arrow keys as drawn."""
    choices = screen.query_one("#visitor", RadioSet)
    choices.focus()
    await pilot.pause()
    steps = VISITORS.index(visitor) - max(choices.pressed_index, 0)
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps))
    await pilot.pause()
    assert screen.choices is not None and screen.choices.visitor == visitor


async def tick(pilot, screen: CertificateScreen, selector: str, value: str) -> None:
    """Space on ``value`` in the list ``selector`` (moved to with the arrow keys)."""
    listed = screen.query_one(selector, CheckList)
    listed.focus()
    await pilot.pause()
    values = [listed.get_option_at_index(i).value for i in range(listed.option_count)]
    target = values.index(value)
    current = listed.highlighted or 0
    moves = ["down"] * (target - current) if target >= current else ["up"] * (current - target)
    await pilot.press(*moves, "space")
    await pilot.pause()


async def test_the_commonest_request_opens_ready_and_f10_stores_it(settings, clerk):
    """One 住民票の写し of the whole household for the person found: F6 on the hit, F10."""
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await certificate_screen(pilot)
        choices = screen.choices
        assert choices is not None
        assert choices.copies == {"residence_certificate": 1}
        assert choices.visitor == HEAD  # the hit staff opened is the one asking
        kinds = screen.query_one("#kinds", CopiesList)
        assert [kinds.get_option_at_index(i).value for i in range(3)] == [
            "residence_certificate",
            "seal_certificate",
            "tax_income_certificate",
        ]
        assert set(screen.query_one("#members", CheckList).selected) == {HEAD, SPOUSE}
        assert verdicts(screen) == [("住民票の写し", "交付できる", "300円")]
        full = screen.query_one("#lines", FittedTable).full_row("0")
        assert full[1] == "米子　太郎、米子　花子" and full[2] == "1通"
        detail = detail_of(screen)
        assert "理由：本人・同一世帯の方からの請求です" in detail
        assert "窓口：市民課" in detail and "本人確認書類" in detail
        assert "手数料の合計 300円" in str(screen.query_one("#summary").render())
        assert app.visit.reception_number == 1

        await pilot.press("f10")
        await wait_for(pilot, lambda: shown(app, DoneScreen))
        confirmed = app.screen.confirmed
        slip_text = str(app.screen.query_one("#slip-preview").render())
        assert "住民票の写し 1通" in slip_text and "証明書の請求" in slip_text

    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        visit = session.exec(select(VisitRow)).one()
        assert (visit.event, visit.status, visit.total_fee) == ("certificate", "confirmed", 300)
        assert visit.household_id == "H900001"
        subjects = [m["id"] for m in json.loads(visit.case_json)["members"] if m["subject"]]
        assert subjects == [HEAD, SPOUSE]
        line = session.exec(select(VisitProcedureRow)).one()
        assert (line.procedure_id, line.plan_status, line.fee) == (
            "certificate.residence_certificate.0",
            "required",
            300,
        )
        assert line.name == "住民票の写し 1通"
        payment = session.exec(select(PaymentCodeRow)).one()
        assert payment.amount == 300 and payment.revenue_item == "certificates"
    # The slip is a real PDF with the payment QR on it; a reprint reads the visit back.
    slip = confirmed.slip_path
    assert slip is not None and slip.is_file()
    assert "住民票の写し" in pdf_text(slip) and "300円" in pdf_text(slip)
    codes = decoded_qr_codes(slip)
    assert codes == [payment.payload] and parse_elqr(codes[0]).amount == 300
    assert load_visit_for_slip(engine, confirmed.visit.id).case.event == "certificate"
    # The request form carries the request: staff typed nothing, all of it is data.
    forms = confirmed.forms_path
    assert forms is not None and forms.is_file()
    text = "".join(pdf_text(forms).split())
    assert "住民票の写し等交付申請書" in text and "1通" in text and "本人・同一世帯の方" in text
    (issued,) = issued_forms(engine, confirmed.visit.id)
    assert issued.name == "住民票の写し等交付申請書" and issued.typed_fields == 0
    form = confirmed.forms[0]
    for key in ("certificate", "copies", "items", "fee", "applicant_type", "applicant_name"):
        assert form.field(key).status == "prefilled", key
    assert form.field("copies").value == "1通"
    assert form.field("items").value == "記載しない（省略）"


async def test_the_person_opened_from_the_search_is_the_one_asking(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await certificate_screen(pilot, "down", "down")  # 米子　花子's hit
        assert screen.choices is not None and screen.choices.visitor == SPOUSE
        assert screen.query_one("#visitor", RadioSet).pressed_index == 1
        # A certificate for one person is for her by default.
        await tick(pilot, screen, "#kinds", "tax_income_certificate")
        assert screen.query_one("#members", CheckList).selected == [SPOUSE]
        assert screen.decision is not None
        tax = screen.decision.lines[-1]
        assert tax.name == "課税（所得）証明書（令和8年度）"  # the latest 年度 by default
        assert tax.member_names == ("米子　花子",)


async def test_the_verdicts_follow_who_is_asking(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await certificate_screen(pilot)
        # An agent without a 委任状: refused, with no fee, and says why.
        await choose_visitor(pilot, screen, "agent")
        assert verdicts(screen) == [("住民票の写し", "交付できない", "－")]
        assert screen.query_one("#visitor-name").display  # an outsider's name is asked
        assert "委任状がないため交付できません" in detail_of(screen)
        assert "手数料の合計 0円" in str(screen.query_one("#summary").render())
        # The letter is shown: issued.
        await tick(pilot, screen, "#flags", "proxy_letter")
        assert verdicts(screen) == [("住民票の写し", "交付できる", "300円")]
        # A third party: only with a purpose the law accepts, which staff check.
        await choose_visitor(pilot, screen, "third_party")
        assert verdicts(screen)[0][1] == "交付できない"
        paste(screen.query_one("#purpose", Input), "債権の回収（契約書あり）")
        await wait_for(pilot, lambda: verdicts(screen)[0][1] == "要確認")
        assert verdicts(screen) == [("住民票の写し", "要確認", "300円")]
        summary = str(screen.query_one("#summary").render())
        assert "手数料の合計 0円（要確認の300円は確認後）" in summary
        detail = detail_of(screen)
        assert "債権の回収" in detail and "請求の理由がわかる資料" in detail
        # Back to the person themselves: issued again, whatever was ticked for others.
        await choose_visitor(pilot, screen, HEAD)
        assert verdicts(screen)[0][1] == "交付できる"
        assert not screen.query_one("#visitor-name").display


async def test_copies_options_and_an_unticked_member_change_the_line(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await certificate_screen(pilot)
        kinds = screen.query_one("#kinds", CopiesList)
        kinds.focus()
        await pilot.press("3")  # three copies of the highlighted 住民票
        await pilot.pause()
        assert kinds.copies["residence_certificate"] == 3
        assert verdicts(screen) == [("住民票の写し", "交付できる", "900円")]
        await tick(pilot, screen, "#members", SPOUSE)  # just the person themselves
        await tick(pilot, screen, "#options", "head_relation")
        assert screen.decision is not None
        (line,) = screen.decision.lines
        assert line.member_names == ("米子　太郎",) and line.option_labels == ("世帯主・続柄",)
        # 旧氏 is offered only when someone chosen has one (none here).
        options = screen.query_one("#options", CheckList)
        offered = [options.get_option_at_index(i).value for i in range(options.option_count)]
        assert "former_surname" not in offered and "mynumber" in offered
        kinds.focus()
        await pilot.press("0")  # none: nothing left to ask for
        await pilot.pause()
        assert verdicts(screen) == []
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, CertificateScreen)
        assert "請求する証明書がありません" in str(screen.query_one("#summary").render())


async def test_a_line_that_cannot_be_issued_is_stored_but_never_billed(settings, clerk):
    """A 住民票 (issued) and a 印鑑登録証明書 for someone with no registered seal
    (refused): the total, the payment code and the forms cover the 住民票 only; the
    slip says the other cannot be issued, why, and where to ask."""
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await certificate_screen(pilot)
        await tick(pilot, screen, "#kinds", "seal_certificate")
        assert verdicts(screen) == [
            ("住民票の写し", "交付できる", "300円"),
            ("印鑑登録証明書", "交付できない", "－"),
        ]
        await pilot.press("f10")
        await wait_for(pilot, lambda: shown(app, DoneScreen))
        confirmed = app.screen.confirmed
        preview = "".join(str(app.screen.query_one("#slip-preview").render()).split())
        assert "交付できません" in preview and "請求先：" in preview

    assert confirmed.slip.total_fee == 300
    assert [code.fields.amount for code in confirmed.visit.payments] == [300]
    assert [form.name for form in confirmed.forms] == ["住民票の写し等交付申請書"]
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        rows = {r.procedure_id: r for r in session.exec(select(VisitProcedureRow)).all()}
        seal = rows["certificate.seal_certificate.1"]
        assert (seal.plan_status, seal.fee, seal.checklist_status) == ("refused", 0, "not_needed")
        assert session.exec(select(VisitRow)).one().total_fee == 300
        assert [p.amount for p in session.exec(select(PaymentCodeRow)).all()] == [300]
    assert confirmed.slip_path is not None
    text = "".join(pdf_text(confirmed.slip_path).split())
    assert "印鑑登録証明書1通" in text and "交付できません" in text
    assert "印鑑登録がないため交付できません" in text and "請求先：" in text


async def test_a_certificate_request_joins_a_move_in_in_one_visit(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        plan = await plan_a_move_in(pilot)
        moved = {p.id for p in plan.plan.procedures}
        await pilot.press("f6")
        await wait_for(
            pilot, lambda: shown(app, CertificateScreen) and app.screen.choices is not None
        )
        screen = app.screen
        assert "証明書の請求を追加する（この受付の届出: 転入）" in str(
            screen.query_one(".title").render()
        )
        assert "F5 次へ" in str(screen.query_one("#summary").render())
        await pilot.press("f10")  # not here: the 転入's forms come first
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, FormsScreen))
        names = [form.name for form in app.screen.forms]
        assert "住民異動届" in names and "住民票の写し等交付申請書" in names
        await pilot.press("escape")  # back to the request, as left
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("escape")  # and back to the plan
        await wait_for(pilot, lambda: shown(app, PlanScreen))
        await pilot.press("f6", "f5")
        await wait_for(pilot, lambda: shown(app, FormsScreen))
        await pilot.press("f10")
        await wait_for(pilot, lambda: shown(app, DoneScreen))
        confirmed = app.screen.confirmed
        assert confirmed.visit.reception_number == 1

    stored = load_visit_for_slip(make_engine(settings.database_url), confirmed.visit.id)
    assert stored.case.event == "move_in"
    assert [c.event for c in stored.more_cases] == ["certificate"]
    ids = {p.id for p in stored.plan.procedures}
    assert moved <= ids and "certificate.residence_certificate.0" in ids
    assert [event for event, _ in stored.plan.events] == ["move_in", "certificate"]
    assert confirmed.slip_path is not None
    text = "".join(pdf_text(confirmed.slip_path).split())
    assert "届出：転入" in text and "届出：証明書の請求" in text and "住民票の写し1通" in text


async def test_a_parked_request_is_taken_up_with_its_choices(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await certificate_screen(pilot)
        await tick(pilot, screen, "#kinds", "seal_certificate")
        await choose_visitor(pilot, screen, "agent")
        await pilot.press("f12")
        await wait_for(pilot, lambda: shown(app, SearchScreen) and app.visit.current is None)
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen))
        resume = app.screen
        await wait_for(pilot, lambda: "証明書の請求" in resume_text(resume))
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: shown(app, CertificateScreen) and app.screen.choices is not None
        )
        again = app.screen
        assert again.choices is not None
        assert again.choices.copies == {"residence_certificate": 1, "seal_certificate": 1}
        assert again.choices.visitor == "agent"
        assert app.visit.reception_number == 1


def resume_text(screen) -> str:
    table = screen.query_one("#open-visits", FittedTable)
    return " ".join(" ".join(table.full_row(key)) for key in table.keys)


async def test_the_screen_fits_80_by_24_in_japanese(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await certificate_screen(pilot)
        await tick(pilot, screen, "#kinds", "koseki_full")
        await tick(pilot, screen, "#kinds", "tax_income_certificate")
        await pilot.pause()
        assert len(verdicts(screen)) == 3
        assert table_problems(screen) == []  # every column in view, cut text ends in 「…」
        assert drawn_ambiguous(screen) == {}
        table = screen.query_one("#lines", FittedTable)
        assert table.region.right <= 80
        footer = [str(key.render()) for key in screen.query("FooterKey")]
        assert any(text.split()[:2] == ["F10", "確定・案内票"] for text in footer)
        # The 年度 shows for a tax certificate, not for a 住民票.
        assert screen.query_one("#year").display
        await tick(pilot, screen, "#kinds", "residence_certificate")  # unticks it
        assert not screen.query_one("#year").display


async def test_the_event_screen_offers_the_request_and_esc_comes_back(settings, clerk):
    """F6 on an opened household's event screen: its members, the head asking by default;
    Esc goes back to the event screen (the visit keeps its number)."""
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_screen(pilot)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: shown(app, EventScreen) and app.screen.household is not None)
        event = app.screen
        await pilot.press("f6")
        await wait_for(
            pilot, lambda: shown(app, CertificateScreen) and app.screen.choices is not None
        )
        screen = app.screen
        assert screen.choices is not None and screen.choices.visitor == HEAD
        assert "証明書の請求　米子　太郎様の世帯" in str(screen.query_one(".title").render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is event)
        assert app.visit.reception_number == 1
