"""The curated dataset for browsing in Datasette: a SQLite export, its metadata, and the server command.

`yibao.sqlite` is written from the DuckDB catalog (tables, analyst views and
the cookbook's answers), atomically, next to it. A DECIMAL column (amounts,
scores, rates, weights) is REAL, so that it sorts and filters as a number; a
REAL holds any decimal of up to 15 significant digits exactly (it reads back as
that decimal: 3415.80 is stored as 3415.8), and the export warns of any value
that has more digits. SQLite's own sum() of REALs is not exact
(12588.449999999999 for 12588.45), so Datasette's connections get a `sum` that
adds them as decimals (`datasette_plugins/exact_sums.py`), and an amount in
hundredths of its unit (`<column>_x100`, an INTEGER) follows each money column,
for exact sums in any other SQLite tool. The Datasette plugin shows each value
with its scale and unit (`3415.80 万元`). Item, indicator and project names get
an FTS5 index with the trigram tokenizer, so Chinese words of three or more
characters can be searched. Titles and descriptions are the
catalog's comments, which come from `pipeline/schema.py` and `pipeline/views.py`.

The export records the catalog it was made from; `serve` exports again when
the catalog has changed since (a refresh), and restarts Datasette on the new file.
"""

from __future__ import annotations

import hashlib
import json
import signal
import sqlite3
import subprocess
import sys
from html import escape
from pathlib import Path
from urllib.parse import quote

import duckdb

from pipeline.cookbook import RECIPES
from pipeline.datapackage import field_type, portable_expression, split_comment
from pipeline.schema import CURATED_TABLES
from pipeline.store import stamp
from pipeline.views import VIEWS
from pipeline.writer import CATALOG_NAME, describe_catalog, replaced

SQLITE_NAME = "yibao.sqlite"
METADATA_NAME = "datasette-metadata.json"
DATABASE = Path(SQLITE_NAME).stem
EXPORT_INFO = "export_info"
# The columns a cell needs that a page may leave out (`?_col=`): a source line's document, an amount's unit.
# Their values along each table are recorded as runs of rowids in ROW_RUNS, so a row's are found from its rowid.
ROW_RUNS = "row_runs"
RUN_COLUMNS = ("doc_id", "unit", "funds_unit")
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
# The column that holds the unit of an amount column, where the row has it; `*_yuan` columns are in 元.
UNIT_COLUMNS = {"funds_unit": ("budget_initial", "budget_full_year", "executed"),
                "unit": ("amount", "total", "basic", "project", "goods", "works", "services", "sme_awarded",
                         "small_micro_awarded")}
# A reconciliation row's checked rows: the sheets, the procurement figures, else the facts of its table.
CHECKED_ROWS = {"performance": "performance_projects", "procurement": "procurement"}
LICENSE = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
SOURCE = "Budget and final-account disclosures (部门预算/部门决算) of China's medical security bureaus"


def cookbook_name(number: int) -> str:
    return f"cookbook_q{number:02d}"


# What the export depends on besides the catalog: this module's code and the cookbook's SQL, as imported. Read
# at import, not at each look: a `serve` running while its code is changed (a pull) would otherwise export
# with its old code and stamp the export as made by the new, which a restarted `serve` would then keep.
_EXPORTER = hashlib.sha256(Path(__file__).read_bytes() + repr(RECIPES).encode()).hexdigest()


def _exporter_digest() -> str:
    return _EXPORTER


def decimal_scale(duckdb_type: str) -> int | None:
    """The number of decimal places of a DECIMAL(p,s) column; None for any other type."""
    if not duckdb_type.startswith("DECIMAL"):
        return None
    return int(duckdb_type.rstrip(")").split(",")[1])


def _scales(columns: list[tuple]) -> dict[str, int]:
    """The decimal places of each DECIMAL column of (column, type, …)."""
    return {column: scale for column, kind, *_ in columns if (scale := decimal_scale(kind)) is not None}


def _sqlite_columns(name: str, duckdb_type: str) -> list[tuple[str, str, str]]:
    """(column, SQLite type, DuckDB expression) for one catalog column; money gets an exact integer companion."""
    quoted = f'"{name}"'
    scale = decimal_scale(duckdb_type)
    if scale is not None:
        real = (name, "REAL", f"cast({quoted} as double)")  # the nearest double: exact (_rounded warns otherwise)
        if scale == 2:
            return [real, (f"{name}_x100", "INTEGER", f"cast({quoted} * 100 as bigint)")]
        return [real]
    kind = field_type(duckdb_type)["type"]
    if kind in ("integer", "boolean"):
        return [(name, "INTEGER", f"cast({quoted} as bigint)")]
    if kind == "number":
        return [(name, "REAL", quoted)]
    return [(name, "TEXT", portable_expression(name, duckdb_type))]


