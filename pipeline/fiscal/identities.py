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
    requires: tuple[str, ...] = ()  # only when these measures are printed too (they tell what `total` holds)


# The sources of a budget's income (部门收入预算总表): 本年收入 = their sum.
BUDGET_INCOME = ("general_budget", "government_fund", "state_capital", "fiscal_special_account", "business",
                 "operating", "higher_level_subsidy", "affiliated_remit", "other")


COLUMN_RULES: tuple[ColumnRule, ...] = (
    ColumnRule("total", ("basic", "project", "remit_to_higher", "operating", "subsidy_to_affiliated")),
    ColumnRule("total", ("basic", "project"), unless=("remit_to_higher", "unit_reserve")),
    ColumnRule("total", ("basic", "project", "unit_reserve", "carryover_next_year")),
    ColumnRule("total", ("fiscal_appropriation", "higher_level_subsidy", "business", "operating",
                         "affiliated_remit", "other")),
    ColumnRule("total", ("general_budget", "government_fund", "state_capital"),
               unless=("fiscal_special_account", "education_fees", "other_special_account", "business", "other",
                       "carryover_total")),
    ColumnRule("total", BUDGET_INCOME, unless=("carryover_total",)),
    ColumnRule("total", BUDGET_INCOME, requires=("grand_total", "carryover_total")),  # 总计 | 本年收入 小计 | …
    ColumnRule("grand_total", (*BUDGET_INCOME, "carryover_total"), unless=("total", "compiled")),  # 总计 | … | 上年结转
    ColumnRule("grand_total", ("compiled", "carryover_total")),  # 合计 = 编制预算 + 上年结转 (Jilin)
    ColumnRule("compiled", BUDGET_INCOME),
    ColumnRule("carryover_total", ("carryover_general_budget", "carryover_government_fund", "carryover_state_capital",
                                   "carryover_fiscal_special_account", "carryover_unit_funds")),
    # 支出总计 printed without a 合计 of the year's spending: the sum of the kinds of spending
    ColumnRule("grand_total", ("basic", "project", "remit_to_higher", "operating", "subsidy_to_affiliated"),
               unless=("total",)),
    ColumnRule("government_procurement", ("government_procurement_reserved_sme",), relation=">="),
    ColumnRule("government_procurement_reserved_sme", ("government_procurement_reserved_small_micro",),
               relation=">="),  # 小型、微型企业 are among the 中小企业
    ColumnRule("grand_total", ("general_budget", "government_fund", "state_capital", "education_fees",  # Guangdong
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
        ColumnRule(f"{g}_overseas_travel", (f"{g}_overseas_travel_other", f"{g}_overseas_travel_research")),
        ColumnRule(f"{g}_total_incl_meetings_training", (f"{g}_total", f"{g}_meetings", f"{g}_training")),
    )
)
"""“三公”: 合计 = 因公出国(境) + 公务用车购置及运行维护 + 公务接待; 公务用车 = 购置 + 运行维护; 因公出国(境) =
科研因公出国(境) + the rest (吉林)."""

COLUMN_RULES += (ColumnRule("grand_total", ("budget_total", "carryover_total")),)
"""“三公”经费合计 = 当年预算 + 上年结转结余 (吉林)."""

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
        if any(u in measures for u in rule.unless) or not all(r in measures for r in rule.requires):
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
    # A table by budget unit prints each unit's codes again: a row sums into its nearest printed ancestor (`3010201`
    # under 301 when its 款 30102 is not printed) within its own unit, the last such row printed above it.
    by_code = {(e.unit, e.code): i for i, e in enumerate(entries) if e.code}
    above: dict[tuple[str, str], int] = {}
    groups: dict[int, tuple[str, list[int]]] = {}
    for i, e in enumerate(entries):
        ancestor = next((e.code[:n] for n in range(len(e.code) - 2, 2, -2) if (e.unit, e.code[:n]) in by_code),
                        None) if e.code else None
        if ancestor is not None:
            groups.setdefault(above.get((e.unit, ancestor), by_code[(e.unit, ancestor)]), (ancestor, []))[1].append(i)
        if e.code:
            above[(e.unit, e.code)] = i
    top = [i for i, e in enumerate(entries) if e.code and len(e.code) == 3]
    for i, e in enumerate(entries):
        if not e.code and top and e.name in ("合计", "总计") and not entries[top[0]].code.startswith("3"):
            groups[i] = (e.name, top)
        elif getattr(e, "is_unit", False):
            below = next((j for j in range(i + 1, len(entries)) if getattr(entries[j], "is_unit", False)),
                         len(entries))
            if own := [j for j in top if i < j < below]:
                groups[i] = (e.name, own)  # a unit's row = Σ the 类 printed under it, before the next unit
    for parent, (subject, children) in groups.items():
        relation = ">=" if entries[parent].partial else "="
        found += _sums(parent, children, subject, measures, has_cell, relation)
    found += _unit_totals(entries, measures, has_cell)
    found += _economic_group_totals(entries, measures, has_cell)
    return found


def _unit_totals(entries: list, measures: list[str], has_cell) -> list[Identity]:
    """A table listed by budget unit code: a unit's row = Σ the units whose codes extend its own (部门 `245` over
    `245001` …), and 合计 = Σ the units no printed code contains, where the table prints no item codes."""
    codes = {i: e.unit_code for i, e in enumerate(entries) if getattr(e, "unit_code", "")}
    if not codes or len(set(codes.values())) < len(codes):  # a code printed twice: sections by unit, not a tree
        return []

    def parent(code: str) -> int | None:
        holders = [i for i, other in codes.items() if other != code and code.startswith(other)]
        return max(holders, key=lambda i: len(codes[i]), default=None)

    groups: dict[int | None, list[int]] = {}
    for i, code in codes.items():
        groups.setdefault(parent(code), []).append(i)
    found = []
    for owner, children in groups.items():
        if owner is not None:
            found += _sums(owner, children, entries[owner].name, measures, has_cell)
    if not any(e.code for e in entries):
        for i, e in enumerate(entries):
            if not e.code and not codes.get(i) and e.name in ("合计", "总计"):
                found += _sums(i, groups.get(None, []), e.name, measures, has_cell)
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
