"""The `reconciliation` table: every accounting identity of a report, checked and recorded.

Rules are data (see `../shared/identities.md`): sums inside a table come from
`pipeline.fiscal.identities`; balances, cross-table equalities and figures
restated in the narrative are declared below. Each rule is run by one engine
and every outcome is recorded: passed, failed with both numbers, or not
applicable (`passed` null) when a figure it needs is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from pipeline.fiscal.facts import CheckedTable, measure_key
from pipeline.fiscal.repair import tolerance
from pipeline.model import Document, Heading, Paragraph, where
from pipeline.normalize import parse_number


@dataclass(frozen=True)
class Figure:
    """One figure of the fiscal facts: table, side, row (code or name) and measure."""

    table_id: str
    side: str | None
    row: str  # item code or name; alternatives split by `|`; a prefix ends in `…`
    measure: str  # canonical measure; `amount` is final/budget by report kind


@dataclass(frozen=True)
class Rule:
    check: str
    subject: str
    total: Figure
    parts: tuple[Figure, ...]
    relation: str = "="  # "=" or ">=" (part ≤ whole: T7 covers more funds than T6)
    kinds: tuple[str, ...] = ("final_account", "budget")
    only_general_budget: bool = False  # holds only for a report with no government-fund or state-capital money


T1, T2, T3, T4, T5, T6, T7 = ("income_expenditure_summary", "income", "expenditure", "fiscal_appropriation_summary",
                              "general_budget_expenditure", "general_budget_basic_expenditure", "three_public")
NF = "non_fiscal_appropriation_summary"

RULES: tuple[Rule, ...] = (
    *(Rule("summary_balance", "收入总计 = 支出总计", Figure(t, "income", "总计|收入总计|收入合计", "amount"),
           (Figure(t, "expenditure", "总计|支出总计|支出合计", m),))
      for t, m in ((T1, "amount"), (NF, "amount"), (T4, "total"))),
    Rule("summary_balance", "收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余",
         Figure(T1, "income", "总计", "amount"),
         (Figure(T1, "income", "本年收入合计", "amount"), Figure(T1, "income", "使用非财政拨款结余…", "amount"),
          Figure(T1, "income", "年初结转和结余", "amount"))),
    Rule("summary_balance", "支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余",
         Figure(T1, "expenditure", "总计", "amount"),
         (Figure(T1, "expenditure", "本年支出合计", "amount"), Figure(T1, "expenditure", "结余分配", "amount"),
          Figure(T1, "expenditure", "年末结转和结余", "amount"))),
    Rule("summary_balance", "本年收入 = 本年支出", Figure(T1, "income", "本年收入", "amount"),
         (Figure(T1, "expenditure", "本年支出", "amount"),), kinds=("budget",)),
    Rule("cross_table", "T1 本年收入合计 = T2 合计", Figure(T1, "income", "本年收入合计|本年收入", "amount"),
         (Figure(T2, None, "合计", "total"),)),
    Rule("cross_table", "T1 本年支出合计 = T3 合计", Figure(T1, "expenditure", "本年支出合计|本年支出", "amount"),
         (Figure(T3, None, "合计", "total"),)),
    Rule("cross_table", "T2 财政拨款收入 合计 = T4 本年收入合计", Figure(T4, "income", "本年收入合计|本年收入", "amount"),
         (Figure(T2, None, "合计", "fiscal_appropriation"),)),
    Rule("cross_table", "T4 一般公共预算 本年支出合计 = T5 合计", Figure(T4, "expenditure", "本年支出合计", "general_budget"),
         (Figure(T5, None, "合计", "total"),), kinds=("final_account",)),
    Rule("cross_table", "T4 本年支出 = T5 合计 (no government-fund money)", Figure(T4, "expenditure", "本年支出", "amount"),
         (Figure(T5, None, "合计", "total"),), kinds=("budget",), only_general_budget=True),
    # Equal where all income is fiscal money; a budget whose T1 also counts 单位资金 or 事业收入 (Shenzhen) prints
    # a larger T1, so the rule is part ≤ whole, as T4 is the fiscal part of T1.
    Rule("cross_table", "T1 总计 ≥ T4 总计", Figure(T1, "income", "收入总计|总计", "amount"),
         (Figure(T4, "income", "收入总计|总计", "amount"),), relation=">=", kinds=("budget",)),
    Rule("cross_table", "T5 合计 基本支出 = T6 人员经费合计 + 公用经费合计", Figure(T5, None, "合计", "basic"),
         (Figure(T6, None, "人员经费…", "amount"), Figure(T6, None, "公用经费合计", "amount")),
         kinds=("final_account",)),
    Rule("cross_table", "T5 合计 基本支出 = T6 合计", Figure(T5, None, "合计", "basic"),
         (Figure(T6, None, "合计", "total"),), kinds=("budget",)),
    Rule("cross_table", "T7 公务接待费 ≥ T6 30217 公务接待费", Figure(T7, None, "", "final_reception"),
         (Figure(T6, None, "30217", "amount"),), relation=">=", kinds=("final_account",)),
    Rule("cross_table", "T7 公务用车运行维护费 ≥ T6 30231", Figure(T7, None, "", "final_vehicle_operation"),
         (Figure(T6, None, "30231", "amount"),), relation=">=", kinds=("final_account",)),
)


@dataclass(frozen=True)
class TextFigure:
    """A total the narrative restates: the words before the amount, and the table figure it must equal."""

    words: str
    figure: Figure
    section: str | None = None  # the section heading must (or, with `!`, must not) contain this
    fallback: Figure | None = None  # where budgets print it (their T3 has no 基本支出 column)

    @cached_property
    def pattern(self) -> re.Pattern:
        return re.compile(self.words + _AMOUNT)


_AMOUNT = r"(?:为|共计|合计|均为)?\s*([\d,]+(?:\.\d+)?)\s*万元"
TEXT_FIGURES: tuple[TextFigure, ...] = (
    TextFigure(r"(?<!财政拨款)收入、支出总计", Figure(T1, "income", "总计", "amount")),
    TextFigure(r"本年收入合计", Figure(T1, "income", "本年收入合计", "amount"), "!非财政拨款"),
    TextFigure(r"本年支出合计", Figure(T1, "expenditure", "本年支出合计", "amount"), "!非财政拨款"),
    TextFigure(r"本年收入合计", Figure(NF, "income", "本年收入合计", "amount"), "非财政拨款"),
    TextFigure(r"本年支出合计", Figure(NF, "expenditure", "本年支出合计", "amount"), "非财政拨款"),
    TextFigure(r"其中[:：]基本支出", Figure(T3, None, "合计", "basic"), fallback=Figure(T5, None, "合计", "basic")),
    TextFigure(r"[;；]项目支出", Figure(T3, None, "合计", "project"), "!一般公共预算"),
    TextFigure(r"财政拨款收入、支出总计", Figure(T4, "income", "总计", "amount")),
    TextFigure(r"年度一般公共预算财政拨款支出(?:决算)?", Figure(T5, None, "合计", "total")),
    TextFigure(r"人员经费", Figure(T6, None, "人员经费…", "amount"), "基本支出"),
    TextFigure(r"公用经费", Figure(T6, None, "公用经费合计", "amount"), "基本支出"),
    TextFigure(r"三公”?经费财政拨款支出预算", Figure(T7, None, "", "budget_total")),
    TextFigure(r"三公”?经费财政拨款支出预算为[\d,.]+万元,支出决算", Figure(T7, None, "", "final_total")),
    TextFigure(r"机关运行经费支出", Figure("admin_operating_costs", None, "合计", "amount")),
)
# A restated total is checked once per report: the first paragraph that states it. Its key, a small number
# shared by the text figures of one table figure and wording, is quicker to look up than the figure itself.
_FIRST_OF = {}
_TEXT_FIGURE_KEYS = tuple(_FIRST_OF.setdefault((f.figure, f.words), len(_FIRST_OF)) for f in TEXT_FIGURES)


class FactIndex:
    """Look up a figure among a document's facts (the first table of an id wins)."""

    def __init__(self, facts: list[dict], report_kind: str | None):
        self.report_kind = report_kind
        self.rows: dict[tuple, dict] = {}
        first_title: dict[str, str | None] = {}
        for fact in facts:
            title = first_title.setdefault(fact["table_id"], fact["table_title"])
            if fact["table_title"] != title:
                continue
            for row in (fact["item_code"], fact["item_name"]):
                if row is not None:
                    key = (fact["table_id"], fact["side"], row, fact["measure"])
                    self.rows.setdefault(key, fact)
            if fact["item_code"] is None and fact["item_name"] is None:
                self.rows.setdefault((fact["table_id"], fact["side"], "", fact["measure"]), fact)
        self.tables = set(first_title)

    def get(self, figure: Figure) -> dict | None:
        """The fact of a figure; `row` may list alternatives (`本年收入合计|本年收入`) or end in `…` (prefix)."""
        measure = measure_key(figure.measure, self.report_kind)
        for wanted in figure.row.split("|"):
            if wanted.endswith("…"):
                found = next((f for (t, s, row, m), f in self.rows.items()
                              if t == figure.table_id and s == figure.side and m == measure
                              and row.startswith(wanted[:-1])), None)
            else:
                found = self.rows.get((figure.table_id, figure.side, wanted, measure))
            if found is not None:
                return found
        return None


