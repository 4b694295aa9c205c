"""The function × economic cross-tab (一般公共预算财政拨款支出决算明细表).

Rows are function codes; columns are economic classes and items, printed by
name only (`工资福利支出` over `小计 / 基本工资 / 津贴补贴 …`). Each column's
economic code comes from the same report's own economic table, so the measure
is `economic_<code>` (`economic_301` for a class's 小计, `economic_30101`);
the 合计 column is `total`. A column whose name the report's economic table
does not print cannot be keyed and is rejected.
"""

from __future__ import annotations

import re

from pipeline.fiscal.layouts import Block, Layout
from pipeline.fiscal.parse import ParsedTable, _columns, clean_name, parse_table, reject
from pipeline.model import Table
from pipeline.readers.grid import is_column_number_row

_NAME_HEADER = re.compile(r"^(项目|科目名称)$")


def economic_code(label: str, names: dict[str, str]) -> str | None:
    """The code of an economic class or item name; a name cut short by the column matches its start."""
    if label in names:
        return names[label]
    starts = {code for name, code in names.items() if len(label) >= 3 and name.startswith(label)}
    return starts.pop() if len(starts) == 1 else None


def parse_cross_tab(table: Table, delimited: bool, doc_id: str,
                    names: dict[str, str]) -> tuple[ParsedTable | None, list[dict]]:
    """The cross-tab's entries, and the rejects of columns that cannot be keyed."""
    if not delimited:
        return None, [reject(doc_id, row, "function × economic cross-tab in layout text: columns cannot be "
                             "placed; use the PDF or a delimited export") for row in table.body]
    header = [row for row in table.header if not is_column_number_row(row)]
    width = _columns(table)
    grid = [[(row.cells[c].strip() if c < len(row.cells) else "") for c in range(width)] for row in header]
    name_column = next((c for c in range(min(width, 6)) if any(_NAME_HEADER.match(r[c]) for r in grid)), None)
    if name_column is None or not grid:
        return None, []
    measures, unkeyed = [], []
    group = ""
    for column in range(name_column + 1, width):
        top = clean_name(grid[0][column])
        group = top or group
        leaf = clean_name(grid[1][column]) if len(grid) > 1 else ""
        label = leaf or group
        if label == "合计" and group == "合计":
            measures.append("total")
            continue
        code = economic_code(group if label in ("小计", "合计") else label, names)
        measures.append(f"economic_{code}" if code else f"unkeyed_{column}")
        if code is None:
            unkeyed.append(column)
    layout = Layout((Block(("code", "name"), tuple(measures)),))
    parsed = parse_table("general_budget_expenditure_detail", table, delimited, doc_id, (layout, name_column, 1))
    rejects = []
    if parsed is not None and unkeyed:
        rejects = _drop_columns(parsed, unkeyed, name_column, doc_id)
    return parsed, rejects


def _drop_columns(parsed: ParsedTable, columns: list[int], name_column: int, doc_id: str) -> list[dict]:
    """Reject the cells of columns whose economic item the report does not name elsewhere."""
    positions = [column - name_column - 1 for column in columns]
    rejects = []
    for entry in parsed.entries:
        for position in positions:
            cell = entry.cells[position]
            if cell is not None and cell.raw:
                rejects.append(reject(doc_id, entry.rows[0], f"cross-tab column {parsed.labels[position]!r}: "
                                      "no economic code for this name in the report", raw=cell.raw))
            entry.cells[position] = None
    return rejects
