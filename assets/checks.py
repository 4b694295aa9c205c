"""Blocking asset checks: every curated table against its Great Expectations suite.

A check validates the documents' files that have not passed it yet (new or
rewritten since, or all of them when the suite changed), so a nightly refresh
checks what changed, not the whole corpus again; every key of the suites
includes the document, so checking per document (and in slices of documents,
to bound memory) loses nothing. A failing check
stops the run before the DuckDB catalog is rebuilt, so users keep querying the
last good catalog. The suites live in `expectations/`.
"""

import hashlib
import json

import dagster as dg

from assets.resources import CorpusDirs
from pipeline.expectations import load_suite, validate
from pipeline.reconcile import documents_below
from pipeline.schema import CURATED_TABLES, RECONCILIATION, TableSchema
from pipeline.store import batches, document_ids, mark_checked, read_parts, table_parts, unchecked_parts

MIN_PASS_RATE = 0.9  # share of applicable reconciliation checks a document must pass
BATCH_ROWS = 250_000  # rows validated at a time (GX holds them in pandas: about 1 KB a row at most)


def expectations_check(schema: TableSchema) -> dg.AssetChecksDefinition:
    name = schema.name

    @dg.asset_check(asset=dg.AssetKey(name), name=f"{name}_expectations", blocking=True,
                    additional_deps=[] if name == "documents" else [dg.AssetKey("documents")],
                    description=f"expectations/{name}.json: columns, keys, allowed values, ranges")
    def check(dirs: CorpusDirs) -> dg.AssetCheckResult:
        suite = load_suite(name)
        rules = hashlib.sha256(json.dumps(suite, sort_keys=True).encode()).hexdigest()
        complete = document_ids(dirs.curated)
        stored = table_parts(dirs.curated, schema, complete)
        parts = unchecked_parts(dirs.curated, f"{name}_expectations", stored, rules)
        if not parts:
            return dg.AssetCheckResult(passed=True, description="nothing new since the last passing check",
                                       metadata={"documents_checked": 0})
        documents = None
        if name != "documents" and any(c.name == "doc_id" for c in schema.columns):
            documents = complete  # every row belongs to a stored document
        passed, lines, rows, evaluated = [], [], 0, 0
        for group in batches(parts, BATCH_ROWS):  # a large corpus in slices of documents: bounded memory
            table = read_parts(group, schema)
            outcome = validate(table, suite, documents=documents)
            rows, evaluated = rows + table.num_rows, outcome.evaluated
            if outcome.success:
                passed += group
            lines += [f"{f['expectation']} {f['kwargs']}: {f['unexpected_count']} rows, e.g. {f['unexpected']}"
                      for f in outcome.failures]
        mark_checked(dirs.curated, f"{name}_expectations", stored, rules, passed)
        return dg.AssetCheckResult(
            passed=not lines,
            description="; ".join(lines) or f"all {evaluated} expectations met",
            metadata={"documents_checked": len(parts), "rows": rows, "expectations": evaluated,
                      "failed": len(lines),
                      "failures": dg.MetadataValue.md("\n".join(f"- {line}" for line in lines) or "none")},
        )

    return check


@dg.asset_check(asset=dg.AssetKey(RECONCILIATION.name), blocking=True,
                description=f"every document passes at least {MIN_PASS_RATE:.0%} of its applicable checks")
def reconciliation_pass_rate(dirs: CorpusDirs) -> dg.AssetCheckResult:
    rules = f"min_pass_rate={MIN_PASS_RATE}"
    stored = table_parts(dirs.curated, RECONCILIATION)
    parts = unchecked_parts(dirs.curated, "reconciliation_pass_rate", stored, rules)
    low = documents_below(read_parts(parts, RECONCILIATION, ["doc_id", "passed"]), MIN_PASS_RATE)
    if not low:
        mark_checked(dirs.curated, "reconciliation_pass_rate", stored, rules, parts)
    return dg.AssetCheckResult(passed=not low, description=f"documents below the rate: {low}" if low else "ok",
                               metadata={"documents_checked": len(parts), "below": len(low)})


ALL_CHECKS = [expectations_check(schema) for schema in CURATED_TABLES]
ALL_CHECKS.append(reconciliation_pass_rate)
