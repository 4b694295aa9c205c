"""Blocking asset checks: every curated table against its Great Expectations suite, report by report.

A check validates the documents' files it has no verdict on yet (new or
rewritten since, or all of them when the suite changed), in slices of
documents to bound memory, so a nightly refresh checks what changed, not the
whole corpus again. What fails is split by the expectation's scope
(`pipeline/expectations.py`):

- `contract` (the table's columns and order, the allowed values of its keys):
  a defect of our code. The check fails with severity ERROR, so the catalog is
  not rebuilt and users keep querying the last good one.
- `report` (one report's rows: unique keys, required fields, codes, ranges),
  its rows naming another document, or too low a reconciliation pass rate:
  evidence that this report was misread. The check fails with severity WARN,
  its verdict on that report is recorded, and the `quarantine` asset holds
  that report back while every other report is published.

Every check is blocking, so the quarantine asset runs after all of them have
recorded their verdicts. The suites live in `expectations/`.
"""

from pathlib import Path

import dagster as dg

from assets.resources import CorpusDirs
from pipeline.expectations import load_suite, validate
from pipeline.quarantine import PASS_RATE_RULES, foreign_rows, low_pass_rates, rules_of, split_findings
from pipeline.schema import CURATED_TABLES, RECONCILIATION, TableSchema
from pipeline.store import (batches, check_verdicts, doc_of, document_ids, mark_checked, read_parts, relative,
                            table_parts, unchecked_parts)

BATCH_ROWS = 250_000  # rows validated at a time (GX holds them in pandas: about 1 KB a row at most)
PASS_RATE = "reconciliation_pass_rate"


def check_name(schema: TableSchema) -> str:
    return f"{schema.name}_expectations"


def _rules(schema: TableSchema) -> str:
    return rules_of(load_suite(schema.name))


def expectations_check(schema: TableSchema) -> dg.AssetChecksDefinition:
    name = check_name(schema)

    @dg.asset_check(asset=dg.AssetKey(schema.name), name=name, blocking=True,
                    additional_deps=[] if schema.name == "documents" else [dg.AssetKey("documents")],
                    description=f"expectations/{schema.name}.json: columns and keys (blocking), then each report's "
                                "rows (a report that fails is quarantined)")
    def check(context: dg.AssetCheckExecutionContext, dirs: CorpusDirs) -> dg.AssetCheckResult:
        with dirs.lock(context):
            return _check(dirs)

    def _check(dirs: CorpusDirs) -> dg.AssetCheckResult:
        suite = load_suite(schema.name)
        rules = rules_of(suite)
        stored = table_parts(dirs.curated, schema, document_ids(dirs.curated))
        parts = unchecked_parts(dirs.curated, name, stored, rules)
        contract, checked, failures, rows, evaluated = [], [], {}, 0, 0
        for batch in batches(parts, BATCH_ROWS):  # a large corpus in slices of documents: bounded memory
            group = [part for part, _ in batch]
            table = read_parts(group, schema)
            owners = [(doc_of(part), count) for part, count in batch]  # which report each row belongs to
            outcome = validate(table, suite)
            lines, reasons = split_findings(outcome, table, owners, schema)
            for doc_id, more in foreign_rows(table, owners, schema).items():
                reasons.setdefault(doc_id, []).extend(more)
            rows, evaluated = rows + table.num_rows, outcome.evaluated + 1
            if lines:  # no verdict recorded: the slice is checked again once the code is mended
                contract += lines
                continue
            checked += group
            failures.update(_by_part(dirs.curated, group, reasons))
        mark_checked(dirs.curated, name, stored, rules, checked, failures)
        return _result(dirs.curated, name, stored, rules, contract,
                       {"documents_checked": len(parts), "rows": rows, "expectations": evaluated})

    return check


@dg.asset_check(asset=dg.AssetKey(RECONCILIATION.name), blocking=True,
                description="a report whose identities fail too often for a misprint is quarantined "
                            "(pipeline/quarantine.py)")
def reconciliation_pass_rate(context: dg.AssetCheckExecutionContext, dirs: CorpusDirs) -> dg.AssetCheckResult:
    with dirs.lock(context):
        return _pass_rate(dirs)


def _pass_rate(dirs: CorpusDirs) -> dg.AssetCheckResult:
    stored = table_parts(dirs.curated, RECONCILIATION)
    parts = unchecked_parts(dirs.curated, PASS_RATE, stored, PASS_RATE_RULES)
    low = low_pass_rates(read_parts(parts, RECONCILIATION, ["doc_id", "passed"]))
    mark_checked(dirs.curated, PASS_RATE, stored, PASS_RATE_RULES, parts,
                 _by_part(dirs.curated, parts, {doc_id: [reason] for doc_id, reason in low.items()}))
    return _result(dirs.curated, PASS_RATE, stored, PASS_RATE_RULES, [], {"documents_checked": len(parts)})


def _by_part(curated: Path, parts: list[Path], reasons: dict[str, list[str]]) -> dict[str, list[str]]:
    """Reasons by report, keyed by the relative path of that report's file among `parts`."""
    return {relative(curated, part): reasons[doc_id] for part in parts
            if (doc_id := doc_of(part)) in reasons}


def _result(curated: Path, name: str, stored: list[Path], rules: str, contract: list[str],
            metadata: dict) -> dg.AssetCheckResult:
    """ERROR on a contract failure; else WARN while some report fails this check (it is quarantined)."""
    failing = {doc_of(part): reasons
               for part, reasons in check_verdicts(curated, name, stored, rules).items() if reasons}
    listing = "\n".join(f"- `{doc_id}`: {'; '.join(reasons)}" for doc_id, reasons in sorted(failing.items()))
    metadata = {**metadata, "contract_failures": len(contract), "reports_failing": len(failing),
                "failures": dg.MetadataValue.md("\n".join(f"- {line}" for line in contract) or listing or "none")}
    if contract:
        return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.ERROR,
                                   description="; ".join(contract), metadata=metadata)
    if failing:
        return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN, metadata=metadata,
                                   description=f"{len(failing)} reports quarantined: " + "; ".join(
                                       f"{doc_id}: {'; '.join(reasons)}" for doc_id, reasons in sorted(failing.items())))
    return dg.AssetCheckResult(passed=True, description="every report passes", metadata=metadata)


def report_verdicts(curated: Path, complete: set[str]) -> dict[str, list[str]]:
    """Every check's reasons against each complete report (doc_id → reasons; a report no check failed is absent).

    A file a check has no verdict on is held back too: nothing unchecked is published.
    """
    verdicts: dict[str, list[str]] = {}
    tables = [(schema, check_name(schema), _rules(schema)) for schema in CURATED_TABLES]
    for schema, name, rules in [*tables, (RECONCILIATION, PASS_RATE, PASS_RATE_RULES)]:
        for part, reasons in check_verdicts(curated, name, table_parts(curated, schema, complete), rules).items():
            if reasons is None:
                reasons = [f"{schema.name}: not checked yet by {name} (run catalog_job)"]
            if reasons:
                verdicts.setdefault(doc_of(part), []).extend(reasons)
    return verdicts


ALL_CHECKS = [expectations_check(schema) for schema in CURATED_TABLES]
ALL_CHECKS.append(reconciliation_pass_rate)
