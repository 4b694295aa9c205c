"""Coverage audit: every figure printed in a recognised fiscal table is a fact or a reject.

It re-reads the grids independently of the parser and lists any figure that
ended in neither table, so a parser gap shows as a reject instead of a silent
loss.
"""

from __future__ import annotations

import re

from pipeline.fiscal.tables import classify
from pipeline.model import Document
from pipeline.normalize import parse_number
from pipeline.readers.grid import CODE

_SMALL_INTEGER = re.compile(r"^\d{1,3}$")  # 行次 and column numbers


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
    """Rejects for the figures of recognised tables that are neither a fact nor a reject."""
    seen: dict[int | None, list[str]] = {}
    for row in (*facts, *rejects):
        seen.setdefault(row["source_line"], []).append(row["raw_text"] or "")
    missing = []
    for table in document.tables:
        if classify(table) is None:
            continue
        for row in table.body:
            texts = seen.get(row.source_line, [])
            for cell in row.cells:
                token = cell.strip()
                if is_figure(token) and not any(token == t or token in t.split() or token in t for t in texts):
                    missing.append({"doc_id": doc_id, "stage": "audit", "source_line": row.source_line,
                                    "source_page": row.source_page, "raw_text": token,
                                    "reason": "figure in a recognised table that the fiscal parser did not "
                                              "account for; please report it with this file"})
    return missing
