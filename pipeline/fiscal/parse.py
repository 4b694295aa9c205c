"""Read a standard fiscal table's grid into entries: one per printed row and block.

An entry is a row label (function or economic code, name, 行次) with one cell
per measure column. Delimited exports (markdown, TSV, PDF grids) keep their
columns, so a blank cell is a printed blank; layout text keeps only the tokens,
so its rows are aligned to the layout by what each token is (code, name, 行次,
amount). Rows that cannot be placed go to rejects, never silently away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.fiscal.headers import header_layout, measure_of
from pipeline.fiscal.layouts import LAYOUTS, Block, Layout, words_of
from pipeline.metadata import ORG_SUFFIX
from pipeline.model import Row, Table
from pipeline.normalize import DIGIT, clean_text, parse_number
from pipeline.readers.grid import CODE, COLUMN_NUMBER, ENUM_PREFIX, is_column_number_row

_LINE_NO = re.compile(r"^\d{1,3}$")
_CODE_LABELS = re.compile(r"^(类|款|项|类款|类款项|科目编码|科目代码|栏次)$")
# `无`, `此表为空`, `本表无数据`: the row an empty table prints; it is a note, not an item
_HEADER_ONLY = re.compile(r"^(栏次|项目|项目栏次|无|[此本]表(为空|无数据))$")


@dataclass(slots=True)  # many per document: smaller and quicker to read
class Cell:
    """One printed cell of a measure column (raw text as printed) and where it was printed."""

    raw: str
    source_line: int | None
    source_page: int | None
    joined: bool = False  # OCR split the number over two cells (`0.` | `00…`); joined back
    row: str = ""  # the printed row's raw text: where OCR read the cell, its confidence is looked up by row


@dataclass(slots=True)  # many per document: smaller and quicker to read
class Entry:
    """One row label of one block with its measure cells; `rows` are the printed rows it spans."""

    block: int
    side: str | None
    code: str | None
    code_raw: str
    name: str
    line_no: int | None
    cells: list[Cell | None]
    rows: list[Row]
    alternatives: list[list[Cell]] = field(default_factory=list)  # OCR twin readings per measure
    ghost_cells: set[int] = field(default_factory=set)  # ids of the cells read on a ghost row
    shifted: bool = False  # figures printed one block off, moved to their label
    partial: bool = False  # a `其中:` follows: the rows below list only part of it
    name_raw: str = ""  # the name cell as printed
    unit: str = ""  # the budget unit (预算单位) the row is of: printed in its unit column, or carried from above
    unit_code: str = ""  # the unit's code (部门代码 `113001`) as printed: no item code, the dataset does not keep it

    @property
    def is_unit(self) -> bool:
        """A row that names a budget unit (its unit column filled, no code or item name of its own)."""
        return bool(self.unit) and not self.code_raw and self.name == self.unit

    @property
    def source_line(self) -> int | None:
        return self.rows[0].source_line

    @property
    def source_page(self) -> int | None:
        return self.rows[0].source_page


_TWO_CJK = re.compile(r"[\u4e00-\u9fff]{2}")
_SPLIT_HEAD = re.compile(r"[\d,]*\d[.,]")
_SPLIT_TAIL = re.compile(r"\d+")
_NOT_CODE_DIGIT = re.compile(r"[^\d/]")
_DIGITS_AND_SEPARATORS = re.compile(r"[\d.,\s]+")


@dataclass
class ParsedTable:
    table_id: str
    table: Table
    layout: Layout
    measures: list[str]
    labels: list[str]
    entries: list[Entry]
    rejects: list[dict]
    choice: tuple[Layout, int, int] | None = None

    @property
    def misaligned(self) -> int:
        """Cells of a measure column that hold words: the grid's columns did not line up with its header."""
        return sum(1 for e in self.entries for c in e.cells if c is not None and _TWO_CJK.search(c.raw))


def _header_text(table: Table) -> str:
    return "".join(cell for row in table.header for cell in row.cells).replace(" ", "")


def _named(layout: Layout, header: str) -> tuple[int, int]:
    """How many of the layout's measures the printed header names (by their header words), of how many."""
    measures = {m for block in layout.blocks for m in block.measures}
    return sum(1 for m in measures if (words := words_of(m)) and re.search(words, header)), len(measures)


def _score(layout: Layout, header: str) -> float:
    """The share of the layout's measures whose header words the printed header holds."""
    found, measures = _named(layout, header)
    return found / measures