def export_sqlite(curated_dir: Path, batch: int = 50_000) -> Path:
    """Write `yibao.sqlite` from the catalog, replacing the previous one only when it is complete."""
    catalog = _catalog(curated_dir)
    made_from = stamp(catalog)  # before reading: a catalog replaced meanwhile makes this export stale
    target = Path(curated_dir) / SQLITE_NAME
    names = [schema.name for schema in CURATED_TABLES] + [view.name for view in VIEWS]
    with duckdb.connect(str(catalog), read_only=True) as source, replaced(target) as temporary:
        sqlite = sqlite3.connect(temporary)
        sqlite.execute(f"CREATE TABLE {ROW_RUNS} (table_name TEXT, column_name TEXT, first_rowid INTEGER, "
                       "last_rowid INTEGER, value TEXT)")
        for name in names:
            _copy(source, sqlite, name, f"select * from {name}", batch)
        for number, recipe in enumerate(RECIPES, start=1):  # the cookbook's answers, computed by DuckDB
            _copy(source, sqlite, cookbook_name(number), recipe.sql, batch)
        sqlite.execute(f"CREATE TABLE {EXPORT_INFO} (catalog TEXT, exporter TEXT)")
        sqlite.execute(f"INSERT INTO {EXPORT_INFO} VALUES (?, ?)", (made_from, _exporter_digest()))
        sqlite.commit()
        sqlite.close()
    return target


def export_is_current(curated_dir: Path) -> bool:
    """Whether `yibao.sqlite` was exported from the catalog as it is now, by this code."""
    target = Path(curated_dir) / SQLITE_NAME
    if not target.exists():
        return False
    with sqlite3.connect(f"file:{target}?mode=ro", uri=True) as sqlite:
        try:
            made = sqlite.execute(f"SELECT catalog, exporter FROM {EXPORT_INFO}").fetchone()
        except sqlite3.OperationalError:  # an export from before export_info
            return False
    return made == (stamp(_catalog(curated_dir)), _exporter_digest())


def _catalog(curated_dir: Path) -> Path:
    catalog = Path(curated_dir) / CATALOG_NAME
    if not catalog.exists():
        raise FileNotFoundError(f"no catalog at {catalog}; run `make pipeline` first")
    return catalog


def _copy(source, sqlite, name: str, select: str, batch: int) -> None:
    """One query's result as a SQLite table, with its foreign key, facet indexes and full-text index.

    The rows keep the catalog's order, rowid 1, 2, 3 …; the runs of rows with
    one doc_id, one unit, one funds_unit are recorded in `row_runs`, so that a
    page that leaves those columns out still links a source line to its document
    and shows an amount's unit.
    """
    described = source.execute(f"describe {select}").fetchall()
    columns = [c for column, kind, *_ in described for c in _sqlite_columns(column, kind)]
    names = [c for c, *_ in columns]
    has_doc = "doc_id" in names
    foreign = ', FOREIGN KEY ("doc_id") REFERENCES documents("doc_id")' if has_doc and name != "documents" else ""
    definitions = ", ".join(f'"{c}" {kind}{" PRIMARY KEY" if (name, c) == ("documents", "doc_id") else ""}'
                            for c, kind, _ in columns)
    sqlite.execute(f'CREATE TABLE "{name}" ({definitions}{foreign})')
    _rounded(source, name, select, described)
    result = source.execute(f"select {', '.join(e for *_, e in columns)} from ({select})")
    placeholders = ", ".join("?" for _ in columns)
    kept = {column: names.index(column) for column in RUN_COLUMNS if column in names}
    runs: dict[str, list[list]] = {column: [] for column in kept}  # [first rowid, last rowid, value]
    rowid = 0
    while rows := result.fetchmany(batch):
        sqlite.executemany(f'INSERT INTO "{name}" VALUES ({placeholders})', rows)
        for row in rows if kept else ():
            rowid += 1
            for column, at in kept.items():
                last = runs[column][-1] if runs[column] else None
                if last and last[2] == row[at]:
                    last[1] = rowid
                else:
                    runs[column].append([rowid, rowid, row[at]])
    sqlite.executemany(f"INSERT INTO {ROW_RUNS} VALUES (?, ?, ?, ?, ?)",
                       [(name, column, *run) for column, column_runs in runs.items() for run in column_runs])
    for column in FACETS.get(name, []):
        sqlite.execute(f'CREATE INDEX "{name}_{column}" ON "{name}"("{column}")')
    if name in SEARCHABLE:
        fields = ", ".join(SEARCHABLE[name])
        sqlite.execute(f'CREATE VIRTUAL TABLE "{name}_fts" USING fts5({fields}, content="{name}", tokenize=\'trigram\')')
        sqlite.execute(f"INSERT INTO \"{name}_fts\"(\"{name}_fts\") VALUES ('rebuild')")


