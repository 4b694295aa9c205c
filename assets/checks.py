"""Blocking asset checks: every curated table against its Great Expectations suite.

A failing check stops the run before the DuckDB catalog is rebuilt, so users
keep querying the last good catalog. The suites live in `expectations/`.
"""

import pyarrow.parquet as pq

import dagster as dg

from assets.reports import (documents, fiscal_facts, performance_indicators, performance_projects, procurement,
                            reconciliation, rejects)
from assets.resources import CorpusDirs
from pipeline.expectations import load_suite, validate
from pipeline.schema import CURATED_TABLES, DOCUMENTS, RECONCILIATION, TableSchema
from pipeline.writer import table_path

MIN_PASS_RATE = 0.9  # share of applicable reconciliation checks a document must pass


def _schema(name: str) -> TableSchema:
    return next(schema for schema in CURATED_TABLES if schema.name == name)


def expectations_check(asset: dg.AssetsDefinition) -> dg.AssetChecksDefinition:
    name = asset.key.to_user_string()

    @dg.asset_check(asset=asset, name=f"{name}_expectations", blocking=True,
                    additional_deps=[] if name == "documents" else [documents],
                    description=f"expectations/{name}.json: columns, keys, allowed values, ranges")
    def check(dirs: CorpusDirs) -> dg.AssetCheckResult:
        table = pq.read_table(table_path(dirs.curated, _schema(name)))
        extra = []
        if name != "documents" and "doc_id" in table.column_names:
            known = pq.read_table(table_path(dirs.curated, DOCUMENTS), columns=["doc_id"]).column(0).to_pylist()
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


@dg.asset_check(asset=reconciliation, blocking=True,
                description=f"every document passes at least {MIN_PASS_RATE:.0%} of its applicable checks")
def reconciliation_pass_rate(dirs: CorpusDirs) -> dg.AssetCheckResult:
    rows = pq.read_table(table_path(dirs.curated, RECONCILIATION), columns=["doc_id", "passed"]).to_pylist()
    rates: dict[str, list[int]] = {}
    for row in rows:
        if row["passed"] is not None:
            rates.setdefault(row["doc_id"], [0, 0])[row["passed"]] += 1
    low = {doc: round(passed / (passed + failed), 3) for doc, (failed, passed) in rates.items()
           if passed / (passed + failed) < MIN_PASS_RATE}
    return dg.AssetCheckResult(passed=not low, description=f"documents below the rate: {low}" if low else "ok",
                               metadata={"documents": len(rates), "below": len(low)})


ALL_CHECKS = [expectations_check(asset) for asset in (documents, fiscal_facts, performance_projects,
                                                     performance_indicators, procurement, reconciliation, rejects)]
ALL_CHECKS.append(reconciliation_pass_rate)