def _foreign_measures(layout: Layout, table: Table) -> set[str]:
    """Measures the header's cells name that the layout has no column for (`一般公共预算`, `财政专户拨款` over a
    list of projects by source of funds, fitted to the 支出 template on its width alone)."""
    own = {m for block in layout.blocks for m in block.measures}
    named = {measure_of(clean_text(cell).replace(" ", "")) for row in table.header for cell in row.cells}
    return {m for m in named - {None} if not any(o == m or o.startswith(f"{m}_") or o.endswith(f"_{m}") for o in own)}


def _named_elsewhere(layout: Layout, table: Table) -> bool:
    """The header names fewer than half the layout's columns, and more columns the layout lacks than columns it
    has: the layout would be a guess. (A header that names nothing, or garbled words, does not rule it out.)"""
    found, measures = _named(layout, _header_text(table))
    return found < measures / 2 and len(_foreign_measures(layout, table)) > found


def _numbered_columns(table: Table) -> int | None:
    """How many measure columns the header's `栏次 1 2 3 …` row numbers, if it has one."""
    for row in table.header:
        if is_column_number_row(row):
            return sum(1 for c in row.non_empty() if COLUMN_NUMBER.fullmatch(c))
    return None


def _width(block: Block, code_columns: int) -> int:
    keys = sum(code_columns if key in ("code", "other_code") else 1 for key in block.keys)
    return keys + len(block.measures)


def _columns(table: Table) -> int:
    """The grid's width: the last column holding text in any row."""
    return max((i + 1 for row in table.rows for i, cell in enumerate(row.cells) if cell), default=0)


def choose_layout(table_id: str, table: Table, delimited: bool) -> tuple[Layout, int, int] | None:
    """The best-fitting layout, with the number of code columns and block repeats, or None.

    Delimited grids must match the layout's width; layout text must match the
    count of numbered columns when the header numbers them.
    """
    header, width, numbered = _header_text(table), _columns(table), _numbered_columns(table)
    fits = []
    for order, layout in enumerate(LAYOUTS.get(table_id, ())):
        n_measures = sum(len(b.measures) for b in layout.blocks)
        if not delimited and numbered is not None and numbered != n_measures:
            continue
        if _named_elsewhere(layout, table):
            continue  # the header names other columns: fitting this layout on its width would be a guess
        for code_columns in ((1, 2, 3) if layout.has_code else (1,)):
            total = sum(_width(b, code_columns) for b in layout.blocks)
            repeats = width // total if layout.blocks[0].repeats and delimited and width % total == 0 else 1
            if delimited and total * repeats != width:
                continue
            fits.append((-_score(layout, header), order, code_columns, layout, repeats))
            break
    if not fits:
        return None
    _, _, code_columns, layout, repeats = min(fits, key=lambda f: f[:2])
    return layout, code_columns, repeats


def measure_labels(layout: Layout, table: Table, spans: list[tuple[int, str]] | None) -> list[str]:
    """The printed header of each measure column: its header cells joined top to bottom.

    For layout text, whose header cells are not in columns, it is the header words found.
    """
    labels = []
    for index, measure in enumerate(m for b in layout.blocks for m in b.measures):
        printed = ""
        if spans is not None and index < len(spans):
            column = spans[index][0]
            parts = [clean_text(row.cells[column]) for row in table.header if column < len(row.cells)]
            printed = "/".join(p for p in parts if p and not re.fullmatch(r"\d{1,2}", p))
        if not printed:
            words = words_of(measure)
            found = re.search(words, _header_text(table)) if words else None
            printed = found.group(0) if found else measure
        labels.append(printed)
    return labels


