"""A document's standard fiscal tables into `fiscal_facts` rows, rejects and checkable tables.

For each recognised table: read its entries against the template layouts,
merge OCR twin rows, repair fragment names from the document's own other
tables, decide between twin readings by the table's sums, and emit one fact
per measure cell. Every printed cell of a measure column ends as a fact or a
reject.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.fiscal.cross_tab import parse_cross_tab
from pipeline.fiscal.identities import Identity, column_identities, hierarchy_identities
from pipeline.fiscal.parse import Cell, Entry, ParsedTable, parse_table, reject
from pipeline.fiscal.repair import (Reading, canonical_names, merge_twins, readings, repair_name,
                                    repair_total_label, solve, tolerance)
from pipeline.fiscal.tables import classify
from pipeline.fiscal.three_public import parse_three_public
from pipeline.model import Document, OcrConfidence, Row, where
from pipeline.readers.ocr import OCR_SURE, published_confidence, token_confidence
from pipeline.schema import NATURAL_KEYS

UNIT_YUAN = {"万元": Decimal(10000), "千元": Decimal(1000), "元": Decimal(1)}
ONE_CENT = Decimal("0.01")
LINE_TABLES = {"income_expenditure_summary", "fiscal_appropriation_summary", "non_fiscal_appropriation_summary"}
_CLASSIFICATION = {"2": "function", "3": "economic_dept", "5": "economic_gov"}


@dataclass
class CheckedTable:
    """A parsed table with its decided cell values, for the within-table checks."""

    parsed: ParsedTable
    values: dict[tuple[int, int], Reading]
    identities: list[Identity] = field(default_factory=list)


@dataclass
class FiscalResult:
    facts: list[dict]
    rejects: list[dict]
    tables: list[CheckedTable]


def fiscal_facts(document: Document, doc_id: str, report_kind: str | None) -> FiscalResult:
    """Every cell of every standard fiscal table of `document`, as fact rows and rejects."""
    delimited = document.source_format != "text_layout"
    parsed_tables, rejects = _parse_tables(document, delimited, doc_id)
    codes_per_table = Counter(code for p in parsed_tables for code in {e.code for e in p.entries if e.code})
    shared = {code for code, tables in codes_per_table.items() if tables > 1}
    for parsed in parsed_tables if document.source_format != "pdf" else ():  # a PDF's text layer prints
        parsed.entries = merge_twins(parsed.entries, shared)  # each row once: no OCR twins (a code printed
        # again is another row: the next unit's section of a table listed by unit)
    canonical = canonical_names([p.entries for p in parsed_tables])
    for parsed in parsed_tables:
        for entry in parsed.entries:
            repair_name(entry, canonical) or repair_total_label(entry)

    facts: list[dict] = []
    checked: list[CheckedTable] = []
    default_unit = _default_unit(document)
    for parsed in parsed_tables:
        table_checked, table_rejects = _decide(parsed, delimited, doc_id, document.ocr_confidence)
        rejects += table_rejects
        checked.append(table_checked)
        facts += _facts(table_checked, report_kind, parsed.table.unit or default_unit, document.ocr_confidence)
    facts, twice = one_fact_per_key(facts, doc_id)
    return FiscalResult(facts, rejects + twice, checked)


_KEY = [name for name in NATURAL_KEYS["fiscal_facts"] if name != "doc_id"]  # one document's facts


def one_fact_per_key(facts: list[dict], doc_id: str) -> tuple[list[dict], list[dict]]:
    """The facts with no two of one natural key, and rejects for the others.

    Two cells the key cannot tell apart mean a row or column read twice: the
    same figure twice keeps its first reading; different figures are all
    rejected, each with the others, since which belongs to the key is not known.
    """
    groups: dict[tuple, list[int]] = {}
    for index, fact in enumerate(facts):
        groups.setdefault(tuple(fact[name] for name in _KEY), []).append(index)
    dropped: dict[int, str] = {}
    for key, members in groups.items():
        if len(members) == 1:
            continue
        readings = [facts[i] for i in members]
        same = len({fact["amount"] for fact in readings}) == 1
        printed = ", ".join(f"{fact['raw_text'] or '(blank)'} ({where(fact['source_line'], fact['source_page'])})"
                            for fact in readings)
        label = " ".join(str(v) for v in (readings[0]["table_id"], readings[0]["item_code"],
                                          readings[0]["item_name"], readings[0]["measure"]) if v)
        for i in members[1:] if same else members:
            dropped[i] = (f"{label}: {len(members)} cells read for one row and column ({printed}): "
                          + ("the same figure twice; the first is kept" if same else "which is which is not known"))
    kept = [fact for index, fact in enumerate(facts) if index not in dropped]
    rejects = [reject(doc_id, Row([], facts[i]["source_line"], facts[i]["source_page"]), reason,
                      raw=facts[i]["raw_text"]) for i, reason in sorted(dropped.items())]
    return kept, rejects


def _parse_tables(document: Document, delimited: bool, doc_id: str) -> tuple[list[ParsedTable], list[dict]]:
    """Every recognised table read into entries; the cross-tab last, as it needs the economic names."""
    parsed_tables: list[ParsedTable] = []
    rejects: list[dict] = []
    tables = [(classify(t), t) for t in document.tables]
    cross_tabs = [t for table_id, t in tables if table_id == "general_budget_expenditure_detail"]
    for table_id, table in tables:
        if table_id is None or table_id == "general_budget_expenditure_detail":
            continue
        if table_id == "three_public":
            parsed = parse_three_public(table, delimited, doc_id)
        else:
            parsed = parse_table(table_id, table, delimited, doc_id)
            if parsed is not None and delimited and parsed.misaligned:
                # Columns that do not line up (a PDF grid that merged cells): read the rows by what each
                # cell holds, as for layout text, and keep that reading if it places every cell.
                by_content = parse_table(table_id, table, False, doc_id, parsed.choice)
                if by_content is not None and not by_content.misaligned and len(by_content.rejects) <= len(
                        parsed.rejects):
                    parsed = by_content
        if parsed is None:
            rejects += _reject_table(table, doc_id, f"{table_id}: no template layout fits this table's columns")
            continue
        rejects += parsed.rejects
        parsed_tables.append(parsed)
    economic_names = {e.name: e.code for p in parsed_tables for e in p.entries
                      if e.code and e.code[0] in "35" and e.name}
    for table in cross_tabs:
        parsed, column_rejects = parse_cross_tab(table, delimited, doc_id, economic_names)
        if parsed is None:
            rejects += column_rejects or _reject_table(
                table, doc_id, "general_budget_expenditure_detail: the header names no columns")
            continue
        rejects += column_rejects + parsed.rejects
        parsed_tables.append(parsed)
    return parsed_tables, rejects


def _reject_table(table, doc_id: str, reason: str) -> list[dict]:
    return [reject(doc_id, row, reason) for row in table.body if any(re.search(r"\d", c) for c in row.cells)]


def _default_unit(document: Document) -> str:
    units = Counter(t.unit for t in document.tables if t.unit)
    return units.most_common(1)[0][0] if units else "万元"


def _decide(parsed: ParsedTable, delimited: bool, doc_id: str,
            ocr_confidence: OcrConfidence | None = None) -> tuple[CheckedTable, list[dict]]:
    """Decide every cell's value; cells no evidence decides and losing readings go to rejects."""
    ocr_confidence = ocr_confidence or {}
    ocr_pages = frozenset(ocr_confidence)
    rejects: list[dict] = []
    rejected: set[int] = set()  # ids of the printed cells already in rejects

    def drop(cell: Cell, reason: str) -> None:
        rejected.add(id(cell))
        rejects.append(reject(doc_id, Row([], cell.source_line, cell.source_page), reason, raw=cell.raw))

    options: dict[tuple[int, int], list[Reading]] = {}
    for e, entry in enumerate(parsed.entries):
        for m in range(len(parsed.measures)):
            found, bad = readings(entry, m, delimited, ocr_pages)
            for cell, reason in bad:
                drop(cell, reason)
            if found:
                options[(e, m)] = found
    has_cell = lambda e, m: (e, m) in options  # noqa: E731 - a tiny predicate
    identities = column_identities(parsed.measures, len(parsed.entries), has_cell)
    identities += hierarchy_identities(parsed.entries, parsed.measures, has_cell)
    for ref in solve(options, identities):
        printed = " / ".join(f"{r.cell.raw} ({where(r.cell.source_line, r.cell.source_page)})" for r in options[ref])
        for reading in options.pop(ref):
            drop(reading.cell, f"OCR twin rows read {printed}; no sum of the table decides between them")
    values = {ref: found[0] for ref, found in options.items()}
    for ref in [r for r, reading in values.items() if reading.value.as_tuple().exponent < -2]:
        reading = values.pop(ref)  # 万元 printed to six decimals: rounding would change the printed figure
        drop(reading.cell, f"printed with more than two decimals ({reading.cell.raw}); amounts are stored to the "
                           "cent of the printed unit, not rounded")
    def confirmed(ref: tuple[int, int], strict: bool = False) -> bool:
        """Whether an identity of the table that holds uses the cell."""
        return any(ref in (i.total, *i.parts) and _holds(i, values, strict) for i in identities)

    for ref in [r for r, reading in values.items() if reading.needs_evidence]:
        if not confirmed(ref, strict=True):
            reading = values.pop(ref)
            drop(reading.cell, ("read only on an OCR ghost row (its twin is malformed)"
                                if id(reading.cell) in parsed.entries[ref[0]].ghost_cells
                                else f"OCR misread its separators; its one reading is {reading.value},")
                 + " and no sum of the table confirms it")
    for ref, reading in list(values.items()):
        sure = token_confidence(ocr_confidence, reading.cell.source_page, reading.cell.raw, reading.cell.row)
        if sure is not None and sure < OCR_SURE and not confirmed(ref):
            values.pop(ref)
            drop(reading.cell, f"OCR read {reading.cell.raw!r} ({reading.value}) with confidence {sure:.2f}, below "
                               f"{OCR_SURE}, and no sum of the table confirms it")
    for (e, m), reading in values.items():
        entry = parsed.entries[e]
        for cell in (entry.alternatives[m] if entry.alternatives else []):
            if cell is not reading.cell and cell.raw and id(cell) not in rejected:
                drop(cell, f"OCR ghost row: reading superseded by {reading.cell.raw!r} of "
                           f"{where(reading.cell.source_line, reading.cell.source_page)}")
    return CheckedTable(parsed, values, identities), rejects


