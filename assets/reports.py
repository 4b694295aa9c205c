"""Assets: parse the raw reports, publish the curated tables, build the DuckDB catalog."""

from datetime import datetime, timezone

import dagster as dg

from assets.resources import CorpusDirs
from pipeline.corpus import discover
from pipeline.reconcile import summarize
from pipeline.report import ParsedReport, document_row, parse_report
from pipeline.schema import (CURATED_TABLES, DOCUMENTS, FISCAL_FACTS, PERFORMANCE_INDICATORS, PERFORMANCE_PROJECTS,
                             PROCUREMENT, RECONCILIATION, REJECTS)
from pipeline.datapackage import write_datapackage
from pipeline.writer import build_catalog, write_table


@dg.asset(group_name="ingest", kinds={"python"})
def read_reports(context: dg.AssetExecutionContext, dirs: CorpusDirs) -> list[ParsedReport]:
    """Every raw report read, identified, its fiscal tables extracted and checked.

    Files with identical bytes are read once. A report that cannot be read is
    kept with its error; the others go on.
    """
    sources = discover(dirs.raw)
    reports = []
    for number, source in enumerate(sources, start=1):
        report = parse_report(dirs.raw, source)
        reports.append(report)
        if report.error:
            detail = f"FAILED: {report.error}"
        else:
            checks = summarize(report.checks)
            pages = report.read.document.pages
            speed = f"{pages} pages at {pages / report.seconds:.1f} pages/s, " if pages else ""
            detail = (f"{report.read.source_format}, {speed}{len(report.read.document.tables)} tables, "
                      f"{len(report.facts)} fiscal facts, {len(report.projects)} sheets with "
                      f"{len(report.indicators)} indicators, {checks['passed']}/{checks['checks']} checks passed, "
                      f"{len(report.rejects)} rejects")
        dirs.progress(context, f"[{number}/{len(sources)}] {source.source_path}: {detail}")
    return reports


def _write(dirs: CorpusDirs, schema, rows: list[dict], **metadata) -> dg.MaterializeResult:
    path = write_table(dirs.curated, schema, rows)
    return dg.MaterializeResult(metadata={"path": str(path), "rows": len(rows), **metadata})


@dg.asset(group_name="curated", kinds={"parquet"})
def documents(dirs: CorpusDirs, read_reports: list[ParsedReport]) -> dg.MaterializeResult:
    """`documents`: one row per distinct report, with its issuer, year, kind and status."""
    parsed_at = datetime.now(timezone.utc).replace(microsecond=0)
    rows = [document_row(report, parsed_at) for report in read_reports]
    preview = _preview(rows, ["source_path", "entity_name", "fiscal_year", "report_kind", "status",
                              "n_fiscal_facts", "n_rejects"])
    return _write(dirs, DOCUMENTS, rows, failed=sum(r["status"] == "failed" for r in rows),
                  preview=dg.MetadataValue.md(preview))


@dg.asset(group_name="curated", kinds={"parquet"})
def fiscal_facts(dirs: CorpusDirs, read_reports: list[ParsedReport]) -> dg.MaterializeResult:
    """`fiscal_facts`: every numeric cell of every standard fiscal table, with its provenance."""
    rows = [fact for report in read_reports for fact in report.facts]
    return _write(dirs, FISCAL_FACTS, rows, repaired=sum(r["repaired"] for r in rows))


@dg.asset(group_name="curated", kinds={"parquet"})
def performance_projects(dirs: CorpusDirs, read_reports: list[ParsedReport]) -> dg.MaterializeResult:
    """`performance_projects`: one row per performance sheet, with its funds block and total score."""
    return _write(dirs, PERFORMANCE_PROJECTS, [p for report in read_reports for p in report.projects])


@dg.asset(group_name="curated", kinds={"parquet"})
def performance_indicators(dirs: CorpusDirs, read_reports: list[ParsedReport]) -> dg.MaterializeResult:
    """`performance_indicators`: one row per 三级指标, with target, actual, weight and score."""
    return _write(dirs, PERFORMANCE_INDICATORS, [i for report in read_reports for i in report.indicators])


@dg.asset(group_name="curated", kinds={"parquet"})
def procurement(dirs: CorpusDirs, read_reports: list[ParsedReport]) -> dg.MaterializeResult:
    """`procurement`: 政府采购 totals by category, from the table or the narrative."""
    return _write(dirs, PROCUREMENT, [row for report in read_reports for row in report.procurement])


@dg.asset(group_name="curated", kinds={"parquet"})
def reconciliation(dirs: CorpusDirs, read_reports: list[ParsedReport]) -> dg.MaterializeResult:
    """`reconciliation`: every accounting identity of every report, passed, failed or not applicable."""
    rows = [check for report in read_reports for check in report.checks]
    return _write(dirs, RECONCILIATION, rows, **summarize(rows))


@dg.asset(group_name="curated", kinds={"parquet"})
def rejects(dirs: CorpusDirs, read_reports: list[ParsedReport]) -> dg.MaterializeResult:
    """`rejects`: everything a stage saw but could not parse, with reason and provenance."""
    return _write(dirs, REJECTS, [row for report in read_reports for row in report.rejects])


@dg.asset(group_name="serving", kinds={"duckdb"},
          deps=[documents, fiscal_facts, performance_projects, performance_indicators, procurement, reconciliation,
                rejects])
def catalog(dirs: CorpusDirs) -> dg.MaterializeResult:
    """`yibao.duckdb`: one commented table per curated table, rebuilt atomically by one writer."""
    path = build_catalog(dirs.curated, CURATED_TABLES)
    return dg.MaterializeResult(metadata={"path": str(path)})


@dg.asset(group_name="serving", kinds={"csv"}, deps=[catalog])
def datapackage(dirs: CorpusDirs) -> dg.MaterializeResult:
    """`datapackage.json`: CSV exports of the catalog described as a Frictionless (Fiscal) Data Package."""
    path = write_datapackage(dirs.curated)
    return dg.MaterializeResult(metadata={"path": str(path)})


def _preview(rows: list[dict], columns: list[str]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(row[c]) for c in columns) + " |" for row in rows[:20]]
    return "\n".join(lines)


ALL_ASSETS = [read_reports, documents, fiscal_facts, performance_projects, performance_indicators, procurement,
              reconciliation, rejects, catalog, datapackage]
