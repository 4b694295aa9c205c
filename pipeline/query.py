"""The query command line for readers of the catalog: `sql`, `tables`, `describe`.

Results print as a table whose columns line up with Chinese text (wide
characters take two columns), or export to CSV (UTF-8 with BOM, so Excel
opens it), JSON or an Excel workbook.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from pipeline.writer import CATALOG_NAME

MAX_CELL = 40


def connect(curated_dir: Path) -> duckdb.DuckDBPyConnection:
    """The catalog, read-only and with no file access: a typo in a query cannot change or leak anything."""
    path = Path(curated_dir) / CATALOG_NAME
    if not path.exists():
        raise SystemExit(f"error: no catalog at {path}: run `make pipeline` first")
    return duckdb.connect(str(path), read_only=True, config={"enable_external_access": False})


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _text(value, limit: int) -> str:
    if value is None:
        return ""
    text = str(value).replace("\n", " ")
    if width(text) <= limit:
        return text
    cut = ""
    for ch in text:
        if width(cut + ch) > limit - 1:
            break
        cut += ch
    return cut + "…"


def wrap(text: str, limit: int) -> list[str]:
    """Text in lines of at most `limit` display columns: broken at a space where there is one late enough
    in the line, else between characters (Chinese has no spaces)."""
    text = " ".join(text.split())
    lines = []
    while width(text) > limit:
        cut = 0
        while width(text[:cut + 1]) <= limit:
            cut += 1
        space = text.rfind(" ", 0, cut + 1)
        if space > cut // 2:
            cut = space
        lines.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*lines, text]


def render(columns: list[str], rows: list[tuple], limit: int = MAX_CELL, wrap_to: int | None = None) -> str:
    """A plain-text table, columns padded by display width (a Chinese character is two); numbers right.

    Cells longer than `limit` are cut with `…`; with `wrap_to` (a line width), the last column is shown
    whole instead, wrapped onto as many lines as it needs to fit in that width (at least 30 columns)."""
    cells = [[_text(v, limit if not wrap_to or i < len(columns) - 1 else 10**9) for i, v in enumerate(row)]
             for row in rows]
    widths = [max([width(c)] + [width(r[i]) for r in cells]) for i, c in enumerate(columns)]
    if wrap_to and columns:
        room = wrap_to - sum(widths[:-1]) - 2 * (len(columns) - 1)
        widths[-1] = min(widths[-1], max(30, room))
    numeric = [all(isinstance(row[i], (int, float, Decimal)) or row[i] is None for row in rows)
               for i in range(len(columns))]

    def line(values: list[str]) -> str:
        return "  ".join((" " * (w - width(v)) + v) if right else (v + " " * (w - width(v)))
                         for v, w, right in zip(values, widths, numeric, strict=True)).rstrip()

    def lines(values: list[str]) -> list[str]:
        if not wrap_to:
            return [line(values)]
        last = wrap(values[-1], widths[-1])
        return [line(values[:-1] + last[:1])] + [line([""] * (len(values) - 1) + [more]) for more in last[1:]]

    out = [line(columns), "  ".join("-" * w for w in widths)]
    out += [text for row in cells for text in lines(row)]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def export(columns: list[str], rows: list[tuple], fmt: str, output: Path | None) -> str | None:
    """Write the result as csv, json or xlsx to `output` (csv and json to standard output without one);
    what was written to a file, to tell the reader (`wrote 4 rows (2 columns) to p.csv`)."""
    if fmt == "xlsx":
        if output is None:
            raise SystemExit("error: --xlsx needs a file name")
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(columns)
        for row in rows:
            sheet.append([float(v) if isinstance(v, Decimal) else _plain(v) for v in row])
        book.save(output)
        return _wrote(rows, columns, output)
    buffer = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows([[_plain(v) for v in row] for row in rows])
    else:
        json.dump([{c: _plain(v) for c, v in zip(columns, row, strict=True)} for row in rows], buffer,
                  ensure_ascii=False, indent=1)
        buffer.write("\n")
    if output is None:
        sys.stdout.write(buffer.getvalue())
        return None
    Path(output).write_text(buffer.getvalue(), encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    return _wrote(rows, columns, output)


def _wrote(rows: list[tuple], columns: list[str], output: Path) -> str:
    return (f"wrote {len(rows)} row{'s' if len(rows) != 1 else ''} ({len(columns)} column"
            f"{'s' if len(columns) != 1 else ''}) to {output}")


def run_sql(curated_dir: Path, sql: str) -> tuple[list[str], list[tuple]]:
    with connect(curated_dir) as connection:
        try:
            result = connection.execute(sql)
        except (duckdb.InvalidInputException, duckdb.PermissionException) as problem:
            raise SystemExit(f"error: {problem}\n(this command only reads the dataset; it cannot change it or "
                             "touch other files — export with --csv/--json/--xlsx)") from None
        except duckdb.Error as problem:
            raise SystemExit(f"error: {problem}") from None
        return [d[0] for d in result.description], result.fetchall()


def tables(curated_dir: Path) -> tuple[list[str], list[tuple]]:
    return run_sql(curated_dir, "select table_name as name, 'table' as kind, comment from duckdb_tables() "
                                "where schema_name = 'main' union all select view_name, 'view', comment "
                                "from duckdb_views() where not internal and schema_name = 'main' union all "
                                "select schema_name || '.' || table_name, 'quarantine', comment from duckdb_tables() "
                                "where schema_name <> 'main' order by kind desc, name")


def describe(curated_dir: Path, table: str) -> tuple[list[str], list[tuple]]:
    schema, _, name = table.replace(chr(39), "").rpartition(".")
    columns, rows = run_sql(curated_dir, "select column_name as column, data_type as type, comment "
                                         f"from duckdb_columns() where table_name = '{name}' "
                                         f"and schema_name = '{schema or 'main'}' order by column_index")
    if not rows:
        raise SystemExit(f"error: no table or view named {table!r}: see `python -m pipeline tables`")
    return columns, rows
