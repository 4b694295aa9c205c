"""Per-report quarantine: a report whose rows show that we misread it is held back alone, with its reasons.

The rule. A report is quarantined on evidence that *our reading* of it is
wrong, never because the bureau's own figures disagree:

- a `report`-scope expectation of its rows fails (`pipeline/expectations.py`):
  two facts with one natural key, a required field left empty, a code or year
  not of its form, an amount out of range, weights and scores misread;
- its rows name another document;
- its reconciliation pass rate is below `MIN_PASS_RATE` with at least
  `MIN_FAILED` identities failing. One misprinted figure fails the few
  identities it enters (its row, its column, the same figure in another
  table): that is a finding, published as failing `reconciliation` rows. A
  column or row read in the wrong place fails many at once.

A quarantined report keeps its Parquet files; its `documents` row says
`quarantined` with the reasons in `error`, and the catalog holds its rows in
the `quarantine` schema instead of the curated tables. It leaves quarantine by
itself when its file changes, when the checks change, or when new code reads
it: a quarantined report parsed by other code is parsed again (`needs_reparse`).
"""

from __future__ import annotations

import bisect
import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.expectations import REPORT, Finding, Outcome, short
from pipeline.schema import DOCUMENTS, RECONCILIATION, TableSchema
from pipeline.store import QUARANTINE, STATE, doc_of, part_path, quarantined, write_state
from pipeline.writer import write_parquet

MIN_PASS_RATE = 0.9  # share of a report's applicable identities that must pass ...
MIN_FAILED = 3  # ... unless fewer than this many fail: a misprint, not a misread
PASS_RATE_RULES = f"min_pass_rate={MIN_PASS_RATE};min_failed={MIN_FAILED}"
STATUS = "quarantined"
EXAMPLES = 3  # offending rows named in a reason
_LABELS = ("table_id", "side", "item_code", "item_name", "measure", "category", "check", "subject", "project_id",
           "ordinal", "indicator")


def rules_of(suite_json: dict) -> str:
    """A digest of a suite: when it changes, every report is checked again."""
    return hashlib.sha256(json.dumps(suite_json, sort_keys=True).encode()).hexdigest()


def split_findings(outcome: Outcome, table: pa.Table, owners: list[tuple[str, int]],
                   schema: TableSchema) -> tuple[list[str], dict[str, list[str]]]:
    """A validation of many reports' rows, split into contract failures (a line each) and each report's reasons.

    A `report` finding belongs to the reports that hold its rows; one of `mostly` fails a report when more
    than its allowed share of that report's rows miss it. A finding with no rows is about the table: contract.
    """
    starts = [0]
    for _, count in owners:
        starts.append(starts[-1] + count)
    contract: list[str] = []
    reports: dict[str, list[str]] = {}
    for finding in outcome.findings:
        if finding.scope != REPORT or not finding.rows:
            if not finding.success:
                contract.append(f"{finding.expectation} {short(finding.kwargs)}: {finding.count} rows, "
                                f"e.g. {finding.unexpected}")
            continue
        by_owner: dict[int, list[int]] = {}
        for row in finding.rows:
            by_owner.setdefault(bisect.bisect_right(starts, row) - 1, []).append(row)
        domain = _domain(table, finding) if finding.mostly < 1 else None
        for owner, rows in by_owner.items():
            doc_id, count = owners[owner]
            if domain is not None:
                count = pc.sum(domain.slice(starts[owner], count).cast(pa.int64())).as_py() or 0
                if len(rows) <= (1 - finding.mostly) * count:
                    continue  # within the share this expectation allows in one report
            reports.setdefault(doc_id, []).append(_reason(schema, finding, table, rows, count))
    return contract, reports


def _domain(table: pa.Table, finding: Finding) -> pa.Array:
    """The rows a `mostly` expectation counts: GX leaves out those whose values are missing."""
    kwargs = finding.kwargs
    if "column_A" in kwargs:
        a, b = pc.is_valid(table[kwargs["column_A"]]), pc.is_valid(table[kwargs["column_B"]])
        rule = kwargs.get("ignore_row_if", "both_values_are_missing")
        if rule == "either_value_is_missing":
            return pc.and_(a, b).combine_chunks()
        if rule == "both_values_are_missing":
            return pc.or_(a, b).combine_chunks()
    elif "column" in kwargs and finding.expectation != "expect_column_values_to_not_be_null":
        return pc.is_valid(table[kwargs["column"]]).combine_chunks()
    return pa.array([True] * table.num_rows)


