"""Writers of the curated layer: Parquet files and the DuckDB catalog.

Both are replaced atomically (write a temporary file beside the target, then
rename it over the target), so a crash never leaves a half-written table and a
reader never sees a half-built catalog.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.schema import TableSchema

CATALOG_NAME = "yibao.duckdb"


def write_parquet(target: Path, schema: TableSchema, rows: list[dict]) -> Path:
    """Write `rows` as one Parquet file with the schema's exact column types."""
    table = pa.Table.from_pylist(rows, schema=schema.arrow())
    target.parent.mkdir(parents=True, exist_ok=True)
    with replaced(target) as temporary:
        pq.write_table(table, temporary, compression="zstd")
    return target


@contextmanager
def replaced(target: Path):
    """A temporary path beside `target`, renamed over it when the block succeeds, removed when it fails."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
        Path(f"{temporary}.wal").unlink(missing_ok=True)


def _parquet(parts: list[Path]) -> str:
    files = ", ".join(sql_literal(str(p)) for p in parts)
    return f"read_parquet([{files}], hive_partitioning = false)"


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


QUARANTINE_SCHEMA = "quarantine"


def build_catalog(curated_dir: Path, tables: dict[TableSchema, list[Path]],
                  held: dict[TableSchema, list[Path]] | None = None) -> Path:
    """Build `yibao.duckdb` with one table per curated table, commented in Chinese and English.

    `tables` gives each table's Parquet files (one per document) to publish,
    `held` those of quarantined reports, which go to the same tables of the
    `quarantine` schema. The catalog holds copies of the data, so it opens
    from any working directory and can be handed on as one file. It is written
    in DuckDB's v1.0.0 storage format, which DuckDB 1.x clients can open as well.
    """
    target = Path(curated_dir) / CATALOG_NAME
    with replaced(target) as temporary, duckdb.connect() as connection:
        connection.execute(f"ATTACH {sql_literal(str(temporary))} AS catalog (STORAGE_VERSION 'v1.0.0')")
        connection.execute(f"CREATE SCHEMA catalog.{QUARANTINE_SCHEMA}")
        for schema, parts in tables.items():
            _create_table(connection, f"catalog.{schema.name}", schema, parts, f"{schema.zh} — {schema.en}")
            _create_table(connection, f"catalog.{QUARANTINE_SCHEMA}.{schema.name}", schema,
                          (held or {}).get(schema, []),
                          f"隔离的{schema.zh} — Rows of quarantined reports, held back from `{schema.name}` "
                          "(documents.error says why)")
        _materialize_views(connection, tuple(tables), {schema.name for schema in tables})
        connection.execute("DETACH catalog")
    return target


def _create_table(connection, name: str, schema: TableSchema, parts: list[Path], comment: str) -> None:
    if parts:
        source = _parquet(parts)
    else:
        connection.register("empty_table", schema.arrow().empty_table())
        source = "empty_table"
    connection.execute(f"CREATE TABLE {name} AS SELECT * FROM {source}")
    connection.execute(f"COMMENT ON TABLE {name} IS {sql_literal(comment)}")
    for column in schema.columns:
        connection.execute(f"COMMENT ON COLUMN {name}.{column.name} IS {sql_literal(f'{column.zh} — {column.en}')}")


def update_catalog(curated_dir: Path, changes: dict[TableSchema, tuple[set[str], list[Path], list[Path]]]) -> Path:
    """Apply per-document changes to a copy of `yibao.duckdb`, then rename the copy over it.

    `changes` maps a table to the doc_ids whose rows go (from the published
    and the quarantined rows alike) and the Parquet files whose rows come in,
    published and quarantined: a nightly refresh touches the reports that
    changed rather than copying every report's rows again.
    """
    target = Path(curated_dir) / CATALOG_NAME
    with replaced(target) as temporary, duckdb.connect() as connection:
        shutil.copyfile(target, temporary)
        connection.execute(f"ATTACH {sql_literal(str(temporary))} AS catalog")
        for schema, (gone, parts, held) in changes.items():
            for name, incoming in ((f"catalog.{schema.name}", parts),
                                   (f"catalog.{QUARANTINE_SCHEMA}.{schema.name}", held)):
                if gone:
                    ids = ", ".join(sql_literal(doc_id) for doc_id in sorted(gone))
                    connection.execute(f"DELETE FROM {name} WHERE doc_id IN ({ids})")
                if incoming:
                    connection.execute(f"INSERT INTO {name} SELECT * FROM {_parquet(incoming)}")
        touched = {doc_id for gone, _, _ in changes.values() for doc_id in gone}
        _materialize_views(connection, tuple(changes), {schema.name for schema in changes}, touched)
        connection.execute("DETACH catalog")
    return target


def describe_catalog(connection) -> dict[str, tuple[str, list[tuple[str, str, str]]]]:
    """Each table and view of an open catalog: its comment and its (column, type, comment), in catalog order."""
    objects = connection.execute(
        "select table_name, comment from duckdb_tables() where schema_name = 'main' union all "
        "select view_name, comment from duckdb_views() where not internal and schema_name = 'main'").fetchall()
    return {name: (comment or "", connection.execute(
                "select column_name, data_type, comment from duckdb_columns() where table_name = ? "
                "and schema_name = 'main' order by column_index", [name]).fetchall())
            for name, comment in objects}


def layout_digest(schemas: tuple[TableSchema, ...]) -> str:
    """A digest of the tables' columns and the views' SQL: when it changes, the catalog is built anew."""
    from pipeline.views import VIEWS

    layout = [(s.name, [(c.name, str(c.type), c.zh, c.en) for c in s.columns]) for s in schemas]
    views = [(v.name, v.sql) for v in VIEWS]
    return hashlib.sha256(repr((layout, views, "views materialized", QUARANTINE_SCHEMA)).encode()).hexdigest()


def _materialize_views(connection, schemas: tuple[TableSchema, ...], tables: set[str],
                       touched: set[str] | None = None) -> None:
    """The analyst views (`pipeline/views.py`) as tables of their rows, computed again from the tables.

    Stored rather than computed per query: over thousands of reports a view
    of grouped joins costs its readers seconds where a stored table costs
    milliseconds. `touched`: the doc_ids whose rows a refresh changed; each
    row of a view comes from one report's rows, so only theirs are computed
    again (seconds less for a 1% refresh of 5,000 reports). Without it every
    view is made anew, and every column commented like a table's.
    """
    from pipeline.views import VIEW_COLUMNS, VIEWS

    known = {c.name: f"{c.zh} — {c.en}" for schema in schemas for c in schema.columns}
    connection.execute("USE catalog")
    stored = {name for (name,) in connection.execute(
        "select table_name from duckdb_tables() where database_name = 'catalog' and schema_name = 'main'").fetchall()}
    for view in VIEWS:
        needed = {"expenditure_by_function": {"fiscal_facts"}, "project_scores": {"performance_projects",
                  "performance_indicators"}, "procurement_summary": {"procurement"}}[view.name]
        if not needed <= tables:
            continue
        if touched is not None and view.name in stored:
            if touched:
                ids = ", ".join(sql_literal(doc_id) for doc_id in sorted(touched))
                connection.execute(f"DELETE FROM {view.name} WHERE doc_id IN ({ids})")
                connection.execute(f"INSERT INTO {view.name} SELECT * FROM ({view.sql}) WHERE doc_id IN ({ids})")
            continue
        connection.execute(f"CREATE OR REPLACE TABLE {view.name} AS {view.sql}")
        connection.execute(f"COMMENT ON TABLE {view.name} IS {sql_literal(f'{view.zh} — {view.en}')}")
        columns = connection.execute(f"SELECT * FROM {view.name} LIMIT 0").description
        for name, *_ in columns:
            comment = VIEW_COLUMNS.get(name) or known.get(name, name)
            connection.execute(f"COMMENT ON COLUMN {view.name}.{name} IS {sql_literal(comment)}")
    connection.execute("USE memory")
