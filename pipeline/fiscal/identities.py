"""The accounting identities inside one table, as data: which cell is the sum of which.

They serve twice: to choose between two OCR readings of a cell (the reading
that makes the sums hold is the printed one), and as the `children_sum` and
`column_sum` checks of `reconciliation`. See `../shared/identities.md`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from pipeline.fiscal.layouts import THREE_PUBLIC_GROUPS

Ref = tuple[int, int]  # (entry index, measure index) within one parsed table


@dataclass(frozen=True)
class ColumnRule:
    total: str
    parts: tuple[str, ...]
    unless: tuple[str, ...] = ()  # not when one of these measures is printed (it sits in between)
    relation: str = "="


COLUMN_RULES: tuple[ColumnRule, ...] = (
    ColumnRule("total", ("basic", "project", "remit_to_higher", "operating", "subsidy_to_affiliated")),
    ColumnRule("total", ("basic", "project"), unless=("remit_to_higher", "unit_reserve")),
    ColumnRule("total", ("basic", "project", "unit_reserve", "carryover_next_year")),
    ColumnRule("total", ("fiscal_appropriation", "higher_level_subsidy", "business", "operating",
                         "affiliated_remit", "other")),
    ColumnRule("total", ("general_budget", "government_fund", "state_capital"),
               unless=("education_fees", "other_special_account", "business", "carryover_total")),
    ColumnRule("total", ("general_budget", "government_fund", "state_capital", "education_fees",  # Guangdong 收入
                         "other_special_account", "business", "operating", "other", "higher_level_subsidy",
                         "affiliated_remit", "carryover_total")),
    ColumnRule("total", ("personnel", "public"), unless=("basic", "project")),
    ColumnRule("total", ("personnel", "public", "project", "remit_to_higher", "operating", "subsidy_to_affiliated"),
               unless=("basic",)),  # 基本支出 printed only as the group over 人员 and 公用 (Zhejiang)
    ColumnRule("total", ("personnel", "public", "project"), unless=("basic", "remit_to_higher", "operating")),
    ColumnRule("basic", ("personnel", "public")),
    ColumnRule("project", ("project_own_funds", "project_higher_funds")),
    ColumnRule("total", ("fiscal_appropriation", "fiscal_special_account", "unit_funds")),
    ColumnRule("grand_total", ("total", "carryover_total")),
    ColumnRule("amount", ("compiled", "carryover_total")),  # 本年预算 = 编制预算 + 上年结转 (Jilin)
    ColumnRule("grand_total", ("total", "carryover_end_total")),
    ColumnRule("carryover_total", ("carryover_fiscal_appropriation", "carryover_fiscal_special_account",
                                   "carryover_unit_funds")),
    ColumnRule("carryover_end_total", ("carryover_end_fiscal_appropriation",
                                       "carryover_end_fiscal_special_account", "carryover_end_unit_funds")),
    ColumnRule("total", ("general_budget_total", "government_fund_total", "state_capital_total")),
    ColumnRule("general_budget_total", ("general_budget_basic", "general_budget_project")),
    ColumnRule("government_fund_total", ("government_fund_basic", "government_fund_project")),
    ColumnRule("state_capital_total", ("state_capital_basic", "state_capital_project")),
)

COLUMN_RULES += tuple(
    rule for g in THREE_PUBLIC_GROUPS if not g.startswith("change_pct") for rule in (
        ColumnRule(f"{g}_total", (f"{g}_overseas_travel", f"{g}_vehicle_total", f"{g}_reception")),
        ColumnRule(f"{g}_vehicle_total", (f"{g}_vehicle_purchase", f"{g}_vehicle_operation")),
        ColumnRule(f"{g}_total_incl_meetings_training", (f"{g}_total", f"{g}_meetings", f"{g}_training")),
    )
)
"""“三公”: 合计 = 因公出国(境) + 公务用车购置及运行维护 + 公务接待; 公务用车 = 购置 + 运行维护."""

# Rows of economic tables that total a group of 类: 人员经费 = 301 + 303; 公用经费 = the other 类.
PERSONNEL_CLASSES = ("301", "303")


class Identity(NamedTuple):  # hundreds per table: a tuple is quicker to make than a frozen dataclass
    check: str  # children_sum or column_sum
    subject: str  # the code, name or line the check is about, and the measure
    total: Ref
    parts: tuple[Ref, ...]
    relation: str = "="  # ">=" when the parts listed are only some of the total's (`其中:`)


def _economic_rules(measures: list[str]) -> list[ColumnRule]:
    """Cross-tab columns: an economic class's 小计 ≥ the items printed under it (the table may be cut)."""
    rules = []
    for measure in measures:
        code = measure.removeprefix("economic_")
        if measure.startswith("economic_") and len(code) == 3:
            parts = tuple(m for m in measures if m.startswith(f"economic_{code}") and m != measure)
            if parts:
                rules.append(ColumnRule(measure, parts, relation=">="))
    return rules


