"""Datasette over the curated dataset, tested through its JSON API on a free localhost port."""

import json
import socket
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from assets.run import run
from conftest import RAW
from pipeline.serve import datasette_command, export_sqlite, write_metadata


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    curated = tmp_path_factory.mktemp("curated")
    assert run(RAW, curated) == 0
    export_sqlite(curated)
    write_metadata(curated)
    port = _free_port()
    process = subprocess.Popen(datasette_command(curated, RAW, "127.0.0.1", port),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/-/versions.json", timeout=1)
            break
        except OSError:
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def _json(base: str, path: str, **params) -> dict | list:
    query = urllib.parse.urlencode(params)
    return json.loads(_get(f"{base}{urllib.parse.quote(path)}?{query}"))


def test_tables_and_row_counts(server):
    database = _json(server, "/yibao.json")
    counts = {table["name"]: table["count"] for table in database["tables"]}
    assert counts["documents"] == 5 and counts["fiscal_facts"] == 3406 and counts["performance_indicators"] == 648
    assert {"expenditure_by_function", "project_scores", "procurement_summary", "cookbook_q01"} <= set(counts)


def test_facet_filter_and_exact_amounts(server):
    facets = _json(server, "/yibao/fiscal_facts.json", _facet="entity_name", _size=0)["facet_results"]
    entities = {item["value"]: item["count"] for item in facets["entity_name"]["results"]}
    assert set(entities) == {"贵州省医疗保障局", "青海省医疗保障局", "四川省医疗保障局", "贵阳市医疗保障局"}
    # Sichuan 收入决算表 line 1642: 2101504 信息化建设 3,415.80 万元
    rows = _json(server, "/yibao/fiscal_facts.json", _shape="objects", entity_name="四川省医疗保障局",
                 table_id="income", item_code="2101504", measure="total")["rows"]
    assert [(r["amount"], r["amount_x100"], r["unit"], r["source_line"]) for r in rows] == [
        ("3415.80", 341580, "万元", 1642)]
    assert rows[0]["doc_id"]  # links to the documents row: the printed source


def test_chinese_full_text_search(server):
    rows = _json(server, "/yibao/performance_indicators.json", _search="满意度", _shape="array", _size=50)
    assert rows and all("满意度" in row["indicator"] for row in rows)


def test_canned_query_and_csv_for_excel(server):
    answer = _json(server, "/yibao/cookbook_q01.json", _shape="array")
    assert [(row["entity_name"], row["total"]) for row in answer][:1] == [("贵州省医疗保障局", "6855.89")]
    csv = _get(f"{server}/yibao/procurement_summary.csv?_bom=1")
    assert csv.startswith(b"\xef\xbb\xbf") and "贵州省医疗保障局".encode() in csv
    assert not _get(f"{server}/yibao/procurement_summary.csv").startswith(b"\xef\xbb\xbf")
