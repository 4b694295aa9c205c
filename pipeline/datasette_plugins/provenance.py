"""Datasette plugin: from a row to the printed source it was read from, so a journalist can cite it.

A `source_line` cell links to `/-/source/<doc_id>?line=N`: the report's lines
around N, numbered as the parser numbered them (decoded the same way), line N
marked (a TSV line split into its cells), under the document's issuer, year,
path and SHA-256. A `source_page` cell links to the PDF at that page
(`/raw/<path>#page=N`). A reconciliation row's `table_id` links to the rows it
checked, which carry their lines. Amounts, scores and rates (REAL in the
export) show as the exact decimal with their scale, amounts with their unit
(`3415.80 万元`). Neither needs `doc_id` or `unit` among the columns shown
(`?_col=source_line`): a row's are then found from its rowid in the export's
`row_runs` (runs of rowids with one value, read once per server).
"""

from __future__ import annotations

import bisect
import hashlib
import mimetypes
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, unquote, urlencode

from datasette import Response, hookimpl
from datasette.utils.asgi import NotFound
from markupsafe import Markup, escape

from pipeline.readers.text import decode
from pipeline.serve import CHECKED_ROWS, ROW_RUNS, UNIT_COLUMNS

CONTEXT = 40  # lines shown on either side of the cited line
LEAD = 12  # the link scrolls to this many lines above the cited one, so the table's title and unit show

TEMPLATE = """{% extends "base.html" %}
{% block title %}{{ document.entity_name }} {{ document.fiscal_year }} · {{ document.source_path }}{% endblock %}
{% block extra_head %}<style>
table.source { border-collapse: collapse; font-family: monospace; }
table.source td { white-space: pre-wrap; vertical-align: top; padding: 0 0.6em; border: none; }
table.source td.n { text-align: right; color: #888; user-select: none; }
table.source tr.cited { background: #ffe98a; font-weight: bold; }
</style>{% endblock %}
{% block content %}
<h1>{{ document.entity_name }} · {{ document.fiscal_year }} · {{ document.report_kind }}</h1>
<p>Printed source: <a href="{{ raw_url }}">{{ document.source_path }}</a>
  (SHA-256 <code>{{ document.sha256 }}</code>, {{ document.source_format }}, read as {{ document.encoding }});
  <a href="{{ row_url }}">its row in documents</a>.</p>
{% if changed %}<p class="message-warning">This file has changed since it was read: its lines may no longer be
  the ones the figures were read from.</p>{% endif %}
{% if line %}<p>Line {{ line }}, marked below.</p>{% endif %}
{% if past %}<p class="message-warning">Line {{ past }} is past the end of this file, which has {{ count }} lines:
  the file may have changed since it was read.</p>{% endif %}
<p>{% if earlier %}<a href="{{ earlier }}">earlier lines</a>{% endif %}
  {% if later %}<a href="{{ later }}">later lines</a>{% endif %}</p>
<table class="source">
{% for number, text in numbered %}<tr id="L{{ number }}"{% if number == line %} class="cited"{% endif %}><td class="n">{{ number }}</td>
{%- for cell in (text.split("\t") if document.source_format == "tsv" else [text]) %}<td{% if loop.length == 1 %} colspan="99"{% endif %}>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</table>
{% endblock %}
"""

# The columns' descriptions in a box of about ten lines that scrolls (and can be pulled taller), so that on a
# laptop's screen the rows show without scrolling the page: fiscal_facts alone describes 28 columns.
CSS = """dl.column-descriptions { display: grid; grid-template-columns: repeat(2, max-content minmax(0, 1fr));
  column-gap: 0.8em; row-gap: 0.15em; font-size: 0.85em; max-height: 11em; overflow-y: auto; resize: vertical;
  border-bottom: 1px solid #ddd; padding-bottom: 0.3em; }
dl.column-descriptions dd { margin: 0; padding: 0; white-space: normal; }
"""


@hookimpl
def register_routes():
    return [(r"^/-/source/(?P<doc_id>[0-9a-f]+)$", source), (r"^/-/yibao\.css$", stylesheet),
            (r"^/raw/(?P<path>.*)$", raw_file)]


