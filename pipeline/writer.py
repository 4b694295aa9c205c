"""Writers of the curated layer: Parquet per table and the DuckDB catalog.

Both are replaced atomically (write a temporary file beside the target, then
rename it over the target), so a crash never leaves a half-written table and a
reader never sees a half-built catalog.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.schema import TableSchema

CATALOG_NAME = "yibao.duckdb"


def table_path(curated_dir: Path, schema: TableSchema) -> Path:
    return Path(curated_dir) / schema.name / f"{schema.name}.parquet"


def write_table(curated_dir: Path, schema: TableSchema, rows: list[dict]) -> Path:
    """Write `rows` as the table's Parquet file, with the schema's exact column types."""
    table = pa.Table.from_pylist(rows, schema=schema.arrow())
    target = table_path(curated_dir, schema)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        pq.write_table(table, temporary, compression="zstd")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def build_catalog(curated_dir: Path, schemas: tuple[TableSchema, ...]) -> Path:
    """Build `yibao.duckdb` with one table per curated table, commented in Chinese and English.

    The catalog holds copies of the Parquet data, so it opens from any working
    directory and can be handed on as one file. It is written in DuckDB's
    v1.0.0 storage format, which DuckDB 1.x clients can open as well.
    """
    curated_dir = Path(curated_dir)
    target = curated_dir / CATALOG_NAME
    temporary = curated_dir / f".{CATALOG_NAME}.{os.getpid()}.tmp"
    temporary.unlink(missing_ok=True)
    try:
        with duckdb.connect() as connection:
            connection.execute(f"ATTACH {sql_literal(str(temporary))} AS catalog (STORAGE_VERSION 'v1.0.0')")
            for schema in schemas:
                path = table_path(curated_dir, schema)
                if not path.exists():
                    continue
                connection.execute(
                    f"CREATE TABLE catalog.{schema.name} AS SELECT * FROM read_parquet({sql_literal(str(path))})"
                )
                connection.execute(
                    f"COMMENT ON TABLE catalog.{schema.name} IS {sql_literal(f'{schema.zh} — {schema.en}')}"
                )
                for column in schema.columns:
                    connection.execute(
                        f"COMMENT ON COLUMN catalog.{schema.name}.{column.name} "
                        f"IS {sql_literal(f'{column.zh} — {column.en}')}"
                    )
            _create_views(connection, schemas, {schema.name for schema in schemas
                                                if table_path(curated_dir, schema).exists()})
            connection.execute("DETACH catalog")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
        Path(f"{temporary}.wal").unlink(missing_ok=True)
    return target


def _create_views(connection, schemas: tuple[TableSchema, ...], tables: set[str]) -> None:
    """The analyst views (`pipeline/views.py`), for the tables this catalog holds, every column commented."""
    from pipeline.views import VIEW_COLUMNS, VIEWS

    known = {c.name: f"{c.zh} — {c.en}" for schema in schemas for c in schema.columns}
    connection.execute("USE catalog")
    for view in VIEWS:
        needed = {"expenditure_by_function": {"fiscal_facts"}, "project_scores": {"performance_projects",
                  "performance_indicators"}, "procurement_summary": {"procurement"}}[view.name]
        if not needed <= tables:
            continue
        connection.execute(f"CREATE VIEW {view.name} AS {view.sql}")
        connection.execute(f"COMMENT ON VIEW {view.name} IS {sql_literal(f'{view.zh} — {view.en}')}")
        columns = connection.execute(f"SELECT * FROM {view.name} LIMIT 0").description
        for name, *_ in columns:
            comment = VIEW_COLUMNS.get(name) or known.get(name, name)
            connection.execute(f"COMMENT ON COLUMN {view.name}.{name} IS {sql_literal(comment)}")
    connection.execute("USE memory")
