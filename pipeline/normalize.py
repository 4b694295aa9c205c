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
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

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
_SINGLE_SPACE_NEXT_TO_CJK = re.compile(rf" (?:(?<=[{_CJK}] )|(?=[{_CJK}]))")  # the same, led by its space
# `1, 954. 47` in running text: spaces after a thousands comma or a decimal point.
_THOUSANDS_GAP = re.compile(r",(?<=\d,)\s+(?=\d{3}(?!\d))")  # led by its separator: the quicker search
_DECIMAL_GAP = re.compile(r"\.(?<=\d\.)\s+(?=\d)")


# NFKC one character at a time, for the characters of these reports (CJK, full-width forms, punctuation).
# A string of such characters normalizes to the concatenation of their NFKC forms, because none of them
# or of their forms is a combining mark or the second part of a composition (tests/test_normalize.py
# checks every entry against the Unicode database); a substitution of the few changed characters of a
# line (`，` `（` `）` `：`) then does what `unicodedata.normalize` does at several hundred instructions
# per character, and `str.translate` at a dictionary lookup per character.
_NFKC_RANGES = ((0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x218F), (0x2460, 0x24FF),
                (0x3000, 0x303F), (0x3200, 0x33FF), (0xFE30, 0xFE4F), (0xFF00, 0xFF9F), (0xFFE0, 0xFFEF))
_CJK_IDEOGRAPHS = (0x4E00, 0x9FFF)  # unchanged by NFKC, checked by the tests rather than at every start


def _nfkc_table() -> tuple[dict[str, str], re.Pattern, re.Pattern]:
    """The NFKC forms of the characters in `_NFKC_RANGES` that are safe to map alone and change.

    Also the pattern of a string of safe characters, and that of one changing character.
    """
    table: dict[str, str] = {}
    safe: list[int] = []
    for start, end in _NFKC_RANGES:
        for point in range(start, end + 1):
            char = chr(point)
            form = unicodedata.normalize("NFKC", char)
            if form != unicodedata.normalize("NFKD", char) or any(
                    unicodedata.combining(c) or "\u1100" <= c <= "\u11ff" for c in char + form):
                continue  # a combining mark, or Hangul jamo, which compose with their neighbours
            safe.append(point)
            if form != char:
                table[char] = form
    safe += range(_CJK_IDEOGRAPHS[0], _CJK_IDEOGRAPHS[1] + 1)
    spans: list[list[int]] = []
    for point in sorted(safe):
        if spans and point == spans[-1][1] + 1:
            spans[-1][1] = point
        else:
            spans.append([point, point])
    char_class = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in spans)
    changing = "".join(map(re.escape, sorted(table)))
    return table, re.compile(f"[{char_class}]*"), re.compile(f"[{changing}]")


_NFKC_TABLE, _NFKC_SAFE, _NFKC_CHANGING = _nfkc_table()


def nfkc(text: str) -> str:
    """`unicodedata.normalize("NFKC", text)`, faster for the characters of these reports."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    if _NFKC_SAFE.fullmatch(text):
        for char in set(_NFKC_CHANGING.findall(text)):  # a line has a few of them (`，` `（` `）` `：`)
            text = text.replace(char, _NFKC_TABLE[char])
        return text
    return unicodedata.normalize("NFKC", text)


def _latex_to_text(match: re.Match) -> str:
    body = match.group(1).strip()
    for command, sign in _LATEX.items():
        body = body.replace(command, sign)
    return body.replace("{", "").replace("}", "").strip()


def compact(text: str | None) -> str:
    """Text to compare across readings of the same print: width forms unified (NFKC), no spaces."""
    return unicodedata.normalize("NFKC", text or "").replace(" ", "")


@lru_cache(maxsize=1 << 16)
def clean_text(text: str | None, *, join_wraps: bool = True) -> str:
    """Clean one printed text value: width forms, markup, LaTeX, OCR spacing.

    `<br>` marks a line wrap inside a cell; wraps are joined without a space,
    as Chinese text has none. Full-width ASCII forms become half-width (NFKC),
    so `（境）` and `(境)` compare equal across reports.
    """
    if text is None:
        return ""
    if text.isascii() and "<" not in text and "$" not in text and "&" not in text:
        # Figures and codes: no markup, and NFKC and the spaces next to CJK change no ASCII.
        return (_SPACE.sub(" ", text) if "  " in text or "\t" in text else text).strip()
    # Each step runs only when the characters it acts on are present: most cells are plain.
    if "<" in text:
        text = _BR.sub("" if join_wraps else "\n", text)
    if "$" in text:
        text = _LATEX_MATH.sub(_latex_to_text, text)
    if "<" in text:
        text = _TAG.sub("", text)
    text = html.unescape(text)
    text = nfkc(text)
    text = text.replace("\u200b", "").replace("\ufeff", "")
    if "  " in text or "\t" in text:  # NFKC made every other space of _SPACE a plain one
        text = _SPACE.sub(" ", text)
    text = text.strip()
    if not text.isprintable():  # any whitespace but the plain space is unprintable
        text = _SPACE_NEXT_TO_CJK.sub("", text)
    elif " " in text:  # single plain spaces only: the quicker pattern
        text = _SINGLE_SPACE_NEXT_TO_CJK.sub("", text)
    return text


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines of one paragraph: no space between CJK, one between Latin words.

    Numbers in running text are closed up too (`1, 954. 47万元` -> `1,954.47万元`);
    table cells keep them as printed, so the parsers can flag the repair.
    """
    joined = ""
    for line in (clean_text(part) for part in lines):
        if not line:
            continue
        if joined and _is_latin_or_digit(joined[-1]) and _is_latin_or_digit(line[0]):
            joined += " "
        joined += line
    joined = clean_text(joined)
    if "," in joined:
        joined = _THOUSANDS_GAP.sub(",", joined)
    return _DECIMAL_GAP.sub(".", joined) if "." in joined else joined


def _is_latin_or_digit(char: str) -> bool:
    return char.isascii() and char.isalnum()  # [A-Za-z0-9]


# ---------------------------------------------------------------- numbers

DASHES = {"-", "—", "–", "－", "——", "--", "―", "/", "\\", "－－"}
_WELL_FORMED = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_DIGITS_AND_SEPARATORS = re.compile(r"^-?[\d.,]+$")
_OVERFLOW = re.compile(r"#+")
_SPACED_DIGITS = re.compile(r"\d\s+\d")
WHITESPACE = re.compile(r"\s+")  # shared by the parsers: any run of whitespace
DIGIT = re.compile(r"\d")
_LEADING_ZERO = re.compile(r"0\d|0,")


class ParsedNumber(NamedTuple):
    """The reading of one numeric cell (immutable, as readings are cached; a tuple is quick to make).

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
    if raw.isascii() and _WELL_FORMED.fullmatch(raw) and not _LEADING_ZERO.match(raw.lstrip("-")):
        return ParsedNumber("number", Decimal(raw.replace(",", "")))  # as printed: nothing to repair
    text = _TAG.sub("", _BR.sub("", raw)) if "<" in raw else raw
    text = nfkc(text).strip()
    if not text:
        return ParsedNumber("blank")
    if text in DASHES:
        return ParsedNumber("dash")
    if _OVERFLOW.fullmatch(text):
        return ParsedNumber("invalid", reason="overflow marker '###': the printed column was too narrow")
    if _SPACED_DIGITS.search(text):
        return ParsedNumber("invalid", reason=f"digits separated by spaces, no separator: {raw.strip()!r}")
    compact = WHITESPACE.sub("", text)
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
    if _LEADING_ZERO.match(unsigned):
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