async def raw_file(request, datasette):
    """A raw report, for its links (`/raw/<path>#page=N`): only files inside the raw directory; anything else,
    existing or not, a directory or a path outside, is the same 404."""
    raw_dir = Path(datasette.plugin_config("yibao")["raw_dir"]).resolve()
    path = (raw_dir / unquote(request.url_vars["path"])).resolve()
    if not path.is_relative_to(raw_dir) or not path.is_file() or any(p.startswith(".") for p in
                                                                      path.relative_to(raw_dir).parts):
        raise NotFound("no such report in the raw directory")
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/"):
        kind += "; charset=utf-8"
    return Response(path.read_bytes(), content_type=kind)


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path("/-/yibao.css")]


async def stylesheet():
    return Response(CSS, content_type="text/css; charset=utf-8")


def _number(text: str | None) -> int | None:
    """A line or page number: ASCII digits only (`isdigit` takes `²` and `٣`)."""
    return int(text) if text and re.fullmatch(r"[0-9]{1,9}", text) else None


async def source(request, datasette):
    """The raw report around a cited line (text), or the PDF at a cited page."""
    config = datasette.plugin_config("yibao")
    doc_id = request.url_vars["doc_id"]
    found = await datasette.get_database(config["database"]).execute(
        "select * from documents where doc_id = ?", [doc_id])
    if not found.rows:
        raise NotFound(f"no document {doc_id}")
    document = dict(found.first())
    raw_dir = Path(config["raw_dir"]).resolve()
    path = (raw_dir / document["source_path"]).resolve()
    if not path.is_relative_to(raw_dir) or not path.is_file():
        raise NotFound(f"{document['source_path']} is no longer in the raw directory {raw_dir}")
    raw_url = datasette.urls.path("/raw/" + quote(document["source_path"]))
    line, at, page = (_number(request.args.get(key)) for key in ("line", "at", "page"))
    if document["source_format"] == "pdf":
        return Response.redirect(raw_url + (f"#page={page}" if page else ""))
    data = path.read_bytes()
    lines = decode(data)[0].splitlines()  # as the reader numbered them
    past = line if line and line > len(lines) else None  # a cited line the file no longer has
    line = None if past else line
    at = min(at or line or 1, max(len(lines), 1))
    first, last = max(1, at - CONTEXT), min(len(lines), at + CONTEXT)

    def shifted(to: int) -> str:
        return "?" + urlencode({key: value for key, value in (("line", line), ("at", to)) if value})

    context = {
        "document": document, "raw_url": raw_url, "line": line, "past": past, "count": len(lines),
        "row_url": datasette.urls.row(config["database"], "documents", doc_id),
        "changed": hashlib.sha256(data).hexdigest() != document["sha256"],
        "numbered": [(number, lines[number - 1]) for number in range(first, last + 1)],
        "earlier": shifted(max(1, first - CONTEXT)) if first > 1 else None,
        "later": shifted(last + 1 + CONTEXT) if last < len(lines) else None,
    }
    template = datasette.jinja_env.from_string(TEMPLATE)
    return Response.html(await datasette.render_template(template, context, request=request))


def source_url(datasette, doc_id: str, line: int | None = None, page: int | None = None) -> str:
    if page:
        return datasette.urls.path(f"/-/source/{doc_id}?page={page}")
    if line:
        return datasette.urls.path(f"/-/source/{doc_id}?line={line}#L{max(1, line - LEAD)}")
    return datasette.urls.path(f"/-/source/{doc_id}")


async def _unit(datasette, database: str, table: str | None, column: str, row) -> str | None:
    if column.endswith("_yuan"):
        return "元"
    for unit_column, amounts in UNIT_COLUMNS.items():
        if column in amounts:
            return await _field(datasette, database, table, row, unit_column)
    return None


def _scale(datasette, table: str | None, column: str) -> int | None:
    """The decimal places of a DECIMAL column of the catalog (a REAL in the export); on a query's page, by name."""
    decimals = datasette.plugin_config("yibao").get("decimals", {})
    if table is not None:
        return decimals.get(table, {}).get(column)
    scales = {scales[column] for scales in decimals.values() if column in scales}
    return scales.pop() if len(scales) == 1 else None


