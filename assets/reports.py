"""Assets: read the raw reports, publish the curated tables, build the DuckDB catalog."""

from datetime import datetime, timezone

import dagster as dg

from assets.resources import CorpusDirs
from pipeline.corpus import ReadResult, discover, document_row, read_source
from pipeline.schema import CURATED_TABLES, DOCUMENTS, REJECTS
from pipeline.writer import build_catalog, write_table


@dg.asset(group_name="ingest", kinds={"python"})
def read_reports(context: dg.AssetExecutionContext, dirs: CorpusDirs) -> list[ReadResult]:
    """Every raw report read into the document model (headings, paragraphs, table grids).

    Files with identical bytes are read once. A report that cannot be read is
    kept with its error; the others go on.
    """
    sources = discover(dirs.raw)
    results = []
    for number, source in enumerate(sources, start=1):
        result = read_source(dirs.raw, source)
        results.append(result)
        detail = (
            f"{result.document.source_format}, {len(result.document.tables)} tables"
            if result.document else f"FAILED: {result.error}"
        )
        dirs.progress(context, f"[{number}/{len(sources)}] {source.source_path}: {detail}")
    return results


@dg.asset(group_name="curated", kinds={"parquet"})
def documents(context: dg.AssetExecutionContext, dirs: CorpusDirs,
              read_reports: list[ReadResult]) -> dg.MaterializeResult:
    """`documents`: one row per distinct report, with its issuer, year, kind and status."""
    parsed_at = datetime.now(timezone.utc).replace(microsecond=0)
    rows = [document_row(result, parsed_at) for result in read_reports]
    path = write_table(dirs.curated, DOCUMENTS, rows)
    failed = sum(row["status"] == "failed" for row in rows)
    return dg.MaterializeResult(metadata={
        "path": str(path), "rows": len(rows), "failed": failed,
        "preview": dg.MetadataValue.md(_preview(rows, ["source_path", "entity_name", "fiscal_year",
                                                       "report_kind", "status"])),
    })


@dg.asset(group_name="curated", kinds={"parquet"})
def rejects(dirs: CorpusDirs, read_reports: list[ReadResult]) -> dg.MaterializeResult:
    """`rejects`: everything a stage saw but could not parse, with reason and provenance."""
    rows = [row for result in read_reports for row in result.rejects]
    path = write_table(dirs.curated, REJECTS, rows)
    return dg.MaterializeResult(metadata={"path": str(path), "rows": len(rows)})


@dg.asset(group_name="serving", kinds={"duckdb"}, deps=[documents, rejects])
def catalog(dirs: CorpusDirs) -> dg.MaterializeResult:
    """`yibao.duckdb`: one commented table per curated table, rebuilt atomically by one writer."""
    path = build_catalog(dirs.curated, CURATED_TABLES)
    return dg.MaterializeResult(metadata={"path": str(path)})


def _preview(rows: list[dict], columns: list[str]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(row[c]) for c in columns) + " |" for row in rows[:20]]
    return "\n".join(lines)


ALL_ASSETS = [read_reports, documents, rejects, catalog]
