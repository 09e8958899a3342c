"""Where a confirmed visit's slip and forms PDFs are kept: files in the slip folder at the
office, rows of the encrypted file on an outreach laptop.

Why it exists: a laptop taken on the road may be lost or stolen, so there a resident's
papers are never kept as plain files. A PDF is made in the laptop's private working
folder (``workflows.working_folder``), moved into the store at once (``db.documents``)
and written out again only for the moment of printing, then deleted whatever happens.
The office keeps its files as it always has. The keeper is chosen once, from the settings
(``screens.settings.document_keeper``); confirming and printing ask it where to write
and what to print, never which kind of terminal they run on.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol

from workflows.working_folder import WorkingFolder

if TYPE_CHECKING:  # the app chooses its keeper at start, before SQLAlchemy is loaded
    from sqlalchemy.engine import Engine

SLIP, FORMS, LARGE = "案内票", "届出書", "大きな文字の案内票"
# What a visit records (slip_path, issued_form.file_path) for a PDF the laptop's file holds.
IN_OUTREACH_FILE = "出張用ファイル内:"


@dataclass(frozen=True)
class KeptPdf:
    """One PDF of a visit, as its keeper holds it."""

    label: str  # SLIP, FORMS or LARGE
    name: str  # its file name, also the print job's title
    path: Path | None = None  # its plain file; None when only the outreach file holds it

    @property
    def where(self) -> str:
        """What the visit records and staff read: the file, or its name in the outreach file."""
        return str(self.path) if self.path else f"{IN_OUTREACH_FILE}{self.name}"

    def beside(self, label: str, name: str) -> KeptPdf:
        """Another PDF of the same visit, kept the same way (the large-print slip)."""
        return KeptPdf(label, name, self.path.with_name(name) if self.path else None)


class DocumentKeeper(Protocol):
    place: ClassVar[str]  # where staff are told the PDFs are kept
    note: ClassVar[str | None]  # what a print message says of the PDF; None names its file

    def writing(self) -> AbstractContextManager[Path]:
        """The folder to write a visit's new PDFs in, before they are kept."""
        ...

    def keep(
        self, engine: Engine, visit_id: str, files: Sequence[tuple[str, Path]]
    ) -> tuple[KeptPdf, ...]:
        """Keep the PDFs just written (label, file), in their order."""
        ...

    def holds(self, engine: Engine, visit_id: str, document: KeptPdf) -> bool: ...

    def printable(
        self, engine: Engine, visit_id: str, document: KeptPdf
    ) -> AbstractContextManager[Path]:
        """The PDF as a file, for as long as the printer needs it."""
        ...

    def scratch(self) -> AbstractContextManager[Path]:
        """A folder for a copy made only for the printer, removed whatever happens."""
        ...

    def close(self) -> None:
        """At exit."""
        ...


@dataclass(frozen=True)
class SlipFolder:
    """The office: each PDF stays a file in the slip folder (``COUNTER_SLIP_DIR`` or the
    data directory), its path shown and recorded."""

    folder: Path
    place: ClassVar[str] = "上の場所"  # the done screen shows each file's path
    note: ClassVar[str | None] = None

    def writing(self) -> AbstractContextManager[Path]:
        return nullcontext(self.folder)

    def keep(
        self, engine: Engine, visit_id: str, files: Sequence[tuple[str, Path]]
    ) -> tuple[KeptPdf, ...]:
        return tuple(KeptPdf(label, path.name, path) for label, path in files)

    def holds(self, engine: Engine, visit_id: str, document: KeptPdf) -> bool:
        return document.path is not None and document.path.exists()

    def printable(
        self, engine: Engine, visit_id: str, document: KeptPdf
    ) -> AbstractContextManager[Path]:
        return nullcontext(document.path or self.folder / document.name)

    def scratch(self) -> AbstractContextManager[Path]:
        return _temporary_folder(None)

    def close(self) -> None:
        pass


@dataclass(frozen=True)
class SealedStore:
    """An outreach laptop: each PDF is a row of its encrypted file; a plain file exists only
    in the working folder, while it is made or printed."""

    folder: WorkingFolder
    place: ClassVar[str] = "出張用ファイルの中"
    note: ClassVar[str | None] = "PDFは出張用ファイルの中に保存しました"

    def writing(self) -> AbstractContextManager[Path]:
        return self.scratch()

    def keep(
        self, engine: Engine, visit_id: str, files: Sequence[tuple[str, Path]]
    ) -> tuple[KeptPdf, ...]:
        """Move the files into the store (one transaction); they are deleted even when
        storing fails."""
        from db.documents import StoredPdf, store_documents

        try:
            stored = [StoredPdf(label, path.name, path.read_bytes()) for label, path in files]
            store_documents(engine, visit_id, stored)
        finally:
            for _, path in files:
                path.unlink(missing_ok=True)
        return tuple(KeptPdf(pdf.label, pdf.file_name) for pdf in stored)

    def holds(self, engine: Engine, visit_id: str, document: KeptPdf) -> bool:
        from db.documents import read_document

        return read_document(engine, visit_id, document.label) is not None

    @contextmanager
    def printable(self, engine: Engine, visit_id: str, document: KeptPdf) -> Iterator[Path]:
        """Written out from the store into a folder of its own, deleted on the way out
        (a PDF the store does not hold is a missing file, as the printer is told)."""
        from db.documents import read_document

        stored = read_document(engine, visit_id, document.label)
        with self.scratch() as folder:
            path = folder / document.name
            if stored is not None:
                path.write_bytes(stored.pdf)
            yield path

    def scratch(self) -> AbstractContextManager[Path]:
        return _temporary_folder(self.folder.path)

    def close(self) -> None:
        self.folder.remove()


@contextmanager
def _temporary_folder(parent: Path | None) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="counter-print-", dir=parent) as folder:
        yield Path(folder)
