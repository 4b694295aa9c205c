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
    columns = _header_columns(table) if delimited else None
    if columns is not None:
        measures, labels = columns
    else:
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
    rejects, entries = [], []
    for row in rows:
        cells = list(row.cells) if delimited else row.non_empty()
        last = max((i for i, c in enumerate(cells) if c.strip()), default=-1)
        cells = cells[:last + 1]
        rejects += [reject(doc_id, row, f"figure in column {i + 1}, beyond the {len(measures)} columns of "
                           "the header's groups", raw=c) for i, c in enumerate(cells) if i >= len(measures)]
        measure_cells = [Cell(c.strip(), row.source_line, row.source_page) for c in cells[:len(measures)]]
        measure_cells += [Cell("", row.source_line, row.source_page)] * (len(measures) - len(measure_cells))
        entries.append(Entry(0, None, None, "", "", None, measure_cells, [row]))
    layout = Layout((Block(("name",), tuple(measures)),))
    return ParsedTable("three_public", table, layout, measures, labels, entries, rejects)


# Column items of a printed header, most specific first (the whole column's header text is searched).
_COLUMN_ITEMS: tuple[tuple[str, str], ...] = (
    ("meetings", r"会议费"), ("training", r"培训费"), ("admin_operating_costs", r"机关运行经费"),
    ("vehicle_total", r"公务用车购置及运行"), ("vehicle_purchase", r"购置$|购置经?费"),
    ("vehicle_operation", r"运行(维护)?经?费"), ("overseas_travel", r"因公出国"), ("reception", r"公务接待"),
    ("total", r"合计|小计|总计"),
)


def _header_columns(table: Table) -> tuple[list[str], list[str]] | None:
    """Measures and labels from a delimited header, column by column, in whatever order it prints them.

    Each column's group (预算数, 决算数, 其中:一般公共预算 …) is the group label at or
    left of it (or, for a centred label, the first to its right); its item comes
    from its own header text. A 合计 beside 会议费 and 培训费 columns that is not
    the “三公” 小计 is `total_incl_meetings_training`.
    """
    header = [r for r in table.header if not all(c.strip().isdigit() for c in r.non_empty())]  # not 栏次 1 2 3 …
    width = max((len(r.cells) for r in table.rows), default=0)
    texts = ["".join(r.cells[c] for r in header if c < len(r.cells)).replace(" ", "") for c in range(width)]
    while texts and not texts[-1]:
        texts.pop()
    group_at: list[tuple[int, str, str]] = []
    years = [int(y) for t in texts for y in re.findall(r"(20\d{2})年", t)]
    for c, text in enumerate(texts):
        for key, word in _phases(text):
            year = re.findall(r"(20\d{2})年" + word, text)
            if year:
                key, word = ("prior_budget" if key == "budget" and int(year[0]) < max(years) else key), year[0] + "年" + word
            group_at.append((c, key, word))
    has_extras = any(re.search(r"会议费|培训费", t) for t in texts)
    measures, labels, previous = [], [], (None, "")
    for c, text in enumerate(texts):
        own = _PHASE.sub("", re.sub(r"20\d{2}年", "", text))
        item = next((key for key, words in _COLUMN_ITEMS if re.search(words, own)), None)
        printed = text
        if item is None and not own and previous[0]:
            item, printed = previous[0], f"{previous[1]}/{text}"  # 预算数 / 决算数 under an item printed once
        if item is None:
            return None
        previous = (item, own)
        if item == "total" and has_extras and "三公" not in text:
            item = "total_incl_meetings_training"
        left = [g for g in group_at if g[0] <= c]
        group = left[-1] if left else (group_at[0] if group_at else None)
        key = group[1] if group else "amount"
        key = f"final_{key}" if key in _SUBGROUPS else key
        measures.append(f"{key}_{item}")
        labels.append(printed if printed != text else f"{group[2] + '/' if group else ''}{text}")
    if len(set(measures)) < len(measures):
        return None
    return measures, labels


