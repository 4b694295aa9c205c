"""The curated layer as a Frictionless Data Package, for tools that do not read DuckDB.

`data/curated/datapackage.json` describes CSV exports of every curated table
and of the `expenditure_by_function` view (in `data/curated/csv/`), written
from the catalog so they hold exactly what it holds, in its order (a refresh
copies the rows of unchanged reports from the last export: `_export`). Titles and descriptions
come from the catalog's comments, which come from `pipeline/schema.py`.
Fiscal Data Package conventions are followed where they fit: `columnType`
for the fiscal year, the issuing body, function codes and labels per level
(类/款/项), projects and amounts, and a constant `currency` of CNY.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import numpy

from pipeline.schema import CURATED_TABLES, NATURAL_KEYS
from pipeline.store import STATE, catalog_state, part_of, stamp
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
    previous = json.loads(state.read_text(encoding="utf-8")) if state.exists() else {}
    if previous.get("code") != made_from["code"]:
        previous = {}  # CSVs written by other code: none of their bytes is reused
    if only_if_changed and (curated_dir / PACKAGE_NAME).exists() and previous.get("catalog") == made_from["catalog"]:
        return curated_dir / PACKAGE_NAME
    (curated_dir / CSV_DIR).mkdir(exist_ok=True)
    required = {(s.name, c.name) for s in CURATED_TABLES for c in s.columns if not c.nullable}
    stamps = _catalog_stamps(curated_dir, catalog)
    with duckdb.connect(str(catalog), read_only=True) as connection:
        catalog = describe_catalog(connection)
        order = [s.name for s in CURATED_TABLES] + list(EXPORTED_VIEWS)
        names = [n for n in order if n in catalog]
        indexes = _copy_csvs(connection, {name: catalog[name][1] for name in names}, curated_dir, stamps,
                             previous.get("indexes", {}))
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
    _write_text(state, json.dumps({**made_from, "indexes": indexes}))
    return target


def _catalog_stamps(curated_dir: Path, catalog: Path) -> dict[str, dict[str, str]] | None:
    """Per table, the stamp of each document's Parquet file as the catalog holds its rows now.

    None when the catalog's record is not of this catalog file (a catalog
    built by hand, or a build that stopped before writing its record).
    """
    state = catalog_state(curated_dir)
    if state.get("catalog") != stamp(catalog):
        return None
    stamps: dict[str, dict[str, str]] = {}
    for rel, value in state["parts"].items():
        table, doc_id = part_of(rel)
        stamps.setdefault(table, {})[doc_id] = value
    return stamps


def _copy_csvs(connection, columns_by_name: dict[str, list[tuple]], curated_dir: Path,
               stamps: dict[str, dict[str, str]] | None, indexes: dict[str, dict]) -> dict[str, dict]:
    """Write every CSV, one per core at a time, largest first; the index of each table's CSV.

    DuckDB's CSV writer is about as fast on one thread as on two, so the files
    are written side by side instead, one thread each.
    """
    sizes = dict(connection.execute("SELECT table_name, estimated_size * column_count FROM duckdb_tables() "
                                    "WHERE schema_name = 'main'").fetchall())  # not the quarantine's namesakes
    largest_first = sorted(columns_by_name, key=lambda name: -sizes.get(name, 0))
    connection.execute("SET threads = 1")
    with ThreadPoolExecutor(min(len(largest_first), os.cpu_count() or 1) or 1) as pool:
        exports = {name: pool.submit(_export, connection.cursor(), name, columns_by_name[name],
                                     curated_dir / CSV_DIR / f"{name}.csv", (stamps or {}).get(name),
                                     indexes.get(name)) for name in largest_first}
        written = {name: export.result() for name, export in exports.items()}
    return {name: index for name, index in written.items() if index is not None}


def _export(connection, name: str, columns: list[tuple], target: Path, stamps: dict[str, str] | None,
            previous: dict | None) -> dict | None:
    """Write one CSV atomically, rows in the catalog's order; its index, to reuse its bytes next time.

    The index holds each document's rows and bytes, with the stamp of the
    Parquet file they came from. A document whose file has the same stamp as at
    the last export has the same rows, so its bytes are copied from the last CSV
    and only the others are exported: a nightly refresh formats the rows of the
    reports that changed, not 1.4 GB of CSV. A table with no stamps (a view),
    whose documents' rows are not together, whose rows span lines, or whose
    document's first row does not name it, is exported whole with no index.
    """
    select = ", ".join(f'{portable_expression(column, kind)} as "{column}"' for column, kind, _ in columns)
    signature = [[column, kind] for column, kind, _ in columns]
    with connection, replaced(target) as temporary:
        docs = _documents_in_order(connection, name, stamps) if stamps is not None else None
        old = _reusable(previous, target, signature) if docs else {}
        keep = {doc for doc, rows in docs or [] if doc in old and old[doc][:2] == [stamps[doc], rows]}
        index = None
        if keep:
            index = _assemble(connection, name, select, docs, keep, old, previous["header"], target, temporary)
        copied = len(keep) if index is not None else 0
        if index is None:
            connection.execute(f"COPY (SELECT {select} FROM {name}) TO {sql_literal(str(temporary))} "
                               "(HEADER, DELIMITER ',', QUOTE '\"')")
            if docs is not None:
                index = _index_of(temporary, docs, header_lines=1)
    if index is None:
        return None
    header, sizes = index
    return {"columns": signature, "file": stamp(target), "header": header, "copied": copied,
            "docs": [[doc, stamps[doc], rows, size] for (doc, rows), size in zip(docs, sizes)]}


def _documents_in_order(connection, name: str, stamps: dict[str, str]) -> list[tuple[str, int]] | None:
    """(doc_id, rows) in the table's order, or None unless each document's rows are together and stamped."""
    found = connection.execute(f"SELECT doc_id, count(*), min(rowid), max(rowid) FROM {name} "
                               "GROUP BY doc_id ORDER BY min(rowid)").fetchall()
    if any(doc not in stamps for doc, *_ in found) or any(a[3] > b[2] for a, b in zip(found, found[1:])):
        return None
    return [(doc, rows) for doc, rows, _, _ in found]


def _reusable(previous: dict | None, target: Path, signature: list) -> dict[str, list]:
    """doc_id → [stamp, rows, offset, size] in the last CSV, if it is still the file the index describes."""
    if not previous or previous["columns"] != signature or not target.exists() or stamp(target) != previous["file"]:
        return {}
    offset, found = previous["header"], {}
    for doc, part_stamp, rows, size in previous["docs"]:
        found[doc] = [part_stamp, rows, offset, size]
        offset += size
    return found


def _assemble(connection, name: str, select: str, docs: list[tuple[str, int]], keep: set[str],
              old: dict[str, list], header: int, target: Path, temporary: Path) -> tuple[int, list[int]] | None:
    """Write `temporary` from the last CSV's bytes of the kept documents and a new export of the others."""
    fresh = [(doc, rows) for doc, rows in docs if doc not in keep]
    rows_file = temporary.with_name(temporary.name + ".rows")
    try:
        fresh_sizes = []
        if fresh:
            ids = ", ".join(sql_literal(doc) for doc, _ in fresh)
            connection.execute(f"COPY (SELECT {select} FROM {name} WHERE doc_id IN ({ids})) TO "
                               f"{sql_literal(str(rows_file))} (HEADER false, DELIMITER ',', QUOTE '\"')")
            index = _index_of(rows_file, fresh, header_lines=0)
            if index is None:
                return None
            fresh_sizes = index[1]
        pieces = [(target, 0, header)]
        fresh_at, offset = {}, 0
        for (doc, _), size in zip(fresh, fresh_sizes):
            fresh_at[doc], offset = (offset, size), offset + size
        for doc, _ in docs:
            pieces.append((target, *old[doc][2:]) if doc in keep else (rows_file, *fresh_at[doc]))
        _concatenate(pieces, temporary)
    finally:
        rows_file.unlink(missing_ok=True)
    return header, [old[doc][3] if doc in keep else fresh_at[doc][1] for doc, _ in docs]


