"""Format-independent recognition of titles, preambles and table grids.

Every reader (text layout, markdown, TSV, PDF) finds rows its own way; what a
table title looks like, where the header ends, how a continuation page repeats
the header and how OCR splits one name over several rows is the same in all of
them, so it lives here once.
"""

from __future__ import annotations

import re

from pipeline.model import Dropped, Row
from pipeline.normalize import parse_number

_NUMERAL = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_TABLE_NUMBER = re.compile(
    rf"((?:财[决预])?公开{_NUMERAL}表|公开表{_NUMERAL}|附表{_NUMERAL}(?:-\d{{1,2}})?|(?<![\u4e00-\u9fff])表\d{{1,2}}(?:-\d{{1,2}})?)"
)
_UNIT = re.compile(r"单位[:：]?\s*(万元|千元|元)(?![\u4e00-\u9fff])")
_TRAILING_NOTE = re.compile(r"\s*[(（][^()（）]{1,30}[)）]\s*$")
_SENTENCE_PUNCT = re.compile(r"[。；，,;！？]")
ENUM_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．]\s*|[(（][一二三四五六七八九十\d]+[)）])\s*")
_PREAMBLE = re.compile(
    r"^(?:(?:金额)?单位[:：(（]|单位名称|部门[(（]单位[)）]|填报(?:单位|日期)|编制单位|主管部门[:：]|公开时间)"
)
_YEAR_ONLY = re.compile(r"^[(（]?\s*\d{1,2},?\d{2,3}\s*年度?\s*[)）]?$")
CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
CONTENTS_HEADING = re.compile(r"^(?:报表|表格)?目\s*录$")  # the heading of a report's contents (目录, 报表目录)
_COLUMN_LABEL = re.compile(r"^(?:栏次|栏|次|行次|类|款|项|合计|科目代码|科目编码|科目名称|项目|\*{1,3})$")  # `**`: a column left unnumbered
COLUMN_NUMBER = re.compile(r"\d{1,2}")  # a printed column number (`栏次 1 2 3`)
_DIGITS_AROUND_SEPARATOR = re.compile(r"\d[.,]\s*\d")


def table_title(text: str) -> str | None:
    """The table title in a heading or short line, or None.

    A title ends in 表, once a trailing parenthetical such as `(按部门预算经济科目)`
    or `(2024年度)` is set aside; it is short and is not a sentence. A list
    numbering (`一、`, `1、`) in front is removed: it is a table-of-contents
    entry then, which the callers tell apart by position.
    """
    text = text.strip().lstrip("#").strip()
    if not text or len(text) > 80:
        return None
    core = _TRAILING_NOTE.sub("", text) if text[-1] in ")）" else text
    if not core.endswith("表") or len(core) < 4 or _SENTENCE_PUNCT.search(text):
        return None
    if _TABLE_NUMBER.fullmatch(core):
        return None
    if re.search(r"(详见|见附?表|如下表)", core) or _NOT_A_TABLE.search(core.replace(" ", "")):
        return None
    return text


# A part of the report (`第二部分 2026年部门预算表`) or the heading of all its tables (`2024年度部门决算表`).
_NOT_A_TABLE = re.compile(r"^第[一二三四五六七八九十]+部分|^\d{4}年度?(部门|单位)?(决算|预算)(公开)?表$")


def table_number(text: str) -> str | None:
    match = _TABLE_NUMBER.search(text.replace(" ", ""))
    return match.group(1) if match else None


def unit_of(text: str) -> str | None:
    match = _UNIT.search(text)
    return match.group(1) if match else None


def is_preamble(text: str) -> bool:
    """Lines printed between a table title and its grid: number, unit, unit name, year."""
    text = text.strip().strip('"“”')
    if not text:
        return True
    if _PREAMBLE.match(text) or _YEAR_ONLY.match(text):
        return True
    number = _TABLE_NUMBER.search(text)
    return bool(number) and len(text) - len(number.group(1)) <= 12 and not table_title(text)


def is_money(cell: str) -> bool:
    """A cell that is an amount as printed in fiscal tables (has decimals or thousands)."""
    parsed = parse_number(cell)
    return parsed.kind == "number" and bool(_DIGITS_AROUND_SEPARATOR.search(cell))


def is_column_number_row(row: Row) -> bool:
    """`栏次 1 2 3 …` or a bare `1 2 3 …`: the printed column numbers, part of the header."""
    return _is_column_numbers(row.non_empty())


def _is_column_numbers(cells: list[str]) -> bool:
    values = []
    for cell in cells:
        if COLUMN_NUMBER.fullmatch(cell):
            values.append(int(cell))
        elif not _COLUMN_LABEL.match(cell):
            return False
    return len(values) >= 2 and values == list(range(values[0], values[0] + len(values)))


def is_data_row(row: Row) -> bool:
    """A row holding a figure or a code; header rows hold only labels and column numbers."""
    cells = row.non_empty()
    if not cells or not (CODE.match(cells[0]) or any(parse_number(c).kind == "number" for c in cells)):
        return False
    return not _is_column_numbers(cells)  # the column numbers parse as numbers too


