"""Readers turn the bytes of one raw report into the document model.

The format is detected from the content, never from the file name.
"""

from __future__ import annotations

from pipeline.model import Document
from pipeline.readers.ocr import OcrSettings
from pipeline.readers.pdf import read_pdf
from pipeline.readers.text import UnreadableDocument, read_text

__all__ = ["OcrSettings", "UnreadableDocument", "is_pdf", "read_document"]


def is_pdf(data: bytes) -> bool:
    return data.lstrip()[:5] == b"%PDF-"


def read_document(data: bytes, ocr: OcrSettings | None = None) -> Document:
    """`ocr`: whether and how PDF pages without a text layer are read by OCR (on, without a cache, by default)."""
    return read_pdf(data, ocr) if is_pdf(data) else read_text(data)
