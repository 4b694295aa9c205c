"""The curated dataset for browsing in Datasette: a SQLite export, its metadata, and the server command.

`yibao.sqlite` is written from the DuckDB catalog (tables and analyst views),
atomically, next to it. Amounts stay exact: a DECIMAL column is TEXT as
printed in the catalog, followed by `<column>_x100` (an INTEGER of fen, so sums
are exact) for money, or `<column>_num` (REAL, for sorting and charts) for
scores and rates. Item, indicator and project names get an FTS5 index with the
trigram tokenizer, so Chinese words of three or more characters can be searched.
Titles and descriptions come from the same schema metadata as the catalog's
comments; the cookbook's questions become canned queries.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import duckdb

from pipeline.cookbook import RECIPES
from pipeline.schema import CURATED_TABLES
from pipeline.writer import CATALOG_NAME, replaced

SQLITE_NAME = "yibao.sqlite"
VIEWS = ("expenditure_by_function", "project_scores", "procurement_summary")
SEARCHABLE = {"fiscal_facts": ["item_name"], "performance_indicators": ["indicator"],
              "performance_projects": ["project_name"], "expenditure_by_function": ["item_name"]}
FACETS = {
    "documents": ["entity_name", "fiscal_year", "report_kind", "status", "source_format"],
    "fiscal_facts": ["entity_name", "fiscal_year", "report_kind", "table_id", "measure", "item_level"],
    "performance_projects": ["entity_name", "fiscal_year", "sheet_kind", "grade"],
    "performance_indicators": ["level1_key", "level2_key", "direction", "target_op"],
    "procurement": ["entity_name", "fiscal_year", "category", "source"],
    "reconciliation": ["table_id", "check", "passed"],
    "rejects": ["stage"],
    "expenditure_by_function": ["entity_name", "fiscal_year", "report_kind", "item_level", "class_name"],
    "project_scores": ["entity_name", "fiscal_year", "sheet_kind", "grade"],
    "procurement_summary": ["entity_name", "fiscal_year", "report_kind"],
}
LICENSE = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
SOURCE = ("Budget and final-account disclosures (部门预算/部门决算) of China's medical security bureaus",
          "https://github.com/")


def _sqlite_columns(name: str, duckdb_type: str) -> list[tuple[str, str, str]]:
    """(column, SQLite type, DuckDB expression) for one catalog column; decimals get a numeric companion."""
    quoted = f'"{name}"'
    if duckdb_type.startswith("DECIMAL"):
        scale = int(duckdb_type.rstrip(")").split(",")[1])
        text = (name, "TEXT", f"cast({quoted} as varchar)")
        if scale == 2:
            return [text, (f"{name}_x100", "INTEGER", f"cast({quoted} * 100 as bigint)")]
        return [text, (f"{name}_num", "REAL", f"cast({quoted} as double)")]
    if duckdb_type.endswith("[]"):
        return [(name, "TEXT", f"to_json({quoted})")]
    if duckdb_type.startswith("TIMESTAMP"):
        return [(name, "TEXT", f"strftime({quoted} at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ')")]
    if duckdb_type == "BOOLEAN" or "INT" in duckdb_type:
        return [(name, "INTEGER", f"cast({quoted} as bigint)")]
    if duckdb_type in ("DOUBLE", "FLOAT"):
        return [(name, "REAL", quoted)]
    return [(name, "TEXT", quoted)]


def export_sqlite(curated_dir: Path, batch: int = 50_000) -> Path:
    """Write `yibao.sqlite` from the catalog, replacing the previous one only when it is complete."""
    curated_dir = Path(curated_dir)
    catalog = curated_dir / CATALOG_NAME
    if not catalog.exists():
        raise FileNotFoundError(f"no catalog at {catalog}; run `make pipeline` first")
    target = curated_dir / SQLITE_NAME
    names = [schema.name for schema in CURATED_TABLES] + list(VIEWS)
    with duckdb.connect(str(catalog), read_only=True) as source, replaced(target) as temporary:
        sqlite = sqlite3.connect(temporary)
        for name in names:
            _copy(source, sqlite, name, f"select * from {name}", batch)
        for number, recipe in enumerate(RECIPES, start=1):  # the cookbook's answers, computed by DuckDB
            _copy(source, sqlite, f"cookbook_q{number:02d}", recipe.sql, batch)
        sqlite.commit()
        sqlite.close()
    return target


def _copy(source, sqlite, name: str, select: str, batch: int) -> None:
    """One query's result as a SQLite table, with its foreign key, facet indexes and full-text index."""
    described = source.execute(f"describe {select}").fetchall()
    columns = [c for column, kind, *_ in described for c in _sqlite_columns(column, kind)]
    has_doc = any(c[0] == "doc_id" for c in columns)
    foreign = ', FOREIGN KEY ("doc_id") REFERENCES documents("doc_id")' if has_doc and name != "documents" else ""
    definitions = ", ".join(f'"{c}" {kind}{" PRIMARY KEY" if (name, c) == ("documents", "doc_id") else ""}'
                            for c, kind, _ in columns)
    sqlite.execute(f'CREATE TABLE "{name}" ({definitions}{foreign})')
    result = source.execute(f"select {', '.join(e for *_, e in columns)} from ({select})")
    placeholders = ", ".join("?" for _ in columns)
    while rows := result.fetchmany(batch):
        sqlite.executemany(f'INSERT INTO "{name}" VALUES ({placeholders})', rows)
    for column in FACETS.get(name, []):
        sqlite.execute(f'CREATE INDEX "{name}_{column}" ON "{name}"("{column}")')
    if name in SEARCHABLE:
        fields = ", ".join(SEARCHABLE[name])
        sqlite.execute(f'CREATE VIRTUAL TABLE "{name}_fts" USING fts5({fields}, content="{name}", tokenize=\'trigram\')')
        sqlite.execute(f"INSERT INTO \"{name}_fts\"(\"{name}_fts\") VALUES ('rebuild')")


