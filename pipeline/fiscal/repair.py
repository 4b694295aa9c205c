"""Repair with evidence: OCR twin rows, fragment names, and choosing between two readings.

OCR of some exports prints a row twice: once with a misread code or amount
(a ghost: `20000`, `2000703`, `21013`, `1.064.05`, `0,987.78`) and once as
printed, with the name split between the two lines. The twins are merged into
one entry; of two readings of a cell, a well-formed one beats a malformed one,
and two well-formed readings are decided by the table's own sums. A reading
that loses goes to rejects with the reason; a cell no evidence decides is
rejected, never guessed.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from decimal import Decimal

from pipeline.fiscal.identities import Identity, Ref
from pipeline.fiscal.parse import BODY_NAME, Cell, Entry
from pipeline.normalize import parse_number
from pipeline.readers.grid import CODE
from pipeline.readers.ocr import ocr_reading

HALF_CENT = Decimal("0.005")


@dataclass(slots=True)  # many per document: smaller and quicker to read
class Reading:
    value: Decimal
    cell: Cell
    repaired: bool
    blank: bool = False
    needs_evidence: bool = False  # read only on an OCR ghost row, or OCR misread its separator: kept if a sum confirms it


def tolerance(n_parts: int, figures: tuple[Decimal, ...] = ()) -> Decimal:
    """Half a unit of the last printed digit per term: (n + 1) × 0.005 for figures printed to the cent, × 0.5
    where every figure is printed in whole 元 (`154369327`: its parts were rounded to the 元 one by one)."""
    finest = min((f.as_tuple().exponent for f in figures if f.is_finite()), default=-2)
    return (n_parts + 1) * max(HALF_CENT, Decimal(5).scaleb(min(finest, 0) - 1))


def _impossible(code: str, main_digit: str | None) -> bool:
    """A code no table can print: not digits, a 类 `x00` or a `00` 款/项, or the wrong classification."""
    if not CODE.match(code):
        return True
    if code[1:3] == "00" or any(code[i:i + 2] == "00" for i in range(3, len(code), 2)):
        return True
    return main_digit is not None and code[0] != main_digit


def _mismatches(a: str, b: str) -> int:
    return sum(x != y for x, y in zip(a, b)) if len(a) == len(b) else 99


def merge_twins(entries: list[Entry], known_elsewhere: set[str]) -> list[Entry]:
    """Merge each ghost row into its twin, the row it misreads, in the same block.

    Adjacent rows with the same code are one printed row. A ghost has a code no
    table can print, or one printed in no other table next to one that is, or
    one already printed above in the same unit's section; its twin is the neighbour above or below with a
    code of the same length differing in at most three digits, and of two such
    neighbours the one whose cells read most like the ghost's.
    """
    digits = Counter(e.code[0] for e in entries if e.code)
    main_digit = digits.most_common(1)[0][0] if digits else None
    by_block: dict[int, list[int]] = {}
    for i, e in enumerate(entries):
        by_block.setdefault(e.block, []).append(i)
    partner: dict[int, int] = {}  # absorbed entry -> the entry it merges into
    absorbing: set[int] = set()  # the values of `partner`
    for members in by_block.values():
        for a, b in zip(members, members[1:]):
            if entries[a].code_raw and entries[a].code_raw == entries[b].code_raw and a not in partner:
                partner[b] = a
                absorbing.add(a)
        seen: set[str] = set()
        for position, i in enumerate(members):
            code = entries[i].code_raw
            if code and _impossible(code, main_digit) and BODY_NAME.fullmatch(entries[i].name or ""):
                seen = set()  # a unit's own row (125001 西安市安全生产监督管理局): its section prints the codes again
                continue
            if not code or i in partner or i in absorbing:
                seen.add(code)
                continue
            neighbours = [members[p] for p in (position - 1, position + 1) if 0 <= p < len(members)]
            neighbours = [n for n in neighbours if n not in partner and n not in absorbing
                          and entries[n].code_raw and _mismatches(code, entries[n].code_raw) <= 3]
            around = [entries[members[p]].code_raw for p in (position - 1, position + 1) if 0 <= p < len(members)]
            if _is_ghost(code, main_digit, known_elsewhere, seen, around):
                real = [n for n in neighbours if not _impossible(entries[n].code_raw, main_digit)]
                if real:
                    partner[i] = real[0] if len(real) == 1 else max(real, key=lambda n: _likeness(entries[i], entries[n]))
                    absorbing.add(partner[i])
            seen.add(code)
    twins: dict[int, list[int]] = {}
    for absorbed, target in sorted(partner.items()):
        twins.setdefault(target, []).append(absorbed)
    merged = []
    for i, entry in enumerate(entries):
        if i in partner:
            continue
        for j in twins.get(i, ()):
            _absorb(entry, entries[j], ghost=entries[j].code_raw != entry.code_raw)
        merged.append(entry)
    return merged


def _is_ghost(code: str, main_digit: str | None, known: set[str], seen: set[str], around: list[str]) -> bool:
    """Impossible, already printed above, or printed nowhere else and out of the table's code order."""
    if _impossible(code, main_digit) or code in seen:
        return True
    out_of_order = len(around) == 2 and around[0] and around[1] and not around[0] < code < around[1]
    return code not in known and any(n in known for n in around) and bool(out_of_order)


