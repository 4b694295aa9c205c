"""Readers for the text exports of PDFs: `text_layout`, `markdown` and `tsv`.

- `text_layout` (pdftotext-like): cells separated by spaces, one row per line,
  wrapped header cells on lines of their own, a page break before a line that
  starts with a space. Rows exist only between a table title and its note.
- `markdown`: pipe tables with `<br>` and HTML fragments; a table broken by a
  page continues as a new pipe table after blank lines.
- `tsv`: tab-separated rows, markdown-like headings around them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.model import Block, Document, Heading, Paragraph, Row, Table
from pipeline.normalize import clean_text, join_lines
from pipeline.readers import grid


class UnreadableDocument(ValueError):
    """The file cannot be read as a report; the message says why and what to do."""


# ------------------------------------------------------------------ decoding

def decode(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a text export, returning (text, encoding name)."""
    if not data.strip():
        raise UnreadableDocument("empty file: it holds no text; replace it with the full export")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        decoded = _utf16_without_bom(data)
        if decoded is None:
            raise UnreadableDocument("binary file: it is not text nor a PDF; check what was downloaded")
        return decoded
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument("unknown text encoding: not UTF-8, UTF-16 or GB18030; re-export as UTF-8")


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a byte-order mark (its NULs look binary).

    Accepted when it decodes to printable lines with the digits, spaces and
    line breaks every report has in plain ASCII; random bytes do not.
    """
    if len(data) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\t\r\n" for ch in text)
        ascii_share = sum(ch.isascii() for ch in text) / len(text)
        if "\n" in text and printable >= 0.99 * len(text) and ascii_share >= 0.2:
            return text, encoding
    return None


# ------------------------------------------------------------------ detection

def _is_pipe_row(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") and stripped.count("|") >= 3


def _pipe_cells(line: str) -> list[str] | None:
    return line.strip().strip("|").split("|") if _is_pipe_row(line) else None


_PIPE_SEPARATOR = re.compile(r"\s*:?-{2,}:?\s*")


def _is_pipe_separator(cells: list[str]) -> bool:
    return all(_PIPE_SEPARATOR.fullmatch(cell) for cell in cells)


def detect_text_format(lines: list[str]) -> str:
    """`markdown`, `tsv` or `text_layout`, from how the table rows are delimited."""
    pipes = sum(1 for line in lines if "|" in line and _is_pipe_row(line))
    enough = pipes + 1 if pipes >= 5 else 5  # tab rows past this many decide nothing more
    tabs = 0
    for line in lines:
        if "\t" in line and len(list(filter(None, map(str.strip, line.split("\t"))))) >= 2:
            tabs += 1
            if tabs == enough:
                break
    if pipes >= 5 and pipes >= tabs:
        return "markdown"
    if tabs >= 5:
        return "tsv"
    return "text_layout"


def read_text(data: bytes) -> Document:
    text, encoding = decode(data)
    lines = text.splitlines()
    source_format = detect_text_format(lines)
    if source_format == "text_layout":
        blocks = _LayoutAssembler(lines).blocks()
    else:
        blocks = _DelimitedAssembler(lines, source_format).blocks()
    return Document(source_format, blocks, encoding)


# ------------------------------------------------------------------ shared


_NOTE = re.compile(r"^(注[:：]|注\d|说明[:：]|联系人|填报人|审核人)")
_HEADING_PATTERN = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、\S{1,30}$)")


def _finish_table(table: Table, segments: list[list[Row]], join_header_lines: bool) -> Table:
    """Build the grid from its page segments: header, body without repeated headers, fragments merged."""
    segments = list(segments)
    while len(segments) > 1 and not any(grid.is_data_row(row) for row in segments[0]):
        segments[0] = segments[0] + segments.pop(1)  # the header itself went over a page
    first, *rest = segments
    n_header = grid.count_header_rows(first)
    header, body = first[:n_header], first[n_header:]
    for segment in rest:
        body.extend(grid.drop_repeated_header(segment, header))
    if join_header_lines:
        header = grid.join_wrapped_header_lines(header)
    body, dropped = grid.merge_fragment_rows(body)
    width = max((len(row.cells) for row in header + body), default=0)
    for row in header + body:
        row.cells += [""] * (width - len(row.cells))
    table.rows, table.n_header_rows = header + body, len(header)
    table.dropped.extend(dropped)
    return table


def _is_toc(rows: list[Row]) -> bool:
    """A table of contents: most rows are text followed by a page number, and no amounts."""
    filled = [row.non_empty() for row in rows if row.non_empty()]
    paged = [cells for cells in filled if re.fullmatch(r"\d{1,3}", cells[-1]) and len(cells) <= 3]
    return bool(filled) and len(paged) >= 0.6 * len(filled) and not any(
        grid.is_money(cell) for cells in filled for cell in cells
    )


# ------------------------------------------------------------------ markdown / tsv


@dataclass(slots=True)
class _Line:
    number: int
    raw: str
    cells: list[str] | None  # None for a text line


_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s*(.*)$")
_LIST_ITEM = re.compile(r"^[-*+]\s+")


class _DelimitedAssembler:
    """Blocks of a markdown or TSV export: rows are delimited, so tables find themselves."""

    def __init__(self, lines: list[str], source_format: str):
        self.lines = [
            _Line(i, raw, self._cells(raw, source_format)) for i, raw in enumerate(lines, start=1)
        ]
        if source_format == "tsv":
            self._mark_single_cell_rows()
        self.out: list[Block] = []
        self.table: Table | None = None
        self.segments: list[list[Row]] = []
        self.since_table: list[Block] = []

    @staticmethod
    def _cells(raw: str, source_format: str) -> list[str] | None:
        if source_format == "markdown":
            cells = _pipe_cells(raw)
            if cells is None:
                return None
            return [] if "--" in raw and _is_pipe_separator(cells) else list(map(clean_text, cells))
        if "\t" not in raw:
            return None
        cells = list(map(clean_text, raw.split("\t")))
        while cells and not cells[-1]:
            cells.pop()
        return cells

    def _mark_single_cell_rows(self) -> None:
        """A tab line with one filled cell is a row only inside a table (else it is text)."""
        previous_is_row = False
        for line in self.lines:
            if line.cells is not None and len(line.cells) - line.cells.count("") < 2 and line.cells != []:
                if not previous_is_row:
                    line.cells = None
            if line.raw.strip():
                previous_is_row = line.cells is not None

    def blocks(self) -> list[Block]:
        text_run: list[_Line] = []
        row_run: list[Row] = []
        for line in self.lines + [_Line(len(self.lines) + 1, "", None)]:
            if line.cells is not None:
                if text_run:
                    self._flush_text(text_run)
                    text_run = []
                if line.cells:
                    row_run.append(Row(line.cells, line.number, None, line.raw))
                continue
            if row_run:
                self._add_segment(row_run)
                row_run = []
            if line.raw.strip():
                text_run.append(line)
            elif text_run:
                self._flush_text(text_run)
                text_run = []
        self._close_table()
        return sorted(self.out, key=lambda block: block.source_line)

    def _flush_text(self, run: list[_Line]) -> None:
        """Text after a table ends it when it is a heading, a note or a new title.

        Other paragraphs between two grids are OCR debris inside a page (text that
        escaped a cell); the grid after them continues the same table.
        """
        for block in self._text_blocks(run):
            if isinstance(block, Heading) or _NOTE.match(block.text) or grid.table_title(block.text):
                self._close_table()
            self.out.append(block)
            self.since_table.append(block)

    @staticmethod
    def _text_blocks(run: list[_Line]) -> list[Block]:
        blocks: list[Block] = []
        paragraph: list[_Line] = []

        def flush() -> None:
            if paragraph:
                text = join_lines([p.raw for p in paragraph])
                if text:
                    blocks.append(Paragraph(text, paragraph[0].number))
                paragraph.clear()

        for line in run:
            stripped = line.raw.strip()
            heading = _MARKDOWN_HEADING.match(stripped)
            if heading:
                flush()
                text = clean_text(heading.group(2).replace("**", ""))
                if text:
                    blocks.append(Heading(text, len(heading.group(1)), line.number))
            elif _LIST_ITEM.match(stripped):
                flush()
                text = clean_text(_LIST_ITEM.sub("", stripped).replace("**", ""))
                if text:
                    blocks.append(Paragraph(text, line.number))
            else:
                paragraph.append(_Line(line.number, stripped.replace("**", ""), None))
        flush()
        return blocks

    def _add_segment(self, rows: list[Row]) -> None:
        if self.table is not None:
            self.segments.append(rows)
            return
        self._close_table()
        title, number, unit = self._context()
        self.since_table = []
        if title is None and _is_toc(rows):
            self.out.append(Paragraph(join_lines([" ".join(r.non_empty()) for r in rows]), rows[0].source_line))
            return
        self.table = Table(title, [], table_number=number, unit=unit, source_line=rows[0].source_line)
        self.segments = [rows]

    def _context(self) -> tuple[str | None, str | None, str | None]:
        """Title, table number and unit from the text printed since the previous table."""
        title = number = unit = None
        for block in reversed(self.since_table[-8:]):
            unit = unit or grid.unit_of(block.text)
            found = grid.table_title(block.text)
            if found:
                title, number = found, number or grid.table_number(block.text)
                break
            if not grid.is_preamble(block.text):
                break
            number = number or grid.table_number(block.text)
        return title, number, unit

    def _close_table(self) -> None:
        if self.table is not None:
            self.out.append(_finish_table(self.table, self.segments, join_header_lines=False))
            self.since_table = []
        self.table, self.segments = None, []


# ------------------------------------------------------------------ text layout


def _layout_title(text: str) -> str | None:
    """A table title line; a numbered one (`二、收入决算表`) is a contents entry instead."""
    if "表" not in text:  # every title ends in 表: most lines of a layout export are rows
        return None
    title = grid.table_title(text)
    return title if title and not grid.ENUM_PREFIX.match(text) else None


def _is_layout_heading(text: str) -> bool:
    return len(text) <= 30 and bool(_HEADING_PATTERN.match(text))


class _LayoutAssembler:
    """Blocks of a pdftotext-like export, where only a title tells a table has begun."""

    def __init__(self, lines: list[str]):
        self.lines = lines

    def blocks(self) -> list[Block]:
        out: list[Block] = []
        paragraph: list[tuple[int, str]] = []
        index = 0

        def flush() -> None:
            if paragraph:
                out.append(Paragraph(join_lines([t for _, t in paragraph]), paragraph[0][0]))
                paragraph.clear()

        while index < len(self.lines):
            raw = self.lines[index]
            text = clean_text(raw)
            number = index + 1
            if not text:
                index += 1
                continue
            title = _layout_title(text)
            if title:
                flush()
                out.append(Heading(title, 2, number))
                table, index = self._read_table(title, index, out)
                if table is not None:
                    out.append(table)
                continue
            if _is_layout_heading(text):
                flush()
                out.append(Heading(text, 1 if text.startswith("第") else 2, number))
            else:
                if paragraph and (re.search(r"[。！？；:：]$", paragraph[-1][1]) or grid.ENUM_PREFIX.match(text)):
                    flush()
                paragraph.append((number, text))
            index += 1
        flush()
        return out

    def _read_table(self, title: str, title_index: int, out: list[Block]) -> tuple[Table | None, int]:
        """Rows from the line after the title up to the table's note or the next title.

        A title with no rows after it (a part's title such as `2024年度部门决算表`)
        gives no table.
        """
        table = Table(title, [], source_line=title_index + 1)
        for raw in self.lines[max(0, title_index - 3): title_index]:
            table.unit = table.unit or grid.unit_of(clean_text(raw))
        segments: list[list[Row]] = []
        lines = self.lines
        index = title_index + 1
        while index < len(lines):
            raw = lines[index]
            text = clean_text(raw)
            if not text:
                index += 1
                continue
            if _NOTE.match(text) or _is_layout_heading(text) or _layout_title(text):
                break
            if not segments and grid.is_preamble(text):
                table.table_number = table.table_number or grid.table_number(text)
                table.unit = table.unit or grid.unit_of(text)
                out.append(Paragraph(text, index + 1))
                index += 1
                continue
            if not segments or raw.startswith(" "):
                segments.append([])  # a page's first line starts with a space
            segments[-1].append(Row(list(map(clean_text, raw.split())), index + 1, None, raw.strip()))
            index += 1
        if not segments:
            return None, index
        return _finish_table(table, segments, join_header_lines=True), index
