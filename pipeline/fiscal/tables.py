"""Which standard fiscal table a grid is: from its title, else from its header.

Table numbers (`公开06表`, `财决公开06表`, `表5`) differ between provinces, so they
are recorded but never used here. `…总体情况表` / `…情况表` titles (Guangdong's
template) read as `…总表` / `…表`. Rules are tried in order, most specific
first; each names the words its title must contain (and must not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.model import Table


@dataclass(frozen=True)
class TableRule:
    table_id: str
    pattern: str
    exclude: str | None = None


# Budget (预算) and final-account (决算) titles share an id; `report_kind` tells them apart.
TABLE_RULES: tuple[TableRule, ...] = (
    TableRule("three_public", r"三公"),
    TableRule("admin_operating_costs", r"机关运行经费"),
    TableRule("transfer_payments", r"转移支付"),
    TableRule("non_fiscal_appropriation_summary", r"非财政拨款收入?支出"),
    TableRule("fiscal_appropriation_summary", r"财政拨款收入?支出?(决算|预算)?总表|财政拨款收支(预算)?总表"),
    TableRule("fiscal_appropriation_basic_expenditure", r"^财政拨款基本支出"),
    TableRule("fiscal_appropriation_expenditure_detail", r"^财政拨款支出(决算|预算)?(明细)?表"),
    TableRule("government_fund", r"政府性基金"),
    TableRule("state_capital", r"国有资本经营"),
    TableRule("general_budget_basic_expenditure", r"一般公共预算.*基本支出"),
    TableRule("general_budget_project_expenditure", r"一般公共预算.*项目支出"),
    TableRule("general_budget_expenditure_detail", r"一般公共预算.*支出(决算|预算)?明细表"),
    TableRule("general_budget_expenditure", r"一般公共预算.*支出"),
    TableRule("income_expenditure_summary", r"收入?支出?(决算|预算)?总表|收支(决算|预算)?总表", r"收入(决算|预算)?总表$"),
    TableRule("income", r"收入(决算|预算)|收入总表"),
    TableRule("expenditure", r"支出(决算|预算)|支出总表"),
)

_NOT_FISCAL = re.compile(r"绩效|自评|政府采购|批复")
_TITLE_NOISE = re.compile(r"^\d{4}年(度)?|^表\d{1,2}[:：]|[(（][^()（）]*[)）]|[“”\"'‘’]")


def classify(table: Table) -> str | None:
    """The table's `table_id`, or None when it is not a standard fiscal table."""
    return classify_title(table.title) if table.title else _classify_by_header(table)


@lru_cache(maxsize=1 << 12)
def classify_title(title: str) -> str | None:
    by_function = "功能分类" in title  # `…支出明细表(按支出功能分类科目)`: by function only, no cross-tab
    title = _TITLE_NOISE.sub("", title.replace(" ", "")).replace("总体情况表", "总表").replace("情况表", "表")
    title = re.sub(r"^(高等学校|单位)", "", title.replace("部门", ""))
    if _NOT_FISCAL.search(title):
        return None
    for rule in TABLE_RULES:
        if re.search(rule.pattern, title) and not (rule.exclude and re.search(rule.exclude, title)):
            if rule.table_id == "general_budget_expenditure_detail" and by_function:
                return "general_budget_expenditure"
            return rule.table_id
    return None


def _classify_by_header(table: Table) -> str | None:
    """An untitled grid (its title page lost) is recognised by its column headers."""
    header = "".join(cell for row in table.header for cell in row.cells).replace(" ", "")
    if "因公出国" in header and "公务接待" in header and re.search(r"\d+\.\d{2}", _body_text(table)):
        return "three_public"
    if "经济分类" in header and "一般公共预算财政拨款" in header and "政府性基金" in header:
        return "fiscal_appropriation_expenditure_detail"
    return None


def _body_text(table: Table) -> str:
    return " ".join(cell for row in table.body for cell in row.cells)
