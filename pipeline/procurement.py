"""Government procurement (政府采购) figures, from the procurement table and from the narrative.

The table is read by category words, whether categories are its rows
(政府采购支出情况表: 合计 | 货物 | 工程 | 服务 | 授予中小企业 | 其中:授予小微企业) or
its columns (政府采购预算表: 合计 | 货物类 | 工程类 | 服务类). The narrative is read
on whole paragraphs (a paragraph cut by a page break is joined first) with
patterns tolerant of the provinces' wording. Where both state a category the
table row is kept and the two are compared in `reconciliation`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from pipeline.model import Document, Paragraph, Table, where
from pipeline.normalize import parse_number
from pipeline.reconcile import check_row

CATEGORIES = ("total", "goods", "works", "services", "sme_awarded", "small_micro_awarded")
UNIT_YUAN = {"万元": Decimal(10000), "元": Decimal(1)}
PROCUREMENT_TITLE = re.compile(r"政府采购")

# Category -> words naming it in a table row or column (most specific first).
TABLE_WORDS: tuple[tuple[str, str], ...] = (
    ("small_micro_awarded", r"小微企业"), ("sme_awarded", r"中小企业"), ("goods", r"货物"),
    ("works", r"工程"), ("services", r"服务"), ("total", r"合计|总额|总计|政府采购(支出|预算)$"),
)

_AMOUNT = r"(?P<amount>\d[\d,，]*(?:\.\d+)?)\s*(?P<unit>万元|元)"
_SHARE = r"(?:[,，、]?\s*占(?P<base>[^。;；%\d]{0,30}?)(?P<share>\d+(?:\.\d+)?)\s*[%％])?"
# Category -> the words before its amount in running text; `(?:为|是)?` and spaces are allowed between.
TEXT_WORDS: tuple[tuple[str, str], ...] = (
    ("total", r"政府采购(?:支出|预算)?(?:总额|合计|总计|总金额)"),
    ("goods", r"(?:政府采购货物(?:类)?(?:支出)?|货物类?政府采购(?:支出)?|货物类?采购(?:支出)?)"),
    ("works", r"(?:政府采购工程(?:类)?(?:支出)?|工程类?政府采购(?:支出)?|工程类?采购(?:支出)?)"),
    ("services", r"(?:政府采购服务(?:类)?(?:支出)?|服务类?政府采购(?:支出)?|服务类?采购(?:支出)?)"),
    ("sme_awarded", r"授予中小企业(?:的)?合同(?:金额)?"),
    ("small_micro_awarded", r"授予小微企业(?:的)?合同(?:金额)?"),
)
_TEXT = {category: re.compile(rf"{words}\s*(?:为|是|共计|合计)?\s*{_AMOUNT}{_SHARE}")
         for category, words in TEXT_WORDS}


@dataclass(frozen=True)
class Figure:
    category: str
    amount: Decimal
    unit: str
    share_pct: Decimal | None
    source: str  # table or text
    source_line: int | None
    source_page: int | None
    raw_text: str
    share_of: str = "total"  # the figure the share is of: total, or sme_awarded (`占…授予中小企业合同金额的`)


def figures_in_text(text: str, source_line: int | None = None, source_page: int | None = None) -> list[Figure]:
    """Every procurement figure a paragraph states, the first statement of each category."""
    text = text.replace("，", ",").replace("：", ":").replace("；", ";").replace("％", "%")
    found = []
    for category, pattern in _TEXT.items():
        match = pattern.search(text)
        if match is None:
            continue
        amount = parse_number(match.group("amount").replace("，", ",")).value
        if amount is None:
            continue
        share = Decimal(match.group("share")) if match.group("share") else None
        share_of = "sme_awarded" if "中小企业" in (match.group("base") or "") else "total"
        found.append(Figure(category, amount, match.group("unit"), share, "text", source_line, source_page,
                            match.group(0), share_of))
    return found


def narrative_figures(document: Document) -> list[Figure]:
    """The figures of the first paragraph (joined over page breaks) that states a procurement total."""
    paragraphs = [b for b in document.blocks if isinstance(b, Paragraph)]
    for index, paragraph in enumerate(paragraphs):
        if "政府采购" not in paragraph.text:
            continue
        text = paragraph.text
        following = index + 1
        while not re.search(r"[。.;；]$", text) and following < len(paragraphs) and following - index <= 3:
            text += paragraphs[following].text  # cut by a page break
            following += 1
        figures = figures_in_text(text, paragraph.source_line, paragraph.source_page)
        if any(f.category == "total" for f in figures):
            return figures
    return []


def _category(label: str) -> str | None:
    label = re.sub(r"\s+", "", label)
    return next((c for c, words in TABLE_WORDS if re.search(words, label)), None)


def table_figures(table: Table) -> list[Figure]:
    """The figures of a procurement table, its categories in rows or in columns."""
    unit = table.unit or "万元"
    rows = [r for r in table.body if r.non_empty()]
    by_row = [(row, _category(row.cells[0]) if row.cells else None) for row in rows]
    figures: list[Figure] = []
    if sum(1 for _, c in by_row if c) >= 3:
        for row, category in by_row:
            if category is None or any(f.category == category for f in figures):
                continue
            amount_cell = row.cells[-1].strip() if len(row.cells) > 1 else ""
            parsed = parse_number(amount_cell)
            if parsed.kind in ("blank", "dash"):
                figures.append(Figure(category, Decimal(0), unit, None, "table", row.source_line, row.source_page, ""))
            elif parsed.kind == "number":
                figures.append(Figure(category, parsed.value, unit, None, "table", row.source_line, row.source_page,
                                      amount_cell))
        return figures
    header = table.header[-1].cells if table.header else []
    columns = [(i, _category(cell)) for i, cell in enumerate(header) if i > 0 and _category(cell)]
    total_row = next((r for r in reversed(rows) if r.cells and re.search(r"合计|总计", r.cells[0])),
                     rows[-1] if rows else None)
    if total_row is None:
        return []
    for column, category in columns:
        cell = total_row.cells[column].strip() if column < len(total_row.cells) else ""
        parsed = parse_number(cell)
        if parsed.kind == "number":
            figures.append(Figure(category, parsed.value, unit, None, "table", total_row.source_line,
                                  total_row.source_page, cell))
    return figures


def procurement(document: Document, doc_id: str, context: dict) -> tuple[list[dict], list[dict]]:
    """(procurement rows, text_vs_table checks) of one document."""
    tables = [t for t in document.tables if t.title and PROCUREMENT_TITLE.search(t.title)]
    from_table = {f.category: f for t in tables[:1] for f in table_figures(t)}
    from_text = {f.category: f for f in narrative_figures(document)}
    rows, checks = [], []
    for category in CATEGORIES:
        table_figure, text_figure = from_table.get(category), from_text.get(category)
        figure = table_figure or text_figure
        if figure is None:
            continue
        share = table_figure.share_pct if table_figure else None
        rows.append({**context, "category": category, "amount": figure.amount, "unit": figure.unit,
                     "amount_yuan": figure.amount * UNIT_YUAN[figure.unit],
                     "share_pct": share if share is not None else (text_figure.share_pct if text_figure else None),
                     "source": figure.source, "source_line": figure.source_line, "source_page": figure.source_page})
        if table_figure and text_figure:
            expected = table_figure.amount * UNIT_YUAN[table_figure.unit]
            actual = text_figure.amount * UNIT_YUAN[text_figure.unit]
            tolerance = Decimal("0.005") * UNIT_YUAN[table_figure.unit]
            subject = f"{category}: {text_figure.raw_text} ({where(text_figure.source_line, text_figure.source_page)})"
            checks.append(check_row(doc_id, "procurement", "text_vs_table", subject, expected, actual, tolerance))
    return rows, checks + consistency_checks(doc_id, rows, from_text)


def consistency_checks(doc_id: str, rows: list[dict], from_text: dict[str, Figure]) -> list[dict]:
    """total = goods + works + services; small/micro ≤ SME ≤ total; printed shares = amount / base."""
    yuan = {r["category"]: r["amount_yuan"] for r in rows}
    checks = []

    def check(name: str, subject: str, expected, actual, tolerance: Decimal, relation: str = "=") -> None:
        checks.append(check_row(doc_id, "procurement", name, subject, expected, actual, tolerance, relation))

    if all(c in yuan for c in ("total", "goods", "works", "services")):
        parts = yuan["goods"] + yuan["works"] + yuan["services"]
        allowance = Decimal("0.02") * 10000
        check("column_sum", "total = goods + works + services", parts, yuan["total"], allowance)
    for part, whole in (("small_micro_awarded", "sme_awarded"), ("sme_awarded", "total")):
        if part in yuan and whole in yuan:
            check("part_of_whole", f"{part} ≤ {whole}", yuan[whole], yuan[part], Decimal(0), "<=")
    for category, figure in from_text.items():
        base = yuan.get(figure.share_of)
        if figure.share_pct is None or category not in yuan or not base:
            continue
        computed = yuan[category] / base * 100
        digits = -figure.share_pct.as_tuple().exponent
        allowance = Decimal(5) / Decimal(10) ** (digits + 1) + Decimal("0.01")
        check("share", f"{category} share of {figure.share_of}: {figure.raw_text}", computed.quantize(Decimal("0.0001")),
              figure.share_pct, allowance)
    return checks