def _rounded(source, table: str, select: str, described: list[tuple]) -> None:
    """Warn of decimals of more than 15 significant digits, which a REAL cannot hold exactly (nor print back)."""
    limits = {column: 10 ** (15 - scale) for column, scale in _scales(described).items()}
    if not limits:
        return
    tests = ", ".join(f'count(*) filter (abs("{column}") >= {limit})' for column, limit in limits.items())
    counts = source.execute(f"select {tests} from ({select})").fetchone()
    for column, count in zip(limits, counts, strict=True):
        if count:  # a misread of absurd size, surely; it stays exact in the catalog (and in <column>_x100)
            print(f"warning: {count} value(s) of {table}.{column} have more than 15 significant digits: "
                  f"rounded in {SQLITE_NAME}", file=sys.stderr)


def _described(columns: list[tuple], comments: dict[str, str]) -> dict[str, str]:
    """Each exported column's description, from its catalog comment; a decimal's companion says what it holds."""
    described = {}
    for column, kind, *_ in columns:
        comment = comments.get(column) or ""
        described[column] = comment
        for companion, *_ in _sqlite_columns(column, kind)[1:]:
            described[companion] = (f"{comment or column} (×100: an exact integer of hundredths of the unit, for "
                                    "exact sums in other SQLite tools; Datasette's sum() of the column is exact)")
    return described


CHARTS = (
    ("chart_expenditure_by_class", "各局按功能分类的支出 · Expenditure by function class per bureau",
     "Each bureau's expenditure by function class (类), in 万元 (converted from yuan, so bureaus that print "
     "元 compare), from the expenditure_by_function view.",
     """select entity_name as 单位, fiscal_year as 年度, report_kind as 报告类型, class_name as 功能分类,
       total_yuan / 10000 as 支出_万元
from expenditure_by_function where item_level = 1 order by entity_name, item_code""",
     {"mark": "bar", "x_column": "单位", "x_type": "ordinal", "y_column": "支出_万元",
      "y_type": "quantitative", "color_column": "功能分类"}),
    ("chart_project_scores", "项目执行率与得分 · Project execution rate against score",
     "Every self-evaluated project: the share of its full-year budget executed (执行率, %) against its "
     "score as a share of the total weight (得分率, %), from the project_scores view.",
     """select entity_name as 单位, project_name as 项目, execution_rate as 执行率,
       round(100 * total_score / total_weight, 1) as 得分率
from project_scores where sheet_kind = 'self_evaluation' and total_weight > 0 and execution_rate is not null
order by entity_name, project_name""",
     {"mark": "circle", "x_column": "执行率", "x_type": "quantitative", "y_column": "得分率",
      "y_type": "quantitative", "color_column": "单位"}),
)


def chart_path(name: str, chart: dict[str, str]) -> str:
    """The canned query's page with datasette-vega's settings in the fragment, so the chart draws at once."""
    return f"/{DATABASE}/{name}#" + "&".join(f"g.{key}={quote(value)}" for key, value in chart.items())