def _holds(identity: Identity, values: dict, strict: bool = False) -> bool:
    """Whether the identity holds; `strict` allows one cent, not the rounding allowance of a long sum.

    A reading found only on a ghost row is confirmed by a sum only if the sum
    leaves no room for another value: with 27 terms the allowance (0.14)
    would accept a misread last digit.
    """
    refs = (identity.total, *identity.parts)
    if not all(r in values for r in refs) or identity.relation != "=":
        return False
    difference = values[identity.total].value - sum(values[p].value for p in identity.parts)
    return abs(difference) <= (ONE_CENT if strict else tolerance(len(identity.parts)))


def _classification(parsed: ParsedTable) -> str | None:
    """The classification of the table's rows that print no code."""
    if parsed.table_id in LINE_TABLES:
        return "line"
    kinds = Counter(_CLASSIFICATION.get(e.code[0]) for e in parsed.entries if e.code)
    return kinds.most_common(1)[0][0] if kinds else None


_LEVEL_OF_LENGTH = {3: 1, 5: 2, 7: 3}


def item_level(code: str | None) -> int | None:
    return _LEVEL_OF_LENGTH.get(len(code)) if code else None


def parent_code(code: str | None) -> str | None:
    return code[:-2] if code and len(code) > 3 else None


def measure_key(measure: str, report_kind: str | None) -> str:
    """`amount` is the single amount column: `budget` in a budget, `final` otherwise (`amount_x` likewise)."""
    phase = "budget" if report_kind == "budget" else "final"
    if measure == "amount":
        return phase
    return phase + measure[len("amount"):] if measure.startswith("amount_") else measure


