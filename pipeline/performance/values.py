"""Target and actual values of performance indicators: operator, number, unit.

`≥53万人`, `≤15日`, `＝100%`, `≥ 5000` (unit in its own column), `12个` (a bare
number: `=`), `2024年12月31日前`, `有效保障`, `显著提升` (qualitative). OCR
variants of the operators (`≽`, `>=`, `&gt;`, `$\\geqslant$`, `//`) are read as
the operator they stand for.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from pipeline.normalize import WHITESPACE, clean_text

# Printed operator -> canonical operator. Longest first.
OPERATORS: dict[str, str] = {
    ">=": ">=", "<=": "<=", "≥": ">=", "≧": ">=", "≽": ">=", "⩾": ">=", "//": ">=",
    "≤": "<=", "≦": "<=", "≼": "<=", "⩽": "<=", "=": "=", "＝": "=", ">": ">", "<": "<",
}
_OPERATOR = re.compile("|".join(re.escape(op) for op in sorted(OPERATORS, key=len, reverse=True)))
_VALUE = re.compile(
    rf"^(?P<op>{_OPERATOR.pattern})?\s*(?P<number>\d+(?:,\d{{3}})*(?:\.\d+)?)\s*(?P<unit>[^\d\s]{{0,6}})$"
)
_DATE = re.compile(r"\d{4}年(\d{1,2}月)?(\d{1,2}日)?")


class Value(NamedTuple):  # immutable, as values are cached; a tuple is quick to make
    text: str  # as printed, cleaned
    op: str | None  # >=, <=, =, >, <, qualitative; None when nothing is printed
    value: float | None
    unit: str | None


@lru_cache(maxsize=1 << 16)
def clean_value(text: str) -> str:
    text = clean_text(text.replace("&gt;", ">").replace("&lt;", "<"))
    return WHITESPACE.sub("", text)


@lru_cache(maxsize=1 << 16)
def parse_value(text: str | None, unit: str | None = None, op: str | None = None) -> Value:
    """Read a printed target or actual; `unit` and `op` come from their own columns when printed there."""
    cleaned = clean_value(text or "")
    unit = clean_value(unit) if unit else None
    op = OPERATORS.get(clean_value(op)) if op else None
    if not cleaned:
        return Value("", None, None, None)  # nothing printed: the unit column speaks of the other value
    match = _VALUE.match(cleaned)
    if match and not _DATE.search(cleaned):
        printed_op = OPERATORS[match.group("op")] if match.group("op") else None
        number = float(match.group("number").replace(",", ""))
        return Value(cleaned, printed_op or op or "=", number, match.group("unit") or unit or None)
    return Value(cleaned, "qualitative", None, None)  # a unit column says nothing about a text
