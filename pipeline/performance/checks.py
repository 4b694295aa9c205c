"""The checks of a performance sheet, as `reconciliation` rows (table_id `performance`).

Σ indicator weights (+ the funds weight) = the total weight; Σ scores (+ the
funds score) = the total score; 0 ≤ score ≤ weight; execution rate =
executed / full-year budget. A failure that is the bureau's own arithmetic
stays a failure, with both numbers.
"""

from __future__ import annotations

from decimal import Decimal

from pipeline.performance.sheets import SheetResult
from pipeline.reconcile import check_row

TABLE_ID = "performance"
HALF_CENT = Decimal("0.005")


def _row(doc_id: str, check: str, subject: str, expected, actual, allowed: Decimal, note: str = "",
         printed_at: tuple = (None, None)) -> dict:
    return check_row(doc_id, TABLE_ID, check, subject, expected, actual, allowed, note=note or None,
                     printed_at=printed_at)


def sheet_checks(sheet: SheetResult, doc_id: str) -> list[dict]:
    project, indicators = sheet.project, sheet.indicators
    name = project["project_name"] or project["project_id"]
    at = (project["source_line"], project["source_page"])  # the sheet's totals and funds row
    rows = []
    for total_key, part_key, funds_key, label in (("total_weight", "weight", "funds_weight", "分值"),
                                                  ("total_score", "score", "funds_score", "得分")):
        total = project[total_key]
        parts = [i[part_key] for i in indicators]
        if total is None or not parts or any(p is None for p in parts):
            continue
        tolerance = (len(parts) + 2) * HALF_CENT
        summed = sum(parts)
        funds = project[funds_key]
        if funds is not None and abs(summed + funds - total) <= tolerance:
            summed, note = summed + funds, f"Σ indicator {label} + funds {label}"
        else:
            note = f"Σ indicator {label}" if abs(summed - total) <= tolerance else ""
        rows.append(_row(doc_id, f"{part_key}_sum", f"{name}: {label} total", summed, total, tolerance, note, at))
    for indicator in indicators:
        weight, score = indicator["weight"], indicator["score"]
        if weight is not None and score is not None:
            rows.append(check_row(doc_id, TABLE_ID, "score_within_weight", f"{name}: {indicator['indicator']}",
                                  weight, score, Decimal(0), "<=",
                                  None if score <= weight else "score above its weight",
                                  (indicator["source_line"], indicator["source_page"])))
    budget, executed, rate = project["budget_full_year"], project["executed"], project["execution_rate"]
    if budget and executed is not None and rate is not None:
        computed = (executed / budget * 100).quantize(Decimal("0.01"))
        # half a unit of the rate's last printed digit: `86%` is any rate from 85.5% to 86.5%
        allowed = max(Decimal("0.01"), Decimal(5).scaleb(min(rate.as_tuple().exponent, 0) - 1))
        rows.append(_row(doc_id, "execution_rate", f"{name}: 执行率 = 全年执行数 / 全年预算数", computed, rate,
                         allowed, printed_at=at))
    return rows
