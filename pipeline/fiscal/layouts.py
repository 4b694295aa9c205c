"""The column layouts of the national table templates, and the header words of each measure.

A table is read against the layouts declared for its `table_id`: blocks of key
columns (code, name, line) followed by measure columns. The layout is chosen by
the table's width and by how many of its measures' header words the printed
header contains, so OCR-garbled headers still find their columns, and a table
that fits no layout is rejected rather than guessed. `amount` stands for the
single amount column: `final` in a final account, `budget` in a budget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Canonical measure key -> the header words that print it (a regex, spaces removed).
MEASURE_WORDS: dict[str, str] = {
    "amount": r"决算数|预算数|金额|本年预算|^预算$|^决算$",
    "compiled": r"编制预算",
    "grand_total": r"收入总计|支出总计",
    "total": r"本年收入合计|本年支出合计|合计|小计|总计",
    "fiscal_appropriation": r"财政拨款收入|财政拨款支出|本级财政拨款",
    "higher_level_subsidy": r"上级补助收入",
    "business": r"事业收入",
    "operating": r"经营收入|经营服务收入|经营支出",
    "affiliated_remit": r"附属单位上缴收入",
    "other": r"其他收入|其它收入",
    "basic": r"基本支出",
    "project": r"项目支出|专项业务经费",
    "remit_to_higher": r"上缴上级支出",
    "subsidy_to_affiliated": r"对附属单位补助支出",
    "personnel": r"人员经费|人员支出",
    "public": r"公用经费|公用支出",
    "project_own_funds": r"本级资金项目支出",
    "project_higher_funds": r"上级资金项目支出",
    "fiscal_special_account": r"财政专户管理资金|财政专户管理事业收入|专户资金|财政专户拨款",
    "education_fees": r"教育收费",  # of the 财政专户拨款收入 (Guangdong)
    "other_special_account": r"其他专户收入",
    "unit_funds": r"单位资金",
    "carryover_total": r"上年结转结余|上年结转$",
    "carryover_end_total": r"年终结转结余",
    "unit_reserve": r"单位预留机动经费|预留机动经费",
    "carryover_next_year": r"结转下年资金",
    "carryover_begin": r"年初结转和结余",
    "real_account_balance": r"上年实户资金余额",
    "carryover_end": r"年末结转和结余",
    "income": r"本年收入",
    "general_budget": r"一般公共预算",
    "government_fund": r"政府性基金",
    "state_capital": r"国有资本经营",
    "government_procurement": r"政府采购",
    "government_procurement_reserved_sme": r"预留给?中小企业",
    "government_procurement_reserved_small_micro": r"预留给?(?:小型、?微型|小微)企业",
}


@dataclass(frozen=True)
class Block:
    """One side-by-side block: key columns, then measures (`side` for two-sided tables)."""

    keys: tuple[str, ...]
    measures: tuple[str, ...]
    side: str | None = None
    repeats: bool = False  # economic tables print the same block two or three times


@dataclass(frozen=True)
class Layout:
    blocks: tuple[Block, ...]
    labels: tuple[str, ...] = ()  # printed header of each measure, in order, for measure_label

    @property
    def has_code(self) -> bool:
        return any("code" in block.keys for block in self.blocks)


def _layout(*blocks: Block, labels: tuple[str, ...] = ()) -> Layout:
    return Layout(tuple(blocks), labels)


_CODE_NAME = ("code", "name")
_LINE_SUMMARY = _layout(
    Block(("name", "line"), ("amount",), "income"), Block(("name", "line"), ("amount",), "expenditure"),
)
_SPENDING_FINAL = ("total", "basic", "project")
_SPENDING_BUDGET = ("total", "basic", "personnel", "public", "project", "project_own_funds",
                    "project_higher_funds")
_FUND_FINAL = ("carryover_begin", "income", "total", "basic", "project", "carryover_end")

LAYOUTS: dict[str, tuple[Layout, ...]] = {
    "income_expenditure_summary": (
        _LINE_SUMMARY,
        _layout(Block(("name",), ("amount",), "income"), Block(("name",), ("amount",), "expenditure")),
    ),
    "non_fiscal_appropriation_summary": (_LINE_SUMMARY,),
    "fiscal_appropriation_summary": (
        _layout(Block(("name", "line"), ("amount",), "income"),
                Block(("name", "line"), ("total", "general_budget", "government_fund", "state_capital"),
                      "expenditure")),
        _layout(Block(("name",), ("amount",), "income"),
                Block(("name",), ("total", "general_budget", "government_fund", "state_capital"), "expenditure")),
        _layout(Block(("name",), ("amount",), "income"),
                Block(("name",), ("total", "general_budget", "government_fund"), "expenditure")),
        _layout(Block(("name",), ("amount",), "income"), Block(("name",), ("amount",), "expenditure")),
    ),
    "income": (
        _layout(Block(_CODE_NAME, ("total", "fiscal_appropriation", "higher_level_subsidy", "business",
                                   "operating", "affiliated_remit", "other"))),
        _layout(Block(("name",), ("grand_total", "total", "fiscal_appropriation", "fiscal_special_account",
                                  "unit_funds", "carryover_total", "carryover_fiscal_appropriation",
                                  "carryover_fiscal_special_account", "carryover_unit_funds"))),
    ),
    "expenditure": (
        _layout(Block(_CODE_NAME, ("total", "basic", "project", "remit_to_higher", "operating",
                                   "subsidy_to_affiliated"))),
        _layout(Block(("name",), ("grand_total", "total", "fiscal_appropriation", "fiscal_special_account",
                                  "unit_funds", "carryover_end_total", "carryover_end_fiscal_appropriation",
                                  "carryover_end_fiscal_special_account", "carryover_end_unit_funds"))),
    ),
    "general_budget_expenditure": (
        _layout(Block(_CODE_NAME, _SPENDING_FINAL)),
        _layout(Block(_CODE_NAME, _SPENDING_BUDGET)),
    ),
    "general_budget_project_expenditure": (
        _layout(Block(_CODE_NAME, ("income", "total"))),
        _layout(Block(_CODE_NAME, _SPENDING_FINAL)),
    ),
    "general_budget_basic_expenditure": (
        _layout(Block(_CODE_NAME, ("amount",), repeats=True)),
        _layout(Block(_CODE_NAME, ("total", "personnel", "public"))),
    ),
    "admin_operating_costs": (_layout(Block(_CODE_NAME, ("amount",))),),
    "fiscal_appropriation_basic_expenditure": (_layout(Block(_CODE_NAME, ("amount",))),),
    "government_fund": (
        _layout(Block(_CODE_NAME, _FUND_FINAL)),
        _layout(Block(_CODE_NAME, _SPENDING_BUDGET)),
        _layout(Block(_CODE_NAME, _SPENDING_FINAL)),
    ),
    "state_capital": (
        _layout(Block(_CODE_NAME, _FUND_FINAL)),
        _layout(Block(_CODE_NAME, ("carryover_begin", "income", "total", "carryover_end"))),
        _layout(Block(_CODE_NAME, _SPENDING_FINAL)),
        _layout(Block(_CODE_NAME, _SPENDING_BUDGET)),
    ),
    "transfer_payments": (
        _layout(Block(("code", "name", "region"), ("total", "general_budget", "government_fund",
                                                   "state_capital"))),
    ),
    "fiscal_appropriation_expenditure_detail": (
        _layout(Block(("code", "name", "line"), (
            "total", "general_budget_total", "general_budget_basic", "general_budget_project",
            "government_fund_total", "government_fund_basic", "government_fund_project",
            "state_capital_total", "state_capital_basic", "state_capital_project"))),
    ),
}

# Derived keys whose header words are those of their parts (`carryover_fiscal_appropriation`
# prints 上年结转结余 / 财政拨款收入).
_PARTS = re.compile(r"^(carryover_end|carryover|general_budget|government_fund|state_capital)_(.+)$")


def words_of(measure: str) -> str | None:
    """The header-word pattern of a measure key, composed for derived keys."""
    if measure in MEASURE_WORDS:
        return MEASURE_WORDS[measure]
    match = _PARTS.match(measure)
    return words_of(match.group(2)) if match else None


# ------------------------------------------------------------- "三公" 经费

THREE_PUBLIC_ITEMS: tuple[tuple[str, str], ...] = (
    ("total", r"合计|小计|三公.?经费$"),
    ("overseas_travel", r"因公出国"),
    ("vehicle_total", r"公务用车购置及运行"),
    ("vehicle_purchase", r"公务用车购置费?$|车购置费"),
    ("vehicle_operation", r"运行维护费|公务用车运行"),
    ("reception", r"公务接待"),
)
"""The items of the “三公” table in the national template's column order."""