def _likeness(a: Entry, b: Entry) -> float:
    texts = lambda e: " ".join(c.raw for c in e.cells if c)  # noqa: E731
    return SequenceMatcher(None, texts(a), texts(b)).ratio() - _mismatches(a.code_raw, b.code_raw)


def _absorb(entry: Entry, twin: Entry, ghost: bool) -> None:
    """Merge the twin row into `entry`, names joined in print order; a ghost's cells are marked."""
    first, second = sorted((entry, twin), key=lambda e: e.rows[0].source_line or 0)
    entry.name = _clean_join(first.name, second.name)
    entry.alternatives = [[c for c in pair if c is not None] for pair in zip(entry.cells, twin.cells)]
    if ghost:
        entry.ghost_cells = {id(c) for c in twin.cells if c is not None}
    entry.rows = sorted(entry.rows + twin.rows, key=lambda r: r.source_line or 0)


def _clean_join(a: str, b: str) -> str:
    """Join a name split over twin rows; a part that is OCR garbage (Latin letters, digits) is left out."""
    parts = [p for p in (a, b) if p and re.fullmatch(r"[\u4e00-\u9fff()（）、:：]+", p)]
    if len(parts) == 2 and parts[0] == parts[1]:
        return parts[0]
    return "".join(parts)


def canonical_names(entries_by_table: list[list[Entry]]) -> dict[str, str]:
    """The name each code is printed with most often in single-row entries of the document."""
    counts: dict[str, Counter] = {}
    for entries in entries_by_table:
        for e in entries:
            if e.code and e.name and len(e.rows) == 1:
                counts.setdefault(e.code, Counter())[e.name] += 1
    return {code: c.most_common(1)[0][0] for code, c in counts.items()}


def repair_name(entry: Entry, canonical: dict[str, str]) -> bool:
    """Use the document's own name for the code when the printed one is a fragment of it or holds it."""
    name = canonical.get(entry.code or "")
    if name and entry.name != name and entry.name and (entry.name in name or name in entry.name):
        entry.name = name
        return True
    return False


# Total-row labels of the national templates; an OCR-garbled one (`人员组圣费合计`) is
# recognised by its likeness and its `合计` ending.
TOTAL_LABELS = ("人员经费合计", "公用经费合计", "本年收入合计", "本年支出合计")


def repair_total_label(entry: Entry) -> bool:
    """Restore a template total label that OCR garbled, when one label is clearly meant."""
    if entry.code or not entry.name.endswith("合计") or entry.name in TOTAL_LABELS:
        return False
    if all(any(ch in label for label in TOTAL_LABELS) for ch in entry.name):
        return False  # a shorter label of its own (`收入合计`), not a garbled one (`人员组圣费合计`)
    likeness = {label: SequenceMatcher(None, entry.name, label).ratio() for label in TOTAL_LABELS}
    best = max(likeness, key=likeness.get)
    if likeness[best] >= 0.75 and sorted(likeness.values())[-2] < 0.75:
        entry.name = best
        return True
    return False


# ------------------------------------------------------------ readings

