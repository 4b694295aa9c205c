"""A report against its own contents: the tables its 目录 lists, and which of them we did not find.

A report prints its table list in its 目录 (contents page): `一、收支预算总表`,
`（一）收支总表`, `表 1：高等学校收支决算总表 ……… 6`, `4．2025年部门财政拨款收支
预算总表 ……`. Each entry that names a table is classified like a table title
(`pipeline/fiscal/tables.py`), so a listed table that no grid of the report
was recognised as is a table we missed: the report is `partial`, and
`documents.missing_tables` names it, and `rejects` says why each was not read
(`against_contents`).
No label is needed: the report says what it holds.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.fiscal.tables import classify, classify_title
from pipeline.model import Document, Table, where
from pipeline.readers.grid import CONTENTS_HEADING, unit_of

_LEADERS = re.compile(r"[.…·．_\-]{3,}\s*\d*")
_NUMBERING = re.compile(r"(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]"
                        r"|(?<![\d.])\d{1,2}[、.．](?=\d{4}年|\D|$)|表\s*\d{1,2}\s*[:：]|(?<![\u4e00-\u9fff])表\d{1,2}(?:[.．、]|(?=\D)))")
_TABLE_ENTRY = re.compile(r"^表\s*\d{1,2}\s*[:：.．、]?\D.*表([(（][^)）]*[)）])?$")  # `表1.2026年…收支预算总表`
_TABLE_NUMBER = re.compile(r"^表\s*(\d{1,2})(?!\d)")
MIN_LISTED = 3  # numbered table titles, one a line, in a row: a list of the tables (under any heading)
_EMPTY_FLAG = re.compile(r"(表(?:[(（][^)）]*[)）])?)[是否][^表]{0,20}$")  # `…收支表 | 是 | 不涉及`: listed as empty
_PAGE_NUMBER = re.compile(r"^[-—\s]*\d{1,3}[-—\s]*$")
_OTHER_TABLES = (("procurement", re.compile(r"政府采购")), ("performance", re.compile(r"绩效")))
MAX_CONTENTS_PAGES = 3  # a contents list runs over a page or two; what follows is the report


@dataclass(frozen=True)
class Listed:
    """A table the contents names: its title as printed, and the table it is (a `table_id`, or
    `procurement` / `performance` for the 政府采购 and 绩效 tables)."""

    title: str
    table_id: str


def listed_tables(document: Document) -> list[Listed]:
    """The tables the report's 目录 lists, in order; none when it prints no contents."""
    return _table_list(document)[0]


def _table_list(document: Document) -> tuple[list[Listed], int, int]:
    """The report's list of tables, with the indexes of its first block and of the first block after it; a
    report listing its parts, then its tables, has the longer list count."""
    lists = [(_listed(entries), start, end) for entries, start, end in _contents_lists(document)]
    return max(lists, key=lambda found: len(found[0]), default=([], 0, 0))


def _listed(entries: list[str]) -> list[Listed]:
    listed = []
    for entry in entries:
        title = _EMPTY_FLAG.sub(r"\1", re.sub(r"\s+", "", entry))
        if not re.search(r"表([(（][^)）]*[)）])?$", title):
            continue
        table_id = classify_title(title) or next((key for key, words in _OTHER_TABLES if words.search(title)), None)
        if table_id:
            listed.append(Listed(title, table_id))
    return listed


def missing_tables(document: Document, listed: list[Listed] | None = None) -> list[str]:
    """The titles of listed tables that no table of the report was recognised as (as many as are missing)."""
    listed = listed_tables(document) if listed is None else listed
    found = Counter(_found_id(table) for table in _distinct(document.tables))
    missing = []
    for entry in listed:
        if found[entry.table_id] > 0:
            found[entry.table_id] -= 1
        else:
            missing.append(entry.title)
    return missing


def against_contents(document: Document, doc_id: str) -> tuple[list[Listed], list[str], list[dict]]:
    """The tables the report's 目录 lists, the titles of those not found, and a reject for each of them (the
    contents read once)."""
    listed, start, end = _table_list(document)
    missing = missing_tables(document, listed)
    return listed, missing, _missing_table_rejects(document, missing, doc_id, start, end)


