"""Blocking asset checks: every curated table against its Great Expectations suite.

Each check reads the whole table (every partition). A failing check stops the
run before the DuckDB catalog is rebuilt, so users keep querying the last good
catalog. The suites live in `expectations/`.
"""

import dagster as dg

from assets.resources import CorpusDirs
from pipeline.expectations import load_suite, validate
from pipeline.schema import CURATED_TABLES, DOCUMENTS, RECONCILIATION, TableSchema
from pipeline.store import read_table

MIN_PASS_RATE = 0.9  # share of applicable reconciliation checks a document must pass


def expectations_check(schema: TableSchema) -> dg.AssetChecksDefinition:
    name = schema.name

    @dg.asset_check(asset=dg.AssetKey(name), name=f"{name}_expectations", blocking=True,
                    additional_deps=[] if name == "documents" else [dg.AssetKey("documents")],
                    description=f"expectations/{name}.json: columns, keys, allowed values, ranges")
    def check(dirs: CorpusDirs) -> dg.AssetCheckResult:
        table = read_table(dirs.curated, schema)
        extra = []
        if name != "documents" and "doc_id" in table.column_names:
            known = read_table(dirs.curated, DOCUMENTS, ["doc_id"]).column(0).to_pylist()
            extra = [{"type": "expect_column_values_to_be_in_set",
                      "kwargs": {"column": "doc_id", "value_set": sorted(known)}}]
        outcome = validate(table, load_suite(name), extra)
        lines = [f"{f['expectation']} {f['kwargs']}: {f['unexpected_count']} rows, e.g. {f['unexpected']}"
                 for f in outcome.failures]
        return dg.AssetCheckResult(
            passed=outcome.success,
            description="; ".join(lines) or f"all {outcome.evaluated} expectations met",
            metadata={"expectations": outcome.evaluated, "failed": len(outcome.failures),
                      "failures": dg.MetadataValue.md("\n".join(f"- {line}" for line in lines) or "none")},
        )

    return check


@dg.asset_check(asset=dg.AssetKey(RECONCILIATION.name), blocking=True,
                description=f"every document passes at least {MIN_PASS_RATE:.0%} of its applicable checks")
def reconciliation_pass_rate(dirs: CorpusDirs) -> dg.AssetCheckResult:
    rows = read_table(dirs.curated, RECONCILIATION, ["doc_id", "passed"]).to_pylist()
    rates: dict[str, list[int]] = {}
    for row in rows:
        if row["passed"] is not None:
            rates.setdefault(row["doc_id"], [0, 0])[row["passed"]] += 1
    low = {doc: round(passed / (passed + failed), 3) for doc, (failed, passed) in rates.items()
           if passed / (passed + failed) < MIN_PASS_RATE}
    return dg.AssetCheckResult(passed=not low, description=f"documents below the rate: {low}" if low else "ok",
                               metadata={"documents": len(rates), "below": len(low)})


ALL_CHECKS = [expectations_check(schema) for schema in CURATED_TABLES]
ALL_CHECKS.append(reconciliation_pass_rate)