def _reason(schema: TableSchema, finding: Finding, table: pa.Table, rows: list[int], count: int) -> str:
    """One readable phrase: the table, the expectation and its column, how many rows, and a few of them."""
    subject = finding.kwargs.get("column") or finding.kwargs.get("column_list") or (
        f"{finding.kwargs.get('column_A')} ≥ {finding.kwargs.get('column_B')}")
    if isinstance(subject, list):
        subject = ", ".join(subject)
    share = f" of {count}" if finding.mostly < 1 else ""
    column = finding.kwargs.get("column")
    examples = "; ".join(f"{row[column]} ({row_label(row)})" if column else row_label(row)
                         for row in (table.slice(i, 1).to_pylist()[0] for i in rows[:EXAMPLES]))
    return f"{schema.name}: {finding.expectation} ({subject}): {len(rows)}{share} rows, e.g. {examples}"


def row_label(row: dict) -> str:
    """A row as a person finds it on the page: what it is (table, code, name, measure, …) and where."""
    words = [str(row[name]) for name in _LABELS if row.get(name) not in (None, "")]
    if row.get("amount") is not None:
        words.append(str(row["amount"]))
    if row.get("source_line") is not None:
        words.append(f"line {row['source_line']}")
    elif row.get("source_page") is not None:
        words.append(f"p. {row['source_page']}")
    return " ".join(words) or "a row"


def foreign_rows(table: pa.Table, owners: list[tuple[str, int]], schema: TableSchema) -> dict[str, list[str]]:
    """Reports whose file holds rows that name another document: a row must belong to the report it is stored with."""
    reasons: dict[str, list[str]] = {}
    start = 0
    for doc_id, count in owners:
        ids = table["doc_id"].slice(start, count)
        other = pc.filter(ids, pc.not_equal(ids, doc_id)).to_pylist() if count else []
        if other:
            reasons[doc_id] = [f"{schema.name}: {len(other)} rows name another document "
                               f"({', '.join(sorted(set(other))[:EXAMPLES])})"]
        start += count
    return reasons


def low_pass_rates(checks: pa.Table) -> dict[str, str]:
    """The reports (a table of reconciliation `doc_id`, `passed`) whose identities fail too often for a misprint."""
    applicable = checks.filter(pc.is_valid(checks["passed"]))
    counts = applicable.group_by("doc_id").aggregate([("passed", "count"), ("passed", "sum")])
    reasons = {}
    for row in counts.to_pylist():
        total, passed = row["passed_count"], row["passed_sum"]
        if passed / total < MIN_PASS_RATE and total - passed >= MIN_FAILED:
            reasons[row["doc_id"]] = (f"{RECONCILIATION.name}: {passed} of {total} applicable identities pass "
                                      f"({passed / total:.1%}, below {MIN_PASS_RATE:.0%}): a misread is likely")
    return dict(sorted(reasons.items()))


# ------------------------------------------------------------ the quarantine of the store

def apply(curated_dir: Path, verdicts: dict[str, list[str]], complete: set[str]) -> dict[str, dict]:
    """Quarantine the reports of `verdicts` (doc_id → reasons) and release the others; the quarantine now.

    Each report's `documents` file is rewritten only when its status or error changes, so a second run
    over the same verdicts writes nothing. A released report gets back the status and error it was
    parsed with; one parsed again since (its row no longer says quarantined) keeps its new row. Only the
    reports a verdict or the last record names are read: no other row can say quarantined.
    """
    before = quarantined(curated_dir)
    now: dict[str, dict] = {}
    for doc_id in sorted((set(verdicts) | set(before)) & complete):
        path = part_path(curated_dir, DOCUMENTS, doc_id)
        row = pq.read_table(path, schema=DOCUMENTS.arrow()).to_pylist()[0]
        held = row["status"] == STATUS
        parsed = before.get(doc_id) if held else {"status": row["status"], "error": row["error"]}
        if parsed is None:  # quarantined by a record since lost: the reasons are recomputed below
            parsed = {"status": "partial" if row["n_rejects"] or row["missing_tables"] else "ok", "error": None}
        reasons = verdicts.get(doc_id)
        if reasons:
            now[doc_id] = {"reasons": reasons, "status": parsed["status"], "error": parsed["error"]}
            wanted = {"status": STATUS, "error": " | ".join(reasons) + " (its rows are in the quarantine schema)"}
        elif held:
            wanted = {"status": parsed["status"], "error": parsed["error"]}
        else:
            continue
        if {"status": row["status"], "error": row["error"]} != wanted:
            write_parquet(path, DOCUMENTS, [{**row, **wanted}])
    write_state(Path(curated_dir) / STATE / QUARANTINE, json.dumps(now, ensure_ascii=False, sort_keys=True, indent=1))
    return now


def document_paths(curated_dir: Path, doc_ids) -> dict[str, str]:
    """The raw file (`documents.source_path`) of each report: how a person knows it."""
    return {doc_id: pq.read_table(part_path(curated_dir, DOCUMENTS, doc_id), columns=["source_path"])
            ["source_path"][0].as_py() for doc_id in doc_ids}