def reconcile(doc_id: str, report_kind: str | None, checked: list[CheckedTable], facts: list[dict],
              document: Document) -> list[dict]:
    """Every check of one document, passed or not."""
    rows = []
    for table in checked:
        rows += _table_checks(doc_id, table)
    index = FactIndex(facts, report_kind)
    for rule in RULES:
        if report_kind in rule.kinds:
            rows += _rule_check(doc_id, rule, index)
    rows += _function_line_checks(doc_id, facts, report_kind, _other_funds(index))
    rows += _text_checks(doc_id, document, index)
    return rows


# A summary table's expenditure lines are the 类 of a detail table: (summary, its measure, detail, measure).
FUNCTION_LINES = ((T1, "amount", T3, "total"), (T4, "general_budget", T5, "total"), (T4, "amount", T5, "total"))


# The fiscal money other than the general budget, as T4 prints it: income lines or expenditure columns.
OTHER_FUNDS = (Figure(T4, "income", "政府性基金…", "amount"), Figure(T4, "income", "国有资本经营…", "amount"),
               Figure(T4, "expenditure", "本年支出合计|本年支出", "government_fund"),
               Figure(T4, "expenditure", "本年支出合计|本年支出", "state_capital"))


def _other_funds(index: FactIndex) -> bool:
    """The report has government-fund or state-capital money: T4's all-funds figures exceed T5's."""
    return any((fact := index.get(figure)) is not None and fact["amount"] for figure in OTHER_FUNDS)