def parse_table(table_id: str, table: Table, delimited: bool, doc_id: str,
                choice: tuple[Layout, int, int] | None = None) -> ParsedTable | None:
    """Entries of one recognised table, or None if no layout fits.

    `choice` (layout, code columns, repeats) is given for tables whose columns
    come from their own header (the function × economic cross-tab).
    """
    if choice is None and delimited:
        choice = header_layout(table_id, table)
        template = choice is None
    else:
        template = False
    choice = choice or choose_layout(table_id, table, delimited)
    rejects: list[dict] = []
    if choice is None:
        return None
    if template and _header_contradicts(choice, table):
        return None
    layout, code_columns, repeats = choice
    blocks = [b for b in layout.blocks for _ in range(repeats if b.repeats else 1)]
    measures = [m for b in layout.blocks for m in b.measures]
    offsets = {id(b): sum(len(x.measures) for x in layout.blocks[:i]) for i, b in enumerate(layout.blocks)}
    entries: list[Entry] = []
    spans = _measure_columns(blocks, code_columns) if delimited else None
    widths = [_width(block, code_columns) for block in blocks]
    above = ["", ""]  # the 类 and 款 last printed in split code columns: a 款 row may print only its 款
    for row in table.body:
        if delimited:
            found = _split_delimited(row, blocks, code_columns, widths, above)
        else:
            found = _split_tokens(row, blocks, _first_block(row, blocks, code_columns) if row.cells else 0)
        if isinstance(found, str):
            rejects.append(reject(doc_id, row, found))
            continue
        for entry in found:
            block = blocks[entry.block] if entry.block < len(blocks) else blocks[0]
            offset = offsets[id(block)]
            entry.cells = [None] * offset + entry.cells + [None] * (len(measures) - offset - len(entry.cells))
        entries.extend(found)
    entries = _mark_partial(_join_split_rows(entries))
    if delimited and layout.blocks[0].repeats:
        _realign_orphan_figures(entries)  # side-by-side blocks of one kind (economic tables)
    if layout.has_code:
        entries, noise = _attach_fragments(entries)
        rejects += [reject(doc_id, e.rows[0], "OCR noise in a name column", raw=e.name_raw) for e in noise]
    _label_from_header(table, entries)
    if any("unit" in block.keys for block in blocks):
        _carry_units(entries)
    else:
        _mark_unit_rows(table, entries)
    rejects += [reject(doc_id, e.rows[0], f"budget unit code (部门代码) of {e.name or 'a unit'}: fiscal_facts has no "
                       "column for it; the row's facts carry the unit's name", raw=e.unit_code)
                for e in entries if e.unit_code]
    for entry in [e for e in entries if not (e.code_raw or e.name or e.line_no) and layout.blocks[0].keys]:
        entries.remove(entry)
        printed = [c for c in entry.cells if c is not None and c.raw]
        zeros = all(parse_number(c.raw).value == 0 for c in printed)
        reason = ("empty template row: zeros printed without a row label" if zeros
                  else "figure printed without its row label")
        rejects += [reject(doc_id, entry.rows[0], reason, raw=c.raw) for c in printed]
    labels = measure_labels(layout, table, spans)
    return ParsedTable(table_id, table, layout, measures, labels, entries, rejects, choice)


def _header_contradicts(choice: tuple[Layout, int, int], table: Table) -> bool:
    """A template chosen by width whose measure columns the printed header names as other measures
    (`一般公共预算 | 政府性基金预算` over what the template calls 基本支出 | 项目支出): not this table's layout.

    A header printed one column off its figures (text exports) that names the template's measures there
    does not contradict it."""
    layout, code_columns, repeats = choice
    blocks = [b for b in layout.blocks for _ in range(repeats if b.repeats else 1)]
    columns = _measure_columns(blocks, code_columns)
    return all(any(_names_other(table, column + shift, measure) for column, measure in columns)
               for shift in (0, -1, 1))


def _names_other(table: Table, column: int, measure: str) -> bool:
    """The header over `column` names a measure other than `measure` (a generic 合计 or 金额 names none)."""
    parts = [clean_text(row.cells[column]).replace(" ", "") for row in table.header
             if 0 <= column < len(row.cells) and row.cells[column].strip()]
    parts = [p for p in parts if not re.fullmatch(r"\d{1,2}|栏次", p)]
    if not parts:
        return False
    words = words_of(measure)
    printed = measure_of(parts[-1])
    return printed not in (None, "total", "amount") and printed not in measure and not (
        words and re.search(words, parts[-1]))


def _label_from_header(table: Table, entries: list[Entry]) -> None:
    """A 合计 row whose label line the header took (`类款项 | 合计` above a row of figures)."""
    last = table.header[-1] if table.header else None
    if not entries or last is None or is_column_number_row(last):
        return
    first = entries[0]
    if not (first.code_raw or first.name or first.line_no) and any(c.strip() == "合计" for c in last.cells):
        first.name = "合计"
        first.rows.insert(0, last)