def _index_of(path: Path, docs: list[tuple[str, int]], header_lines: int) -> tuple[int, list[int]] | None:
    """(header bytes, bytes of each document's rows) of a CSV of `docs` in order; None if a row spans lines."""
    lines = list(itertools.accumulate((rows for _, rows in docs), initial=header_lines))
    total, ends = _line_ends(path, lines)
    if total != lines[-1]:
        return None  # a field holds a line break: rows cannot be told apart by lines
    with open(path, "rb") as handle:  # each document's first row names it: the rows are in the order assumed
        for (doc, _), start in zip(docs, ends):
            handle.seek(start)
            if doc.encode() not in handle.readline().split(b","):
                return None
    return ends[0], [b - a for a, b in zip(ends, ends[1:])]


def _line_ends(path: Path, lines: list[int]) -> tuple[int, list[int]]:
    """The file's number of lines, and the offset just after its first n lines for each n of `lines` (ascending)."""
    ends = [0 for n in lines if n == 0]
    total = position = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 24):  # in slices: the largest CSV of 5,000 reports is 0.8 GB
            breaks = numpy.flatnonzero(numpy.frombuffer(chunk, numpy.uint8) == ord("\n"))
            while len(ends) < len(lines) and lines[len(ends)] <= total + len(breaks):
                ends.append(position + int(breaks[lines[len(ends)] - total - 1]) + 1)
            total, position = total + len(breaks), position + len(chunk)
    return total, ends


def _concatenate(pieces: list[tuple[Path, int, int]], target: Path) -> None:
    """Write the byte ranges (file, offset, size) one after another; adjacent ranges are copied as one."""
    merged: list[list] = []
    for path, offset, size in pieces:
        if merged and merged[-1][0] == path and merged[-1][1] + merged[-1][2] == offset:
            merged[-1][2] += size
        elif size:
            merged.append([path, offset, size])
    with open(target, "wb", buffering=0) as out:
        for path, offset, size in merged:
            with open(path, "rb", buffering=0) as source:
                _copy_range(source, out, offset, size)


def _copy_range(source, out, offset: int, size: int) -> None:
    """Append `size` bytes of `source` from `offset` to `out`: in the kernel where it can, 3 to 6 times faster."""
    try:
        while size > 0:
            copied = os.copy_file_range(source.fileno(), out.fileno(), size, offset)
            if not copied:
                raise OSError("copy_file_range copied nothing")
            offset, size = offset + copied, size - copied
    except (AttributeError, OSError):  # not on this system or file system: through memory
        source.seek(offset)
        while size > 0:
            chunk = memoryview(source.read(min(size, 1 << 24)))
            if not chunk:
                raise OSError(f"{source.name} ends before the bytes its index gives")
            size -= len(chunk)
            while chunk:
                chunk = chunk[out.write(chunk):]


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