def _function_line_checks(doc_id: str, facts: list[dict], report_kind: str | None, other_funds: bool) -> list[dict]:
    """Each function line of T1 (T4) equals the 类 total of the same function in T3 (T5); a T4 line of all
    fiscal funds only where the report has no fiscal money but the general budget."""
    rows = []
    first_title = {}
    for fact in facts:
        first_title.setdefault(fact["table_id"], fact["table_title"])
    for summary, summary_measure, detail, detail_measure in FUNCTION_LINES:
        if other_funds and (summary, summary_measure) == (T4, "amount"):
            continue
        classes = {f["item_name"]: f for f in facts if f["table_id"] == detail and f["item_level"] == 1
                   and f["table_title"] == first_title[detail]
                   and f["measure"] == measure_key(detail_measure, report_kind)}
        for line in facts:
            if (line["table_id"] == summary and line["side"] == "expenditure"
                    and line["measure"] == measure_key(summary_measure, report_kind)
                    and line["item_name"] in classes):
                rows.append(_row(doc_id, summary, "cross_table",
                                 f"{line['item_name']}: {summary} line = {detail} 类 total",
                                 classes[line["item_name"]]["amount"], line["amount"], 1, printed_at=_at(line),
                                 figures=(classes[line["item_name"]]["amount"], line["amount"])))
    return rows


def check_row(doc_id: str, table_id: str, check: str, subject: str, expected, actual, allowed: Decimal,
              relation: str = "=", note: str | None = None, printed_at: tuple = (None, None)) -> dict:
    """One `reconciliation` row: `actual` against `expected` within `allowed`; `printed_at` is the line and
    page of the printed figure checked, so that a failing identity can be looked up on its page.

    `relation` is `=`, `>=` (the printed figure may exceed: part ≤ whole seen
    from the whole) or `<=` (the printed figure may fall short). A missing
    figure makes the check not applicable (`passed` null), never passed.
    """
    source = {"source_line": printed_at[0], "source_page": printed_at[1]}
    if expected is None or actual is None:
        return {"doc_id": doc_id, "table_id": table_id, "check": check, "subject": subject,
                "expected": expected, "actual": actual, "difference": None, "tolerance": None,
                "passed": None, "note": note or "not applicable: a figure it needs is missing", **source}
    difference = actual - expected
    if relation == ">=":
        passed = difference >= -allowed
    elif relation == "<=":
        passed = difference <= allowed
    else:
        passed = abs(difference) <= allowed
    if note is None:
        exact = difference == 0 or (relation == ">=" and difference > 0) or (relation == "<=" and difference < 0)
        note = "" if exact else "within rounding allowance" if passed else "differs beyond the rounding allowance"
    return {"doc_id": doc_id, "table_id": table_id, "check": check, "subject": subject, "expected": expected,
            "actual": actual, "difference": difference, "tolerance": allowed, "passed": passed, "note": note,
            **source}


