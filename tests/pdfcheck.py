"""Reading back what we printed: text and QR symbols from rendered pages (PDFium)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import zxingcpp
from pypdf import PdfReader


def _open(path: Path | bytes) -> pdfium.PdfDocument:
    """A PDF file, or the bytes an outreach laptop keeps in its store."""
    return pdfium.PdfDocument(path if isinstance(path, bytes) else str(path))


def page_texts(path: Path | bytes) -> list[str]:
    """Each page's text on its own, to check what every page carries."""
    document = _open(path)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def pdf_text(path: Path | bytes) -> str:
    return "\n".join(page_texts(path))


def page_count(path: Path) -> int:
    return len(PdfReader(str(path)).pages)


def font_sizes(path: Path | bytes) -> list[float]:
    """Font size of every visible character, in points."""
    document = _open(path)
    sizes = []
    try:
        for page in document:
            textpage = page.get_textpage()
            for index in range(pdfium_raw.FPDFText_CountChars(textpage.raw)):
                if chr(pdfium_raw.FPDFText_GetUnicode(textpage.raw, index)).strip():
                    sizes.append(pdfium_raw.FPDFText_GetFontSize(textpage.raw, index))
    finally:
        document.close()
    return sizes


def decoded_qr_codes(path: Path, dpi: int = 150, *, pages: int | None = None) -> list[str]:
    """Render every page (or the first ``pages``) to a bitmap and decode every QR symbol
    on it."""
    document = pdfium.PdfDocument(str(path))
    found = []
    try:
        for number, page in enumerate(document):
            if pages is not None and number >= pages:
                break
            image = page.render(scale=dpi / 72).to_pil()
            found += [
                barcode.text
                for barcode in zxingcpp.read_barcodes(image)
                if barcode.format == zxingcpp.BarcodeFormat.QRCode
            ]
    finally:
        document.close()
    return found


def embedded_fonts(path: Path) -> dict[str, bool]:
    """Base font name → whether the font program is embedded in the file."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(str(path)).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            embedded = bool(
                descriptor
                and any(
                    k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
                )
            )
            fonts[str(font["/BaseFont"]).lstrip("/")] = embedded
    return fonts


def plain_pdfs(*folders: Path) -> list[Path]:
    """Every PDF on disk under ``folders``, by its name or by its first bytes: where an
    outreach laptop must have left none."""
    return [
        path
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file() and (path.suffix == ".pdf" or path.read_bytes().startswith(b"%PDF"))
    ]


def pdftotext_layout(path: Path) -> str:
    """The text as poppler's ``pdftotext -layout`` reads it, page after page: what the
    receiving department's tools see, lines kept as printed."""
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
