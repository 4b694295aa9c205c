"""`python -m pipeline serve`: Datasette over the curated dataset, tested on a free localhost port.

Through the JSON API and the HTML pages over HTTP, and in Debian's Chromium
(headless), which the browser tests install when it is missing and they can
(root and apt-get), and skip with the reason where they cannot.
"""

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
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
        ("3415.80", 341580, "万元", 1642)]
    assert rows[0]["doc_id"] == hashlib.sha256(SICHUAN.read_bytes()).hexdigest()[:16]


def test_chinese_full_text_search(server):
    rows = _json(server, "/yibao/performance_indicators.json", _search="满意度", _shape="array", _size=50)
    assert rows and all("满意度" in row["indicator"] for row in rows)


def test_canned_query_and_csv_for_excel(server):
    answer = _json(server, "/yibao/cookbook_q01.json", _shape="array")
    assert [(row["entity_name"], row["total"]) for row in answer][:1] == [("贵州省医疗保障局", "6855.89")]
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


def test_chart_draws_offline_in_chromium(server, chromium):
    """datasette-vega's scripts are served locally: the chart draws with every other host unreachable."""
    links = [href.split('"')[0].replace("&amp;", "&") for href in _get(f"{server}/").decode().split('href="')[1:]]
    chart = next(link for link in links if link.startswith("/yibao/chart_expenditure_by_class#g.mark=bar"))
    dom = _chromium(chromium, server + chart, "--dump-dom", "--virtual-time-budget=10000")  # time to fetch and draw
    assert '<div class="vega-embed">' in dom and '<canvas' in dom.split('<div class="vega-embed">')[1][:200]
    scripts = [part.split('"')[0] for part in dom.split('<script src="')[1:]]
    assert scripts and all(src.startswith("/") for src in scripts)
