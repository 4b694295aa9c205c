"""Assets: each raw report (one dynamic partition) into the curated tables; the catalog and data package over all.

The curated tables are partitioned: a run for some partitions parses just
those reports (or skips them when their content is already stored) and writes
their own Parquet files. The catalog and the data package are unpartitioned and
built by one writer from every partition's files.
"""

from collections import Counter
from datetime import datetime, timezone

import dagster as dg

from assets.resources import CorpusDirs
from pipeline.datapackage import write_datapackage
from pipeline.reconcile import summarize
from pipeline.schema import CURATED_TABLES
from pipeline.store import STATE, Outcome, fingerprint, prune, refresh, table_parts
from pipeline.writer import CATALOG_NAME, build_catalog

reports = dg.DynamicPartitionsDefinition(name="reports")
"""One partition per raw file, keyed by its path relative to the raw directory."""

TABLE_SPECS = [dg.AssetSpec(schema.name, group_name="curated", kinds={"parquet"}, partitions_def=reports,
                            description=f"`{schema.name}` ({schema.zh}): {schema.en}")
               for schema in CURATED_TABLES]


@dg.multi_asset(specs=TABLE_SPECS, backfill_policy=dg.BackfillPolicy.single_run(), can_subset=False)
def report_tables(context: dg.AssetExecutionContext, dirs: CorpusDirs):
    """Parse the reports of the run's partitions into their Parquet files; unchanged content is not parsed again.

    One run may cover many partitions (a backfill or `python -m pipeline run`),
    so a large corpus pays Dagster's overhead once, not once per report.
    """
    keys = context.partition_keys
    parsed_at = datetime.now(timezone.utc).replace(microsecond=0)
    actions: Counter = Counter()
    for number, key in enumerate(keys, start=1):
        outcome = refresh(dirs.raw, dirs.curated, key, parsed_at)
        actions[outcome.action] += 1
        dirs.progress(context, f"{_bar(number, len(keys))} {key}: {_describe(outcome)}")
    for spec in TABLE_SPECS:
        yield dg.MaterializeResult(asset_key=spec.key, metadata={"partitions": len(keys), **actions})


def _bar(done: int, total: int, width: int = 20) -> str:
    filled = round(width * done / total)
    return f"[{'█' * filled}{'░' * (width - filled)}] {done}/{total}"


def _describe(outcome: Outcome) -> str:
    if outcome.action == "unchanged":
        return "unchanged, not parsed again"
    if outcome.action == "shared":
        return "same bytes as a file already parsed, recorded as its duplicate"
    if outcome.action == "removed":
        return "file gone, its rows removed"
    report = outcome.report
    if report.error:
        return f"FAILED: {report.error}"
    checks = summarize(report.checks)
    pages = report.read.document.pages
    speed = f"{pages} pages at {pages / report.seconds:.1f} pages/s, " if pages else ""
    return (f"{report.read.source_format}, {speed}{len(report.read.document.tables)} tables, "
            f"{len(report.facts)} fiscal facts, {len(report.projects)} sheets with {len(report.indicators)} "
            f"indicators, {checks['passed']}/{checks['checks']} checks passed, {len(report.rejects)} rejects")


@dg.asset(group_name="serving", kinds={"duckdb"}, deps=[spec.key for spec in TABLE_SPECS])
def catalog(context: dg.AssetExecutionContext, dirs: CorpusDirs) -> dg.MaterializeResult:
    """`yibao.duckdb`: every partition's rows, one commented table per curated table, rebuilt atomically.

    Files that left the raw directory are pruned first; when no Parquet file
    changed since the last build the catalog is left as it is, byte for byte.
    """
    removed = prune(dirs.raw, dirs.curated)
    for key in removed:
        dirs.progress(context, f"{key}: file gone, its rows removed")
    marker = dirs.curated / STATE / "catalog.fingerprint"
    current = fingerprint(dirs.curated)
    target = dirs.curated / CATALOG_NAME
    if target.exists() and marker.exists() and marker.read_text() == current:
        return dg.MaterializeResult(metadata={"path": str(target), "rebuilt": False, "removed": len(removed)})
    path = build_catalog(dirs.curated, {schema: table_parts(dirs.curated, schema) for schema in CURATED_TABLES})
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(current)
    return dg.MaterializeResult(metadata={"path": str(path), "rebuilt": True, "removed": len(removed)})


@dg.asset(group_name="serving", kinds={"csv"}, deps=[catalog])
def datapackage(dirs: CorpusDirs) -> dg.MaterializeResult:
    """`datapackage.json`: CSV exports of the catalog described as a Frictionless (Fiscal) Data Package."""
    path = write_datapackage(dirs.curated)
    return dg.MaterializeResult(metadata={"path": str(path)})


ALL_ASSETS = [report_tables, catalog, datapackage]