def exact_text(value: float, places: int) -> str:
    """A REAL of the export as the decimal it holds (the shortest that reads back as it), with at least `places`
    decimals: 3415.8 → 3415.80 with 2, 95.5 → 95.5 and 9.0 → 9 with 0."""
    exact = Decimal(repr(value))  # '3415.8', '9.0', '1e+16'
    if not exact.is_finite():
        return repr(value)
    if exact == exact.to_integral_value():
        exact = exact.quantize(Decimal(1))
    if exact.as_tuple().exponent > -places:
        exact = exact.quantize(Decimal(1).scaleb(-places))
    return f"{exact:f}"


async def _field(datasette, database: str, table: str | None, row, name: str):
    """A row's value of a column: its cell, else, when the page leaves the column out, the run of `row_runs`
    its rowid falls in (a query's page has neither: None)."""
    keys = row.keys()
    if name in keys:
        value = row[name]
        return value["value"] if isinstance(value, dict) else value  # a table page expands a foreign key
    if table is None or "rowid" not in keys:
        return None
    firsts, lasts, values = (await _runs(datasette, database)).get((table, name), ((), (), ()))
    at = bisect.bisect_right(firsts, row["rowid"]) - 1
    return values[at] if at >= 0 and row["rowid"] <= lasts[at] else None


_RUNS: dict[tuple[int, str], dict[tuple[str, str], tuple[list, list, list]]] = {}


async def _runs(datasette, database: str) -> dict[tuple[str, str], tuple[list, list, list]]:
    """Each (table, column)'s runs of rowids with one value (first rowids, last rowids, values), read once
    per server: a new export is served by a new server."""
    key = (id(datasette), database)
    if key not in _RUNS:
        runs: dict[tuple[str, str], tuple[list, list, list]] = {}
        try:
            found = await datasette.get_database(database).execute(
                f"select table_name, column_name, first_rowid, last_rowid, value from {ROW_RUNS} "
                "order by table_name, column_name, first_rowid", custom_time_limit=10_000)
        except Exception:  # noqa: BLE001 -- an export without it, or another database: nothing to look up
            found = []
        for table, column, first, last, value in found:
            firsts, lasts, values = runs.setdefault((table, column), ([], [], []))
            firsts.append(first)
            lasts.append(last)
            values.append(value)
        _RUNS[key] = runs
    return _RUNS[key]


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if value is None or not hasattr(row, "keys"):
        return None
    if column in ("source_line", "source_page") or (table, column) in (("documents", "source_path"),
                                                                       ("reconciliation", "table_id")):
        return _linked(row, value, column, table, database, datasette)
    if isinstance(value, float) and (scale := _scale(datasette, table, column)) is not None:
        return _decimal(row, value, column, scale, table, database, datasette)
    return None


async def _decimal(row, value: float, column: str, scale: int, table, database, datasette) -> str:
    unit = await _unit(datasette, database, table, column, row)
    text = exact_text(value, 2 if scale == 2 or unit else 0)
    return f"{text} {unit}" if unit else text


async def _linked(row, value, column, table, database, datasette):
    doc_id = await _field(datasette, database, table, row, "doc_id")
    link = None
    if doc_id and column == "source_line":
        link = source_url(datasette, doc_id, line=value)
    elif doc_id and column == "source_page":
        link = source_url(datasette, doc_id, page=value)
    elif doc_id and table == "documents" and column == "source_path":
        link = source_url(datasette, doc_id)
    elif doc_id and table == "reconciliation" and column == "table_id":
        checked = CHECKED_ROWS.get(value, "fiscal_facts")
        filters = {"doc_id": doc_id, **({} if value in CHECKED_ROWS else {"table_id": value})}
        link = datasette.urls.table(database, checked) + "?" + urlencode(filters)
    if link:
        return Markup(f'<a href="{escape(link)}">{escape(value)}</a>')
    return None