def metadata(curated_dir: Path, raw_dir: Path) -> dict:
    """Datasette's metadata: titles, license and source, every table and column described, facets, canned queries."""
    with duckdb.connect(str(_catalog(curated_dir)), read_only=True) as connection:
        catalog = describe_catalog(connection)
        answers = {cookbook_name(number): connection.execute(f"describe {recipe.sql}").fetchall()
                   for number, recipe in enumerate(RECIPES, start=1)}
    known = {}  # a cookbook answer's columns keep the comment of the view or table column of that name
    for name in [view.name for view in VIEWS] + [schema.name for schema in CURATED_TABLES]:
        for column, _, comment in catalog.get(name, ("", []))[1]:
            known.setdefault(column, comment)
    tables: dict[str, dict] = {}
    decimals = {name: _scales(columns) for name, (_, columns) in catalog.items()}  # for the plugin to show them
    decimals.update((name, _scales(columns)) for name, columns in answers.items())
    for name, (comment, columns) in catalog.items():
        zh, en = split_comment(comment)
        tables[name] = {"title": f"{zh} {name}", "description": en, "facets": FACETS.get(name, []),
                        "columns": _described(columns, {column: text for column, _, text in columns})}
    for name, columns in answers.items():  # hidden: their canned queries show them
        tables[name] = {"hidden": True, "columns": _described(columns, known)}
    for name in SEARCHABLE:
        tables[name].update(fts_table=f"{name}_fts", fts_pk="rowid")
    tables["documents"]["label_column"] = "entity_name"
    tables[EXPORT_INFO] = tables[ROW_RUNS] = {"hidden": True}
    queries = {cookbook_name(number): {
        "title": recipe.question.splitlines()[0],
        "description": f"The answer as of the last refresh, computed in the DuckDB catalog by: {recipe.sql.strip()}",
        "sql": f"select * from {cookbook_name(number)}"} for number, recipe in enumerate(RECIPES, start=1)}
    charts = []
    for name, title, description, sql, chart in CHARTS:
        queries[name] = {"title": title, "sql": sql, "description_html":
                         f'{escape(description)} <a href="{escape(chart_path(name, chart))}">Show the chart</a>.'}
        charts.append(f'<li><a href="{escape(chart_path(name, chart))}">{escape(title)}</a></li>')
    contents = "".join(f'<li><a href="/{DATABASE}/{name}">{escape(split_comment(comment)[0])} {name}</a></li>'
                       for name, (comment, _) in catalog.items())
    return {
        "title": "医保预决算开放数据 · Yibao Open Budgets",
        "description_html":
            "<p>Budgets and final accounts of China's medical security bureaus (医疗保障局), every figure "
            "traceable to its document and printed line or page: the <code>source_line</code> and "
            "<code>source_page</code> links of a row open the report at that line or page, to cite it.</p>"
            "<p>Amounts are exact: an amount, score or rate column holds the exact decimal as a number (it "
            "sorts and filters by value), shown with its unit (see <code>unit</code>); <code>sum()</code> adds "
            "exactly, to the cent. <code>&lt;column&gt;_x100</code> is an amount ×100 as an exact integer, for "
            "exact sums in other SQLite tools. CSV downloads start with a byte-order mark, so Excel shows the "
            "Chinese.</p>"
            f"<p>Tables and views:</p><ul>{contents}</ul><p>Charts:</p><ul>{''.join(charts)}</ul>",
        "license": LICENSE[0], "license_url": LICENSE[1], "source": SOURCE,
        "databases": {DATABASE: {"tables": tables, "queries": queries}},
        "plugins": {"yibao": {"raw_dir": str(Path(raw_dir).resolve()), "database": DATABASE,
                              "decimals": {name: scales for name, scales in decimals.items() if scales}}},
    }


def write_metadata(curated_dir: Path, raw_dir: Path) -> Path:
    target = Path(curated_dir) / METADATA_NAME
    with replaced(target) as temporary:
        temporary.write_text(json.dumps(metadata(curated_dir, raw_dir), ensure_ascii=False, indent=2),
                             encoding="utf-8")
    return target


PLUGINS = Path(__file__).parent / "datasette_plugins"


def datasette_command(curated_dir: Path, raw_dir: Path, host: str, port: int) -> list[str]:
    """The command that serves the export: metadata, and our plugins (which serve the raw reports too)."""
    curated_dir = Path(curated_dir)
    return [sys.executable, "-m", "datasette", "serve", str(curated_dir / SQLITE_NAME),
            "--metadata", str(curated_dir / METADATA_NAME), "--plugins-dir", str(PLUGINS),
            "--host", host, "--port", str(port),
            "--setting", "default_page_size", "50", "--setting", "max_returned_rows", "5000",
            "--setting", "sql_time_limit_ms", "5000"]


def serve(curated_dir: Path, raw_dir: Path, host: str, port: int, watch_seconds: float = 60) -> int:
    """Export when the catalog changed, serve it, and every `watch_seconds` export and restart after a refresh.

    A running Datasette keeps its open connections on the file it started
    with, so a new export is only seen after a restart (a second or two).
    """
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a stopped `serve` stops its Datasette too
    while True:
        if not export_is_current(curated_dir):
            print(f"exporting the catalog to {export_sqlite(curated_dir)}", flush=True)
        write_metadata(curated_dir, raw_dir)
        print(f"serving on http://{host}:{port}/ (Ctrl-C stops it)", flush=True)
        process = subprocess.Popen(datasette_command(curated_dir, raw_dir, host, port))
        try:
            while True:
                try:
                    return process.wait(timeout=watch_seconds)
                except subprocess.TimeoutExpired:
                    if not export_is_current(curated_dir):
                        break
            print("the catalog was refreshed: exporting it again", flush=True)
            export_sqlite(curated_dir)  # the old server keeps serving meanwhile
        except KeyboardInterrupt:
            return 0
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