THREE_PUBLIC_PHASES: tuple[tuple[str, str], ...] = (
    ("general_budget", r"其中[:：]?一般公共预算(?:财政拨款)?"),
    ("government_fund", r"其中[:：]?政府性基金(?:预算)?(?:财政拨款)?"),
    ("budget", r"预算数|预算支出|预算"),
    ("final", r"决算数|决算"),
    ("change_pct", r"变化率|增减率|增长率"),
    ("change", r"变化额|增减额|增减变化(?!率)"),
    ("carryover", r"上年结转"),
)
"""Column groups of the “三公” table; `其中:…` groups are sub-columns of the final account."""

THREE_PUBLIC_FUNDS: tuple[tuple[str, str], ...] = (
    ("general_budget", r"一般公共预算(?:拨款)?"),
    ("government_fund", r"政府性基金(?:预算)?(?:拨款)?"),
    ("state_capital", r"国有资本经营(?:预算)?(?:拨款)?"),
)
"""Fund columns of a “三公” table that splits each item by source (`<phase>_<fund>_<item>`; 合计 is `<phase>`)."""

THREE_PUBLIC_FUND_PHASES = ("budget", "final", "prior_budget", "change")
THREE_PUBLIC_GROUPS: tuple[str, ...] = (
    *(key for key, _ in THREE_PUBLIC_PHASES), "prior_budget",
    *(f"{phase}_{fund}" for phase in THREE_PUBLIC_FUND_PHASES for fund, _ in THREE_PUBLIC_FUNDS))
"""Every group a “三公” measure can have (`<group>_<item>`): the one list the parser, the checks and the suites
share, so a group the parser emits is one the contract allows."""
