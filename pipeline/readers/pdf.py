"""PDF reader: text-layer PDFs through camelot (finished by the PDF issue).

Until then a PDF gets a clear error for its document and the run goes on.
"""

from __future__ import annotations

from pipeline.model import Document
from pipeline.readers.text import UnreadableDocument


def read_pdf(data: bytes) -> Document:
    raise UnreadableDocument(
        "PDF input is not supported yet: add the text export of this PDF to the raw directory instead"
    )
