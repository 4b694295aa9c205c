"""`python -m pipeline serve`: Datasette over the curated dataset, tested on a free localhost port.

Through the JSON API and the HTML pages over HTTP, and in Debian's Chromium
(headless), which the browser tests install when it is missing and they can
(root and apt-get), and skip with the reason where they cannot.
"""

import csv
import hashlib
import io
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from assets.run import run
from conftest import RAW, ROOT

SICHUAN = RAW / "sichuan_2024_final_account.txt"
NPC = ROOT / "tests" / "fixtures" / "pdf" / "jiangsu_npc_office_2019_budget_tables.pdf"
BUREAU = "四川省医疗保障局"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(curated: Path, raw: Path, *options: str) -> tuple[subprocess.Popen, str]:
    """`python -m pipeline serve` on a free port, once it answers; its log goes to `serve.log` beside the export."""
    port = _free_port()
    with open(curated / "serve.log", "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--curated-dir", str(curated),
                                    "--raw-dir", str(raw), "--port", str(port), *options],
                                   cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{base}/-/versions.json", timeout=1)
            return process, base
        except OSError:
            assert process.poll() is None, (curated / "serve.log").read_text()
            time.sleep(0.2)
    raise AssertionError("Datasette did not start")


def _stop(process: subprocess.Popen, base: str) -> None:
    process.terminate()
    process.wait(timeout=30)
    with pytest.raises(OSError):  # its Datasette stopped with it
        urllib.request.urlopen(f"{base}/-/versions.json", timeout=2)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The sample reports and one PDF (hand-checked in tests/pdf_cases.py), read into a curated directory."""
    raw = tmp_path_factory.mktemp("raw")
    for path in [*RAW.iterdir(), NPC]:
        shutil.copy(path, raw / path.name)
    curated = tmp_path_factory.mktemp("curated")
    assert run(raw, curated) == 0
    return raw, curated


@pytest.fixture(scope="module")
def server(corpus):
    process, base = _start(corpus[1], corpus[0])
    yield base
    _stop(process, base)


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def _url(base: str, path: str, **params) -> str:
    return f"{base}{urllib.parse.quote(path)}?{urllib.parse.urlencode(params)}"


def _json(base: str, path: str, **params) -> dict | list:
    return json.loads(_get(_url(base, path, **params)))


def test_tables_and_row_counts(server, corpus):
    database = _json(server, "/yibao.json")
    counts = {table["name"]: table["count"] for table in database["tables"]}
    assert counts["documents"] == 6  # five sample reports and one PDF, all different
    with duckdb.connect(str(corpus[1] / "yibao.duckdb"), read_only=True) as catalog:
        for name in ("fiscal_facts", "performance_projects", "performance_indicators", "procurement",
                     "reconciliation", "rejects", "expenditure_by_function", "project_scores"):
            assert counts[name] == catalog.execute(f"select count(*) from {name}").fetchone()[0], name
    assert {"cookbook_q01", "chart_expenditure_by_class"} <= {q["name"] for q in database["queries"]}


def test_facet_filter_and_exact_amounts(server):
    facets = _json(server, "/yibao/fiscal_facts.json", _facet="entity_name", _size=0)["facet_results"]
    entities = {item["value"] for item in facets["entity_name"]["results"]}
    assert entities == {"贵州省医疗保障局", "青海省医疗保障局", BUREAU, "贵阳市医疗保障局", "江苏省人大常委会办公厅"}
    # Sichuan 收入决算表 (单位:万元, line 1615), line 1642: 2101504 信息化建设 3,415.80
    rows = _json(server, "/yibao/fiscal_facts.json", _shape="objects", entity_name=BUREAU,
                 table_id="income", item_code="2101504", measure="total")["rows"]
    assert [(r["amount"], r["amount_x100"], r["unit"], r["source_line"]) for r in rows] == [
        (3415.8, 341580, "万元", 1642)]
    assert rows[0]["doc_id"] == hashlib.sha256(SICHUAN.read_bytes()).hexdigest()[:16]


def test_chinese_full_text_search(server):
    rows = _json(server, "/yibao/performance_indicators.json", _search="满意度", _shape="array", _size=50)
    assert rows and all("满意度" in row["indicator"] for row in rows)


def test_canned_query_and_csv_for_excel(server):
    answer = _json(server, "/yibao/cookbook_q01.json", _shape="array")
    assert [(row["entity_name"], row["total"]) for row in answer][:1] == [("贵州省医疗保障局", 6855.89)]
    for flag in ("_bom=1", "_dl=on"):  # _dl=on: what the "download file" box sends
        csv = _get(f"{server}/yibao/procurement_summary.csv?{flag}")
        assert csv.startswith(b"\xef\xbb\xbf") and "贵州省医疗保障局".encode() in csv
    assert not _get(f"{server}/yibao/procurement_summary.csv").startswith(b"\xef\xbb\xbf")


def test_chart_query_in_ten_thousand_yuan(server):
    rows = _json(server, "/yibao/chart_expenditure_by_class.json", _shape="array")
    # Sichuan 支出决算表 line 1676: 210 卫生健康支出 11,299.80 万元
    assert {"单位": BUREAU, "年度": 2024, "报告类型": "final_account", "功能分类": "卫生健康支出",
            "支出_万元": 11299.8} in rows


def test_provenance_from_a_fact_to_its_printed_line(server):
    page = _get(_url(server, "/yibao/fiscal_facts", entity_name=BUREAU, table_id="income",
                     item_code="2101504", measure="total")).decode()
    doc_id = hashlib.sha256(SICHUAN.read_bytes()).hexdigest()[:16]
    link = f"/-/source/{doc_id}?line=1642"
    assert f'href="{link}#L1630">1642</a>' in page and "3415.80 万元" in page
    source = _get(server + link).decode()
    cited = source[source.index('class="cited"'):].split("</tr>")[0]
    assert [cell for cell in re.findall(r"<td>([^<]*)</td>", cited) if cell][:3] == ["2101504", "信息化建设", "3,415.80"]
    assert "单位:万元" in source and "# 收入决算表" in source  # the table's title and unit, to cite it
    assert hashlib.sha256(SICHUAN.read_bytes()).hexdigest() in source and "has changed" not in source


def test_provenance_from_a_pdf_fact_to_its_page(server):
    # NPC 2019 收支预算总表, PDF page 1: 一、一般公共服务支出 13,907.78 (单位：万元)
    rows = _json(server, "/yibao/fiscal_facts.json", _shape="array", entity_name="江苏省人大常委会办公厅",
                 table_id="income_expenditure_summary", amount="13907.78")
    assert {row["source_page"] for row in rows} == {1}
    doc_id = rows[0]["doc_id"]
    page = _get(_url(server, "/yibao/fiscal_facts", entity_name="江苏省人大常委会办公厅",
                     table_id="income_expenditure_summary", amount="13907.78")).decode()
    assert f'href="/-/source/{doc_id}?page=1">1</a>' in page

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None

    with pytest.raises(urllib.error.HTTPError) as redirect:
        urllib.request.build_opener(NoRedirect).open(f"{server}/-/source/{doc_id}?page=1")
    assert redirect.value.headers["Location"] == f"/raw/{NPC.name}#page=1"
    assert _get(f"{server}/raw/{NPC.name}") == NPC.read_bytes()


def _status(base: str, path: str) -> tuple[int, str]:
    """The status and body of a GET sent exactly as written (`..` included: no client normalises it)."""
    import http.client

    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


def test_unknown_routes_are_404_not_500(server):
    for path in ("/nope", "/yibao/no_such_table", "/-/nope/deeper"):
        assert _status(server, path)[0] == 404, path


def test_line_numbers_are_ascii_digits_and_a_line_past_the_end_says_so(server):
    [row] = _json(server, "/yibao/documents.json", _shape="array", source_path=SICHUAN.name)
    for odd in ("²", "٣", "1e3", "-4"):
        status, body = _status(server, f"/-/source/{row['doc_id']}?line={urllib.parse.quote(odd)}")
        assert status in (200, 400) and "marked below" not in body, odd
    lines = len(SICHUAN.read_text(encoding="utf-8").splitlines())
    status, body = _status(server, f"/-/source/{row['doc_id']}?line={lines + 100}")
    assert status == 200 and f"Line {lines + 100} is past the end of this file, which has {lines} lines" in body


def test_only_reports_inside_the_raw_directory_are_served(server, corpus):
    raw = corpus[0]
    assert _status(server, f"/raw/{urllib.parse.quote(SICHUAN.name)}")[0] == 200
    outside = [f"/raw/{'../' * 8}etc", f"/raw/{'../' * 8}etc/passwd", f"/raw/{'../' * 8}no_such_directory",
               "/raw/no_such_report.pdf", f"/raw/{'../' * 8}{raw.parent.as_posix().lstrip('/')}"]
    answers = {path: _status(server, path) for path in outside}
    assert {status for status, _ in answers.values()} == {404}, answers
    assert len({body for _, body in answers.values()}) == 1  # the same answer whether the path exists or not


def test_reconciliation_links_to_the_rows_it_checked(server):
    page = _get(_url(server, "/yibao/reconciliation", table_id="income", _size=1)).decode()
    [row] = _json(server, "/yibao/reconciliation.json", _shape="array", table_id="income", _size=1)
    assert f'href="/yibao/fiscal_facts?doc_id={row["doc_id"]}&amp;table_id=income">income</a>' in page


def _decimal_columns(curated: Path) -> dict[str, tuple[str, list[str]]]:
    """Every exported table with DECIMAL columns in the catalog (curated tables, views, the cookbook's answers):
    the catalog's query for it and those columns."""
    from pipeline.cookbook import RECIPES
    from pipeline.serve import cookbook_name
    from pipeline.writer import describe_catalog

    with duckdb.connect(str(curated / "yibao.duckdb"), read_only=True) as catalog:
        selects = {name: f"select * from {name}" for name in describe_catalog(catalog)}
        selects.update({cookbook_name(number): recipe.sql for number, recipe in enumerate(RECIPES, start=1)})
        found = {name: (select, [column for column, kind, *_ in catalog.execute(f"describe {select}").fetchall()
                                 if kind.startswith("DECIMAL")]) for name, select in selects.items()}
    return {name: columns for name, columns in found.items() if columns[1]}


def _catalog(corpus, sql: str, *params) -> list[tuple]:
    with duckdb.connect(str(corpus[1] / "yibao.duckdb"), read_only=True) as catalog:
        return catalog.execute(sql, list(params)).fetchall()


def _exact(value) -> Decimal | None:
    """A number of the export's JSON as the decimal it prints as (what a reader sees)."""
    return None if value is None else Decimal(repr(value))


def test_fiscal_facts_sorted_by_amount_show_the_largest_first(server, corpus):
    """Amounts were text, and sorted as text: 9761.73 came before 25414.97."""
    [(largest, unit)] = _catalog(corpus, "select amount, unit from fiscal_facts order by amount desc limit 1")
    rows = _json(server, "/yibao/fiscal_facts.json", _sort_desc="amount", _shape="array")
    assert _exact(rows[0]["amount"]) == largest == max(Decimal(str(row["amount"])) for row in rows)
    amounts = [row["amount"] for row in rows]
    assert amounts == sorted(amounts, reverse=True) and all(isinstance(amount, float) for amount in amounts)
    page = _get(_url(server, "/yibao/fiscal_facts", _sort_desc="amount")).decode()
    cells = re.findall(r'<td class="col-amount type-float">([^<]*)</td>', page)
    assert cells[0] == f"{largest} {unit}" and len(cells) == 50  # 25414.97 万元: the exact decimal, with its unit


def test_every_amount_score_rate_and_weight_sorts_by_value(server, corpus):
    columns = _decimal_columns(corpus[1])
    assert {"fiscal_facts", "performance_projects", "performance_indicators", "procurement", "reconciliation",
            "expenditure_by_function", "project_scores", "procurement_summary", "cookbook_q01"} <= set(columns)
    checked = 0
    for table, (select, names) in columns.items():
        if table.startswith("cookbook_"):  # shown by their canned query, in the order its question asks
            continue
        for column in names:
            [(largest, smallest)] = _catalog(corpus, f'select max("{column}"), min("{column}") from ({select})')
            if largest is None:
                continue
            first = _json(server, f"/yibao/{table}.json", _sort_desc=column, _col=column, _size=1, _shape="array")
            last = _json(server, f"/yibao/{table}.json", _sort=column, _col=column, _size=1, _shape="array",
                         **{f"{column}__notblank": 1})
            assert (_exact(first[0][column]), _exact(last[0][column])) == (largest, smallest), (table, column)
            checked += 1
    assert checked >= 35


def test_the_export_holds_the_catalogs_decimals_exactly(corpus):
    """Each REAL reads back as the catalog's decimal; each money column's `_x100` is it in hundredths."""
    with sqlite3.connect(corpus[1] / "yibao.sqlite") as export:
        for table, (select, names) in _decimal_columns(corpus[1]).items():
            for column in names:
                exported = export.execute(f'select "{column}", typeof("{column}") from "{table}"').fetchall()
                assert {kind for _, kind in exported} <= {"real", "null"}, (table, column)
                printed = Counter(value for (value,) in _catalog(corpus, f'select "{column}" from ({select})'))
                assert Counter(_exact(value) for value, _ in exported) == printed, (table, column)
            for column in [c for c in names if f"{c}_x100" in
                           {row[1] for row in export.execute(f'pragma table_info("{table}")')}]:
                pairs = export.execute(f'select "{column}", "{column}_x100" from "{table}"').fetchall()
                assert all(hundredths == _exact(value) * 100 for value, hundredths in pairs if value is not None)


def test_json_and_csv_give_the_exact_decimals(server, corpus):
    """No 0.30000000000000004: every value of every decimal column, in JSON and CSV, is the catalog's."""
    for table, (select, names) in _decimal_columns(corpus[1]).items():
        printed = {column: Counter(value for (value,) in _catalog(corpus, f'select "{column}" from ({select})'))
                   for column in names}
        query = "&".join(f"_col={urllib.parse.quote(column)}" for column in names) + "&_size=max"
        rows = json.loads(_get(f"{server}/yibao/{table}.json?_shape=array&{query}"), parse_float=Decimal)
        assert len(rows) == sum(printed[names[0]].values()), table  # every row (under 5000)
        for column in names:
            assert Counter(row[column] for row in rows) == printed[column], (table, column)
        text = _get(f"{server}/yibao/{table}.csv?{query}").decode("utf-8")
        for column in names:
            cells = [row[column] for row in csv.DictReader(io.StringIO(text))]
            assert all(re.fullmatch(r"-?[0-9]+\.?[0-9]{0,4}", cell) for cell in cells if cell), (table, column)
            assert Counter(Decimal(cell) if cell else None for cell in cells) == printed[column], (table, column)


def test_sum_of_a_reports_classes_is_the_exact_decimal(server, corpus):
    """`sum(amount)` over a report's 类 rows (item_level = 1) of a table is the Decimal sum of the catalog's
    amounts, for every sample report, table and column; SQLite's own sum misses some of them."""
    facts = _catalog(corpus, "select doc_id, table_id, measure, amount, amount_yuan from fiscal_facts "
                             "where item_level = 1")
    by_measure: dict[tuple, list] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    by_table: dict[tuple, Decimal] = defaultdict(Decimal)
    for doc_id, table_id, measure, amount, yuan in facts:
        by_measure[doc_id, table_id, measure][0] += amount
        by_measure[doc_id, table_id, measure][1] += yuan
        by_table[doc_id, table_id] += amount
    assert len({doc_id for doc_id, *_ in facts}) == 5 and len(by_measure) > 90  # every report with coded rows
    grouped = ("select doc_id, table_id, measure, sum(amount) as amount, sum(amount_yuan) as yuan from fiscal_facts "
               "where item_level = 1 group by doc_id, table_id, measure")
    answer = _json(server, "/yibao.json", sql=grouped, _shape="array")
    assert {(r["doc_id"], r["table_id"], r["measure"]): [_exact(r["amount"]), _exact(r["yuan"])]
            for r in answer} == by_measure
    for (doc_id, table_id), total in by_table.items():  # the question as a reader asks it, one table at a time
        [row] = _json(server, "/yibao.json", sql="select sum(amount) as total from fiscal_facts where doc_id = :doc "
                      "and table_id = :table and item_level = 1", doc=doc_id, table=table_id, _shape="array")
        assert _exact(row["total"]) == total, (doc_id, table_id)
    # Sichuan's 支出决算表: 12588.45 (SQLite's own sum: 12588.449999999999)
    [(sichuan,)] = _catalog(corpus, "select doc_id from documents where source_path = ?", SICHUAN.name)
    assert by_measure[sichuan, "expenditure", "total"][0] == Decimal("12588.45")
    with sqlite3.connect(corpus[1] / "yibao.sqlite") as plain:  # without the plugin: the test can tell
        missed = [tuple(key) for *key, amount, _ in plain.execute(grouped)
                  if _exact(amount) != by_measure[tuple(key)][0]]
    assert (sichuan, "expenditure", "total") in missed


def test_sum_of_other_columns_is_sqlites(server, corpus):
    """Integers still sum to an INTEGER, windows still work, and no rows give NULL."""
    [(lines, pages)] = _catalog(corpus, "select sum(source_line), sum(source_page) from fiscal_facts")
    [row] = _json(server, "/yibao.json", sql="select sum(source_line) as lines, typeof(sum(source_line)) as kind, "
                  "sum(source_page) as pages, sum(amount) filter (where false) as none from fiscal_facts",
                  _shape="array")
    assert row == {"lines": lines, "kind": "integer", "pages": pages, "none": None}
    rows = _json(server, "/yibao.json", sql="select amount, sum(amount) over (order by rowid) as running "
                 "from fiscal_facts where rowid <= 3", _shape="array")
    assert _exact(rows[2]["running"]) == sum(_exact(r["amount"]) for r in rows)


def test_exact_sum_keeps_sqlites_types():
    from pipeline.datasette_plugins.exact_sums import register

    plain, exact = sqlite3.connect(":memory:"), sqlite3.connect(":memory:")
    register(exact)
    for connection in (plain, exact):
        connection.execute("create table t (i INTEGER, r REAL, s TEXT, n)")
        connection.executemany("insert into t values (?, ?, ?, ?)", [(1, 0.1, "12", None), (2, 0.2, "3.5", None),
                                                                      (None, None, "abc", None)])
    for expression in ("sum(i)", "avg(i)", "sum(s)", "avg(s)", "sum(n)", "avg(n)", "sum(distinct i)", "total(r)",
                       "sum(i) filter (where i > 1)"):
        query = f"select {expression}, typeof({expression}) from t"
        assert exact.execute(query).fetchone() == plain.execute(query).fetchone(), expression
    window = "select group_concat(x) from (select sum(i) over (order by rowid) as x from t)"
    assert exact.execute(window).fetchone() == plain.execute(window).fetchone() == ("1,3,3",)
    assert plain.execute("select sum(r), avg(r) from t").fetchone() == (0.30000000000000004, 0.15000000000000002)
    assert exact.execute("select sum(r), avg(r), typeof(sum(r)) from t").fetchone() == (0.3, 0.15, "real")
    with pytest.raises(sqlite3.OperationalError):  # past 64 bits, as SQLite
        exact.execute("select sum(x) from (select 9223372036854775807 as x union all select 1)").fetchone()


def test_source_lines_link_whatever_columns_are_shown(server, corpus):
    """`?_col=source_line` leaves doc_id out of the row: the link is found from the row's rowid."""
    doc_id = hashlib.sha256(SICHUAN.read_bytes()).hexdigest()[:16]
    where = urllib.parse.urlencode({"entity_name": BUREAU, "table_id": "income", "item_code": "2101504",
                                    "measure": "total"})
    for shown in ("_col=source_line", "_col=amount&_col=source_line", "_nocol=doc_id", ""):
        page = _get(f"{server}/yibao/fiscal_facts?{where}&{shown}").decode()
        assert f'href="/-/source/{doc_id}?line=1642#L1630">1642</a>' in page, shown
    for shown in ("_col=amount", "_col=amount_yuan", "_nocol=unit"):  # and an amount keeps its unit
        page = _get(f"{server}/yibao/fiscal_facts?{where}&{shown}").decode()
        assert "3415.80 万元" in page or "34158000.00 元" in page, shown
    [(npc,)] = _catalog(corpus, "select doc_id from documents where source_path = ?", NPC.name)
    page = _get(_url(server, "/yibao/fiscal_facts", entity_name="江苏省人大常委会办公厅", amount="13907.78",
                     _col="source_page")).decode()
    assert f'href="/-/source/{npc}?page=1">1</a>' in page
    page = _get(_url(server, "/yibao/reconciliation", table_id="income", _col="table_id", _size=1)).decode()
    assert re.search(r'href="/yibao/fiscal_facts\?doc_id=[0-9a-f]{16}&amp;table_id=income">income</a>', page)
    for table in ("performance_projects", "performance_indicators", "rejects"):  # every table with lines
        [(line, doc)] = _catalog(corpus, f"select source_line, doc_id from {table} where source_line is not null "
                                         "order by rowid limit 1")
        page = _get(_url(server, f"/yibao/{table}", _col="source_line", _size=1)).decode()
        assert f'href="/-/source/{doc}?line={line}#L{max(1, line - 12)}">{line}</a>' in page, table


def test_sorting_by_a_column_not_shown_answers(server, corpus):
    """It answered 400 "incomplete input" as soon as the page had a next one; now the sort column is shown too."""
    [(largest,)] = _catalog(corpus, "select max(amount) from fiscal_facts")
    status, _ = _status(server, "/yibao/fiscal_facts?_sort_desc=amount_x100&_col=amount")
    assert status == 302
    page = _get(f"{server}/yibao/fiscal_facts?_sort_desc=amount_x100&_col=amount").decode()  # redirect followed
    assert f"{largest} 万元" in page and "incomplete input" not in page
    first = _json(server, "/yibao/fiscal_facts.json", _sort_desc="amount_x100", _col="amount")
    assert _exact(first["rows"][0][1]) == largest and first["next_url"]
    following = json.loads(_get(first["next_url"]))
    amounts = [row[1] for row in first["rows"] + following["rows"]]
    assert len(amounts) == 100 and amounts == sorted(amounts, reverse=True)
    for path in ("/yibao/fiscal_facts.json?_sort_desc=amount_x100&_nocol=amount_x100",
                 "/yibao/fiscal_facts.json?_sort=item_level&_col=amount"):
        assert json.loads(_get(server + path))["rows"], path
    assert _status(server, "/yibao/fiscal_facts?_sort=no_such_column")[0] == 400  # the reader's mistake: not 500


def test_a_bad_query_leaves_the_log_quiet(server, corpus):
    """The reader sees what is wrong on the page; the server's log has its access line, no SQL, no traceback."""
    for path in ("/yibao?sql=select+nope+from", "/yibao?sql=select+*+from+no_such_table",
                 "/yibao/fiscal_facts?_where=nope(", "/yibao/fiscal_facts?_sort=nope",
                 "/yibao/fiscal_facts?_sort_desc=amount_x100&_col=amount"):
        assert _status(server, path)[0] in (302, 400), path
    log = (corpus[1] / "serve.log").read_text(encoding="utf-8")
    assert "GET /yibao?sql=select+nope+from HTTP/1.1\" 400" in log
    assert [line for line in log.splitlines() if not line.startswith(("INFO:", "serving on", "exporting the"))] == []


def test_a_running_serve_stamps_exports_with_the_code_it_runs(tmp_path, monkeypatch):
    """Its code changed on disk (a pull) while it ran: its exports still say they were made by the old code,
    so a restarted serve, on the new code, exports again."""
    import pipeline.serve as served

    before = served._exporter_digest()
    changed = tmp_path / "serve.py"
    changed.write_bytes(Path(served.__file__).read_bytes() + b"\n# changed\n")
    monkeypatch.setattr(served, "__file__", str(changed))
    assert served._exporter_digest() == before


def test_serve_exports_again_after_a_refresh(corpus, tmp_path):
    """A refreshed catalog is exported and served without restarting `serve` by hand."""
    curated = tmp_path / "curated"
    curated.mkdir()
    shutil.copy(corpus[1] / "yibao.duckdb", curated / "yibao.duckdb")
    process, base = _start(curated, corpus[0], "--watch-seconds", "0.5")
    try:
        assert _json(base, "/yibao/documents.json", _size=0)["filtered_table_rows_count"] == 6
        with duckdb.connect(str(curated / "yibao.duckdb")) as catalog:  # what a refresh does: a new catalog
            catalog.execute("delete from documents where entity_name = '贵阳市医疗保障局'")
        for _ in range(100):
            time.sleep(0.3)
            try:
                if _json(base, "/yibao/documents.json", _size=0)["filtered_table_rows_count"] == 5:
                    break
            except OSError:  # restarting
                pass
        else:
            raise AssertionError("the refreshed catalog was not served")
    finally:
        _stop(process, base)


# ---------------------------------------------------------------- in the browser

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  # any host but this one fails: a page that needs a CDN shows it
                  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


def _has_chinese_font() -> bool:
    matched = subprocess.run(["fc-match", "-f", "%{family}", "sans-serif:lang=zh-cn"],
                             capture_output=True, text=True) if shutil.which("fc-match") else None
    return bool(matched and "CJK" in matched.stdout)


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's Chromium and CJK fonts, installed with apt-get when missing; skipped where that is impossible."""
    if not (shutil.which("chromium") and _has_chinese_font()):
        if os.geteuid() != 0 or not shutil.which("apt-get"):
            pytest.skip("Chromium with CJK fonts is not installed, and installing it needs root and apt-get: "
                        "run `apt-get install chromium fonts-noto-cjk` as root")
        environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "update", "-qq"],
                        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium", "fonts-noto-cjk"]):
            done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=900)
            if done.returncode != 0:
                pytest.skip(f"Chromium could not be installed ({' '.join(command)}): "
                            f"{(done.stderr.strip().splitlines() or ['no message'])[-1]}")
    assert _has_chinese_font()
    return shutil.which("chromium")


