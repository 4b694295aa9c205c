"""Columns from the printed header: each column's header cells, top to bottom, name its role.

`科目编码` / `类 | 款 | 项` are code columns, `科目名称` / `项目` the name, `行次`
the line number, and a measure's header words (the alias table of
`layouts.MEASURE_WORDS`) a measure: the leaf (`本年支出` over `基本支出`) first, a
fund group over 合计/基本/项目 (`一般公共预算财政拨款` over `小计`) joined to it. A
key column after measures starts the next block (the expenditure side of a
summary table, the second block of an economic table). When any column cannot
be named the header is not understood here and the template layouts decide.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.fiscal.layouts import MEASURE_WORDS, Block, Layout
from pipeline.model import Table
from pipeline.normalize import clean_text
from pipeline.readers.grid import CODE, is_column_number_row

_FIGURE_ONLY = re.compile(r"^-?[\d,]+(\.\d+)?$")
_CODE_HEADER = re.compile(r"编码|代码|^(类|款|项|类款项)$")
_NAME_HEADER = re.compile(r"名称|项目|科目")
_FUND = re.compile(r"一般公共预算|政府性基金|国有资本经营")
_FUND_KEYS = {"一般公共预算": "general_budget", "政府性基金": "government_fund", "国有资本经营": "state_capital"}
_SUMMARY = {"income_expenditure_summary", "fiscal_appropriation_summary", "non_fiscal_appropriation_summary"}


_MEASURE_PATTERNS = tuple((key, re.compile(words)) for key, words in MEASURE_WORDS.items())


@lru_cache(maxsize=1 << 16)
def measure_of(text: str) -> str | None:
    """The measure whose header words match most of the text (longest match wins)."""
    best, length = None, 0
    for key, pattern in _MEASURE_PATTERNS:
        for match in pattern.finditer(text):
            if len(match.group(0)) > length:
                best, length = key, len(match.group(0))
    return best


def _column_role(parts: list[str], body: list[str]) -> tuple[str, str | None]:
    """(role, measure) of one column from its header cells and its body cells."""
    flat = "".join(parts)
    filled = [c for c in body if c and c not in ("合计", "总计")]
    if filled and len(filled) - list(map(CODE.match, filled)).count(None) >= 0.6 * len(filled):
        return ("code", None)  # a header misprinted over a column of codes (`项目功能分类`)
    if not flat or (re.fullmatch(r"备注(说明)?|说明", flat) and not any(_FIGURE_ONLY.match(c) for c in filled)):
        return ("empty", None)  # a remarks column holds words: no measure (the last column, left out)
    if _CODE_HEADER.search(parts[-1]) or (_CODE_HEADER.search(flat) and not measure_of(flat)):
        return ("code", None)
    if "行次" in flat:
        return ("line", None)
    if re.search(r"下达|区[(（]县", flat):
        return ("region", None)  # 市对下转移支付: the receiving county
    if re.fullmatch(r"(项目|项目名称|科目名称|名称)(\(.*\))?", parts[-1]):
        return ("name", None)  # `财政拨款收入` over `项目`: the group names the side, the leaf the column
    leaf = measure_of(parts[-1])
    group = measure_of("".join(parts[:-1])) if len(parts) > 1 else None
    measure = leaf or measure_of(flat)
    if measure is not None:
        fund = _FUND.search("".join(parts[:-1]))
        if fund and leaf in ("total", "basic", "project"):
            measure = f"{_FUND_KEYS[fund.group(0)]}_{leaf}"
        elif leaf in ("total", "amount") and group not in (None, "total", "amount"):
            measure = group  # `项目支出` over `小计`, `事业收入` over `金额`
        return ("measure", measure)
    if _NAME_HEADER.search(flat):
        return ("name", None)
    return ("unknown", None)


def header_layout(table_id: str, table: Table) -> tuple[Layout, int, int] | None:
    """The layout a delimited table's header prints, or None when a column cannot be named."""
    header = [row for row in table.header if not is_column_number_row(row)]
    width = max((len(row.cells) for row in table.rows), default=0)
    if not header or not width:
        return None
    roles = []
    units = None
    groups = _top_groups(header, width)
    for column in range(width):
        parts = [clean_text(row.cells[column]).replace(" ", "") for row in header if column < len(row.cells)]
        parts = [p for p in parts if p and not re.fullmatch(r"\d{1,2}|栏次", p)]
        body = [row.cells[column].strip() for row in table.body if column < len(row.cells)]
        role, measure = _column_role(parts, body)
        if role == "measure" and _CARRIED.search(groups[column]) and measure in CARRIED_PARTS:
            measure = f"carryover_{measure}"  # 基本支出 under 上年结转结余 (merged over its columns)
        roles.append((role, measure))
        if role == "name" and re.fullmatch(r"单位(名称)?", "".join(parts)):
            units = column  # 单位名称 left of another name column (项目名称): each unit's own rows
    measures = [m for role, m in roles if role == "measure"]
    if any(m.startswith("carryover_") for m in measures) and measures.count("total") == 2:
        first = next(i for i, (role, m) in enumerate(roles) if m == "total")
        roles[first] = ("measure", "grand_total")  # 合计 over 当年预算 and 上年结转结余, each with its 小计
    roles = _of_which(_code_parts(roles, table), table, header)
    first_key = next((i for i, (role, _) in enumerate(roles) if role in ("code", "name")), 0)
    roles[:first_key] = [("code", None) if role == "empty" else (role, m) for role, m in roles[:first_key]]
    while roles and roles[-1][0] == "empty":
        roles.pop()
    # An empty column right of the name column holds the second level of a name (`一般公共预算资金 | 小计`).
    roles = [("subname", None) if role == "empty" and i and roles[i - 1][0] in ("name", "subname") else (role, m)
             for i, (role, m) in enumerate(roles)]
    if roles and all(role == "measure" for role, _ in roles):
        measures = [m for _, m in roles]
        return (Layout((Block((), tuple(measures)),)), 1, 1) if len(set(measures)) == len(measures) else None
    blocks: list[tuple[list[str], list[str]]] = []
    for role, measure in roles:
        if role in ("unknown", "empty"):
            return None
        if role == "measure":
            if not blocks:
                return None
            blocks[-1][1].append(measure)
        elif not blocks or blocks[-1][1]:
            blocks.append(([role], []))
        elif role == "name" and "name" in blocks[-1][0] and units is not None:
            return None  # 单位名称 | 项目名称: a list of each unit's projects, which a row's one name cannot key
        elif role not in blocks[-1][0] or role == "code":
            blocks[-1][0].append(role)
    if not blocks or any(not measures or len(set(measures)) < len(measures) for _, measures in blocks):
        return None
    code_columns = blocks[0][0].count("code") or 1
    if any(keys.count("code") not in (0, code_columns) for keys, _ in blocks):
        return None
    if len(blocks) > 1 and table_id not in _SUMMARY and all(b == blocks[0] for b in blocks):
        keys, measures = blocks[0]  # an economic table printed in two or three identical blocks
        return Layout((Block(tuple(dict.fromkeys(keys)), tuple(measures), None, repeats=True),)), code_columns, len(blocks)
    # Summary tables: income, then expenditure (some print it twice: 功能分类 and 支出用途).
    sides = (("income",) + ("expenditure",) * (len(blocks) - 1) if table_id in _SUMMARY and len(blocks) > 1
             else (None,) * len(blocks))
    layout = Layout(tuple(
        Block(tuple(dict.fromkeys(keys)), tuple(measures), side)
        for (keys, measures), side in zip(blocks, sides, strict=True)))
    return layout, code_columns, 1