def _row(doc_id, table_id, check, subject, expected, actual, n_parts, relation="=", note=None,
         printed_at=(None, None), figures=()) -> dict:
    """A check within the rounding allowance of its `figures` as printed (the total and its parts)."""
    return check_row(doc_id, table_id, check, subject, expected, actual, tolerance(n_parts, figures), relation,
                     note, printed_at)


def _at(fact: dict | None) -> tuple:
    return (fact["source_line"], fact["source_page"]) if fact else (None, None)


def _label(entry) -> str:
    return entry.code or entry.name or (f"行次{entry.line_no}" if entry.line_no else "")


def _table_checks(doc_id: str, table: CheckedTable) -> list[dict]:
    parsed, values = table.parsed, table.values
    rows = []
    for identity in table.identities:
        entry = parsed.entries[identity.total[0]]
        subject = f"{_label(entry)}: {identity.subject}" if identity.check == "column_sum" else identity.subject
        parts = [values.get(p) for p in identity.parts]
        total = values.get(identity.total)
        expected = sum(p.value for p in parts) if all(parts) else None
        printed = entry.rows[0] if entry.rows else None
        rows.append(_row(doc_id, parsed.table_id, identity.check, subject, expected,
                         total.value if total else None, len(parts), identity.relation,
                         printed_at=(printed.source_line, printed.source_page) if printed else (None, None),
                         figures=tuple(p.value for p in (total, *parts) if p)))
    return rows


def _rule_check(doc_id: str, rule: Rule, index: FactIndex) -> list[dict]:
    if rule.only_general_budget and _other_funds(index):
        return []  # T4 counts government-fund or state-capital money that T5 does not
    total = index.get(rule.total)
    parts = [index.get(p) for p in rule.parts]
    if total is None and not any(parts):
        return []  # neither table is in this report
    expected = sum(p["amount"] for p in parts) if all(parts) else None
    return [_row(doc_id, rule.total.table_id, rule.check, rule.subject, expected,
                 total["amount"] if total else None, len(parts), rule.relation, printed_at=_at(total),
                 figures=tuple(f["amount"] for f in (total, *parts) if f))]


def _text_checks(doc_id: str, document: Document, index: FactIndex) -> list[dict]:
    rows = []
    section = ""
    done: set[int] = set()
    for block in document.texts:
        if isinstance(block, Heading):
            section = block.text
            continue
        if not isinstance(block, Paragraph):
            continue
        text = block.text.replace(" ", "")
        if "万元" not in text:
            continue  # every restated total is in 万元
        for figure, key in zip(TEXT_FIGURES, _TEXT_FIGURE_KEYS):
            if figure.section and (figure.section.startswith("!") == (figure.section.lstrip("!") in section)):
                continue
            if key in done:
                continue
            match = figure.pattern.search(text)
            if match is None:
                continue
            done.add(key)
            stated = parse_number(match.group(1)).value
            target = figure.figure
            fact = index.get(target)
            if fact is None and figure.fallback is not None:
                target, fact = figure.fallback, index.get(figure.fallback)
            if fact is None and target.table_id not in index.tables:
                continue
            subject = f"{match.group(0)} ({where(block.source_line, block.source_page)})"
            rows.append(_row(doc_id, target.table_id, "text_vs_table", subject,
                             fact["amount"] if fact else None, stated, 0,
                             printed_at=(block.source_line, block.source_page)))
    return rows


def summarize(rows: list[dict]) -> dict[str, int]:
    passed = sum(r["passed"] is True for r in rows)
    failed = sum(r["passed"] is False for r in rows)
    return {"checks": len(rows), "passed": passed, "failed": failed, "not_applicable": len(rows) - passed - failed}


def documents_below(checks, min_rate: float) -> dict[str, float]:
    """The documents whose applicable checks (an Arrow table of `doc_id`, `passed`) pass at less than `min_rate`."""
    import pyarrow.compute as pc  # here, not above: parsing a report needs no Arrow

    applicable = checks.filter(pc.is_valid(checks["passed"]))
    counts = applicable.group_by("doc_id").aggregate([("passed", "count"), ("passed", "sum")])
    rates = {row["doc_id"]: row["passed_sum"] / row["passed_count"] for row in counts.to_pylist()}
    return {doc: round(rate, 3) for doc, rate in sorted(rates.items()) if rate < min_rate}