def _first_block(row: Row, blocks: list[Block], code_columns: int) -> int:
    """The block a row's first filled cell sits in, when the row still has its grid columns."""
    if len(blocks) < 2 or blocks[0].repeats:
        return 0
    first = next((i for i, c in enumerate(row.cells) if c.strip()), 0)
    start = 0
    for index, block in enumerate(blocks):
        start += _width(block, code_columns)
        if first < start:
            return index
    return 0


def reject(doc_id: str, row: Row, reason: str, raw: str | None = None) -> dict:
    return {"doc_id": doc_id, "stage": "fiscal", "source_line": row.source_line,
            "source_page": row.source_page, "raw_text": raw if raw is not None else row.raw,
            "reason": reason}


# ------------------------------------------------------------ delimited rows

def _measure_columns(blocks: list[Block], code_columns: int) -> list[tuple[int, str]]:
    columns, start = [], 0
    for block in blocks:
        key_width = _width(block, code_columns) - len(block.measures)
        columns += [(start + key_width + i, m) for i, m in enumerate(block.measures)]
        start += _width(block, code_columns)
    return columns


def _split_delimited(row: Row, blocks: list[Block], code_columns: int, widths: list[int],
                     above: list[str] | None = None) -> list[Entry] | str:
    """Cut a delimited row into its blocks by column position (`widths`: each block's columns).

    `above` holds the 类 and 款 last printed in split 类 | 款 | 项 columns (updated here): a row that prints
    `| 02 |` under `204 | |` is 款 20402, one that prints `| | 01` under it is 项 2040201.
    """
    cells = [c.strip() for c in row.cells]
    joined = _rejoin_split_numbers(cells)
    entries, start = [], 0
    for index, (block, width) in enumerate(zip(blocks, widths)):
        part = (cells[start:start + width] + [""] * width)[:width]
        start += width
        if not any(part):
            continue  # an empty block yields no entry
        keys: dict[str, str] = {}
        position = 0
        for key in block.keys:
            span = code_columns if key in ("code", "other_code") else 1
            pieces = part[position:position + span]
            if span > 1 and key == "code" and re.fullmatch(r"\d{3}", pieces[0]):
                # a 款 or 项 printed without its leading zero (`301 | 2`: Putuo's 30102 津贴补贴) is two digits
                pieces = [pieces[0], *(p.zfill(2) if re.fullmatch(r"\d", p) else p for p in pieces[1:])]
            if span == 3 and above is not None and key == "code":
                pieces = _carry_code_parts(pieces, above)
            keys[key] = pieces[0] if span == 1 else " ".join(p for p in pieces if p)
            position += span
        measure_cells = [
            Cell(text, row.source_line, row.source_page, start - width + position + i in joined, row.raw)
            for i, text in enumerate(part[position:])
        ]
        entry = _entry(index, block, keys, measure_cells, row)
        if entry is not None:
            entries.append(entry)
    return _join_spanning_label(entries, blocks)


def _carry_code_parts(pieces: list[str], above: list[str]) -> list[str]:
    """类 | 款 | 项 cells with the 类 (and 款) a lower-level row leaves blank taken from the rows above."""
    digits = [p if re.fullmatch(r"\d{2,3}", p) else "" for p in pieces]
    if digits[0]:
        above[:] = [digits[0], digits[1]]
    elif digits[1] and above[0]:
        above[1] = digits[1]
        return [above[0], *pieces[1:]]
    elif digits[2] and above[0] and above[1]:
        return [above[0], above[1], pieces[2]]
    elif digits[1]:
        above[1] = digits[1]
    return pieces


def _join_spanning_label(entries: list[Entry], blocks: list[Block]) -> list[Entry]:
    """A label merged across its block's figures and the next block's label, on one side of a summary
    table (`支出合计` over both expenditure blocks, its figure under the second), names that figure."""
    for first, second in zip(entries, entries[1:]):
        if (second.block == first.block + 1 and blocks[first.block].side is not None
                and blocks[first.block].side == blocks[second.block].side
                and (first.name or first.code) and not any(c.raw for c in first.cells)
                and not (second.code_raw or second.name or second.line_no) and any(c.raw for c in second.cells)):
            second.code, second.code_raw, second.name, second.line_no, second.name_raw = (
                first.code, first.code_raw, first.name, first.line_no, first.name_raw)
            entries.remove(first)
            break
    return entries


