"""Slip length: pages, type sizes and where the money is, for the visits a counter sees
most (issue 15: a typical visit fits one sheet, two sides at most, nothing under 12 pt,
the total and the payment QR on the first page).

Run: uv run python bench/bench_slip_pages.py
The visits are those of the slip tests (``tests/typical_visits.py``), with the answers a
resident typically gives and with every question left open (the longest plan).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import zxingcpp

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path[:0] = [str(TESTS)]
from typical_visits import typical_visits  # noqa: E402

from counter.billing import DEMO_KEY, bills_for_plan  # noqa: E402
from counter.catalogue import load_catalogue  # noqa: E402
from counter.profile import load_profile  # noqa: E402
from counter.rules import plan  # noqa: E402
from counter.slip import build_slip  # noqa: E402
from forms.slip_pdf import render_slip  # noqa: E402

FILED_ON = date(2026, 11, 24)
VARIANTS = (("a4", False), ("a4", True), ("receipt", False))


def measure(path: Path, total: str) -> tuple[int, float, bool, bool]:
    """Pages, the smallest type size, whether the total and a QR are on page 1."""
    document = pdfium.PdfDocument(str(path))
    try:
        sizes = []
        for page in document:
            text = page.get_textpage()
            for index in range(pdfium_raw.FPDFText_CountChars(text.raw)):
                if chr(pdfium_raw.FPDFText_GetUnicode(text.raw, index)).strip():
                    sizes.append(pdfium_raw.FPDFText_GetFontSize(text.raw, index))
        first = document[0]
        first_text = "".join(first.get_textpage().get_text_range().split())
        qr = bool(zxingcpp.read_barcodes(first.render(scale=150 / 72).to_pil()))
        return len(document), min(sizes), total in first_text, qr
    finally:
        document.close()


def main() -> None:
    profile = load_profile("312029")
    catalogue = load_catalogue().with_profile(profile)
    print("visit (answers)        procedures  layout      pages  smallest  total p.1  QR p.1")
    with tempfile.TemporaryDirectory() as folder:
        for answered in (True, False):
            for name, case in typical_visits(answered).items():
                result = plan(case, catalogue, profile, filed_on=FILED_ON)
                bills = bills_for_plan(result, profile)
                codes = [bill.issue(str(7000 + i), DEMO_KEY) for i, bill in enumerate(bills)]
                slip = build_slip(
                    result, case, profile, reception_number=7, issued_on=FILED_ON,
                    payments=codes,
                )  # fmt: skip
                total = f"{result.total_fee:,}円" if result.total_fee else "かかりません"
                for layout, large in VARIANTS:
                    path = Path(folder) / f"{name}-{layout}-{large}-{answered}.pdf"
                    render_slip(slip, path, layout=layout, large_print=large)
                    pages, smallest, on_first, qr = measure(path, total)
                    label = f"{name}（{'typical' if answered else 'all open'}）"
                    variant = f"{layout}{' large' if large else ''}"
                    print(
                        f"{label:<22}{len(result.procedures):>6}      {variant:<10}{pages:>5}"
                        f"{smallest:>9.0f} pt{'yes' if on_first else 'no':>9}"
                        f"{('yes' if qr else 'no') if codes else '-':>8}"
                    )


if __name__ == "__main__":
    main()
