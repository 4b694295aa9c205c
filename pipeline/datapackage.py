"""The curated layer as a Frictionless Data Package, for tools that do not read DuckDB.

`data/curated/datapackage.json` describes CSV exports of every curated table
and of the `expenditure_by_function` view (in `data/curated/csv/`), written
from the catalog so they hold exactly what it holds. Titles and descriptions
come from the catalog's comments, which come from `pipeline/schema.py`.
Fiscal Data Package conventions are followed where they fit: `columnType`
for the fiscal year, the issuing body, function codes and labels per level
(类/款/项), projects and amounts, and a constant `currency` of CNY.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

from pipeline.expectations import NATURAL_KEYS
from pipeline.schema import CURATED_TABLES
from pipeline.store import STATE, stamp
from pipeline.writer import CATALOG_NAME, describe_catalog, replaced, sql_literal

PACKAGE_NAME = "datapackage.json"
CSV_DIR = "csv"
EXPORTED_VIEWS = ("expenditure_by_function",)

# Fiscal Data Package columnTypes, by column name (the same meaning in every resource that has it).
COLUMN_TYPES: dict[str, str] = {
    "fiscal_year": "date:fiscal-year",
    "entity_name": "administrative-classification:generic:label",
    "class_code": "functional-classification:generic:level1:code",
    "class_name": "functional-classification:generic:level1:label",
    "section_code": "functional-classification:generic:level2:code",
    "section_name": "functional-classification:generic:level2:label",
    "project_code": "activity:generic:project:code",
    "project_name": "activity:generic:project:label",
    "amount": "value", "amount_yuan": "value",
    "total": "value", "basic": "value", "project": "value",
    "total_yuan": "value", "basic_yuan": "value", "project_yuan": "value",
}
# Function codes are the row's own code in the view; in fiscal_facts `classification` says which scheme.
RESOURCE_COLUMN_TYPES: dict[tuple[str, str], str] = {
    ("expenditure_by_function", "item_code"): "functional-classification:generic:code",
    ("expenditure_by_function", "item_name"): "functional-classification:generic:label",
}
# Resources whose amounts are money: they get the constant currency field.
MONEY_RESOURCES = {"fiscal_facts", "procurement", "expenditure_by_function"}
CURRENCY = {"name": "currency", "type": "string", "columnType": "value-currency:code", "constant": "CNY"}


def field_type(duckdb_type: str) -> dict:
    """Table Schema type of a DuckDB column type."""
    if duckdb_type.endswith("[]"):
        return {"type": "array"}
    if re.match(r"(TINY|SMALL|BIG|HUGE)?INT(EGER)?$", duckdb_type):
        return {"type": "integer"}
    if duckdb_type.startswith(("DECIMAL", "DOUBLE", "FLOAT")):
        return {"type": "number"}
    if duckdb_type == "BOOLEAN":
        return {"type": "boolean"}
    if duckdb_type.startswith("TIMESTAMP"):
        return {"type": "datetime"}
    return {"type": "string"}


def portable_expression(name: str, duckdb_type: str) -> str:
    """The column as text files and SQLite should hold it: JSON for lists, ISO 8601 UTC for timestamps."""
    quoted = f'"{name}"'
    if duckdb_type.endswith("[]"):
        return f"to_json({quoted})"
    if duckdb_type.startswith("TIMESTAMP"):
        return f"strftime({quoted} at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ')"
    return quoted


def split_comment(comment: str | None) -> tuple[str, str]:
    """A catalog comment `中文 — English` as (Chinese, English)."""
    zh, _, en = (comment or "").partition(" — ")
    return zh, en


def write_datapackage(curated_dir: Path, only_if_changed: bool = False) -> Path:
    """Export the catalog's tables and exported views to CSV and describe them in `datapackage.json`.

    `only_if_changed`: leave the package as it is when it was written from the
    catalog as it is now, by this code (a refresh that changed nothing).
    """
    curated_dir = Path(curated_dir)
    catalog = curated_dir / CATALOG_NAME
    if not catalog.exists():
        raise FileNotFoundError(f"no catalog at {catalog}; run `make pipeline` first")
    made_from = {"catalog": stamp(catalog), "code": hashlib.sha256(Path(__file__).read_bytes()).hexdigest()}
    state = curated_dir / STATE / "datapackage.json"
    if only_if_changed and (curated_dir / PACKAGE_NAME).exists() and state.exists() and json.loads(
            state.read_text(encoding="utf-8")) == made_from:
        return curated_dir / PACKAGE_NAME
    (curated_dir / CSV_DIR).mkdir(exist_ok=True)
    required = {(s.name, c.name) for s in CURATED_TABLES for c in s.columns if not c.nullable}
    with duckdb.connect(str(catalog), read_only=True) as connection:
        catalog = describe_catalog(connection)
        order = [s.name for s in CURATED_TABLES] + list(EXPORTED_VIEWS)
        names = [n for n in order if n in catalog]
        _copy_csvs(connection, {name: catalog[name][1] for name in names}, curated_dir)
    resources = [_resource(name, catalog[name][0], catalog[name][1], f"{CSV_DIR}/{name}.csv", required)
                 for name in names]
    package = {
        "name": "yibao-open-budgets",
        "title": "医保预决算开放数据 — Yibao Open Budgets",
        "description": "Budgets and final accounts of China's medical security bureaus (医疗保障局): fiscal "
                       "tables, performance self-evaluations, procurement, and the accounting identities "
                       "checked. Every figure is traceable to its document and printed line or page.",
        "profile": "tabular-data-package",
        "keywords": ["fiscal-data-package", "budget", "final account", "China", "medical security"],
        "resources": resources,
    }
    target = _write_text(curated_dir / PACKAGE_NAME, json.dumps(package, ensure_ascii=False, indent=2) + "\n")
    state.parent.mkdir(parents=True, exist_ok=True)
    _write_text(state, json.dumps(made_from))
    return target


def _copy_csvs(connection, columns_by_name: dict[str, list[tuple]], curated_dir: Path) -> None:
    """Write every CSV, one per core at a time, largest first.

    DuckDB's CSV writer is about as fast on one thread as on two, so the files
    are written side by side instead, one thread each (a refresh pays for the
    whole export: 5,000 reports make 1.4 GB of CSV).
    """
    sizes = dict(connection.execute("SELECT table_name, estimated_size * column_count FROM duckdb_tables()").fetchall())
    largest_first = sorted(columns_by_name, key=lambda name: -sizes.get(name, 0))
    connection.execute("SET threads = 1")
    with ThreadPoolExecutor(min(len(largest_first), os.cpu_count() or 1) or 1) as pool:
        copies = [pool.submit(_copy_csv, connection.cursor(), name, columns_by_name[name],
                              curated_dir / CSV_DIR / f"{name}.csv") for name in largest_first]
        for copy in copies:
            copy.result()


def _copy_csv(connection, name: str, columns: list[tuple], target: Path) -> None:
    """Write one CSV atomically, rows in the catalog's order."""
    select = ", ".join(f'{portable_expression(column, kind)} as "{column}"' for column, kind, _ in columns)
    with connection, replaced(target) as temporary:
        connection.execute(f"COPY (SELECT {select} FROM {name}) TO {sql_literal(str(temporary))} "
                           "(HEADER, DELIMITER ',', QUOTE '\"')")


def _resource(name: str, comment: str, columns: list[tuple], path: str, required: set) -> dict:
    title, description = split_comment(comment)
    fields = []
    for column, kind, column_comment in columns:
        field_title, field_description = split_comment(column_comment)
        field = {"name": column, **field_type(kind), "title": field_title, "description": field_description}
        column_type = RESOURCE_COLUMN_TYPES.get((name, column)) or COLUMN_TYPES.get(column)
        if column_type:
            field["columnType"] = column_type
        if (name, column) in required:
            field["constraints"] = {"required": True}
        fields.append(field)
    schema: dict = {"fields": fields}
    if name in NATURAL_KEYS and len(NATURAL_KEYS[name]) == 1:
        schema["primaryKey"] = NATURAL_KEYS[name]
    if name != "documents" and any(column == "doc_id" for column, *_ in columns):
        schema["foreignKeys"] = [{"fields": "doc_id", "reference": {"resource": "documents", "fields": "doc_id"}}]
    if name in MONEY_RESOURCES:
        schema["extraFields"] = [CURRENCY]
    return {"name": name, "title": title, "description": description, "path": path, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": schema}


def _write_text(target: Path, text: str) -> Path:
    with replaced(target) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return target