def _rejoin_split_numbers(cells: list[str]) -> set[int]:
    """Join a number OCR split over a cell boundary (`0.` | `00二、…`); returns the repaired columns."""
    repaired = set()
    for i in range(len(cells) - 1):
        if cells[i][-1:] not in (".", ","):
            continue  # a quick test: the head of a split number ends in its separator
        head = _SPLIT_HEAD.fullmatch(cells[i])
        tail = _SPLIT_TAIL.match(cells[i + 1])
        if head and tail:
            cells[i] += " " + tail.group(0)
            cells[i + 1] = cells[i + 1][tail.end():]
            repaired.add(i)
    return repaired


def _entry(index: int, block: Block, keys: dict[str, str], cells: list[Cell], row: Row) -> Entry | None:
    """The entry of one block, or None when the block is empty or only a template line."""
    name_text = keys.get("name", "")
    if not name_text and not keys.get("code"):
        name_text = keys.get("other_name", "")  # `合计` printed across the label columns of both classifications
    code_digits, code_words, name, line_no = _row_label(keys.get("code", ""), name_text,
                                                        keys.get("subname", ""), keys.get("line", ""))
    if not code_digits and not name and not line_no:  # `合计` printed under the second classification's code
        other = clean_name(keys.get("other_code", "") + keys.get("other_name", ""))
        name = other if other and not DIGIT.search(other) else ""
    has_figures = any(c.raw for c in cells)
    unit_code = keys.get("unit_code", "").strip()
    if unit_code and not DIGIT.search(unit_code):
        name, unit_code = clean_name(unit_code + name), ""  # `合计` printed across the unit code column
    unit = clean_name(keys.get("unit", "")) or (name if unit_code and not code_digits else "")
    if unit and not code_digits and not name:
        name = unit  # a unit's own row: its name is printed in the unit column
    if _TOTAL_LABEL.fullmatch(unit):
        unit = ""  # `合计` printed in the unit column: the table's total, not a unit
    if not code_digits and not name and not unit_code and not has_figures:
        return None
    if not block.keys and not has_figures:
        return None
    if _HEADER_ONLY.match(name) and not has_figures:
        return None
    code = code_digits if CODE.match(code_digits) else None
    return Entry(index, block.side, code, code_digits, name, line_no, cells, [row],
                 name_raw=(code_words + " " + (keys.get("name", "") or keys.get("unit", ""))).strip(), unit=unit,
                 unit_code=unit_code)


_TOTAL_LABEL = re.compile(r"合计|总计|小计")
# A name column headed `单位(科目)名称` or `部门(单位)名称` lists budget units beside its items (`単` is OCR's).
_UNIT_NAME_HEADER = re.compile(r"(部门[(（])?[单単]位([)）])?([(（]科目[)）])?名称")
BODY_NAME = re.compile(rf"[\u4e00-\u9fa5()（）]{{2,40}}?{ORG_SUFFIX}([(（]?本级[)）]?)?")


def _mark_unit_rows(table: Table, entries: list[Entry]) -> None:
    """In a name column that also lists budget units, a row without code naming a body (`贵阳市医疗保障局`
    above its function codes, beside the 合计) is that unit's row, not an item: it holds the total again."""
    if not any(_UNIT_NAME_HEADER.match(clean_text(cell).replace(" ", "")) for row in table.header
               for cell in row.cells):
        return
    for entry in entries:
        if not (entry.code_raw or entry.line_no or entry.unit) and BODY_NAME.fullmatch(entry.name):
            entry.unit = entry.name


def _carry_units(entries: list[Entry]) -> None:
    """Rows printed under a unit's row (its function codes), with the unit column blank, are of that unit."""
    current = ""
    for entry in entries:
        if entry.unit:
            current = entry.unit
        elif _TOTAL_LABEL.fullmatch(entry.name) and not entry.code_raw:
            current = ""
        else:
            entry.unit = current


@lru_cache(maxsize=1 << 14)
def _row_label(code_text: str, name_text: str, subname: str, line_text: str) -> tuple[str, str, str, int | None]:
    """(code digits, words printed in the code cell, name, 行次) of a row's label cells (the same in many rows)."""
    code_parts = [p for p in code_text.split() if not _CODE_LABELS.match(p)]
    code_digits = _NOT_CODE_DIGIT.sub("", "".join(code_parts))
    bracketed = _BRACKETED_CODE.match(name_text) if not code_digits else None
    if bracketed:  # `[212]城乡社区支出`: the code printed in the name cell
        code_digits, name_text = bracketed.group(1), name_text[bracketed.end():]
    code_words = "".join(p for p in code_parts if not DIGIT.search(p))
    name = clean_name(code_words + name_text + subname)
    line_text = line_text.strip()
    line_no = int(line_text) if _LINE_NO.match(line_text) else None
    if line_text and line_no is None:
        name = clean_name(name + line_text)
    return code_digits, code_words, name, line_no


