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


def _quote(text: str) -> str:
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
            connection.execute(f"ATTACH {_quote(str(temporary))} AS catalog (STORAGE_VERSION 'v1.0.0')")
            for schema in schemas:
                path = table_path(curated_dir, schema)
                if not path.exists():
                    continue
                connection.execute(
                    f"CREATE TABLE catalog.{schema.name} AS SELECT * FROM read_parquet({_quote(str(path))})"
                )
                connection.execute(
                    f"COMMENT ON TABLE catalog.{schema.name} IS {_quote(f'{schema.zh} — {schema.en}')}"
                )
                for column in schema.columns:
                    connection.execute(
                        f"COMMENT ON COLUMN catalog.{schema.name}.{column.name} "
                        f"IS {_quote(f'{column.zh} — {column.en}')}"
                    )
            connection.execute("DETACH catalog")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
        Path(f"{temporary}.wal").unlink(missing_ok=True)
    return target