def _chromium(binary: str, url: str, *options: str) -> str:
    with tempfile.TemporaryDirectory(prefix="yibao-chromium-") as profile:
        done = subprocess.run([binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *options, url],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_home_and_table_pages_in_chromium(server, chromium):
    home = _chromium(chromium, f"{server}/", "--dump-dom")
    assert "医保预决算开放数据" in home and "财政数据 fiscal_facts" in home and "各局按功能分类的支出" in home
    table = _url(server, "/yibao/fiscal_facts", entity_name=BUREAU, table_id="income", _size=200)
    dom = _chromium(chromium, table, "--dump-dom")
    # 收入决算表 lines 1623–1650: 27 rows with figures (合计 and 26 codes) × 7 columns
    assert f"189 rows where entity_name = \"{BUREAU}\" and table_id = \"income\"" in dom
    assert "信息化建设" in dom and "3415.80 万元" in dom


def test_sorted_amounts_and_source_links_in_chromium(server, corpus, chromium):
    [(largest, unit)] = _catalog(corpus, "select amount, unit from fiscal_facts order by amount desc limit 1")
    dom = _chromium(chromium, _url(server, "/yibao/fiscal_facts", _sort_desc="amount", _size=5), "--dump-dom")
    cells = re.findall(r'<td class="col-amount type-float">([^<]*)</td>', dom)
    assert cells[0] == f"{largest} {unit}" and len(cells) == 5
    doc_id = hashlib.sha256(SICHUAN.read_bytes()).hexdigest()[:16]
    dom = _chromium(chromium, _url(server, "/yibao/fiscal_facts", entity_name=BUREAU, table_id="income",
                                   item_code="2101504", measure="total", _col="source_line"), "--dump-dom")
    assert f'href="/-/source/{doc_id}?line=1642#L1630">1642</a>' in dom


def test_a_partial_reports_row_says_why_over_http_and_in_chromium(server, chromium):
    """Guizhou's final account is partial for 4 pieces of indicator rows the sheets' columns cannot place
    (data/raw/guizhou_2024_final_account.txt lines 2638, 2746, 2757, 2764, read by eye)."""
    reason = "4 rejects: 4 indicator rows fitting no column"
    [row] = _json(server, "/yibao/documents.json", source_path="guizhou_2024_final_account.txt", _shape="array")
    assert (row["status"], row["error"], row["partial_reason"]) == ("partial", None, reason)
    dom = _chromium(chromium, _url(server, "/yibao/documents", status="partial", _col="partial_reason"),
                    "--dump-dom")
    assert f">{reason}</td>" in dom


def test_chart_draws_offline_in_chromium(server, chromium):
    """datasette-vega's scripts are served locally: the chart draws with every other host unreachable."""
    links = [href.split('"')[0].replace("&amp;", "&") for href in _get(f"{server}/").decode().split('href="')[1:]]
    chart = next(link for link in links if link.startswith("/yibao/chart_expenditure_by_class#g.mark=bar"))
    dom = _chromium(chromium, server + chart, "--dump-dom", "--virtual-time-budget=10000")  # time to fetch and draw
    assert '<div class="vega-embed">' in dom and '<canvas' in dom.split('<div class="vega-embed">')[1][:200]
    scripts = [part.split('"')[0] for part in dom.split('<script src="')[1:]]
    assert scripts and all(src.startswith("/") for src in scripts)
