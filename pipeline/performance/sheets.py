"""Performance sheets into projects, indicators, rejects and checks.

Sheets differ by province in column order, wording and damage, so every part
is found from content: labels for the project fields, the funds header for the
funds columns, and the indicator header for the roles of an indicator row. An
indicator row's cells are matched to those roles by what each cell holds (a
number, an operator, 正向/反向, a unit, text), which survives merged cells that
shift the columns of a row and the glued cells of layout text. Level names
(一级/二级) are carried down from the row that printed them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from pipeline.model import Document, Row, Table
from pipeline.normalize import DIGIT, WHITESPACE, clean_text, parse_number
from pipeline.performance.levels import (LEVEL1_NAMES, PARENT, LevelState, groups, is_level_word, level1_key,
                                         level2_key, nests)
from pipeline.performance.values import OPERATORS, clean_value, parse_value

SHEET_TITLE = re.compile(r"绩效.{0,12}(自评|目标|批复)|自评表")
_CJK = re.compile(r"[\u4e00-\u9fff]")

# Indicator header words -> role, in the order they are tried (longest first).
ROLE_WORDS: tuple[tuple[str, str], ...] = (
    ("level1", r"一级指标"), ("level2", r"二级指标?"), ("indicator", r"三级指标|指标内容"),
    ("nature", r"指标性质|指标值类型"), ("direction", r"指标方向"),
    ("actual", r"实际完成指标值|全年实际完成值|实际完成值?|完成值"),
    ("target", r"年度指标值|指标值|年度指标|目标值"), ("unit", r"计量单位|度量单位"),
    ("weight", r"分值|权重"), ("score", r"得分"), ("reason", r"未完成原因|偏差原因|原因"), ("note", r"说明|指标解释"),
)
_ROLE = re.compile("|".join(f"(?P<{role}>{words})" for role, words in ROLE_WORDS))

FUNDS_WORDS: tuple[tuple[str, str], ...] = (
    ("budget_initial", r"年初预算数?"), ("budget_full_year", r"全年预算数|调整后预算数|全年[預预]"),
    ("executed", r"全年执行数|预算执行数"), ("funds_weight", r"分值|权重"),
    ("execution_rate", r"执行率"), ("funds_score", r"得分"),
)
_FUNDS = re.compile("|".join(f"(?P<{role}>{words})" for role, words in FUNDS_WORDS))
# The national templates' funds columns, by how many figures the 年度资金总额 row prints.
FUNDS_DEFAULTS = {
    6: ("budget_initial", "budget_full_year", "executed", "funds_weight", "execution_rate", "funds_score"),
    3: ("budget_full_year", "executed", "execution_rate"),
    1: ("budget_full_year",),
}
_END = re.compile(r"^(总分|合计|评价结论|自评结论|绩效结论|说明|备注|存在问题|改进措施|项目负责人|自$|自评$)")
_JUNK = re.compile(r"^([^\u4e00-\u9fff]{1,3}|[\u4e00-\u9fff])$")
# A cell of the row-label column (`绩效指标`, `年度绩效指标`, `绩效目标指标`, one of its letters, `1/2`) or points
# alone (`(30分)`), as a whole.
_ROW_LABEL_OR_POINTS = re.compile(r"(?:年度)?绩效(?:目标)?指标(?:[(（]\d+分[)）])?|绩|效|指|标|\d+/\d+|[(（]\d+分[)）]")


@dataclass
class SheetResult:
    project: dict
    indicators: list[dict] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)


def is_sheet(table: Table) -> bool:
    return bool(table.title and SHEET_TITLE.search(table.title.replace(" ", "")))


def parse_sheets(document: Document, doc_id: str) -> list[SheetResult]:
    """Every performance sheet of the document, in print order."""
    layout = document.source_format == "text_layout"
    ruled = document.source_format.startswith("pdf")  # a grid's columns mean their header: `_ValueColumns`
    sheets: list[Table] = []
    unlisted: list[Row] = []  # rows of a list of projects that belong to no project
    for table in filter(is_sheet, document.tables):
        listed = _listed_projects(table)
        sheets += _one_per_project(table) if listed is None else listed[0]
        unlisted += listed[1] if listed else []
    results = [_parse_sheet(table, f"{doc_id}-{ordinal:02d}", doc_id, layout, ruled)
               for ordinal, table in enumerate(sheets, start=1)]
    if results:
        results[0].rejects += [_reject(doc_id, row, "columns of a unit or project beside a sheet's indicators that no "
                                                    "sheet takes (a total, a unit's row, its funds and goal)")
                               for row in unlisted]
    narrative = "".join(block.text for block in document.texts).replace(" ", "")
    for result in results:
        _confirm_funds_unit(result, narrative)
    return results


_PROJECT_NAME = r"项目名称|转移支付[(（]项目[)）]名称"


# The first cell of a sheet's project rows: `项目名称` (maybe glued to the name), or `主管部门` alone.
_PROJECT_HEADER = re.compile(rf"(?:{_PROJECT_NAME}).*|主管部门(?:及代码)?[:：]?")


def _one_per_project(table: Table) -> list[Table]:
    """The sheets of a table, split where a project's 项目名称 (or 主管部门) row follows indicator rows.

    Sheets printed one a page under the same title read as one table (a
    repeated title continues a table); each page's project rows start the
    next sheet, and would otherwise become the last indicator's name.
    """
    parts: list[list[Row]] = [[]]
    indicators_begun = False
    for row in table.rows:
        tokens = [token.replace(" ", "") for token in tokens_of(row)[:2]]
        if indicators_begun and tokens and (_PROJECT_HEADER.fullmatch(tokens[0])
                                            or _PROJECT_HEADER.fullmatch("".join(tokens))):
            parts.append([])
            indicators_begun = False
        parts[-1].append(row)
        indicators_begun = indicators_begun or "一级指标" in "".join(row.cells)
    if len(parts) == 1:
        return [table]
    return [Table(table.title, rows, 0, table.table_number, table.unit, rows[0].source_line, rows[0].source_page)
            for rows in parts]


_LIST_NAME = re.compile(r"(?:单位)?[(（]?项目[)）]?名称")
_LIST_FUNDS = re.compile(r"(?:年度)?资金总额|项目总额")
_LIST_GOAL = re.compile(r"(?:年度)?绩效目标")


def _listed_projects(table: Table) -> tuple[list[Table], list[Row]] | None:
    """The sheets of a table whose indicator columns (from 一级指标 on) have columns of the unit or project on
    their left, and the rows that belong to no sheet; None for a sheet of the usual form.

    A list of projects (`单位名称 | 项目名称 | 年度资金总额 | 年度绩效目标 | 一级指标 | …`, its header maybe over
    two rows) prints each project's rows under its merged name, funds and goal cells, which the grid gives
    on the project's first row (again on a page it continues onto): each project becomes a sheet of the
    usual form, its 项目名称, 年度资金总额 and 年度目标 rows, then the indicator header and rows. A table with
    no project column (a 部门整体支出 sheet printed so) is one sheet: its indicator rows are cut from 一级指标
    on, and what its rows print on the left (the unit's code, name, funds and goal, repeated on each page)
    goes to rejects.
    """
    header_at = next((i for i, row in enumerate(table.rows[:4]) if "一级指标" in row.cells), None)
    if header_at is None or table.rows[header_at].cells.index("一级指标") < 3:
        return None
    level_at = table.rows[header_at].cells.index("一级指标")
    labels = [_at(row, column) for row in table.rows[:header_at + 1] for column in range(level_at)]
    columns: dict[str, int] = {}
    unit = table.unit
    for key, pattern in (("name", _LIST_NAME), ("funds", _LIST_FUNDS), ("goal", _LIST_GOAL)):
        for index, label in enumerate(labels):
            printed = re.fullmatch(r"(.*?)(?:[(（](万元|元)[)）])?", label.replace(" ", ""))
            if key not in columns and pattern.fullmatch(printed.group(1)):
                columns[key] = index % level_at
                unit = printed.group(2) or unit if key == "funds" else unit
    header = _cut(table.rows[header_at], level_at)
    sheets: list[Table] = []
    if "name" not in columns:
        sheets.append(Table(table.title, [*table.rows[:header_at], header], 0, table.table_number, table.unit,
                            table.source_line, table.source_page))
    unlisted: list[Row] = []
    for row in table.rows[header_at + 1:]:
        name, funds, goal = (_at(row, columns[key]) if key in columns else "" for key in ("name", "funds", "goal"))
        if "一级指标" in row.cells or _LIST_NAME.fullmatch(name.replace(" ", "")):
            continue  # the header again, on a page the list continues onto
        named = "name" in columns and sheets and name == sheets[-1].rows[0].cells[1]
        if name and not named and ("funds" not in columns or _number(funds) is not None):
            at = (row.source_line, row.source_page, row.raw)  # a project's first row prints its funds
            meta = [Row(["项目名称", name], *at), Row([f"年度资金总额({unit})" if unit else "年度资金总额", funds], *at),
                    Row(["年度目标", goal], *at)]
            sheets.append(Table(table.title, [*meta, header], 0, table.table_number, table.unit, *at[:2]))
        elif any(row.cells[:level_at]) and not named:
            left = row.cells[:level_at]
            unlisted.append(Row(left, row.source_line, row.source_page, " | ".join(left)))
        indicator = _cut(row, level_at)
        if sheets and any(indicator.cells):
            sheets[-1].rows.append(indicator)
        elif any(indicator.cells):
            unlisted.append(indicator)
    empty = [sheet for sheet in sheets if sheet.rows[-1] is header]  # a unit's row, named in the name column
    unlisted += [Row([], sheet.source_line, sheet.source_page, sheet.rows[0].raw) for sheet in empty]
    return [sheet for sheet in sheets if sheet not in empty], unlisted


def _at(row: Row, column: int) -> str:
    """A row's cleaned cell, or "" past its end."""
    return clean_text(row.cells[column]) if column < len(row.cells) else ""


def _cut(row: Row, at: int) -> Row:
    """A row from column `at` on."""
    return Row(row.cells[at:], row.source_line, row.source_page, row.raw)


def _confirm_funds_unit(result: SheetResult, narrative: str) -> None:
    """Use 万元 when the sheet's header reads 元 (or is garbled) but the budget is stated in 万元.

    The evidence is the same budget figure followed by 万元 in the sheet's own
    indicators (`≤23.11万元`) or in the report's narrative (`全年预算数为354.93万元`).
    """
    project = result.project
    budget = project["budget_full_year"] or project["budget_initial"]
    if budget is None or project["funds_unit"] == "万元":
        return
    figure = format(budget.normalize(), "f")
    texts = narrative + "".join((i["target_text"] or "") + (i["actual_text"] or "") for i in result.indicators)
    if figure not in texts:
        return  # a quick test before the searches, which cannot match without it
    if _stated(figure, "万元", texts):
        project["funds_unit"] = "万元"
    elif project["funds_unit"] is None and _stated(figure, "元", texts):
        project["funds_unit"] = "元"


def _stated(figure: str, unit: str, text: str) -> bool:
    """`figure` (or `figure.00`) then `unit` in `text`, not the tail of a longer number.

    Searched for the figure first, then the character before it tested: a
    pattern led by a lookbehind would be tried at every position of the text.
    """
    for match in re.finditer(rf"{re.escape(figure)}(?:\.0+)?{unit}", text):
        before = text[match.start() - 1] if match.start() else ""
        if not (before.isdecimal() or before == "."):
            return True
    return False


# ------------------------------------------------------------ tokens

_ENDS_DIGIT_POINT = re.compile(r"\d\.$")
_STARTS_POINT_DIGIT = re.compile(r"\.\s*\d")
_STARTS_SEPARATOR_DIGIT = re.compile(r"[.,]\s*\d")
_ENDS_DIGIT = re.compile(r"\d$")
_ENDS_DIGIT_SEPARATOR = re.compile(r"\d[.,]$")
_STARTS_DIGIT = re.compile(r"\s*\d")


def tokens_of(row: Row) -> list[str]:
    """A row's filled cells, cleaned, with numbers OCR split over two cells joined (`354` | `. 93`)."""
    tokens: list[str] = []
    for cell in row.cells:
        text = clean_text(cell) if cell else cell
        if not text:
            continue
        # Only a cell that starts with a separator or a digit (cells are stripped) after one that ends with
        # either can be the second half of a cut number: a quick test before the patterns.
        if tokens and (text[0] in ".," or text[0].isdecimal()) and (
                tokens[-1][-1] in ".," or tokens[-1][-1].isdecimal()):
            if _ENDS_DIGIT_POINT.search(tokens[-1]) and _STARTS_POINT_DIGIT.match(text):
                text = text[1:]  # `42.` | `. 68`: the point printed on both sides of the cut
            if ((_STARTS_SEPARATOR_DIGIT.match(text) and _ENDS_DIGIT.search(tokens[-1]))
                    or (_ENDS_DIGIT_SEPARATOR.search(tokens[-1]) and _STARTS_DIGIT.match(text))):
                tokens[-1] = WHITESPACE.sub("", tokens[-1] + text)
                continue
        tokens.append(text)
    return tokens


_UNIT_SUFFIX = re.compile(r"(分|%|万元|元)$")


def _number(token: str) -> Decimal | None:
    """A figure printed with its unit or sign: `10分`, `79.74%`, `3731171.58万元`, `354. 93`."""
    text = _UNIT_SUFFIX.sub("", token.strip())
    parsed = parse_number(text)
    return parsed.value if parsed.kind == "number" else None


# ------------------------------------------------------------ the sheet

def _parse_sheet(table: Table, project_id: str, doc_id: str, layout: bool, ruled: bool = False) -> SheetResult:
    rows = [(row, tokens_of(row)) for row in table.rows]
    rows = [(row, tokens) for row, tokens in rows if tokens]
    header_at = next((i for i, (_, tokens) in enumerate(rows) if "一级指标" in "".join(tokens)), len(rows))
    meta = rows[:header_at]
    first_line = rows[0][0].source_line if rows else table.source_line
    project = {
        "project_id": project_id, "doc_id": doc_id,
        "sheet_kind": "target_approval" if re.search(r"批复|目标(?:填报|申报)?表", (table.title or "").replace(" ", ""))
        and "自评" not in (table.title or "") else "self_evaluation",
        "project_name": None, "project_code": None, "competent_dept": None, "implementing_unit": None,
        "funds_unit": _funds_unit(meta), "budget_initial": None, "budget_full_year": None, "executed": None,
        "execution_rate": None, "funds_weight": None, "funds_score": None, "total_weight": None,
        "total_score": None, "grade": None, "goal_text": None, "outcome_text": None,
        "source_line": first_line, "source_page": rows[0][0].source_page if rows else None,
    }
    result = SheetResult(project)
    _identify(project, meta, table, doc_id, result)
    _funds(project, meta, doc_id, result)
    _texts(project, meta)
    if header_at == len(rows):
        result.rejects.append(_reject(doc_id, table.rows[0] if table.rows else Row([]),
                                      "performance sheet without an indicator header (一级指标 …)"))
        return result
    roles = _roles(rows[header_at][1])
    value_columns = _ValueColumns(rows[header_at][0]) if ruled else None
    _indicators(result, rows[header_at + 1:], roles, layout, project_id, doc_id, value_columns)
    return result


def _reject(doc_id: str, row: Row, reason: str, raw: str | None = None) -> dict:
    return {"doc_id": doc_id, "stage": "performance", "source_line": row.source_line,
            "source_page": row.source_page, "raw_text": raw if raw is not None else row.raw, "reason": reason}


_LABEL = re.compile(r"^(主管部门|实施单位|资金使用单位|预算单位|项目类型|项目性质|项目类别|中央主管部门|地方主管部门)")


def _name_after(meta, label: str) -> tuple[str | None, Row | None]:
    """A name after its label: the cells up to the next label, as OCR may cut a name over cells."""
    value, row = _after(meta, label)
    if value is None:
        return None, row
    tokens = next(t for r, t in meta if r is row)
    start = tokens.index(value)
    parts = []
    for token in tokens[start:]:
        if _LABEL.match(token) or not re.search(r"[\u4e00-\u9fff\w]", token):
            break
        parts.append(token)
    return "".join(parts), row


def _after(meta: list[tuple[Row, list[str]]], label: str) -> tuple[str | None, Row | None]:
    """The first filled cell after a label cell (the label may be split over two cells: `项目 | 名称`)."""
    pattern = re.compile(label)
    for row, tokens in meta:
        for index, token in enumerate(tokens):
            joined = token + (tokens[index + 1] if index + 1 < len(tokens) else "")
            if pattern.fullmatch(token.replace(" ", "")) or (pattern.match(token) and _LABEL_AFTER.fullmatch(
                    token[pattern.match(token).end():])):
                rest = tokens[index + 1:]
            elif index + 1 < len(tokens) and pattern.fullmatch(joined.replace(" ", "")):
                rest = tokens[index + 2:]
            else:
                continue
            return (rest[0] if rest else None), row
    return None, None


# A label glued to the next label (`项目名称主管部门及代码`): the value that follows is the first label's.
_LABEL_AFTER = re.compile(r"主管部门(及代码)?|实施单位")
_PROJECT_CODE = re.compile(r"^(\d{8}[A-Z]\d{12})\s*[-—–]?\s*(.*)$")


def _identify(project: dict, meta, table: Table, doc_id: str, result: SheetResult) -> None:
    name, row = _name_after(meta, _PROJECT_NAME)
    if name is None and row is None:
        row = next((r for r, tokens in meta if any(t.startswith("项目名称") for t in tokens)), None)
    if name is not None:
        code = _PROJECT_CODE.match(name.replace(" ", ""))
        if code:
            project["project_code"], name = code.group(1), code.group(2)
        name = re.sub(r"\[?\d+\][^\[\]]*$", "", clean_text(name).replace(" ", ""))  # a glued `[622]主管部门`
        project["project_name"] = name or None
    if row is not None:
        project["source_line"], project["source_page"] = row.source_line, row.source_page
    if name is None:
        result.rejects.append(_reject(doc_id, table.rows[0] if table.rows else Row([]),
                                      "the sheet prints no readable 项目名称: project_name left null"))
    dept, _ = _name_after(meta, r"主管部门(及代码)?|中央主管部门|地方主管部门")
    if dept:
        project["competent_dept"] = re.sub(r"^\[?\d+\]", "", dept.replace(" ", "")) or None
    unit, _ = _name_after(meta, r"实施单位([(（]盖章[)）])?|资金使用单位|预算单位")
    if unit:
        project["implementing_unit"] = unit.replace(" ", "")


def _funds_unit(meta) -> str | None:
    text = "".join("".join(tokens) for _, tokens in meta).replace(" ", "")
    found = re.search(r"[(（](万元|元)[)）]", text)
    return found.group(1) if found else None  # a garbled `资金元)` may have lost its 万: evidence decides


_FUNDS_LABEL = re.compile(r"^(年度资金总额|资金总额|总额|金额合计)([(（]万?元[)）])?[:：]?$")


def _funds(project: dict, meta, doc_id: str, result: SheetResult) -> None:
    """The 年度资金总额 row, its figures placed by the funds header (or the template's order)."""
    header_row, header = next(((row, tokens) for row, tokens in meta if len(_FUNDS.findall("".join(tokens))) >= 2),
                              (None, []))
    roles = [m.lastgroup for m in _FUNDS.finditer("".join(header).replace(" ", ""))]
    for row, tokens in meta:
        label = next((i for i, t in enumerate(tokens) if _FUNDS_LABEL.match(t.replace(" ", ""))), None)
        if label is None:
            continue
        figures = [t for t in tokens[label + 1:] if _number(t) is not None]
        if not figures and row is not header_row and len(tokens) > 1:
            continue  # `总额 | 财政拨款 | 其他资金`: the header's second row, above the 金额合计 row
        order = roles if len(roles) == len(figures) else FUNDS_DEFAULTS.get(len(figures))
        placed = _funds_by_column(header_row, _sub_header(meta, header_row), row) if len(roles) != len(figures) else None
        if placed:
            order, figures = tuple(placed), list(placed.values())
        if project["sheet_kind"] == "target_approval" and figures and not placed and len(roles) != len(figures):
            # A target sheet prints no execution: its first figure is the approved amount, at the start of the
            # year, the others its sources (`总额 | 财政拨款 | 其他资金`), which the dataset has no column for.
            result.rejects += [_reject(doc_id, row, "source of a target sheet's approved amount (财政拨款, 其他资金): "
                                                    "performance_projects keeps the total only", raw=figure)
                               for figure in figures[1:]]
            order, figures = ("budget_initial",), figures[:1]
        if order is None:
            result.rejects.append(_reject(doc_id, row, f"funds row with {len(figures)} figures matches "
                                                       f"neither its header ({len(roles)} columns) nor a template"))
            return
        values = {role: _number(token) for role, token in zip(order, figures, strict=True)}
        junk = [t for t in tokens[label + 1:] if _number(t) is None and t not in ("-", "—", "/")]
        if junk and not _rate_fits(values):
            result.rejects.append(_reject(doc_id, row, "funds row damaged by OCR (text among its figures, and the "
                                                       "execution rate does not fit executed / budget)"))
            return
        project.update(values)
        return


def _sub_header(meta, header: Row | None) -> Row | None:
    """The row under the funds header that names the parts of its merged columns (`总额 | 财政拨款 | 其他资金`)."""
    rows = [row for row, _ in meta]
    below = rows[rows.index(header) + 1] if header is not None and header in rows[:-1] else None
    return None if below is None or any(_number(clean_text(c)) is not None for c in below.cells if c) else below


def _funds_by_column(header: Row | None, parts: Row | None, row: Row) -> dict[str, str] | None:
    """The funds row's figures by the header above each (a merged header cell's text is in its leftmost
    column), when the sheet is a grid: a blank 分值 leaves one figure fewer than the header's columns, and
    a 全年预算数 over `总额 | 财政拨款 | 其他资金` prints three; only its 总额 is the measure. Else None."""
    if header is None or len(header.cells) != len(row.cells) or (parts and len(parts.cells) != len(row.cells)):
        return None
    placed: dict[str, str] = {}
    above = ""
    for column, cell in enumerate(row.cells):
        above = clean_text(header.cells[column]).replace(" ", "") or above
        text = clean_text(cell) if cell else ""
        if _number(text) is None:
            if DIGIT.search(text):
                return None  # a figure cut over two cells (`42.` | `. 68`): the columns do not hold it whole
            continue
        part = clean_text(parts.cells[column]).replace(" ", "") if parts else ""
        if part and part not in ("总额", "合计", "小计"):
            continue  # 财政拨款 or 其他资金 of the total to its left
        found = [m.lastgroup for m in _FUNDS.finditer(above)]
        if found and found[0] in placed and column + 1 < len(header.cells):
            # `83.16 | %` under `分值 | 执行率`: a figure run over its rule, the next header its column
            found = [m.lastgroup for m in _FUNDS.finditer(clean_text(header.cells[column + 1]).replace(" ", ""))]
        if len(found) != 1 or found[0] in placed:
            return None
        placed[found[0]] = text
    return placed or None


def _rate_fits(values: dict) -> bool:
    budget, executed, rate = (values.get(k) for k in ("budget_full_year", "executed", "execution_rate"))
    return not (budget and executed is not None and rate is not None) or abs(executed / budget * 100 - rate) <= 1


_TEXT_LABELS = (("goal_text", re.compile(r"预期目标|年度目标|总体目标")),
                ("outcome_text", re.compile(r"实际完成情况|目标完成情况")))


def _texts(project: dict, meta) -> None:
    """The goal and outcome texts: the first long text after their labels."""
    for key, label in _TEXT_LABELS:
        for _, tokens in meta:
            if not label.search("".join(tokens)):
                continue  # a quick test: no cell of the row can hold the label then
            at = next((i for i, t in enumerate(tokens) if len(t) <= 12 and label.search(t)), None)
            if at is None:
                continue
            text = next((t for t in tokens[at + 1:] if len(t) >= 15 and _CJK.search(t)), None)
            if text:
                project[key] = text
                break


# ------------------------------------------------------------ indicator rows

def _roles(header: list[str]) -> tuple[str, ...]:
    """The roles of an indicator row after its level cells, in the header's order."""
    found = [m.lastgroup for m in _ROLE.finditer("".join(header).replace(" ", ""))]
    seen: list[str] = []
    for role in found:
        if role not in seen and role not in ("level1", "level2"):
            seen.append(role)
    complete = "indicator" in seen and ("target" in seen or "actual" in seen)
    return tuple(seen) if complete else ALL_ROLES


# Every role in the templates' usual order: used when OCR garbled the header row.
ALL_ROLES = ("indicator", "nature", "direction", "target", "actual", "unit", "weight", "score", "reason")


_DIRECTION = {"正向": "positive", "反向": "negative"}
# In an operator column a lone `>` / `<` is how OCR renders ≥ / ≤ (`&gt;`, `<b>/</b>/`): the templates' columns
# hold ≥, ≤ or =.
_COLUMN_OPERATOR = {">": "≥", "<": "≤"}
_NATURE = re.compile(r"^(定性|定量|正向|反向|\*|/|//)$")


# Characters units of measure are written with (`个(套)`, `万人次`, `台/套`, `元/平米`, `%`).
_UNIT = re.compile(r"[%‰个次人家项份篇条册台套天日月年元万千亿辆件场期批所座户笔门种类小时分钟秒周季度平米公里/()（）*·]{1,8}")
_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?分?")
_NOT_UNIT = {"优", "良", "中", "差", "低", "是", "否", "有", "无", "定性", "定量"}


# How well each kind of cell fits each role; a role missing from a kind cannot hold it.
_ROLE_FITS = {
    "mark": {"direction": 3.0, "nature": 3.0},  # 正向/反向, 定性/定量, an operator
    "number": {"weight": 3.0, "score": 3.0, "target": 1.5, "actual": 1.5},
    "value": {"target": 2.0, "actual": 2.0},  # an operator and a figure: `≥95%`
    "unit": {"unit": 2.5, "target": 0.5, "actual": 0.5, "indicator": 0.3, "reason": 0.3, "note": 0.3},
    "grade": {"target": 1.0, "actual": 1.0, "indicator": 0.5, "reason": 0.3, "unit": 0.1},  # 优, 是, 有 …
    "short": {"unit": 0.2, "target": 1.0, "actual": 1.0, "indicator": 0.8, "reason": 0.3, "note": 0.3},
    "text": {"indicator": 2.0, "target": 1.0, "actual": 1.0, "reason": 0.8, "note": 0.4},
}


@lru_cache(maxsize=1 << 14)
def _fits(token: str) -> dict[str, float]:
    """How well a cell fits each role (by what it holds), computed once per cell text."""
    token = token.replace(" ", "")
    fits = _ROLE_FITS[_cell_kind(token)]
    if DIGIT.search(token) or token in OPERATORS:
        fits = {**fits, "reason": 0.1, "note": 0.1}  # a reason or note quotes figures
    return fits


def _cell_kind(token: str) -> str:
    if token in _DIRECTION or _NATURE.match(token) or token in OPERATORS:
        return "mark"
    if _PLAIN_NUMBER.fullmatch(token):
        return "number"
    if parse_value(token).op not in (None, "qualitative"):
        return "value"
    if _UNIT.fullmatch(token):
        return "unit"
    if len(token) <= 4 and not DIGIT.search(token):
        return "grade" if token in _NOT_UNIT or len(set(token) & set("优良中差")) > 1 else "short"
    return "text"


_MULTI = {"reason", "note"}  # roles whose text may run over several cells


_NONE = float("-inf")  # the fit of a cell to a role it cannot hold, and the best total of an impossible assignment


@lru_cache(maxsize=1 << 16)
def _fit_row(token: str, roles: tuple[str, ...]) -> tuple[float, ...]:
    """How well a cell fits each of the roles, in order."""
    fits = _fits(token)
    return tuple(fits.get(role, _NONE) for role in roles)


def align(tokens: list[str], roles: tuple[str, ...]) -> dict[str, str] | None:
    """Assign each cell to a role, roles in header order, each once (reasons may span cells), best total fit."""
    plan = _best_plan(tuple(_fit_row(token, roles) for token in tokens), roles)
    if plan is None:
        return None
    assigned: dict[str, str] = {}
    for i, j in plan:  # from the last cell back
        role = roles[j]
        assigned[role] = tokens[i] + assigned.get(role, "")
    return assigned


@lru_cache(maxsize=1 << 14)
def _best_plan(fits: tuple[tuple[float, ...], ...], roles: tuple[str, ...]) -> tuple[tuple[int, int], ...] | None:
    """(cell, role) index pairs of the best assignment, from the last cell back; None when there is none.

    It depends only on how well each cell fits each role, and the rows of a
    sheet fit alike (a name, a text, figures): so it is cached on the fits.
    `best[i][j]`: the best total of cells 1..i over roles 1..j, cell i holding role j or an earlier one.
    """
    m = len(roles)
    multi = [role in _MULTI for role in roles]
    best = [[0.0] * (m + 1)]
    for fit in fits:
        above = best[-1]
        row = [_NONE]
        value = _NONE  # the best with no role for this cell: none
        for take, many, diagonal, up in zip(fit, multi, above, above[1:]):
            # role j for this cell after roles < j (`diagonal`), or for a reason again after role j (`up`),
            # or role j left unused (`value`, the best up to role j - 1)
            if diagonal + take > value:
                value = diagonal + take
            if many and up + take > value:
                value = up + take
            row.append(value)
        best.append(row)
    if best[-1][m] == _NONE:
        return None
    plan: list[tuple[int, int]] = []
    i, j = len(fits), m
    while i > 0:
        fit = fits[i - 1][j - 1]
        if fit != _NONE and multi[j - 1] and best[i - 1][j] != _NONE and best[i][j] == best[i - 1][j] + fit:
            plan.append((i - 1, j - 1))
            i -= 1
        elif fit != _NONE and best[i - 1][j - 1] != _NONE and best[i][j] == best[i - 1][j - 1] + fit:
            plan.append((i - 1, j - 1))
            i -= 1
            j -= 1
        else:
            j -= 1
    return tuple(plan)


_GLUED_YEAR = re.compile(r"^(\d{1,3}(?:\.\d+)?)(20\d\d年.*)$")
_GLUED_SCORE = re.compile(r"^(\d{1,3}(?:\.\d+)?)(?=[“\"(（]|[^\W\d年月日个次人家项万元份种台套条批篇册分小天周%])")


def _split_glued(tokens: list[str], roles: tuple[str, ...]) -> list[str]:
    """Cut a score glued to the start of its reason: `6.96因国家局…`, `72024年省级…` (weight 7)."""
    if "reason" not in roles:
        return tokens
    out: list[str] = []
    for token in tokens:
        if not token[:1].isdecimal():  # both patterns start with a digit
            out.append(token)
            continue
        year = _GLUED_YEAR.match(token)
        glued = _GLUED_SCORE.match(token)
        if year:
            out += [year.group(1), year.group(2)]
        elif glued and len(token) > len(glued.group(1)) + 2:
            out += [glued.group(1), token[glued.end():]]
        else:
            out.append(token)
    return out


# An operator value glued after text (`…率≥95%`); led by its operator (the quicker search), then the text before it.
_EMBEDDED_VALUE = re.compile(r"([≥≤＝=><](?<=[\u4e00-\u9fff)）].)\s*\d[\d.,]*\s*[\u4e00-\u9fff%]{0,3})")
_SPLITTABLE_LEVEL = re.compile(r"(?:(?:产出|效益|满意度)指标(?:[(（]\d+分?[)）]|\d+分|\d{1,3}$)?|(?:成本|数量|质量|时效|"
                               r"经济成本|社会效益|经济效益|生态效益|可持续影响|服务对象满意度)指标(?:[(（]\d+分[)）]|\d+分)?)")


_CUT_FIGURE = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
_CUT_UNIT = re.compile(r"(?:亿元|万元|元|万|%)(?:/[\u4e00-\u9fff]{1,2})?")  # `万元/人`


def _join_cut_unit(tokens: list[str], roles: tuple[str, ...]) -> list[str]:
    """`319.8 | 万元`: a target cut over two cells (its text ran over the cell's rule), one value again when
    the sheet has no unit column (where `万元` alone would be the unit)."""
    if "unit" in roles or len(tokens) < 2:
        return tokens
    out: list[str] = []
    for token in tokens:
        if out and _CUT_UNIT.fullmatch(token) and _CUT_FIGURE.fullmatch(out[-1]):
            out[-1] += token
        else:
            out.append(token)
    return out


@lru_cache(maxsize=1 << 14)
def _pieces(token: str) -> tuple[tuple[str, bool], ...]:
    """A cell cut at the level words and operator values glued into it: (piece, is a level word)."""
    if token.startswith("\x00"):
        return ((token, False),)
    if is_level_word(token):
        return ((token, True),)
    out: list[tuple[str, bool]] = []
    position = 0
    for match in _SPLITTABLE_LEVEL.finditer(token):
        out += _values(token[position:match.start()])
        out.append((match.group(0), True))
        position = match.end()
    return tuple(out + _values(token[position:]))


def _values(text: str) -> list[tuple[str, bool]]:
    if len(text) > 60 or text.startswith("评分标准"):
        return [(text, False)] if text else []  # a scoring rule or reason quotes its target: not a cell of its own
    parts = [p for p in _EMBEDDED_VALUE.split(text) if p]
    return [(p, False) for p in parts]


@dataclass
class _Context:
    state: LevelState = field(default_factory=LevelState)
    pending_name: str = ""
    deferred: list[str] = field(default_factory=list)


def _indicators(result: SheetResult, rows, roles: tuple[str, ...], layout: bool, project_id: str,
                doc_id: str, value_columns: _ValueColumns | None = None) -> None:
    context = _Context()
    printed: list[dict[int, str]] = []  # level names printed on each indicator's row
    for row, raw_tokens in rows:
        tokens = _merge_total_label(raw_tokens)
        if _END.match(tokens[0]):
            _totals_and_grade(result.project, rows, row, tokens)
            if tokens[0] in ("总分", "合计"):
                continue
            break
        tokens = [re.sub(r"[(（]\d+分[)）]$", "", t) if t.startswith("标") else t for t in tokens]
        tokens = [t for t in tokens if not _ROW_LABEL_OR_POINTS.fullmatch(t)]
        while len(tokens) > 1 and _JUNK.match(tokens[0]) and not is_level_word(tokens[0]):
            tokens = tokens[1:]  # OCR specks in the row-label column (`3`, `ř`, `结`)
        if not tokens:
            continue
        carried = context.state.take(context.deferred)
        tokens = _named_like_its_level(tokens)
        current, deferred, pending = _split_row(tokens, context.state)
        current = [t.lstrip("\x00") for t in current]
        context.deferred = carried + deferred
        tokens = _join_cut_unit(_split_glued(current, roles), roles)
        if not tokens:
            context.pending_name += pending
            continue
        row_roles = tuple(r for r in roles if r != "indicator") if context.pending_name and layout else roles
        assigned = align(tokens, row_roles)
        stated = assigned is not None and _is_indicator(assigned, tokens)
        if stated and value_columns:
            value_columns.learn(assigned, row)
        if not stated and not (value_columns and value_columns.hold(assigned, row)):
            if all(_CJK.search(t) and not DIGIT.search(t) for t in tokens):
                name = "".join(tokens)
                if not layout and result.indicators and not context.pending_name:
                    above = result.indicators[-1]  # the tail of the name above (it may have printed none)
                    above["indicator"] = (above["indicator"] or "") + name
                else:
                    context.pending_name += name
            else:
                result.rejects.append(_reject(doc_id, row, "indicator row whose cells fit no column of the "
                                                           "sheet's header"))
            context.pending_name += pending
            if is_level_word(context.pending_name):  # a level cell wrapped over rows: `可持续影` / `响指标`
                context.deferred.append(context.pending_name)
                context.pending_name = ""
            continue
        name = context.pending_name + assigned.get("indicator", "")  # a wrapped name's first lines
        context.pending_name = pending
        result.indicators.append(_indicator(assigned, name, context.state, row, project_id, doc_id,
                                            len(result.indicators) + 1))
        printed.append(dict(context.state.printed))
    if not layout:
        _recentre_levels(result.indicators, printed)


def _recentre_levels(indicators: list[dict], printed: list[dict[int, str]]) -> None:
    """Re-read the levels of a delimited sheet whose merged level cells are printed centred in their groups.

    The style (top-aligned or centred) is the one under which every 二级 group
    lies within one 一级 group; with both or neither, the levels stay as read.
    """
    labels1 = [p.get(1) for p in printed]
    labels2 = [p.get(2) for p in printed]
    top = (groups(labels1, False), groups(labels2, False))
    centred = (groups(labels1, True), groups(labels2, True))
    fits_top = None not in top and nests(*top)
    fits_centred = None not in centred and nests(*centred)
    if fits_centred and not fits_top:
        for indicator, level1, level2 in zip(indicators, *centred, strict=True):
            indicator.update(_levels(level1, level2))


class _ValueColumns:
    """Where a grid prints 指标值 (`target`) and 实际完成值 (`actual`): on each page, the columns its figures were
    read in (a continuation page may be cut into other columns), else the columns the header heads so.

    A named row whose worded value (`明显提升`, `合规`) sits in such a column is an indicator, not the wrapped
    tail of the name above, which prints in the 三级指标 column alone.
    """

    ROLES = ("target", "actual")

    def __init__(self, header: Row):
        self.width = len(header.cells)
        self.header = {role: {i for i, cell in enumerate(header.cells) if cell and _heads(cell) == role}
                       for role in self.ROLES}
        self.on_page: dict[tuple[int | None, str], set[int]] = {}

    def learn(self, assigned: dict[str, str], row: Row) -> None:
        """Note the columns of an indicator's figures."""
        for role in self.ROLES:
            if role in assigned and len(row.cells) == self.width:
                value = assigned[role].replace(" ", "")
                self.on_page.setdefault((row.source_page, role), set()).update(
                    i for i, cell in enumerate(row.cells) if clean_text(cell).replace(" ", "") == value)

    def hold(self, assigned: dict[str, str] | None, row: Row) -> bool:
        """Whether a named row prints each of its values in a column of its role."""
        if not assigned or "indicator" not in assigned or len(row.cells) != self.width:
            return False
        placed = [role for role in self.ROLES if role in assigned]
        return bool(placed) and all(
            assigned[role].replace(" ", "") in {clean_text(row.cells[i]).replace(" ", "")
                                                for i in self.on_page.get((row.source_page, role), self.header[role])}
            for role in placed)


def _heads(cell: str) -> str | None:
    """The role a header cell names."""
    role = _ROLE.search(cell.replace(" ", ""))
    return role.lastgroup if role else None


def _is_indicator(assigned: dict[str, str], tokens: list[str]) -> bool:
    """A row that states an indicator: a weight or score, an operator value, or name, target and actual."""
    if "weight" in assigned or "score" in assigned:
        return True
    target = assigned.get("target", "")
    if target and parse_value(target).op not in (None, "qualitative"):
        return True
    return len(tokens) >= 3 or (len(tokens) == 2 and "target" in assigned and "indicator" in assigned
                                and not all(_CJK.search(t) and not DIGIT.search(t) for t in tokens))


def _named_like_its_level(tokens: list[str]) -> list[str]:
    """Mark (`\x00`) a 三级 named like the 二级 printed just before it, when a figure or operator follows:
    `时效指标 | 时效指标 | 2024年…`, `服务对象满意度指标 | 服务对象满意度 | ≥90%`. Unmarked it would read as the
    二级 printed again for the rows below, and the indicator would have no name."""
    for index in range(min(len(tokens) - 2, 2)):  # the 二级 is the row's first or second cell
        word, name, value = tokens[index:index + 3]
        second = index == 1 and is_level_word(tokens[0])  # after a 一级: `满意度指标 | 满意度指标 | 服务对象满意度`
        if (is_level_word(word) and is_level_word(name) and re.search(r"\d|[≥≤=<>]", value)
                and (word == name or ((second or level1_key(word) is None) and level1_key(name) is None
                                      and level2_key(word) == level2_key(name)))):
            return [*tokens[:index + 1], "\x00" + name, *tokens[index + 2:]]
    return tokens


def _merge_total_label(tokens: list[str]) -> list[str]:
    if len(tokens) > 1 and tokens[0] == "总" and tokens[1] == "分":
        return ["总分", *tokens[2:]]
    return tokens


def _split_row(tokens: list[str], state: LevelState) -> tuple[list[str], list[str], str]:
    """(cells of this row, level words for later rows, name text for the next row), applying levels.

    Level words before the row's first cell apply now, as far as they can;
    one that cannot, and level words glued after text, were printed for the
    rows below, together with any text after them in the same cell.
    """
    state.start_row()
    current: list[str] = []
    deferred: list[str] = []
    pending = ""
    for position, token in enumerate(tokens):
        pieces = _pieces(token)
        if len(pieces) == 1 and not pieces[0][1]:  # most cells: one piece, no level word
            current.append(pieces[0][0])
            continue
        deferring = False
        beside = tokens[position + 1:position + 2]  # the next cell, when it is a level word: `成本指标 | 经济成本指标`
        beside = beside if beside and is_level_word(beside[0]) else []
        for index, (text, is_level) in enumerate(pieces):
            if is_level:
                after = [t for t, level in pieces[index + 1:] if level] or beside
                if deferring or current or deferred or not state.apply(text, after):
                    deferred.append(text)
                    deferring = True
            elif deferring:
                pending += text
            else:
                current.append(text)
    return current, deferred, pending


def _indicator(assigned: dict, name: str, state: LevelState, row: Row, project_id: str, doc_id: str,
               ordinal: int) -> dict:
    nature = assigned.get("nature", "").replace(" ", "")
    direction_cell = assigned.get("direction", "").replace(" ", "")
    op = next((_COLUMN_OPERATOR.get(c, c) for c in (direction_cell, nature) if c in OPERATORS), None)
    direction = _DIRECTION.get(nature) or _DIRECTION.get(direction_cell)
    unit = assigned.get("unit")
    unit = unit if unit and _UNIT.fullmatch(unit.replace(" ", "")) else None
    target = parse_value(assigned.get("target"), unit=unit, op=op)
    actual = parse_value(assigned.get("actual"), unit=unit)
    if nature == "定性" and target.op is None:
        target = parse_value(assigned.get("target") or "定性")
    return {
        "project_id": project_id, "doc_id": doc_id, "ordinal": ordinal,
        **_levels(state.level1, state.level2),
        "indicator": clean_value(name) or None, "direction": direction,
        "target_text": target.text or None, "actual_text": actual.text or None,
        "target_op": target.op, "actual_op": actual.op,
        "target_value": target.value, "actual_value": actual.value,
        "target_unit": target.unit, "actual_unit": actual.unit,
        "weight": _number(assigned["weight"]) if "weight" in assigned else None,
        "score": _number(assigned["score"]) if "score" in assigned else None,
        "shortfall_reason": assigned.get("reason"),
        "source_line": row.source_line, "source_page": row.source_page,
    }


@lru_cache(maxsize=1 << 12)
def _levels(level1: str | None, level2: str | None) -> dict:
    """The level fields; a known 二级 fixes its 一级 (merged 一级 cells print away from their rows).

    Cached, so one dict is shared by its callers: they copy it (`**`, `update`), never change it.
    """
    key2 = level2_key(level2)
    key1 = PARENT.get(key2) or level1_key(level1)
    if key1 != level1_key(level1):
        level1 = LEVEL1_NAMES[key1]
    return {"level1": level1, "level1_key": key1, "level2": level2, "level2_key": key2}


def _totals_and_grade(project: dict, rows, row: Row, tokens: list[str]) -> None:
    if tokens[0] in ("总分", "合计"):
        figures = [_number(t) for t in tokens[1:] if _number(t) is not None]
        if len(figures) >= 2:
            project["total_weight"], project["total_score"] = figures[-2], figures[-1]
        elif len(figures) == 1:
            project["total_score"] = figures[0]
    text = "".join("".join(tokens) for _, tokens in rows)
    grade = re.search(r"(?:结果为|结论[:：]?|等级[:：]?|评价为)[“\"]?(优|良|中|差)(?![\u4e00-\u9fff])", text)
    if grade is None:
        grade = re.search(r"(?:绩效结论|自评结论|评价结论)(优|良|中|差)(?![\u4e00-\u9fff])", text)
    if grade:
        project["grade"] = grade.group(1)