def metadata(curated_dir: Path) -> dict:
    """Datasette's metadata: titles, license and source, every table and column described, facets, canned queries."""
    from pipeline.views import VIEW_COLUMNS
    from pipeline.views import VIEWS as VIEW_DEFINITIONS

    known = {c.name: f"{c.zh} — {c.en}" for schema in CURATED_TABLES for c in schema.columns}
    tables = {}
    for schema in CURATED_TABLES:
        tables[schema.name] = {"title": f"{schema.zh} {schema.name}", "description": schema.en,
                               "columns": {c.name: f"{c.zh} — {c.en}" for c in schema.columns}}
    for view in VIEW_DEFINITIONS:
        tables[view.name] = {"title": f"{view.zh} {view.name}", "description": view.en,
                             "columns": {**known, **VIEW_COLUMNS}}
    for name, entry in tables.items():
        entry["facets"] = FACETS.get(name, [])
        if name in SEARCHABLE:
            entry["fts_table"], entry["fts_pk"] = f"{name}_fts", "rowid"
        for column, text in list(entry["columns"].items()):
            if column in ("amount", "amount_yuan", "total", "basic", "project", "budget_full_year", "executed"):
                entry["columns"][f"{column}_x100"] = f"{text} (in fen: ×100, an exact integer for sums)"
        entry["columns"] = {c: t for c, t in entry["columns"].items()}
    queries = {f"cookbook_q{number:02d}": {
        "title": recipe.question.splitlines()[0],
        "description": f"The answer as of the last refresh, computed in the DuckDB catalog by: {recipe.sql.strip()}",
        "sql": f"select * from cookbook_q{number:02d}"} for number, recipe in enumerate(RECIPES, start=1)}
    return {
        "title": "医保预决算开放数据 · Yibao Open Budgets",
        "description": "Budgets and final accounts of China's medical security bureaus (医疗保障局), every figure "
                       "traceable to its document and printed line or page. Amounts are exact: the text column is "
                       "the amount in its unit (see `unit`), `_x100` columns are exact integers of fen (1/100 yuan) "
                       "for sums.",
        "license": LICENSE[0], "license_url": LICENSE[1],
        "source": SOURCE[0],
        "databases": {Path(SQLITE_NAME).stem: {"tables": tables, "queries": queries}},
    }


def write_metadata(curated_dir: Path) -> Path:
    target = Path(curated_dir) / "datasette-metadata.json"
    with replaced(target) as temporary:
        temporary.write_text(json.dumps(metadata(curated_dir), ensure_ascii=False, indent=2), encoding="utf-8")
    return target


PLUGINS = Path(__file__).parent / "datasette_plugins"


def datasette_command(curated_dir: Path, raw_dir: Path, host: str, port: int) -> list[str]:
    """The command that serves the export: metadata, our plugins, and the raw reports as static files."""
    import sys

    curated_dir = Path(curated_dir)
    return [sys.executable, "-m", "datasette", "serve", str(curated_dir / SQLITE_NAME),
            "--metadata", str(curated_dir / "datasette-metadata.json"), "--plugins-dir", str(PLUGINS),
            "--static", f"raw:{Path(raw_dir).resolve()}", "--host", host, "--port", str(port),
            "--setting", "default_page_size", "50", "--setting", "max_returned_rows", "5000",
            "--setting", "sql_time_limit_ms", "5000"]
