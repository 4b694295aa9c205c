"""The document model every reader produces and every parser consumes.

A document is an ordered list of blocks: headings, paragraphs (line wraps
joined) and tables as grids of cleaned cell text. Each block and each table row
carries its provenance (1-based source line for text, page for PDF), so every
figure in the dataset can be traced back to where it was printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)  # many per document: smaller and quicker to read
class Row:
    """One table row: cleaned cell texts in column order, and where it was printed."""

    cells: list[str]
    source_line: int | None = None
    source_page: int | None = None
    raw: str = ""

    def non_empty(self) -> list[str]:
        return list(filter(None, self.cells))


@dataclass
class Dropped:
    """Something a reader saw but did not put into a grid, kept for `rejects`."""

    raw_text: str
    reason: str
    source_line: int | None = None
    source_page: int | None = None


@dataclass
class Heading:
    text: str
    level: int
    source_line: int | None = None
    source_page: int | None = None
    kind: str = "heading"


@dataclass
class Paragraph:
    text: str
    source_line: int | None = None
    source_page: int | None = None
    kind: str = "paragraph"


@dataclass
class Table:
    """A table as printed: title and number as found, header rows then body rows.

    `rows[:n_header_rows]` are the header (wrapped header cells joined);
    repeated headers of continuation pages are removed from the body.
    """

    title: str | None
    rows: list[Row]
    n_header_rows: int = 0
    table_number: str | None = None
    unit: str | None = None
    source_line: int | None = None
    source_page: int | None = None
    dropped: list[Dropped] = field(default_factory=list)
    kind: str = "table"

    @property
    def header(self) -> list[Row]:
        return self.rows[: self.n_header_rows]

    @property
    def body(self) -> list[Row]:
        return self.rows[self.n_header_rows :]


Block = Heading | Paragraph | Table


# Pages read by OCR: page → each cell text of its tables → its row (`Row.raw`) → the lowest confidence (0–1) it
# was read with there (`readers.ocr.token_confidence` looks it up).
OcrConfidence = dict[int, dict[str, dict[str, float]]]


@dataclass
class Document:
    """A read document: its detected format, decoded text (if any) and blocks."""

    source_format: str
    blocks: list[Block]
    encoding: str | None = None
    pages: int | None = None  # PDF page count
    ocr_confidence: OcrConfidence = field(default_factory=dict)

    @property
    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]

    @property
    def texts(self) -> list[Heading | Paragraph]:
        return [block for block in self.blocks if not isinstance(block, Table)]


def where(source_line: int | None, source_page: int | None) -> str:
    """`line 12` in a text source, `page 3` in a PDF: how a message points back to the source."""
    return f"line {source_line}" if source_line is not None else f"page {source_page}"
