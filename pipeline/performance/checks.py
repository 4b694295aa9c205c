"""The checks of a performance sheet, as `reconciliation` rows (table_id `performance`).

Σ indicator weights (+ the funds weight) = the total weight; Σ scores (+ the
funds score) = the total score; 0 ≤ score ≤ weight; execution rate =
executed / full-year budget. A failure that is the bureau's own arithmetic
stays a failure, with both numbers.
"""

from __future__ import annotations

from decimal import Decimal

from pipeline.model import OcrConfidence
from pipeline.performance.sheets import SheetResult
from pipeline.readers.ocr import OCR_SURE, token_confidence
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
        digit = min(rate.as_tuple().exponent, 0)  # the rate's last printed digit
        computed = (executed / budget * 100).quantize(Decimal(1).scaleb(min(digit, -2)))
        # printed to the hundredth or finer: one unit of its last digit (the bureau may cut rather than round,
        # and a rate printed finer claims as much: `83.165`, an OCR misreading of 83.16%, fails against 83.160);
        # printed coarser, half a unit: `86%` is any rate from 85.5% to 86.5%
        allowed = Decimal(1).scaleb(digit) if digit <= -2 else Decimal(5).scaleb(digit - 1)
        rows.append(_row(doc_id, "execution_rate", f"{name}: 执行率 = 全年执行数 / 全年预算数", computed, rate,
                         allowed, printed_at=at))
    return rows


# The check that confirms each figure of a sheet when it holds.
_CONFIRMED_BY = {"weight": "weight_sum", "total_weight": "weight_sum", "funds_weight": "weight_sum",
                 "score": "score_sum", "total_score": "score_sum", "funds_score": "score_sum",
                 "budget_full_year": "execution_rate", "executed": "execution_rate", "execution_rate": "execution_rate"}


def confirmed_sheet_checks(sheet: SheetResult, doc_id: str, confidence: OcrConfidence) -> list[dict]:
    """The sheet's checks, after each figure OCR was unsure of (below `OCR_SURE`) that no holding check uses has
    gone to rejects with its reading: an uncertain figure is confirmed by the sheet's arithmetic or not kept."""
    checks = sheet_checks(sheet, doc_id)
    if not confidence:
        return checks
    held = {check["check"] for check in checks if check["passed"]}  # one sheet: its sums and its rate
    doubted = False
    for row in (sheet.project, *sheet.indicators):
        for key, check in _CONFIRMED_BY.items():
            value = row.get(key)
            if value is None or check in held:
                continue
            sure = token_confidence(confidence, row["source_page"], str(value))  # as printed: Decimal keeps it
            if sure is not None and sure < OCR_SURE:
                row[key], doubted = None, True
                sheet.rejects.append({"doc_id": doc_id, "stage": "performance", "source_line": row["source_line"],
                                      "source_page": row["source_page"], "raw_text": str(value),
                                      "reason": f"{key} read by OCR as {value} with confidence {sure:.2f}, below "
                                                f"{OCR_SURE}, and no check of the sheet confirms it"})
    return sheet_checks(sheet, doc_id) if doubted else checks