def _matrix_form(table: Table, rows: list[Row], doc_id: str) -> ParsedTable | None:
    """Rows of a label (合计, a unit, a year, 预算数 / 决算数) before columns of items, under groups and sources
    of funds; None unless the header names at least three items in columns of their own.

    A row whose label is a phase or a year (Shenzhen prints 2025年 / 2026年 / 增减变化金额 under one unit) sets
    the group of its figures; a label cell left blank under a merged one takes the label above.
    """
    width = max(len(r.cells) for r in table.rows)
    grid = [list(r.cells) + [""] * (width - len(r.cells)) for r in rows]
    start = next((c for c in range(width) if any(_is_figure(g[c]) for g in grid if g[c].strip())), width)
    columns = _item_columns(table, start, width)
    if not start or columns is None or len({item for item, _, _, _ in columns if item}) < 3:
        return None
    phase = "final" if "决算" in (table.title or "") else "budget"
    years = [int(y) for g in grid for y in re.findall(r"(20\d{2})年", "".join(g[:start]))]
    measures, labels, entries, rejects = [], [], [], []
    carried = [""] * start
    for row, cells in zip(rows, grid):
        label = [cells[i].strip() or carried[i] for i in range(start)]
        carried = label[:-1] + [""]
        name = clean_name(label[0])
        group = _row_group(label[-1], years)
        if group and start == 1:
            name = ""  # the label is the row's phase, not a unit's name
        placed: dict[int, Cell] = {}
        for (item, column_group, fund, printed), text in zip(columns, cells[start:]):
            if item is None:
                continue
            key = f"{group or column_group or phase}{'_' + fund if fund else ''}_{item}"
            if key not in measures:
                measures.append(key)
                labels.append(printed)
            if measures.index(key) in placed:
                return None  # two columns of one row give one measure: the header was misread
            placed[measures.index(key)] = Cell(text.strip(), row.source_line, row.source_page)
        entries.append(Entry(0, None, None, "", name, None, placed, [row]))
    for entry in entries:
        entry.cells = [entry.cells.get(m) for m in range(len(measures))]
    layout = Layout((Block(("name",), tuple(measures)),))
    return ParsedTable("three_public", table, layout, measures, labels, entries, rejects)


def _item_columns(table: Table, start: int, width: int) -> list[tuple[str | None, str | None, str | None, str]] | None:
    """(item, group, source of funds, printed header) of each figure column from `start`, or None when a
    column cannot be named. An item printed once over its columns (预算数 / 决算数, or the sources of funds,
    under it) is carried to them."""
    header = [r for r in table.header if not all(c.strip().isdigit() for c in r.non_empty())]
    found, previous = [], (None, "")
    for c in range(start, width):
        parts = [r.cells[c].replace(" ", "") for r in header if c < len(r.cells) and r.cells[c].strip()]
        text = "".join(parts)
        fund = next((key for key, words in THREE_PUBLIC_FUNDS if re.search(words, text)), None)
        rest = re.sub("|".join(words for _, words in THREE_PUBLIC_FUNDS), "", text)
        phases = _phases(re.sub(r"20\d{2}年", "", rest))
        own = re.sub(r"其中[:：]?", "", _PHASE.sub("", re.sub(r"20\d{2}年", "", rest)))
        item = next((key for key, words in _COLUMN_ITEMS if re.search(words, own)), None)
        printed = "/".join(parts)
        if item is None and not own and previous[0]:
            item, printed = previous[0], f"{previous[1]}/{printed}"
        if item is None and text:
            return None
        if item:
            previous = (item, own or previous[1])
        found.append((item, phases[-1][0] if phases else None, fund, printed))
    return found


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
            cells[position * len(items) + items.index(item)] = Cell(text, row.source_line, row.source_page)
        entries.append(Entry(0, None, None, "", name, None, cells, [row]))
    layout = Layout((Block(("name",), tuple(measures)),))
    return ParsedTable("three_public", table, layout, measures, labels, entries, rejects)