_CARRIED = re.compile(r"上年结转|结转结余")
CARRIED_PARTS = ("total", "basic", "project", "operating", "personnel", "public")
"""Measures that a 上年结转结余 group over several columns holds: its `carryover_<measure>` (ext.)."""


def _top_groups(header, width: int) -> list[str]:
    """The top header row's label over each column: a merged cell's text, printed in its leftmost cell, is
    carried right over the columns whose lower header rows name sub-columns."""
    if len(header) < 2:
        return [""] * width
    top, groups, current = header[0], [], ""
    for column in range(width):
        text = clean_text(top.cells[column]).replace(" ", "") if column < len(top.cells) else ""
        below = any(column < len(row.cells) and row.cells[column].strip() for row in header[1:])
        current = text or (current if below else "")
        groups.append(current)
    return groups


def _code_parts(roles: list[tuple[str, str | None]], table: Table) -> list[tuple[str, str | None]]:
    """Empty-headed columns right of a code column whose cells are code parts (`06`, `01`) are code too."""
    out = list(roles)
    for column in range(1, len(out)):
        if out[column][0] == "empty" and out[column - 1][0] == "code":
            cells = [row.cells[column].strip() for row in table.body if column < len(row.cells)]
            if all(not c or re.fullmatch(r"\d{2}", c) or CODE.match(c) or re.fullmatch(r"[类款项]", c) for c in cells):
                out[column] = ("code", None)
    return out


def _of_which(roles: list[tuple[str, str | None]], table: Table, header) -> list[tuple[str, str | None]]:
    """`其中:教育收费` under 事业收入: a part of the measure to its left, keyed `<measure>_of_which`."""
    out = list(roles)
    for column, (role, _) in enumerate(out):
        if role not in ("unknown", "empty") or column == 0 or out[column - 1][0] != "measure":
            continue
        leaf = next((clean_text(row.cells[column]) for row in reversed(header)
                     if column < len(row.cells) and row.cells[column].strip()), "")
        if leaf.replace(" ", "").startswith("其中"):
            out[column] = ("measure", f"{out[column - 1][1].removesuffix('_of_which')}_of_which")
    return out