def _facts(checked: CheckedTable, report_kind: str | None, unit: str, ocr_confidence: OcrConfidence) -> list[dict]:
    parsed = checked.parsed
    table = parsed.table
    rows = []
    uncoded = _classification(parsed)
    measures = [measure_key(measure, report_kind) for measure in parsed.measures]
    to_yuan = UNIT_YUAN.get(unit, Decimal(1))
    sections = _sections(parsed.entries) if parsed.table_id in LINE_TABLES else _unit_sections(parsed.entries)
    by_entry: dict[int, dict] = {}  # the fields every fact of one row shares, made once per row
    for (e, m), reading in sorted(checked.values.items()):
        shared = by_entry.get(e)
        if shared is None:
            entry = parsed.entries[e]
            code = entry.code
            shared = by_entry[e] = {
                "table_id": parsed.table_id,
                "table_title": table.title,
                "table_number": table.table_number,
                "side": entry.side,
                "classification": _CLASSIFICATION.get(code[0]) if code else "unit" if entry.is_unit else uncoded,
                "item_code": code,
                "item_level": item_level(code),
                "parent_code": parent_code(code),
                "item_name": entry.name or None,
                "line_no": entry.line_no,
                "section": sections.get(e),
            }
        measure = measures[m]
        percent = measure.startswith("change_pct")
        cell = reading.cell
        rows.append({
            **shared,
            "measure": measure,
            "measure_label": parsed.labels[m],
            "amount": reading.value,
            "unit": "%" if percent else unit,
            "amount_yuan": None if percent else reading.value * to_yuan,
            "blank_in_source": reading.blank,
            "raw_text": cell.raw,
            "repaired": reading.repaired,
            "source_line": cell.source_line,
            "source_page": cell.source_page,
            "ocr_confidence": published_confidence(ocr_confidence, cell.source_page, cell.raw, cell.row),
        })
    return rows


