"""Coverage audit: every figure printed in a recognised fiscal table is a fact or a reject.

It re-reads the grids independently of the parser and lists any figure that
ended in neither table, so a parser gap shows as a reject instead of a silent
loss.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.fiscal.tables import classify
from pipeline.model import Document
from pipeline.normalize import parse_number
from pipeline.readers.grid import CODE

_SMALL_INTEGER = re.compile(r"^\d{1,3}$")  # 行次 and column numbers
UNACCOUNTED = "figure in a recognised table that the fiscal parser did not account for; please report it with this file"


@lru_cache(maxsize=1 << 16)
def is_figure(token: str) -> bool:
    """A printed amount (well-formed or not); codes and small integers (行次, 栏次) are not figures."""
    if not re.search(r"\d", token) or CODE.match(token) or _SMALL_INTEGER.match(token):
        return False
    if not re.fullmatch(r"[\d.,\s()%/\-−]+", token):
        return False  # words, or OCR noise with letters: not a printed amount
    kind = parse_number(token).kind
    if kind == "invalid" and not re.search(r"[.,%\s]", token):
        return False  # no separator and not a number: a misread code such as `2000/02`
    return kind in ("number", "invalid")


def unaccounted_figures(document: Document, facts: list[dict], rejects: list[dict], doc_id: str) -> list[dict]:
    """Rejects for the figures of recognised tables that are neither a fact nor a reject.

    Figures are counted per printed line, so a line printing `3,079.77` twice
    needs two facts (or rejects) of it; a reject of the whole row covers it all.
    """
    printed: dict[int | None, dict[str, int]] = {}  # per line: how many facts or rejects of each text
    whole_rows: set[tuple[int | None, str]] = set()
    for row in (*facts, *rejects):
        raw = row["raw_text"] or ""
        counts = printed.get(row["source_line"])
        if counts is None:
            counts = printed[row["source_line"]] = {}
        counts[raw] = counts.get(raw, 0) + 1
        if " " in raw:
            for part in raw.split():
                counts[part] = counts.get(part, 0) + 1
        whole_rows.add((row["source_line"], raw))
    missing = []
    for table in document.tables:
        if classify(table) is None:
            continue
        for row in table.body:
            if (row.source_line, row.raw) in whole_rows:
                continue
            left = printed.get(row.source_line, {})
            for token in (cell.strip() for cell in row.cells):
                if not is_figure(token):
                    continue
                if left.get(token, 0) > 0:
                    left[token] -= 1
                    continue
                missing.append({"doc_id": doc_id, "stage": "audit", "source_line": row.source_line,
                                "source_page": row.source_page, "raw_text": token, "reason": UNACCOUNTED})
    return missing


def figures_in_tables(document: Document) -> int:
    """How many figures the recognised tables print: what `unaccounted_figures` measures against."""
    return sum(is_figure(cell.strip()) for table in document.tables if classify(table) is not None
               for row in table.body for cell in row.cells)
