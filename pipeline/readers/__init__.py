"""Readers turn the bytes of one raw report into the document model.

The format is detected from the content, never from the file name.
"""

from __future__ import annotations

from pipeline.model import Document
from pipeline.readers.pdf import read_pdf
from pipeline.readers.text import UnreadableDocument, read_text

__all__ = ["UnreadableDocument", "read_document"]


def read_document(data: bytes) -> Document:
    if data.lstrip()[:5] == b"%PDF-":
        return read_pdf(data)
    return read_text(data)
