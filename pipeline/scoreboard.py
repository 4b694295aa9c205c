"""`python -m pipeline audit DIR`: how well the parsers read reports no one has labelled.

Every figure here comes from the reports themselves, so it can be measured on
any new corpus before a single cell is checked by hand:

- tables: the tables a report's own 目录 lists, and how many of them were found
  (`pipeline/contents.py`);
- identities: the share of applicable accounting identities that pass;
- coverage: the share of figures printed in recognised tables that became a
  fact or a reject (`pipeline/fiscal/audit.py` finds the others);
- metadata: which of the issuer, level, region, year and kind stayed empty, and, where the corpus has a
  manifest of what each report's pages print (`data/dev/manifest.csv`), which of issuer, year and kind differ.
"""

from __future__ import annotations

import csv
import multiprocessing
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.accuracy import page_shows
from pipeline.corpus import SourceFile, discover
from pipeline.fiscal.audit import UNACCOUNTED, figures_in_tables
from pipeline.readers import OcrSettings
from pipeline.report import document_row, parse_report

METADATA = ("entity_name", "entity_level", "region", "fiscal_year", "report_kind")
# The manifest names a body as its cover prints it, with the report's scope (`（本级）`, `（汇总）`); the
# dataset's entity is the body, the scope is not part of its name.
_SCOPE = re.compile(r"[(（](?:本级|汇总)[)）]$")


@dataclass
class Score:
    """One report's label-free figures."""

    path: str
    status: str
    error: str | None = None
    listed: int = 0
    missing: list[str] = field(default_factory=list)
    explained: int = 0  # missing tables rejected with the reason they were not read
    passed: int = 0
    applicable: int = 0
    figures: int = 0
    unaccounted: int = 0
    empty: list[str] = field(default_factory=list)
    failing: list[dict] = field(default_factory=list)  # the identities that fail, to look up on their pages
    checked: bool = False  # against a manifest row
    wrong: list[str] = field(default_factory=list)  # metadata differing from the manifest

    @property
    def found(self) -> int:
        return self.listed - len(self.missing)


def manifest(raw_dir: Path) -> dict[str, dict]:
    """The manifest beside a corpus directory (`data/dev/manifest.csv` for `data/dev/pdf`), by file; or none."""
    path = Path(raw_dir).parent / "manifest.csv"
    return {row["file"]: row for row in csv.DictReader(path.open(encoding="utf-8"))} if path.exists() else {}


def metadata_wrong(row: dict, printed: dict) -> list[str]:
    """The fields of a documents row that differ from what the manifest says the report prints."""
    expected = {"entity_name": _SCOPE.sub("", printed["entity_zh"]), "fiscal_year": printed["fiscal_year"],
                "report_kind": printed["report_kind"]}
    return [f"{name} {row[name]} ≠ {value}" for name, value in expected.items()
            if str(row[name]) != value and not (name == "fiscal_year" and "no year" in printed["notes"])]


def score(raw_dir: Path, source: SourceFile, ocr: bool = True, printed: dict | None = None) -> Score:
    """Parse one report with the library (no store, no Dagster) and measure it; against its manifest row if any."""
    report = parse_report(raw_dir, source, OcrSettings(enabled=ocr))
    document = report.read.document
    row = document_row(report, parsed_at=None)
    result = Score(source.source_path, report.status, report.error)
    result.checked, result.wrong = bool(printed), metadata_wrong(row, printed) if printed else []
    if document is None:
        return result
    result.listed = len(report.listed_tables)
    result.missing = report.missing_tables
    result.explained = sum(r["stage"] == "contents" for r in report.rejects)
    applicable = [c for c in report.checks if c["passed"] is not None]
    result.passed, result.applicable = sum(c["passed"] for c in applicable), len(applicable)
    result.failing = [c for c in applicable if not c["passed"]]
    result.figures = figures_in_tables(document)
    result.unaccounted = sum(r["reason"] == UNACCOUNTED for r in report.rejects)
    result.empty = [name for name in METADATA if row[name] is None
                    and not (name == "region" and row["entity_level"] == "central")]  # a central body has none
    return result


def audit(raw_dir: Path, ocr: bool = True, workers: int = 0, out=sys.stdout) -> list[Score]:
    """Score every report of `raw_dir` on every core, printing a line per report as it is done, then the table."""
    raw_dir = Path(raw_dir)
    sources = sorted(discover(raw_dir), key=lambda s: s.source_path)
    workers = workers or os.cpu_count() or 1
    printed = manifest(raw_dir)
    scores = []
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for number, result in enumerate(pool.map(score, [raw_dir] * len(sources), sources, [ocr] * len(sources),
                                                 [printed.get(s.source_path) for s in sources]), start=1):
            scores.append(result)
            print(f"[{number}/{len(sources)}] {result.path}: {result.status}", file=out, flush=True)
    print(render(scores), file=out)
    return scores


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "—"


def render(scores: list[Score]) -> str:
    """The scoreboard as a Markdown table: a row per report, then the totals."""
    lines = ["| report | status | tables listed | found | identities passing | figures accounted | "
             "metadata empty | metadata wrong | missing tables |", "|---|---|---|---|---|---|---|---|---|"]
    for s in scores:
        lines.append(f"| {s.path} | {s.status} | {s.listed} | {s.found} | {_share(s.passed, s.applicable)} "
                     f"({s.passed}/{s.applicable}) | {_share(s.figures - s.unaccounted, s.figures)} | "
                     f"{', '.join(s.empty) or '—'} | {'; '.join(s.wrong) or '—'} | "
                     f"{'; '.join(s.missing) or (s.error or '—')} |")
    read = [s for s in scores if s.status != "failed"]
    listed, found = sum(s.listed for s in read), sum(s.found for s in read)
    passed, applicable = sum(s.passed for s in read), sum(s.applicable for s in read)
    figures, unaccounted = sum(s.figures for s in read), sum(s.unaccounted for s in read)
    complete = sum(not s.empty for s in read)
    checked = [s for s in read if s.checked]
    lines.append(f"| **total: {len(scores)} reports, {len(scores) - len(read)} failed** | | {listed} | "
                 f"{found} ({_share(found, listed)}) | {_share(passed, applicable)} ({passed}/{applicable}) | "
                 f"{_share(figures - unaccounted, figures)} ({figures - unaccounted}/{figures}) | "
                 f"{complete} of {len(read)} complete | "
                 f"{f'{sum(not s.wrong for s in checked)} of {len(checked)} right' if checked else '—'} | "
                 f"{sum(len(s.missing) for s in read)} missing, {sum(s.explained for s in read)} rejected with "
                 "the reason |")
    return "\n".join(lines)


def render_failing(scores: list[Score], looked_up: dict[tuple, dict] | None = None) -> str:
    """Every identity that fails, with the page of the printed figure it checks and, where it was looked up
    by eye (`looked_up`, by file, table, check and subject), what the page shows: each is either a misreading
    to mend or a report whose own figures do not add up, and only the page can tell which."""
    looked_up = looked_up or {}
    lines = ["| report | page or line | table | check | subject | expected | printed | the page shows |",
             "|---|---|---|---|---|---|---|---|"]
    for s in scores:
        for c in s.failing:
            at = c["source_page"] if c["source_page"] is not None else (
                f"line {c['source_line']}" if c["source_line"] is not None else "—")
            subject = c["subject"].replace("|", "/")
            shows = page_shows(looked_up, s.path, c)
            lines.append(f"| {s.path} | {at} | `{c['table_id']}` | {c['check']} | {subject} | {c['expected']} | "
                         f"{c['actual']} | {shows} |")
    return "\n".join(lines)