_TRAILING_COLON = re.compile(r"(?<!其中)[:：]$")  # `总计:`; `其中:` leads the rows below it
_BRACKETED_CODE = re.compile(r"^\s*[\[【](\d{3}(?:\d{2}){0,2})[\]】]\s*")
_EDGE_NOISE = re.compile(r"^[^\w(（]+|[^\w)）:：]+$")
_QUOTED = re.compile(r"“[^“”]+”")  # a quoted word (`“三公”经费`): its quotes are no specks


@lru_cache(maxsize=1 << 14)
def clean_name(text: str) -> str:
    """A row name as printed, cleaned: no spaces, list numbering (`一、`, `(一)`) or OCR specks (`•`)."""
    name = ENUM_PREFIX.sub("", clean_text(text).replace(" ", ""))
    quoted = [m.group(0) for m in _QUOTED.finditer(name)]
    name = _EDGE_NOISE.sub("", _QUOTED.sub(lambda m: m.group(0)[1:-1], name))
    for word in quoted:  # the quotes back around the words they quoted
        name = name.replace(word[1:-1], word, 1)
    return _TRAILING_COLON.sub("", name).strip()


# ------------------------------------------------------------ layout-text rows

_KEY_ORDER = {"code": 0, "name": 1, "line": 2, "amount": 3}


@lru_cache(maxsize=1 << 14)
def _token_kind(token: str, has_code: bool, has_line: bool) -> str:
    """What a token of a layout row is (`code`, `line` for 行次, `amount` or `name`), by the table's label columns."""
    if has_code and CODE.match(token):
        return "code"
    if has_line and _LINE_NO.match(token):
        return "line"
    if parse_number(token).kind in ("number", "dash") or _DIGITS_AND_SEPARATORS.fullmatch(token):
        return "amount"
    return "name"


_GLUED_AMOUNT = re.compile(r"^(-?\d[\d,]*\.\d+)\s*([^\d\s,.%].*)$")


def _tokens(row: Row) -> list[str]:
    """A row's filled cells, an amount glued to the next name (`13,907.78一、基本支出`) cut apart."""
    tokens = []
    for token in row.non_empty():
        glued = _GLUED_AMOUNT.match(token)
        tokens += [glued.group(1), glued.group(2)] if glued else [token]
    return tokens


def _split_tokens(row: Row, blocks: list[Block], first_block: int = 0) -> list[Entry] | str:
    """Cut a layout-text row into blocks by what its tokens are.

    Within a block the tokens come in the order code, name, 行次, amounts; a
    token that cannot follow the ones before it, or an amount once the block
    has all its amounts, starts the next block. `first_block` is where the
    row starts when its first cell's column says so (a grid re-read by content).
    """
    template = blocks[0]
    blocks = blocks[first_block:] if not template.repeats else blocks
    segments: list[dict] = []
    current = None
    has_code, has_line = "code" in template.keys, "line" in template.keys
    for token in _tokens(row):
        kind = _token_kind(token, has_code, has_line)
        order = _KEY_ORDER[kind]
        if current is None or (kind != "amount" and current["last"] >= order) or (
                kind == "amount"
                and len(current["amounts"]) == len(blocks[min(len(segments) - 1, len(blocks) - 1)].measures)):
            current = {"amounts": [], "last": -1}
            segments.append(current)
        current["last"] = order
        if kind == "amount":
            current["amounts"].append(token)
        else:
            current[kind] = token
    if len(segments) > len(blocks) and not template.repeats:
        return f"{len(segments)} row parts for a table of {len(blocks)} blocks"
    entries = []
    for index, segment in enumerate(segments):
        block = template if template.repeats else blocks[index]
        amounts = segment["amounts"]
        if amounts and len(amounts) != len(block.measures):
            return f"{len(amounts)} amounts where the header has {len(block.measures)} measure columns"
        cells = [Cell(text, row.source_line, row.source_page, row=row.raw) for text in amounts]
        keys = {key: segment.get(key, "") for key in ("code", "name", "line")}
        entry = _entry(index + first_block, block, keys, cells or [Cell("", row.source_line, row.source_page)],
                       row)
        if entry is not None:
            if not amounts:
                entry.cells = [None] * len(block.measures)  # layout text printed no figure here
            entries.append(entry)
    return entries


