"""Readers turn the bytes of one raw report into the document model.

The format is detected from the content, never from the file name.
"""

from __future__ import annotations

from pipeline.model import Document
from pipeline.readers.pdf import read_pdf
from pipeline.readers.text import UnreadableDocument, read_text

__all__ = ["UnreadableDocument", "is_pdf", "read_document"]


def is_pdf(data: bytes) -> bool:
    return data.lstrip()[:5] == b"%PDF-"


def read_document(data: bytes) -> Document:
    return read_pdf(data) if is_pdf(data) else read_text(data)
