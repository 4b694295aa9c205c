"""The parser scored against hand-checked cells of real reports (`data/dev/truth.json`).

Each cell was read by eye from the rendered PDF page, twice, by people who did
not look at the parser's output (how: `data/dev/README.md`). A cell is right
when the report yields a fact of the same table, page, side and row (its code,
else its cleaned name), whose printed column header ends with the cell's, and
whose amount is the printed figure exactly. The same reports' accounting
identities are listed with each failing one and what its page shows
(`data/dev/identities.json`: checked by eye). `python -m pipeline accuracy`
writes `docs/accuracy.md`; a test keeps it current.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pipeline import scans
from pipeline.corpus import SourceFile, discover
from pipeline.normalize import compact
from pipeline.readers import OcrSettings
from pipeline.report import parse_report

ROOT = Path(__file__).resolve().parent.parent
TRUTH = ROOT / "data" / "dev" / "truth.json"
VERDICTS = ROOT / "data" / "dev" / "identities.json"  # failing identities looked up on their pages by eye
DEV_PDF = ROOT / "data" / "dev" / "pdf"


@dataclass
class Outcome:
    cell: dict
    right: bool
    read: list[str]  # what the parser read at that row and column, when it is not the printed figure


@dataclass
class Scored:
    """The cells right or not, and per report its applicable identities (passed or failing)."""

    outcomes: list[Outcome]
    identities: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def right(self) -> int:
        return sum(o.right for o in self.outcomes)


def _header(text: str | None) -> str:
    """A header to compare: no brackets (PDF text layers move them about: `因公出国境费()`)."""
    return re.sub(r"[()\[\]“”\"]", "", compact(text))


def load(path: Path = TRUTH) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


OCR_CACHE = scans.OCR_CACHE  # a report's page images without text, read once


def _parse(raw_dir: Path, source: SourceFile) -> tuple[list[dict], list[dict]]:
    report = parse_report(raw_dir, source, OcrSettings(cache_dir=str(OCR_CACHE), workers=1))
    return report.facts, [check for check in report.checks if check["passed"] is not None]


def _at(cell: dict, fact: dict) -> bool:
    """The fact is printed where the cell is: table, page, side, row and column (its header names the cell's)."""
    return (fact["table_id"] == cell["table_id"] and fact["source_page"] == cell["page"]
            and fact["side"] == cell["side"] and _header(cell["column"]) in _header(fact["measure_label"])
            and (cell["row"] is None or cell["row"] in (fact["item_code"], compact(fact["item_name"]))))


def score(cells: list[dict], raw_dir: Path = DEV_PDF, workers: int = 0) -> Scored:
    """Each cell right or not, and the reports' identities; the reports are parsed once each, on every core."""
    names = sorted({cell["file"] for cell in cells})
    sources = {source.source_path: source for source in discover(raw_dir)}  # each file hashed once
    with ProcessPoolExecutor(workers or os.cpu_count() or 1, mp_context=multiprocessing.get_context("spawn")) as pool:
        parsed = dict(zip(names, pool.map(_parse, [raw_dir] * len(names), [sources[n] for n in names])))
    outcomes = []
    for cell in cells:
        there = [f for f in parsed[cell["file"]][0] if _at(cell, f)]
        right = any(f["amount"] == Decimal(cell["amount"]) and f["unit"] == cell["unit"] for f in there)
        outcomes.append(Outcome(cell, right, [] if right else sorted({f"{f['amount']} {f['unit']}" for f in there})))
    return Scored(outcomes, {name: checks for name, (_, checks) in parsed.items()})


def verdicts(path: Path = VERDICTS) -> dict[tuple, dict]:
    """What the page shows of each failing identity looked up by eye, by (file, table_id, check, subject); each
    verdict names the figure it saw (`printed`), so a verdict on a figure since read otherwise is not shown."""
    if not Path(path).exists():
        return {}
    return {(v["file"], v["table_id"], v["check"], v["subject"]): v for v in load(path)}


def _line(label: str, outcomes: list[Outcome]) -> str:
    right = sum(o.right for o in outcomes)
    return f"| {label} | {right} / {len(outcomes)} | {right / len(outcomes):.1%} |"


def render(scored: Scored, looked_up: dict[tuple, dict] | None = None) -> str:
    """docs/accuracy.md: the figures overall, per table family and per report, then every miss, then the
    identities of the same reports and what the page shows of each failing one."""
    outcomes = scored.outcomes
    reports = Counter(o.cell["file"] for o in outcomes)
    lines = ["# Accuracy on hand-checked cells of real reports", "",
             "Generated by `python -m pipeline accuracy` from `data/dev/truth.json`; do not edit by hand.", "",
             f"{len(outcomes)} cells of {len(reports)} real reports (budgets and final accounts of departments and "
             "units of several provinces, none used to tune the parsers), each read by eye from the rendered PDF "
             "page and checked a second time, again by eye, by someone else (see `data/dev/README.md`). A cell is "
             "right when the report yields a fact at the same table, page, side, row and column with exactly the "
             "printed figure and unit.", "", "| | right | share |", "|---|---|---|", _line("**all cells**", outcomes),
             "", "## Per table family", "", "| table_id | right | share |", "|---|---|---|"]
    for table_id in sorted({o.cell["table_id"] for o in outcomes}):
        lines.append(_line(f"`{table_id}`", [o for o in outcomes if o.cell["table_id"] == table_id]))
    lines += ["", "## Per report", "", "| report | right | share |", "|---|---|---|"]
    for name in sorted(reports):
        lines.append(_line(name, [o for o in outcomes if o.cell["file"] == name]))
    misses = [o for o in outcomes if not o.right]
    lines += ["", "## Cells not read right", "", "| report | page | table | row | column | printed | read |",
              "|---|---|---|---|---|---|---|"]
    for o in misses:
        c = o.cell
        printed = "blank" if c.get("blank") else f"{c['amount']} {c['unit']}"
        lines.append(f"| {c['file']} | {c['page']} | `{c['table_id']}` | {c['row'] or '(one row)'} | "
                     f"{'/'.join(c.get('column_path') or [c['column']])} | {printed} | "
                     f"{', '.join(o.read) or 'nothing at that row and column'} |")
    lines += _identity_lines(scored.identities, verdicts() if looked_up is None else looked_up)
    return "\n".join(lines + scans.render()) + "\n"


def page_shows(looked_up: dict[tuple, dict], name: str, check: dict) -> str:
    """What the page of a failing identity was seen to print; a verdict on a figure since read otherwise is
    not shown (look again)."""
    seen = looked_up.get((name, check["table_id"], check["check"], check["subject"]))
    return f"{seen['verdict']}: {seen['note']}" if seen and seen["printed"] == str(check["actual"]) \
        else "not yet looked up"


def _identity_lines(identities: dict[str, list[dict]], looked_up: dict[tuple, dict]) -> list[str]:
    checks = [c for name in sorted(identities) for c in identities[name]]
    passed = sum(c["passed"] for c in checks)
    lines = ["", "## Identities of the same reports", "",
             f"{passed} of {len(checks)} applicable accounting identities pass"
             f" ({passed / len(checks):.1%})." if checks else "No applicable identity.",
             "A failing identity is a misreading to mend or a report whose own printed figures do not add up; "
             "each is looked up on the page of the printed figure it checks, and what the page shows is recorded "
             "by hand in `data/dev/identities.json` (`docs/audit.md` lists those of every report of the development "
             "corpus).", "",
             "| report | page | table | check | subject | expected | printed | the page shows |",
             "|---|---|---|---|---|---|---|---|"]
    for name in sorted(identities):
        for c in identities[name]:
            if c["passed"]:
                continue
            shows = page_shows(looked_up, name, c)
            at = c["source_page"] if c["source_page"] is not None else "—"
            lines.append(f"| {name} | {at} | `{c['table_id']}` | {c['check']} | {c['subject'].replace('|', '/')} | "
                         f"{c['expected']} | {c['actual']} | {shows} |")
    return lines