# ------------------------------------------------------------ split rows

def _mark_partial(entries: list[Entry]) -> list[Entry]:
    """Drop `其中:` lead-in rows, marking the row above as listing only part of its children."""
    kept: list[Entry] = []
    for entry in entries:
        if entry.name.endswith((":", "：")) and not entry.code_raw and not any(c and c.raw for c in entry.cells):
            if kept:
                kept[-1].partial = True
            continue
        kept.append(entry)
    return kept


def _join_split_rows(entries: list[Entry]) -> list[Entry]:
    """Join a label-only row with the figures-only row printed right under it (a wrapped row)."""
    joined: list[Entry] = []
    for entry in entries:
        previous = joined[-1] if joined else None
        if (previous is not None and not entry.code_raw and not entry.name and previous.block == entry.block
                and all(c is None or not c.raw for c in previous.cells)
                and (previous.code or previous.name)):
            previous.cells = entry.cells
            previous.rows.append(entry.rows[0])
            continue
        joined.append(entry)
    return joined


# ------------------------------------------------------------ name fragments

# Characters a fiscal item name ends with: a fragment ending so is the tail of the
# name above it (`缴费`, `支出`); any other fragment starts the name below it.
_NAME_TAIL_END = set("费出偿新助贴金资险息税")
_CJK_TEXT = re.compile(r"^[\u4e00-\u9fff()（）、]*[\u4e00-\u9fff][\u4e00-\u9fff()（）、]*$")


def _is_fragment(entry: Entry) -> bool:
    return (not entry.code_raw and bool(entry.name) and not re.search(r"合计|总计|小计", entry.name)
            and all(c is None or not c.raw for c in entry.cells))


def _attach_fragments(entries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """Join name pieces printed on rows of their own to the coded row they belong to.

    A wrapped name cell prints its lines above and below the line holding the
    code and figures. A piece that ends like a name ends goes to the coded row
    above, any other to the coded row below. Pieces that are not Chinese text
    are OCR noise, returned for rejects.
    """
    noise = [e for e in entries if _is_fragment(e) and not _CJK_TEXT.match(e.name)]
    kept = [e for e in entries if not _is_fragment(e)]
    attached: dict[int, list[Entry]] = {}
    for piece in (e for e in entries if _is_fragment(e) and _CJK_TEXT.match(e.name)):
        line = piece.source_line or 0
        same_block = [e for e in kept if e.block == piece.block and (e.code_raw or e.name)]
        above = [e for e in same_block if (e.source_line or 0) < line]
        below = [e for e in same_block if (e.source_line or 0) > line]
        target = above[-1] if above and (piece.name[-1] in _NAME_TAIL_END or not below) else (
            below[0] if below else None)
        if target is None:
            kept.append(piece)
        else:
            attached.setdefault(id(target), []).append(piece)
    for entry in kept:
        pieces = attached.get(id(entry), [])
        if pieces:
            line = entry.source_line or 0
            before = "".join(p.name for p in pieces if (p.source_line or 0) < line)
            after = "".join(p.name for p in pieces if (p.source_line or 0) > line)
            entry.name = before + entry.name + after
            entry.rows = sorted(entry.rows + [p.rows[0] for p in pieces], key=lambda r: r.source_line or 0)
    order = {id(e): i for i, e in enumerate(entries)}
    return sorted(kept, key=lambda e: order[id(e)]), noise


def _realign_orphan_figures(entries: list[Entry]) -> None:
    """Figures printed under the next block of a row whose label block is blank: move them back.

    OCR sometimes shifts a total one block right (`公用经费合计 | | … | 161.08`).
    """
    by_row: dict[int, list[Entry]] = {}
    for entry in entries:
        by_row.setdefault(id(entry.rows[0]), []).append(entry)
    for row_entries in by_row.values():
        for index, orphan in enumerate(row_entries):
            if orphan.code_raw or orphan.name or not any(c and c.raw for c in orphan.cells):
                continue
            label = next((e for e in reversed(row_entries[:index])
                          if (e.code_raw or e.name) and all(c is None or not c.raw for c in e.cells)), None)
            if label is not None:
                label.cells, label.shifted = orphan.cells, True
                entries.remove(orphan)