def readings(entry: Entry, measure: int, delimited: bool,
             ocr_pages: frozenset[int] = frozenset()) -> tuple[list[Reading], list[tuple[Cell, str]]]:
    """The candidate readings of one cell, and the printed cells that are no amount, with the reason.

    Of twin readings, well-formed numbers beat repaired ones and a number beats
    a blank; the reading that is kept is flagged `repaired` when the twins disagreed.
    On a page read by OCR (`ocr_pages`), an amount whose separators were misread
    (`754 75`, `0:00`) gets its one reading, which a sum must confirm.
    """
    if not entry.alternatives:  # the common case, one printed cell: what the general path below gives it
        cell = entry.cells[measure]
        if cell is None:
            return [], []
        parsed = parse_number(cell.raw)
        if parsed.kind == "number":
            return [Reading(parsed.value, cell, parsed.repaired or entry.shifted or cell.joined)], []
        if parsed.kind == "dash":
            return [Reading(Decimal(0), cell, entry.shifted or cell.joined)], []
    cells = [c for c in (entry.alternatives[measure] if entry.alternatives else [entry.cells[measure]]) if c]
    rejected: list[tuple[Cell, str]] = []
    numbers: list[tuple[Reading, bool]] = []
    blanks: list[Reading] = []
    for cell in cells:
        parsed = parse_number(cell.raw)
        if parsed.kind == "number":
            numbers.append((Reading(parsed.value, cell, parsed.repaired), parsed.repaired))
        elif parsed.kind == "dash":
            numbers.append((Reading(Decimal(0), cell, False), False))
        elif parsed.kind == "blank":
            if delimited:
                blanks.append(Reading(Decimal(0), cell, False, blank=True))
        elif cell.source_page in ocr_pages and (value := ocr_reading(cell.raw)) is not None:
            numbers.append((Reading(value, cell, True, needs_evidence=True), True))
        else:
            rejected.append((cell, parsed.reason or f"not an amount: {cell.raw!r}"))
    if not numbers:
        return blanks[:1], rejected
    well_formed = [r for r, repaired in numbers if not repaired] or [r for r, _ in numbers]
    distinct: dict[Decimal, Reading] = {}
    for reading in well_formed:
        distinct.setdefault(reading.value, reading)
    disagree = len(cells) > 1 and (len({r.value for r, _ in numbers}) > 1 or rejected or blanks)
    for reading in distinct.values():
        reading.repaired = reading.repaired or bool(disagree) or entry.shifted or reading.cell.joined
        reading.needs_evidence = reading.needs_evidence or id(reading.cell) in entry.ghost_cells and any(
            id(c) not in entry.ghost_cells and c.raw for c in cells)
    return list(distinct.values()), rejected


def solve(options: dict[Ref, list[Reading]], identities: list[Identity]) -> list[Ref]:
    """Decide cells with two readings by the sums they take part in; returns the refs left undecided.

    For each identity with few undecided cells, every combination of readings
    is tried; a cell is decided when all combinations that make the sum hold
    give it the same reading.
    """
    changed = any(len(o) > 1 for o in options.values())  # most tables have no cell to decide
    candidates = [i for i in identities if i.relation == "="]
    while changed:
        changed = False
        still_open = []  # a sum with no undecided cell left decides nothing in a later pass: cells only get decided
        for identity in candidates:
            refs = (identity.total, *identity.parts)
            open_refs = [r for r in refs if len(options.get(r, ())) > 1]
            if not open_refs:
                continue
            still_open.append(identity)
            if any(not options.get(r) for r in refs) or len(open_refs) > 4:
                continue
            fitting = []
            for combo in itertools.product(*(options[r] for r in open_refs)):
                chosen = dict(zip(open_refs, combo))
                value = {r: (chosen[r] if r in chosen else options[r][0]).value for r in refs}
                if abs(value[identity.total] - sum(value[p] for p in identity.parts)) <= tolerance(
                        len(identity.parts)):
                    fitting.append(chosen)
            for ref in open_refs:
                values = {id(c[ref]) for c in fitting}
                if len(values) == 1:
                    options[ref] = [fitting[0][ref]]
                    changed = True
        candidates = still_open
    return [r for r, o in options.items() if len(o) > 1]