def _missing_table_rejects(document: Document, missing: list[str], doc_id: str, start: int,
                           end: int) -> list[dict]:
    """A reject per listed table not read, at its 目录 entry (`blocks[start]`; the contents end at
    `blocks[end]`), saying what the report shows of it."""
    if not missing:
        return []
    entry = document.blocks[start]
    printed = {}  # a line after the contents that reads as a heading (not a sentence citing a table): where
    for block in document.blocks[end:]:
        text = re.sub(r"\s+", "", (block.title if isinstance(block, Table) else block.text) or "")
        if text and len(text) <= 60 and not re.search(r"[。《]|说明", text):  # not `收支预算总表情况说明`
            printed.setdefault(text, block)
    any_read = any(classify(table) for table in document.tables)
    rejects = []
    for title in missing:
        block = next((b for text, b in printed.items() if title in text and len(text) <= len(title) + 30), None)
        if block is not None:
            why = f"its title is printed at {where(block.source_line, block.source_page)}, but no table of it was read"
        elif not any_read:
            why = "the report holds no table we read (its tables may be published in a separate file)"
        else:
            why = "no table of its kind was found in the report"
        rejects.append({"doc_id": doc_id, "stage": "contents", "source_line": entry.source_line,
                        "source_page": entry.source_page, "raw_text": title,
                        "reason": f"table listed in the report's 目录 not read: {why}"})
    return rejects


def _found_id(table: Table) -> str | None:
    table_id = classify(table)
    if table_id is None and table.title:
        table_id = next((key for key, words in _OTHER_TABLES if words.search(table.title)), None)
    return table_id


def _distinct(tables: list[Table]) -> list[Table]:
    """One table per printed title: a table continued over pages (or repeated per unit) is listed once."""
    seen, distinct = set(), []
    for table in tables:
        key = (table.title or f"untitled {table.source_page}", classify(table))
        if key not in seen:
            seen.add(key)
            distinct.append(table)
    return distinct


def _contents_lists(document: Document) -> list[tuple[list[str], int, int]]:
    """The entries of the contents, split at their numbering and their dot leaders.

    A contents list starts at a `目录` (`报表目录`) heading, or at the first of `MIN_LISTED` numbered table
    titles in a row (`表1.…总表`, printed under a section heading); a report may print both (the
    parts of the report, then its tables).
    """
    blocks = document.blocks
    lists: list[list[str]] = []
    end = 0
    for start, block in enumerate(blocks):
        if start < end or isinstance(block, Table):
            continue
        if CONTENTS_HEADING.match(block.text.replace(" ", "")):
            start += 1
        elif not _starts_table_list(blocks, start):
            continue
        entries, end = _entries_from(blocks, start)
        lists.append((entries, start, end))
    return lists


def _starts_table_list(blocks: list, start: int) -> bool:
    run = blocks[start:start + MIN_LISTED]
    return len(run) == MIN_LISTED and all(
        not isinstance(b, Table) and _TABLE_ENTRY.match(b.text.replace(" ", "")) for b in run)


def _entries_from(blocks: list, start: int) -> tuple[list[str], int]:
    """The entries of the contents whose first line is `blocks[start]`, and the index where it ends."""
    first = _where(blocks[start]) if start < len(blocks) else 0
    text = ""
    end, last = start, 0  # last: the last table number listed
    for end in range(start, len(blocks)):
        block = blocks[end]
        if isinstance(block, Table) or _where(block) - first >= MAX_CONTENTS_PAGES:
            break
        line = block.text.strip()
        if _PAGE_NUMBER.match(line):
            continue
        if len(line) > 40 and not _LEADERS.search(line) and not _NUMBERING.match(line):
            break  # narrative: the contents have ended
        number = _TABLE_NUMBER.match(line)
        if unit_of(line.replace(" ", "")) or (number and int(number.group(1)) <= last):
            break  # `单位:元`, or `表1` again after `表11`: the tables themselves, after their list
        last = int(number.group(1)) if number else last
        text += (" " if _NUMBERING.match(line) else "") + line
    else:
        end = len(blocks)
    pieces = _LEADERS.split(text)
    entries = []
    for piece in pieces:
        starts = [m.start() for m in _NUMBERING.finditer(piece)] or [0]
        bounds = ([0] if starts[0] else []) + starts + [len(piece)]
        entries += [_NUMBERING.sub("", piece[a:b], count=1).strip() for a, b in zip(bounds, bounds[1:])]
    return [entry for entry in entries if entry], end


def _where(block) -> int:
    """The block's page (PDF) or a page's worth of lines (text): how far the contents may run."""
    if block.source_page is not None:
        return block.source_page
    return (block.source_line or 0) // 60
