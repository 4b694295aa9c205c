"""Normalizers shared by every reader and parser: text cleaning and exact numbers.

OCR'd exports of the bureaus' PDFs put spaces inside words and numbers, mix
full-width and half-width forms, and leave HTML and LaTeX fragments. Every text
value of the dataset goes through `clean_text`, every amount through
`parse_number`, so the same printed thing always becomes the same value.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# LaTeX that OCR tools emit for comparison signs and percent.
_LATEX = {
    r"\geqslant": "≥",
    r"\geq": "≥",
    r"\ge": "≥",
    r"\leqslant": "≤",
    r"\leq": "≤",
    r"\le": "≤",
    r"\%": "%",
    r"\times": "×",
}
_LATEX_MATH = re.compile(r"\$([^$]{0,40})\$")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_SPACE = re.compile(r"[ \t\u00a0\u3000]+")
# A character after which, or before which, a space is an OCR artefact.
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’"
_SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
# `1, 954. 47` in running text: spaces after a thousands comma or a decimal point.
_THOUSANDS_GAP = re.compile(r"(?<=\d),\s+(?=\d{3}(?!\d))")
_DECIMAL_GAP = re.compile(r"(?<=\d)\.\s+(?=\d)")


def _latex_to_text(match: re.Match) -> str:
    body = match.group(1).strip()
    for command, sign in _LATEX.items():
        body = body.replace(command, sign)
    return body.replace("{", "").replace("}", "").strip()


@lru_cache(maxsize=1 << 16)
def clean_text(text: str | None, *, join_wraps: bool = True) -> str:
    """Clean one printed text value: width forms, markup, LaTeX, OCR spacing.

    `<br>` marks a line wrap inside a cell; wraps are joined without a space,
    as Chinese text has none. Full-width ASCII forms become half-width (NFKC),
    so `（境）` and `(境)` compare equal across reports.
    """
    if text is None:
        return ""
    text = _BR.sub("" if join_wraps else "\n", text)
    text = _LATEX_MATH.sub(_latex_to_text, text)
    text = html.unescape(_TAG.sub("", text))
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u200b", "").replace("\ufeff", "")
    text = _SPACE.sub(" ", text).strip()
    return _SPACE_NEXT_TO_CJK.sub("", text)


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines of one paragraph: no space between CJK, one between Latin words.

    Numbers in running text are closed up too (`1, 954. 47万元` -> `1,954.47万元`);
    table cells keep them as printed, so the parsers can flag the repair.
    """
    joined = ""
    for line in (clean_text(part) for part in lines):
        if not line:
            continue
        if joined and re.match(r"[A-Za-z0-9]", joined[-1]) and re.match(r"[A-Za-z0-9]", line[0]):
            joined += " "
        joined += line
    return _DECIMAL_GAP.sub(".", _THOUSANDS_GAP.sub(",", clean_text(joined)))


# ---------------------------------------------------------------- numbers

DASHES = {"-", "—", "–", "－", "——", "--", "―", "/", "\\", "－－"}
_WELL_FORMED = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_DIGITS_AND_SEPARATORS = re.compile(r"^-?[\d.,]+$")


@dataclass(frozen=True)
class ParsedNumber:
    """The reading of one numeric cell.

    kind: `number` (value set), `blank` (nothing printed), `dash` (a dash printed,
    meaning zero or not applicable, as the table decides) or `invalid` (value is
    None; `reason` says why). `repaired` is true when the raw token was not a
    well-formed number and was repaired, e.g. `1.064.05` -> 1064.05.
    """

    kind: str
    value: Decimal | None = None
    repaired: bool = False
    percent: bool = False
    reason: str | None = None


@lru_cache(maxsize=1 << 16)
def parse_number(raw: str | None) -> ParsedNumber:
    """Parse a printed amount into an exact Decimal, repairing OCR damage.

    Repairs: spaces or tabs next to a separator (`1, 954. 47`, `0.\\t00`), full-width
    digits, thousands separators misread as points (`1.064.05`: the last point is
    the decimal point when two digits follow it). Anything else that is not a
    number is `invalid` with a reason, never guessed.
    """
    if raw is None:
        return ParsedNumber("blank")
    text = _TAG.sub("", _BR.sub("", raw))
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return ParsedNumber("blank")
    if text in DASHES:
        return ParsedNumber("dash")
    if re.fullmatch(r"#+", text):
        return ParsedNumber("invalid", reason="overflow marker '###': the printed column was too narrow")
    if re.search(r"\d\s+\d", text):
        return ParsedNumber("invalid", reason=f"digits separated by spaces, no separator: {raw.strip()!r}")
    compact = re.sub(r"\s+", "", text)
    repaired = compact != raw.strip()
    percent = compact.endswith("%")
    if percent:
        compact = compact[:-1]
    if compact.startswith("−"):
        compact = "-" + compact[1:]
    if not _DIGITS_AND_SEPARATORS.fullmatch(compact):
        return ParsedNumber("invalid", reason=f"not a number: {raw.strip()!r}")
    if not _WELL_FORMED.fullmatch(compact):
        fixed = _repair_separators(compact)
        if fixed is None:
            return ParsedNumber("invalid", reason=f"malformed number: {raw.strip()!r}")
        compact, repaired = fixed, True
    unsigned = compact.lstrip("-")
    if re.match(r"0\d|0,", unsigned):
        return ParsedNumber("invalid", reason=f"leading zero in a number: {raw.strip()!r}")
    try:
        value = Decimal(compact.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the patterns above exclude it
        return ParsedNumber("invalid", reason=f"not a number: {raw.strip()!r}")
    return ParsedNumber("number", value, repaired, percent)


def _repair_separators(token: str) -> str | None:
    """Repair misread separators: all but a final `.dd` are thousands separators.

    Returns a well-formed number, or None when the grouping is not that of a
    thousands-separated number (then the token is rejected, not guessed).
    """
    sign = "-" if token.startswith("-") else ""
    body = token.lstrip("-")
    decimals = ""
    tail = re.search(r"\.(\d{1,2})$", body)
    if tail and (body.count(".") + body.count(",")) > 1:
        decimals, body = "." + tail.group(1), body[: tail.start()]
    groups = re.split(r"[.,]", body)
    if len(groups) < 2 and not decimals:
        return None
    if len(groups) > 1 and not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
        return None
    if not all(g.isdigit() for g in groups):
        return None
    return sign + "".join(groups) + decimals
