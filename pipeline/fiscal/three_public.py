"""The “三公” 经费 table, in its two printed forms.

- Column form (final accounts): one row of figures under column groups
  (预算数, 决算数, and in some provinces 其中:一般公共预算财政拨款 …), each group
  holding the template's six items in order: 合计, 因公出国(境)费, 公务用车购置及
  运行维护费 (小计, 购置费, 运行维护费), 公务接待费.
- Row form (budgets): one row per item, one column per year or change, or
  per source of funds (合计, 一般公共预算, 政府性基金, 国有资本经营).

Measures are `<group>_<item>`; a budget column of a year before the newest
printed is `prior_budget`. A header that names one measure for two columns is
not read (its rows go to rejects): one key never holds two cells.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from pipeline.fiscal.layouts import THREE_PUBLIC_FUNDS, THREE_PUBLIC_ITEMS, THREE_PUBLIC_PHASES, Block, Layout
from pipeline.fiscal.parse import Cell, Entry, ParsedTable, clean_name, reject
from pipeline.model import Row, Table
from pipeline.normalize import parse_number

_PHASE = re.compile("|".join(f"(?P<{key}>{words})" for key, words in THREE_PUBLIC_PHASES))
_ITEM_LABELS = {"total": "合计", "overseas_travel": "因公出国(境)费", "vehicle_total": "公务用车购置及运行维护费",
                "vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行维护费",
                "reception": "公务接待费"}
_SUBGROUPS = ("general_budget", "government_fund")


def _is_figure(cell: str) -> bool:
    return parse_number(cell).kind in ("number", "dash") or bool(re.fullmatch(r"[\d.,\s%]+", cell))


def item_of(name: str) -> str | None:
    for key, words in THREE_PUBLIC_ITEMS:
        if re.search(words, name):
            return key
    return None


def parse_three_public(table: Table, delimited: bool, doc_id: str) -> ParsedTable | None:
    rows = [r for r in table.body if r.non_empty()]
    if rows and all(all(_is_figure(c) for c in r.non_empty()) for r in rows):
        return _column_form(table, rows, delimited, doc_id)
    return (delimited and _matrix_form(table, rows, doc_id)) or _row_form(table, rows, doc_id)


def _phases(text: str) -> list[tuple[str, str]]:
    """(group key, printed word) of each column group, in printed order."""
    return [(m.lastgroup, m.group(0)) for m in _PHASE.finditer(text.replace(" ", ""))]


def _column_form(table: Table, rows: list[Row], delimited: bool, doc_id: str) -> ParsedTable | None:
    phase = "final" if "决算" in (table.title or "") else "budget"
    width = max((len(r.cells) for r in table.rows), default=0)
    figures = [any(c < len(r.cells) and r.cells[c].strip() for r in rows) for c in range(width)]
    columns = _columns(table, 0, width, figures) if delimited else None
    if columns is not None:
        places = [c for c, column in enumerate(columns) if column.item]
        # A column under no group is the one group's when the header names one (北京: 预算总额 beside items);
        # beside a year's budget and its carryover, a 合计 is their sum (吉林: “三公”经费合计 before 当年预算 and
        # 上年结转结余); beside phases that do not add up (预算数 | 决算数), it opens the group to its right (青海:
        # 合计 printed left of the 预算数 label that covers its items).
        groups = {columns[c].group for c in places if columns[c].group}
        alone = next(iter(groups)) if len(groups) == 1 else None if groups else "amount"
        measures = [_measure(columns[c].group or alone or phase, columns[c]) if columns[c].group or alone
                    else "grand_total" if columns[c].item == "total" and "carryover" in groups
                    else _measure(right, columns[c]) if (right := _group_right_of(columns, c)) else ""
                    for c in places]
        labels = [columns[c].printed for c in places]
        if "" in measures or len(set(measures)) < len(measures):
            columns = None  # an item under none of several groups (whose is it?), or one measure twice
    if columns is None:  # the header's groups, each holding the template's six items in order
        header = "".join(c for r in table.header for c in r.cells)
        phases = _phases(header)
        if not phases:
            return None
        measures, labels = [], []
        for key, word in phases:
            group = f"final_{key}" if key in _SUBGROUPS else key
            for item, label in _ITEM_LABELS.items():
                measures.append(f"{group}_{item}")
                labels.append(f"{word}/{label}")
        if len(set(measures)) < len(measures):  # a group printed twice (one per item, or per year)
            return None
        places = list(range(len(measures)))
        # A grid whose header labels another number of columns (吉林: 17 under 当年预算 and 上年结转结余) is
        # not the template: placing its figures by position would put them under the wrong items.
        fits = not delimited or sum(map(bool, _header_paths(table, 0, width))) == len(measures)
    rejects, entries = [], []
    for row in rows:
        cells = list(row.cells) if delimited else row.non_empty()
        if columns is None:
            cells = cells[:max((i + 1 for i, c in enumerate(cells) if c.strip()), default=0)]
            if not fits:
                rejects.append(reject(doc_id, row, f"{len(cells)} figure columns under a header whose labelled "
                                      f"columns are not its groups' {len(measures)} template items: which is "
                                      "which is not known"))
                continue
            rejects += [reject(doc_id, row, f"figure in column {i + 1}, beyond the {len(measures)} columns of "
                               "the header's groups", raw=c) for i, c in enumerate(cells) if i >= len(measures)]
        measure_cells = [Cell(cells[c].strip() if c < len(cells) else "", row.source_line, row.source_page, row=row.raw)
                         for c in places]
        entries.append(Entry(0, None, None, "", "", None, measure_cells, [row]))
    layout = Layout((Block(("name",), tuple(measures)),))
    return ParsedTable("three_public", table, layout, measures, labels, entries, rejects)


def _group_right_of(columns: list, at: int) -> str | None:
    """The group of the nearest column right of `at` that has one."""
    return next((column.group for column in columns[at + 1:] if column.group), None)


def _measure(group: str, column: _Column) -> str:
    return f"{group}{'_' + column.fund if column.fund else ''}_{column.item}"


class _Column(NamedTuple):
    item: str | None  # None: a column without figures or header (a blank grid column)
    group: str | None  # the phase the header names (budget, final, prior_budget, change, carryover, final_general_budget …)
    fund: str | None  # a source of funds printed alone as the column's header (一般公共预算 …)
    printed: str  # the header path, top to bottom


# Column items of a printed header label, most specific first.
_COLUMN_ITEMS: tuple[tuple[str, str], ...] = (
    ("meetings", r"会议费"), ("training", r"培训费"), ("admin_operating_costs", r"机关运行经费"),
    ("vehicle_total", r"公务用车购置及运行"), ("vehicle_purchase", r"购置$|购置经?费"),
    ("vehicle_operation", r"运行(维护)?经?费"), ("overseas_travel_research", r"科研.*因公出国"),
    ("overseas_travel", r"因公出国"), ("reception", r"公务接待"), ("total", r"合计|小计|总计|总额"),
)
_YEAR = re.compile(r"(20\d{2})年度?")
_FUND_ALONE = re.compile("|".join(f"(?P<{key}>{words})" for key, words in THREE_PUBLIC_FUNDS))


def _label(text: str, phase: str) -> tuple[str | None, int | None, str | None, str]:
    """(phase, year, source of funds, what is left) of one header label."""
    year = _YEAR.search(text)
    rest = _YEAR.sub("", text)
    fund = _FUND_ALONE.fullmatch(re.sub(r"^其中[:：]?", "", rest))
    if fund and not rest.startswith("其中"):
        return None, None, fund.lastgroup, ""
    found = _phases(rest)
    rest = re.sub(r"其中[:：]?", "", _PHASE.sub("", rest))
    key = found[-1][0] if found else (phase if year and not rest else None)  # `2025年` alone heads a phase
    return key, int(year[1]) if year else None, None, rest


def _header_paths(table: Table, start: int, width: int) -> list[list[tuple[str, bool]]]:
    """Each column's header labels from `start`, top to bottom, as (text, spans one column only).

    A label covers the columns to its right up to the next label of its row, or of a row above it (a new
    parent); a label naming nothing (`费`, a line its cell wrapped) is joined to the label above it. A column
    with no label of its own (a blank column of the grid) has none.
    """
    header = [r for r in table.header if not all(c.strip().isdigit() for c in r.non_empty())]  # not 栏次 1 2 3 …
    grid = [[(r.cells[c] if c < len(r.cells) else "").replace(" ", "") for c in range(width)] for r in header]
    boundary = [[any(grid[a][c] for a in range(r + 1)) for c in range(width)] for r in range(len(grid))]
    paths = []
    for c in range(start, width):
        path: list[tuple[str, bool]] = []
        for r, row in enumerate(grid):
            k = c
            while not row[k] and k > start and not (r and boundary[r - 1][k]):
                k -= 1
            if not row[k]:
                continue
            single = c + 1 >= width or boundary[r][c + 1]
            text = row[k]
            if path and len(text) <= 3 and not re.search(r"三公|计|算|数|年", text) \
                    and not any(re.search(w, text) for _, w in _COLUMN_ITEMS):
                path[-1] = (path[-1][0] + text, path[-1][1])  # a wrapped line of the label above
            else:
                path.append((text, single and k == c))
        paths.append(path if any(row[c] for row in grid) else [])  # a blank grid column has no header
    return paths


def _columns(table: Table, start: int, width: int, figures: list[bool]) -> list[_Column] | None:
    """Item, group, source of funds and printed header of each column from `start`, or None when a column
    of figures cannot be named with certainty.

    The item is the lowest label that names one; a 小计 / 合计 under an item printed over several columns is
    that item's (公务用车购置及运行维护费 / 小计); an item printed again under itself is its part other than the
    named ones (因公出国(境)费 / 因公出国(境)费 beside 科研因公出国(境)费用). The group is the lowest label
    naming a phase or a year (an earlier year's budget is `prior_budget`), but a 预算 inside a lower title does
    not replace a group above it. A 合计 beside 会议费 and 培训费
    columns that is not under a “三公” label is `total_incl_meetings_training`.
    """
    phase = "final" if "决算" in (table.title or "") else "budget"
    paths = _header_paths(table, start, width)
    years = [y for path in paths for text, _ in path for y in [_label(text, phase)[1]] if y]
    has_extras = any(re.search(r"会议费|培训费", text) for path in paths for text, _ in path)
    found = []
    for c, path in zip(range(start, width), paths):
        item = group = fund = None
        parent_single = False
        for text, single in path:
            key, year, label_fund, rest = _label(text, phase)
            if key and not (key == "budget" and group):  # 2019年 / 一般公共预算拨款安排的“三公”经费预算: 2019年's
                group = "prior_budget" if key == "budget" and year and year < max(years) else key
            fund = label_fund or fund
            named = next((k for k, words in _COLUMN_ITEMS if re.search(words, rest)), None)
            if named == "total" and item is not None:
                if parent_single:
                    return None  # a 小计 under an item of one column: two printed columns in one
                continue
            if named == item == "overseas_travel":
                named = "overseas_travel_other"
            if named:
                item, parent_single = named, single
        if item == "total" and has_extras and not any("三公" in text for text, _ in path):
            item = "total_incl_meetings_training"
        if item is None and (path or figures[c]):
            return None
        if group in _SUBGROUPS:
            group = f"final_{group}"
        found.append(_Column(item, group, fund, "/".join(text for text, _ in path)))
    return found


def _matrix_form(table: Table, rows: list[Row], doc_id: str) -> ParsedTable | None:
    """Rows of a label (合计, a unit, a year, 预算数 / 决算数) before columns of items, under groups and sources
    of funds; None unless the header names at least three items in columns of their own.

    A row whose label is a phase or a year (Shenzhen prints 2025年 / 2026年 / 增减变化金额 under one unit) sets
    the group of its figures; a label cell left blank under a merged one takes the label above. A row is
    named by its last label (2026年, 预算数, a unit), and by all its labels where that name is not unique.
    """
    width = max(len(r.cells) for r in table.rows)
    grid = [list(r.cells) + [""] * (width - len(r.cells)) for r in rows]
    # The first column of figures only: a unit code (245, 245001西安市医疗保障局) is a label.
    start = next((c for c in range(width) if any(g[c].strip() for g in grid)
                  and all(_is_figure(g[c]) for g in grid if g[c].strip())), width)
    grid_rows = [(row, g) for row, g in zip(rows, grid) if not _column_numbers(g[start:])]  # 栏次 ** 1 2 3 …
    figures = [any(g[c].strip() for _, g in grid_rows) for c in range(width)]
    columns = _columns(table, start, width, figures) if start and grid_rows else None
    if columns is None or len({column.item for column in columns if column.item}) < 3:
        return None
    phase = "final" if "决算" in (table.title or "") else "budget"
    years = [int(y) for _, g in grid_rows for y in re.findall(r"(20\d{2})年", "".join(g[:start]))]
    measures, labels, entries, rejects = [], [], [], []
    carried = [""] * start
    names = []
    for row, cells in grid_rows:
        label = [cells[i].strip() or carried[i] for i in range(start)]
        carried = label[:-1] + [""]
        names.append([clean_name(part) for part in label if part.strip()])
        rejects += [reject(doc_id, row, "a unit's code in a label column (245, 245001): not a subject code nor a "
                           "figure; the row is named by its unit", raw=cells[i].strip())
                    for i in range(start) if cells[i].strip() and _is_figure(cells[i].strip())]
        group = _row_group(label[-1], years)
        placed: dict[int, Cell] = {}
        for column, text in zip(columns, cells[start:]):
            if column.item is None:
                continue
            key = _measure(group or column.group or phase, column)
            if key not in measures:
                measures.append(key)
                labels.append(column.printed)
            if measures.index(key) in placed:
                return None  # two columns of one row give one measure: the header was misread
            placed[measures.index(key)] = Cell(text.strip(), row.source_line, row.source_page, row=row.raw)
        entries.append(Entry(0, None, None, "", "", None, placed, [row]))
    last = [parts[-1] if parts else "" for parts in names]
    for entry, parts, name in zip(entries, names, last):
        entry.name = name if last.count(name) == 1 else " ".join(parts)
        entry.cells = [entry.cells.get(m) for m in range(len(measures))]
    layout = Layout((Block(("name",), tuple(measures)),))
    return ParsedTable("three_public", table, layout, measures, labels, entries, rejects)


def _column_numbers(cells: list[str]) -> bool:
    """The printed column numbers 1 2 3 … (two of them may share a cell the grid merged: `12`)."""
    printed = "".join(c.strip() for c in cells)
    return printed.isdigit() and len(cells) >= 2 and any(
        printed == "".join(map(str, range(first, last))) for first in (0, 1) for last in range(first + 2, 100))


def _row_group(label: str, years: list[int]) -> str | None:
    """The group a row's label names: 预算数 / 决算数 / 增减变化, or a year (an earlier one is prior_budget)."""
    year = re.search(r"(20\d{2})年", label)
    if year:
        return "prior_budget" if int(year[1]) < max(years) else "budget"
    if re.search(r"增减变化|变化额|增减额", label):
        return "change"
    found = _phases(label)
    return found[-1][0] if found and found[-1][0] in ("budget", "final") else None


def _row_form(table: Table, rows: list[Row], doc_id: str) -> ParsedTable | None:
    """Items in rows; columns are years (`2024年…预算`), changes, and a text column of reasons."""
    header = table.header[-1].cells if table.header else []
    columns: list[tuple[int, str, str]] = []  # (column, group key, printed header)
    years = [int(y) for c in header for y in re.findall(r"(20\d{2})年", c)[:1]]
    newest = max(years, default=None)
    phase = "final" if "决算" in (table.title or "") else "budget"
    funds = [next((key for key, words in THREE_PUBLIC_FUNDS if re.search(words, cell)), None) for cell in header]
    for index, cell in enumerate(header[1:], start=1):
        found = _phases(cell)
        if re.search(r"原因|说明", cell):
            continue
        if funds[index]:  # 一般公共预算 is a source of funds here, not the 预算数 column
            key = f"{phase}_{funds[index]}"
        elif any(funds) and re.search(r"合计|小计", cell):
            key = phase
        elif found:
            key = found[-1][0]
            year = re.findall(r"(20\d{2})年", cell)
            if key == "budget" and year and newest and int(year[0]) < newest:
                key = "prior_budget"
        else:
            continue
        columns.append((index, key, cell))
    if len({key for _, key, _ in columns}) < len(columns):
        return None  # two columns of one measure: which is which is not known
    if not columns:
        return None
    items = list(_ITEM_LABELS)
    measures = [f"{group}_{item}" for _, group, _ in columns for item in items]
    labels = [f"{printed}/{_ITEM_LABELS[item]}" for _, _, printed in columns for item in items]
    entries, rejects = [], []
    for row in rows:
        name = clean_name(row.cells[0]) if row.cells else ""
        item = item_of(name)
        if item is None:
            rejects.append(reject(doc_id, row, "row of the “三公” table names no 三公 item"))
            continue
        cells: list[Cell | None] = [None] * len(measures)
        for position, (column, _, _) in enumerate(columns):
            text = row.cells[column].strip() if column < len(row.cells) else ""
            cells[position * len(items) + items.index(item)] = Cell(text, row.source_line, row.source_page, row=row.raw)
        entries.append(Entry(0, None, None, "", name, None, cells, [row]))
    layout = Layout((Block(("name",), tuple(measures)),))
    return ParsedTable("three_public", table, layout, measures, labels, entries, rejects)