def column_identities(measures: list[str], n_entries: int, has_cell) -> list[Identity]:
    """total = Σ parts for every entry whose cells are all printed, for each rule that applies."""
    found = []
    for rule in (*COLUMN_RULES, *_economic_rules(measures)):
        if rule.total not in measures or not all(p in measures for p in rule.parts):
            continue
        if any(u in measures for u in rule.unless):
            continue
        total = measures.index(rule.total)
        parts = tuple(measures.index(p) for p in rule.parts)
        for entry in range(n_entries):
            if has_cell(entry, total) and all(has_cell(entry, p) for p in parts):
                sign = "≥" if rule.relation == ">=" else "="
                found.append(Identity("column_sum", f"{rule.total} {sign} " + " + ".join(rule.parts),
                                      (entry, total), tuple((entry, p) for p in parts), rule.relation))
    return found


def hierarchy_identities(entries: list, measures: list[str], has_cell) -> list[Identity]:
    """类 = Σ 款, 款 = Σ 项 and 合计 = Σ 类, per measure, where both sides are printed.

    `entries` are objects with `.block`, `.code` and `.name`; economic tables
    also total 人员经费合计 = 301 + 303 and 公用经费合计 = the other 类.
    """
    found = []
    by_code = {e.code: i for i, e in enumerate(entries) if e.code}
    groups: dict[int, tuple[str, list[int]]] = {}
    for i, e in enumerate(entries):
        if e.code and len(e.code) > 3 and e.code[:-2] in by_code:
            groups.setdefault(by_code[e.code[:-2]], (e.code[:-2], []))[1].append(i)
    top = [i for i, e in enumerate(entries) if e.code and len(e.code) == 3]
    for i, e in enumerate(entries):
        if not e.code and top and e.name in ("合计", "总计") and not entries[top[0]].code.startswith("3"):
            groups[i] = (e.name, top)
    for parent, (subject, children) in groups.items():
        relation = ">=" if entries[parent].partial else "="
        found += _sums(parent, children, subject, measures, has_cell, relation)
    found += _economic_group_totals(entries, measures, has_cell)
    return found


def _economic_group_totals(entries: list, measures: list[str], has_cell) -> list[Identity]:
    classes = {e.code: i for i, e in enumerate(entries) if e.code and len(e.code) == 3 and e.code[0] == "3"}
    found = []
    for i, e in enumerate(entries):
        if e.code or not classes:
            continue
        if e.name.startswith("人员经费"):
            children = [classes[c] for c in PERSONNEL_CLASSES if c in classes]
        elif e.name.startswith("公用经费"):
            children = [j for c, j in classes.items() if c not in PERSONNEL_CLASSES]
        else:
            continue
        found += _sums(i, children, e.name, measures, has_cell)
    return found


def _sums(parent: int, children: list[int], subject: str, measures: list[str], has_cell,
          relation: str = "=") -> list[Identity]:
    found = []
    for m in range(len(measures)):
        if has_cell(parent, m) and all(has_cell(c, m) for c in children):
            label = f"{subject} {measures[m]}" + (" (其中: part of it)" if relation == ">=" else "")
            found.append(Identity("children_sum", label, (parent, m), tuple((c, m) for c in children), relation))
    return found
