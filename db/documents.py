"""A visit's PDFs kept inside the outreach laptop's encrypted file (``outreach_document``).

On the laptop a slip or a forms PDF is never kept as a plain file (a laptop lost on the
road would give it away): its bytes are a row of the SQLCipher store, written out only
for the moment of printing (``workflows.documents``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from db.models import OutreachDocumentRow


@dataclass(frozen=True)
class StoredPdf:
    label: str  # 案内票, 届出書 or 大きな文字の案内票
    file_name: str
    pdf: bytes


def store_documents(engine: Engine, visit_id: str, documents: Sequence[StoredPdf]) -> None:
    """Keep the visit's PDFs in one transaction: all of them or none."""
    now = datetime.now(UTC)
    with Session(engine) as session:
        for document in documents:
            session.add(
                OutreachDocumentRow(
                    id=str(uuid.uuid4()),
                    visit_id=visit_id,
                    label=document.label,
                    file_name=document.file_name,
                    pdf=document.pdf,
                    created_at=now,
                )
            )
        session.commit()


def read_document(engine: Engine, visit_id: str, label: str) -> StoredPdf | None:
    """The visit's latest PDF of ``label``, or None when it keeps none."""
    with Session(engine) as session:
        row = session.exec(
            select(OutreachDocumentRow)
            .where(OutreachDocumentRow.visit_id == visit_id, OutreachDocumentRow.label == label)
            .order_by(col(OutreachDocumentRow.created_at).desc())
            .limit(1)
        ).first()
    return None if row is None else StoredPdf(row.label, row.file_name, row.pdf)
