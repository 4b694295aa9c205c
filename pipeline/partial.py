"""Why a report is `partial`, in one short line for `documents.partial_reason` and the run's summary.

A report is partial when something of it went to `rejects` or a table its 目录
lists was not read. The line counts the rejects by kind, most first (the
tables not read first of all, by name), e.g. `12 rejects: 9 rows of tables no
layout fits, 3 OCR-noise name fragments`. Each kind is one family of reject
reasons, whatever figures a reason quotes; a reason of no known family is
counted under its own words up to its first colon. The line is English with
the Chinese terms of the report, as the reasons are, and the same for the same
rejects.
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.fiscal.audit import UNACCOUNTED

KINDS_SHOWN = 5  # kinds named; the others are counted together
TITLES_SHOWN = 3  # titles of tables not read named

CONTENTS = "contents"  # the stage of a table the 目录 lists that was not read (pipeline/contents.py)

# (stage, pattern of the reason, one, many): the first that matches names the kind.
KINDS: tuple[tuple[str, str, str, str], ...] = (
    ("read", r"OCR duplicate of", "OCR duplicate of a row's text", "OCR duplicates of a row's text"),
    ("fiscal", r"empty template row", "zero on an empty template row", "zeros on empty template rows"),
    ("fiscal", r"figure printed without its row label", "figure without a row label", "figures without a row label"),
    ("fiscal", r"OCR noise in a name column", "OCR-noise name fragment", "OCR-noise name fragments"),
    ("fiscal", r"budget unit code", "unit code (部门代码)", "unit codes (部门代码)"),
    ("fiscal", r"a unit's code in a label column", "unit code in a label column", "unit codes in a label column"),
    ("fiscal", r"function × economic cross-tab in layout text", "row of a cross-tab in layout text",
     "rows of a cross-tab in layout text"),
    ("fiscal", r"cross-tab column .*no economic code", "cross-tab cell without an economic code",
     "cross-tab cells without an economic code"),
    ("fiscal", r"\d+ row parts for a table of", "row with more parts than the table has blocks",
     "rows with more parts than the table has blocks"),
    ("fiscal", r"\d+ amounts where the header has", "row whose amounts do not fit the header",
     "rows whose amounts do not fit the header"),
    ("fiscal", r".*cells read for one row and column", "cell read twice for one row and column",
     "cells read twice for one row and column"),
    ("fiscal", r".*no template layout fits", "row of a table no layout fits", "rows of tables no layout fits"),
    ("fiscal", r".*the header names no columns", "row of a table whose header names no columns",
     "rows of tables whose header names no columns"),
    ("fiscal", r"\d+ figure columns under a header", "三公 row under an unreadable header",
     "三公 rows under an unreadable header"),
    ("fiscal", r"figure in column \d+, beyond", "figure beyond the header's columns", "figures beyond the header's columns"),
    ("fiscal", r"row of the “三公” table names no", "三公 row naming no item", "三公 rows naming no item"),
    ("fiscal", r"OCR twin rows read", "OCR twin reading no sum decides", "OCR twin readings no sum decides"),
    ("fiscal", r"printed with more than two decimals", "amount with more than two decimals",
     "amounts with more than two decimals"),
    ("fiscal", r"read only on an OCR ghost row", "OCR ghost-row reading unconfirmed", "OCR ghost-row readings unconfirmed"),
    ("fiscal", r"OCR misread its separators", "amount with misread separators, unconfirmed",
     "amounts with misread separators, unconfirmed"),
    ("fiscal", r"OCR read .* with confidence [\d.]+, below [\d.]+, and no sum", "OCR-uncertain amount no sum confirms",
     "OCR-uncertain amounts no sum confirms"),
    ("performance", r"\w+ read by OCR as .* with confidence [\d.]+, below [\d.]+, and no check",
     "OCR-uncertain sheet figure no check confirms", "OCR-uncertain sheet figures no check confirms"),
    ("fiscal", r"OCR ghost row: reading superseded", "OCR ghost-row reading superseded", "OCR ghost-row readings superseded"),
    ("fiscal", r"overflow marker", "### overflow marker", "### overflow markers"),
    ("fiscal", r"digits separated by spaces", "number split by spaces", "numbers split by spaces"),
    ("fiscal", r"leading zero in a number", "number with a leading zero", "numbers with a leading zero"),
    ("fiscal", r"not a number|not an amount|malformed number", "malformed number", "malformed numbers"),
    ("audit", re.escape(UNACCOUNTED), "figure not accounted for", "figures not accounted for"),
    ("performance", r"performance sheet without an indicator header", "sheet without an indicator header",
     "sheets without an indicator header"),
    ("performance", r"the sheet prints no readable 项目名称", "sheet without a readable 项目名称",
     "sheets without a readable 项目名称"),
    ("performance", r"source of a target sheet's approved amount", "funding source of a target sheet",
     "funding sources of target sheets"),
    ("performance", r"funds row with \d+ figures matches neither", "funds row fitting no template",
     "funds rows fitting no template"),
    ("performance", r"funds row damaged by OCR", "funds row damaged by OCR", "funds rows damaged by OCR"),
    ("performance", r"indicator row whose cells fit no column", "indicator row fitting no column",
     "indicator rows fitting no column"),
)
_KINDS = tuple((stage, re.compile(pattern), one, many) for stage, pattern, one, many in KINDS)


def reject_kind(stage: str, reason: str) -> tuple[str, str]:
    """(one, many): the words for one reject of this kind and for several; a reason of no known kind is its own."""
    for kind_stage, pattern, one, many in _KINDS:
        if kind_stage == stage and pattern.match(reason):
            return one, many
    words = re.split(r"[:;(]", reason, maxsplit=1)[0].strip() or reason
    return f"{stage}: {words}", f"{stage}: {words}"


def partial_reason(rejects: list[dict], missing_tables: list[str]) -> str | None:
    """The short line saying why a report is partial, or None when nothing of it was rejected or missed."""
    if not rejects and not missing_tables:
        return None
    parts = []
    if missing_tables:
        shown = ", ".join(missing_tables[:TITLES_SHOWN]) + (", …" if len(missing_tables) > TITLES_SHOWN else "")
        parts.append(f"{_count(len(missing_tables), 'table listed in 目录 not read', 'tables listed in 目录 not read')} "
                     f"({shown})")
    counts = Counter(reject_kind(r["stage"], r["reason"]) for r in rejects if r["stage"] != CONTENTS)
    kinds = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    parts += [_count(n, one, many) for (one, many), n in kinds[:KINDS_SHOWN]]
    if len(kinds) > KINDS_SHOWN:
        rest = kinds[KINDS_SHOWN:]
        parts.append(f"{sum(n for _, n in rest)} more of {_count(len(rest), 'other kind', 'other kinds')}")
    return f"{_count(len(rejects), 'reject', 'rejects')}: {', '.join(parts)}" if rejects else ", ".join(parts)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