def _unit_sections(entries: list[Entry]) -> dict[int, str]:
    """In a table by budget unit (预算单位 | 科目编码 | …), the unit each row of codes is printed under; a unit
    printed again (the department, then its own 本级 unit of the same name) is printed under its first row.

    Without this, two units printing the same function code, or a department and its own unit, would be
    one key.
    """
    sections: dict[int, str] = {}
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        if entry.is_unit:
            if entry.name in seen:
                sections[index] = entry.name
            seen.add(entry.name)
        elif entry.unit:
            sections[index] = entry.unit
    return sections


_TOP_LEVEL = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_SUB_LEVEL = re.compile(r"^(?:[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．])")


def _sections(entries: list[Entry]) -> dict[int, str]:
    """The row each row of a summary table is printed under (entry index → its name), side by side.

    A `(一)` or `1、` row belongs to the `一、` heading above it (二、上年结转 / (一)一般公共预算拨款);
    a name the side printed before belongs to the row it follows that is not itself a repeat
    (年初财政拨款结转和结余 / 一般公共预算财政拨款). Without this the two 一般公共预算拨款 rows of one
    page would be one key.
    """
    sections: dict[int, str] = {}
    for side in {entry.side for entry in entries}:
        heading = anchor = None
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            if entry.side != side or not entry.name:
                continue
            printed = entry.name_raw.strip()
            if _TOP_LEVEL.match(printed):
                heading = entry.name
            elif _SUB_LEVEL.match(printed) and heading:
                sections[index] = heading
            elif entry.name in seen and anchor:
                sections[index] = anchor
            if entry.name not in seen and not _SUB_LEVEL.match(printed):
                anchor = entry.name
            seen.add(entry.name)
    return sections