def count_header_rows(rows: list[Row]) -> int:
    """Rows before the first data row; with no data row, rows up to the column numbers."""
    for index, row in enumerate(rows):
        if is_data_row(row):
            return index
    numbered = [i for i, row in enumerate(rows) if is_column_number_row(row)]
    if numbered:
        return numbered[-1] + 1
    # An empty table: the header runs to its 合计 or 无 line.
    return next((i for i, row in enumerate(rows) if row.non_empty() and row.non_empty()[0] in ("合计", "总计", "无")), 0)


def header_key(row: Row) -> tuple[str, ...]:
    return tuple(cell.replace(" ", "") for cell in row.non_empty())


def drop_repeated_header(segment: list[Row], header: list[Row]) -> list[Row]:
    """Remove the header a continuation page prints again at its top."""
    keys = {header_key(row) for row in header if row.non_empty()}
    start = 0
    while start < len(segment) and (
        header_key(segment[start]) in keys or is_column_number_row(segment[start])
    ):
        start += 1
    return segment[start:]


# Characters a complete header label ends with; a header line ending otherwise
# was wrapped and continues on the next line (`附属单位上缴` + `收入`).
_HEADER_END = set("入出计数费额余金率目称码次值分支类款项号位表况标据况容费资求度型则")


def join_wrapped_header_lines(rows: list[Row]) -> list[Row]:
    """Join header lines of a layout export where one cell wrapped onto the next line.

    pdftotext-like exports print a wrapped header cell's second line as a line
    of its own. A line that is a single label not ending like a complete label
    is joined to the first label of the next line.
    """
    result: list[Row] = []
    pending: Row | None = None
    for row in rows:
        if pending is not None:
            first, *rest = row.cells or [""]
            row = Row([pending.cells[0] + first, *rest], pending.source_line, pending.source_page,
                      pending.raw + "\n" + row.raw)
            pending = None
        cells = row.non_empty()
        if len(cells) == 1 and cells[0][-1] not in _HEADER_END and not CODE.match(cells[0]):
            pending = Row(cells, row.source_line, row.source_page, row.raw)
            continue
        result.append(row)
    if pending is not None:
        result.append(pending)
    return result


# ------------------------------------------------------------ fragment rows

_MAX_FRAGMENT = 15


def _fragment_column(row: Row) -> int | None:
    """The column of a row that holds only a piece of wrapped text, or None."""
    if len(row.cells) - row.cells.count("") != 1:
        return None
    text = next(filter(None, row.cells))
    column = row.cells.index(text)
    if len(text) > _MAX_FRAGMENT or text.endswith((":", "：")) or ENUM_PREFIX.match(text):
        return None
    if parse_number(text).kind != "invalid" or CODE.match(text):
        return None
    return column


def merge_fragment_rows(body: list[Row]) -> tuple[list[Row], list[Dropped]]:
    """Merge rows that hold only a piece of a wrapped name into the row it belongs to.

    OCR splits a wrapped name cell over several rows around the row that holds
    the code and amounts. Between two such data rows, the pieces go to the
    row above, except the last one when it is as long as the column's wrapped
    lines: that one starts the name of the row below. A piece that the row
    below already starts with is an OCR duplicate and is dropped with a note.
    A name that opens with its list numbering (`二十一、`) has no piece above it.
    """
    rows = [row for row in body if any(row.cells)]
    columns = [_fragment_column(row) for row in rows]
    pieces = [row.cells[column] for row, column in zip(rows, columns) if column is not None]
    width = max(map(len, pieces), default=0)
    merged: list[Row] = []
    last_is_fragment = False  # merged[-1] is a fragment row, which is never a data row
    dropped: list[Dropped] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        if columns[index] is None or not merged or last_is_fragment or not is_data_row(merged[-1]):
            merged.append(row)
            last_is_fragment = columns[index] is not None
            index += 1
            continue
        run_end = index
        while run_end < len(rows) and columns[run_end] is not None:
            run_end += 1
        run = rows[index:run_end]
        below = rows[run_end] if run_end < len(rows) else None
        if below is not None and not is_data_row(below):
            merged.extend(run)
            last_is_fragment = True
            index = run_end
            continue
        to_below: list[Row] = []
        if below is not None:
            last = run[-1]
            column = columns[run_end - 1]
            below_text = below.cells[column] if column < len(below.cells) else ""
            text = last.cells[column]
            if below_text.startswith(text):
                dropped.append(Dropped(last.raw, "OCR duplicate of the start of the next row's text",
                                       last.source_line, last.source_page))
                run = run[:-1]
            elif not below_text or (len(pieces) > 1 and len(text) >= width and not ENUM_PREFIX.match(below_text)):
                to_below, run = [last], run[:-1]
        for piece in run:
            _append_text(merged[-1], piece)
        if to_below:
            rows[run_end] = _prepend_text(below, to_below[0])
            columns[run_end] = _fragment_column(rows[run_end])
        index = run_end
    return merged, dropped


def _append_text(row: Row, piece: Row) -> None:
    column = _fragment_column(piece)
    while len(row.cells) <= column:
        row.cells.append("")
    row.cells[column] += piece.cells[column]
    row.raw += "\n" + piece.raw


def _prepend_text(row: Row, piece: Row) -> Row:
    column = _fragment_column(piece)
    cells = list(row.cells) + [""] * max(0, column + 1 - len(row.cells))
    cells[column] = piece.cells[column] + cells[column]
    return Row(cells, row.source_line, row.source_page, piece.raw + "\n" + row.raw)
