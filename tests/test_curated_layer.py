"""The curated layer for its readers: views, comments, the query CLI and the cookbook."""

import csv
import json
import shutil
import subprocess
import sys

import duckdb
import pytest

from assets.run import run
from conftest import RAW, ROOT
from pipeline.__main__ import main
from pipeline.cookbook import render_cookbook
from pipeline.query import width


@pytest.fixture(scope="module")
def curated(tmp_path_factory):
    out = tmp_path_factory.mktemp("curated")
    assert run(RAW, out) == 0
    return out


def test_the_cookbook_answers_are_current(curated):
    committed = (ROOT / "docs" / "cookbook.md").read_text(encoding="utf-8")
    assert render_cookbook(curated) == committed, "run `make pipeline && python -m pipeline cookbook` and commit"
    assert committed.count("\n## ") >= 12


def test_every_table_view_and_column_has_a_comment(curated):
    with duckdb.connect(str(curated / "yibao.duckdb"), read_only=True) as connection:
        tables = connection.execute("select schema_name, table_name, comment from duckdb_tables() union all "
                                    "select schema_name, view_name, comment from duckdb_views() "
                                    "where not internal").fetchall()
        columns = connection.execute("select table_name, column_name, comment from duckdb_columns() "
                                     "where not internal").fetchall()
    assert all(comment for *_, comment in tables)
    published = {name for schema, name, _ in tables if schema == "main"}
    assert len(published) == 10  # the seven curated tables and three analyst views
    assert {name for schema, name, _ in tables if schema == "quarantine"} == published - {
        "expenditure_by_function", "project_scores", "procurement_summary"}
    assert all(comment and " — " in comment for *_, comment in columns), [c for c in columns if not c[2]]


def test_documents_say_why_a_report_is_partial_and_datasette_describes_it(curated):
    from pipeline.serve import metadata

    with duckdb.connect(str(curated / "yibao.duckdb"), read_only=True) as connection:
        rows = {path: rest for path, *rest in connection.execute(
            "select source_path, status, error, partial_reason from documents").fetchall()}
    # Guizhou lines 2638, 2746, 2757, 2764: pieces of indicator rows (test_partial_reason has every sample's lines)
    assert rows["guizhou_2024_final_account.txt"] == ["partial", None, "4 rejects: 4 indicator rows fitting no column"]
    assert rows["qiannan_2023_performance_evaluation.txt"] == ["ok", None, None]
    described = metadata(curated, RAW)["databases"]["yibao"]["tables"]["documents"]["columns"]["partial_reason"]
    assert described.startswith("部分读取原因 — Why the report is partial")


def test_expenditure_by_function_answers_the_new_users_question(curated, capsys):
    query = "select * from expenditure_by_function where item_code = '2101504'"
    assert main(["sql", query, "--curated-dir", str(curated)]) == 0
    out = capsys.readouterr().out
    # 支出决算表, 2101504 信息化建设 合计: Guizhou line 320, Sichuan line 1683 (3,415.80), Qinghai line 239 (44.5)
    for name, total in (("贵州省医疗保障局", "6855.89"), ("四川省医疗保障局", "3415.80"), ("青海省医疗保障局", "44.50")):
        assert name in out and total in out
    assert "卫生健康支出" in out and "万元" in out and "(3 rows)" in out


def test_exports(curated, tmp_path, capsys):
    query = "select entity_name, total from procurement_summary order by entity_name"
    assert main(["sql", query, "--csv", str(tmp_path / "p.csv"), "--curated-dir", str(curated)]) == 0
    assert capsys.readouterr().out == f"wrote 4 rows (2 columns) to {tmp_path / 'p.csv'}\n"  # where, how many
    raw = (tmp_path / "p.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 with a BOM as Chinese
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["entity_name", "total"] and ["贵州省医疗保障局", "11713.59"] in rows
    assert main(["sql", query, "--json", "--curated-dir", str(curated)]) == 0
    assert {"entity_name": "四川省医疗保障局", "total": "3688.54"} in json.loads(capsys.readouterr().out)
    assert main(["sql", query, "--xlsx", str(tmp_path / "p.xlsx"), "--curated-dir", str(curated)]) == 0
    assert capsys.readouterr().out == f"wrote 4 rows (2 columns) to {tmp_path / 'p.xlsx'}\n"
    assert main(["sql", query, "--json", str(tmp_path / "p.json"), "--curated-dir", str(curated)]) == 0
    assert capsys.readouterr().out == f"wrote 4 rows (2 columns) to {tmp_path / 'p.json'}\n"
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "p.xlsx").active
    assert [c.value for c in sheet[1]] == ["entity_name", "total"] and sheet.max_row == 5


def test_a_refresh_computes_the_views_rows_of_the_changed_reports_alone(curated, tmp_path):
    """A report added and one removed by `update_catalog`: each view holds the rows a catalog built anew has."""
    from pipeline.schema import CURATED_TABLES
    from pipeline.store import document_ids, table_parts
    from pipeline.views import VIEWS
    from pipeline.writer import build_catalog, update_catalog

    with duckdb.connect(str(curated / "yibao.duckdb"), read_only=True) as connection:
        ids = dict(connection.execute("select source_path, doc_id from documents").fetchall())
    added, removed = ids["qinghai_2024_final_account.txt"], ids["sichuan_2024_final_account.txt"]
    parts = {schema: table_parts(curated, schema, document_ids(curated)) for schema in CURATED_TABLES}
    of = {schema: [p for p in files if added in str(p)] for schema, files in parts.items()}
    after, fresh = tmp_path / "after", tmp_path / "fresh"
    for directory in (after, fresh):
        directory.mkdir()
    build_catalog(after, {schema: [p for p in files if added not in str(p)] for schema, files in parts.items()})
    update_catalog(after, {schema: ({added}, of[schema], []) for schema in CURATED_TABLES})
    update_catalog(after, {schema: ({removed}, [], []) for schema in CURATED_TABLES})
    build_catalog(fresh, {schema: [p for p in files if removed not in str(p)] for schema, files in parts.items()})
    with duckdb.connect() as connection:
        connection.execute(f"attach '{after / 'yibao.duckdb'}' as after (read_only)")
        connection.execute(f"attach '{fresh / 'yibao.duckdb'}' as fresh (read_only)")
        for view in VIEWS:
            rows = connection.execute(f"select count(*) filter (where doc_id = '{added}'), "
                                      f"count(*) filter (where doc_id = '{removed}') from after.{view.name}").fetchone()
            assert rows[0] > 0 and rows[1] == 0, view.name  # Qinghai prints function codes, sheets, procurement
            differ = connection.execute(f"select count(*) from ((from after.{view.name} except all from fresh.{view.name}) "
                                        f"union all (from fresh.{view.name} except all from after.{view.name}))")
            assert differ.fetchone()[0] == 0, view.name


def test_a_refresh_copies_the_csv_bytes_of_unchanged_reports_and_writes_what_a_full_export_writes(curated, tmp_path):
    """One report rewritten, one removed: each CSV is byte for byte a whole export of the refreshed catalog,
    and the unchanged reports' rows were copied from the last CSVs instead of being exported again."""
    from pipeline.datapackage import write_datapackage

    raw, refreshed, whole = tmp_path / "raw", tmp_path / "refreshed", tmp_path / "whole"
    shutil.copytree(RAW, raw)
    shutil.copytree(curated, refreshed)  # file times kept: the catalog's record and the CSVs' index still hold
    (raw / "sichuan_2024_final_account.txt").unlink()
    with open(raw / "qinghai_2024_final_account.txt", "a", encoding="utf-8") as qinghai:
        qinghai.write("\n")  # other bytes: another document, parsed again
    assert run(raw, refreshed) == 0
    whole.mkdir()
    shutil.copy2(refreshed / "yibao.duckdb", whole)
    write_datapackage(whole)  # no record of the catalog there: every CSV exported whole
    for exported in sorted((whole / "csv").glob("*.csv")):
        assert (refreshed / "csv" / exported.name).read_bytes() == exported.read_bytes(), exported.name
    indexes = json.loads((refreshed / "_state" / "datapackage.json").read_text(encoding="utf-8"))["indexes"]
    # Guiyang's budget and Guizhou's final account print fiscal tables and did not change; Qiannan's evaluation
    # prints none. Qinghai's rewritten report is exported again, its rows last, as in the catalog.
    assert (indexes["fiscal_facts"]["copied"], len(indexes["fiscal_facts"]["docs"])) == (2, 3)
    assert (indexes["documents"]["copied"], len(indexes["documents"]["docs"])) == (3, 4)
    # Qinghai's rejects hold a markdown sheet's wrapped rows (line 810: `培训班次 (会议次` … `数)`): rows that
    # span lines cannot be cut by line, so that CSV is exported whole and has no index.
    assert "rejects" not in indexes and "expenditure_by_function" not in indexes


def _comments(out: str) -> dict[str, str]:
    """The comment column of `tables` or `describe` output, each row's wrapped lines joined, by first column."""
    header, _, *lines = out.splitlines()
    at = width(header[:header.index("comment")])
    comments: dict[str, str] = {}
    name = None
    for line in lines[:-1]:  # the last is the row count
        cut = next(i for i in range(len(line) + 1) if width(line[:i]) >= at)
        if line[:cut].strip():
            name = line.split()[0]
        comments[name] = (comments.get(name, "") + " " + line[cut:]).strip()
    return comments


def test_tables_and_describe(curated, capsys, monkeypatch):
    """Comments are shown whole, wrapped to the terminal's width, never cut with `…`."""
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["tables", "--curated-dir", str(curated)]) == 0
    out = capsys.readouterr().out
    assert "expenditure_by_function" in out
    assert max(width(line) for line in out.splitlines()) <= 100
    with duckdb.connect(str(curated / "yibao.duckdb"), read_only=True) as catalog:
        tables = dict(catalog.execute("select table_name, comment from duckdb_tables() where schema_name = 'main'")
                      .fetchall())
        columns = dict(catalog.execute("select column_name, comment from duckdb_columns() "
                                       "where table_name = 'fiscal_facts' and schema_name = 'main'").fetchall())
    shown = _comments(out)
    for name, comment in tables.items():  # every word, in order; a line may break between Chinese characters
        assert "".join(shown[name].split()) == "".join(comment.split()), name
    assert out.count("…") == sum(comment.count("…") for comment in tables.values())  # none added: nothing cut
    assert main(["describe", "fiscal_facts", "--curated-dir", str(curated)]) == 0
    out = capsys.readouterr().out
    assert "amount" in out and "DECIMAL(20,2)" in out and "金额" in out
    assert max(width(line) for line in out.splitlines()) <= 100
    shown = _comments(out)
    assert max(len(comment) for comment in columns.values()) > 200  # `section`'s, many lines long
    for name, comment in columns.items():
        assert "".join(shown[name].split()) == "".join(comment.split()), name
    assert out.count("…") == sum(comment.count("…") for comment in columns.values())
    with pytest.raises(SystemExit, match="no table or view named 'nope'"):
        main(["describe", "nope", "--curated-dir", str(curated)])


def test_wide_characters_line_up():
    from pipeline.query import render, width

    text = render(["名称", "n"], [("贵州省", 1), ("ab", 22)])
    lines = text.splitlines()
    assert width(lines[0]) == width(lines[2]) == width(lines[3])


def _frictionless_validate(package) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "frictionless", "validate", str(package)],
                          capture_output=True, text=True, timeout=300)


def test_the_data_package_validates(curated, tmp_path):
    package = curated / "datapackage.json"
    result = _frictionless_validate(package)
    assert result.returncode == 0, result.stdout[-3000:]
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert set(resources) == {"documents", "fiscal_facts", "performance_projects", "performance_indicators",
                              "procurement", "reconciliation", "rejects", "expenditure_by_function"}
    view = {f["name"]: f for f in resources["expenditure_by_function"]["schema"]["fields"]}
    assert view["fiscal_year"]["columnType"] == "date:fiscal-year"
    assert view["class_name"]["columnType"] == "functional-classification:generic:level1:label"
    assert view["section_code"]["columnType"] == "functional-classification:generic:level2:code"
    assert view["total_yuan"]["columnType"] == "value" and view["total_yuan"]["type"] == "number"
    assert resources["fiscal_facts"]["schema"]["extraFields"][0]["constant"] == "CNY"
    # Sichuan 支出决算表 lines 1633, 1639, 1642: 210 卫生健康支出 > 21015 医疗保障管理事务 > 2101504 信息化建设 3,415.80
    with open(curated / "csv" / "expenditure_by_function.csv", encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["item_code"] == "2101504"]
    sichuan = next(r for r in rows if r["entity_name"] == "四川省医疗保障局")
    assert (sichuan["class_code"], sichuan["class_name"], sichuan["section_code"], sichuan["section_name"]) == (
        "210", "卫生健康支出", "21015", "医疗保障管理事务")
    assert (sichuan["total"], sichuan["unit"], sichuan["total_yuan"]) == ("3415.80", "万元", "34158000.00")

    broken = tmp_path / "broken"
    shutil.copytree(curated, broken, ignore=shutil.ignore_patterns("*.duckdb", "*.parquet", "docs"))
    facts = broken / "csv" / "fiscal_facts.csv"
    lines = facts.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = "ffffffffffffffff" + lines[1][lines[1].index(","):]  # a fact of no document
    facts.write_text("".join(lines), encoding="utf-8")
    result = _frictionless_validate(broken / "datapackage.json")
    assert result.returncode != 0 and "foreign-key" in result.stdout


# Every example of README.md and of the cookbook answers on the samples, for every report it concerns.
# The issuers as each sample prints them, and what each holds (read in data/raw/): Qiannan's report is a
# performance evaluation (16 self-evaluation sheets, no 支出表 or other fiscal table); Guiyang's budget prints its
# projects' 绩效目标表 (targets), no 自评表; the three final accounts print fiscal tables and 自评表.
ISSUERS = {"guiyang_2025_budget.txt": "贵阳市医疗保障局", "guizhou_2024_final_account.txt": "贵州省医疗保障局",
           "qiannan_2023_performance_evaluation.txt": "黔南布依族苗族自治州医疗保障局",
           "qinghai_2024_final_account.txt": "青海省医疗保障局", "sichuan_2024_final_account.txt": "四川省医疗保障局"}
SCOPE_REPORTS = {
    "every": set(ISSUERS),
    "fiscal": set(ISSUERS) - {"qiannan_2023_performance_evaluation.txt"},
    "self_evaluation": set(ISSUERS) - {"guiyang_2025_budget.txt"},
}
LIST, EMPTY = "list", "empty"  # a list of some reports' rows (its text says `only`); empty on the samples
README_SCOPES = {  # a piece of each README example's SQL → the reports its answer holds
    "select * from documents": "every",
    "from expenditure_by_function where item_level = 1": "fiscal",
    "select * from reconciliation where passed = false": LIST,
    "where item_code = '2101504'": LIST,  # 贵阳's budget prints no 2101504 line (lines 285-291: 2101501, 02, 05, 99)
    "select * from procurement_summary": "fiscal",
    "from documents where status <> 'ok'": LIST,
    "from quarantine.fiscal_facts": EMPTY,
    "reason, raw_text from rejects": LIST,
    "subject, expected, actual from reconciliation where passed = false": LIST,
}


def _readme_examples() -> list[tuple[str, str]]:
    """(SQL, the README line it is on) of every SQL example: `db.sql(...)` and `python -m pipeline sql "..."`."""
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```(?:sh|python)\n(.*?)```", text, re.S):
        for match in re.finditer(r'db\.sql\("""(.*?)"""\)|db\.sql\("(.*?)"\)|pipeline sql "(.*?)"', block, re.S):
            sql = next(g for g in match.groups() if g is not None)
            end = block.find("\n", match.end())
            found.append((sql, block[block.rfind("\n", 0, match.start()) + 1:end if end >= 0 else None]))
    return found


def _reports_in(curated, sql: str) -> tuple[int, list[str]]:
    """How many rows the query answers, and the sample report of each row (by doc_id or path, else by issuer)."""
    with duckdb.connect(str(curated / "yibao.duckdb"), read_only=True) as connection:
        paths = dict(connection.execute("select doc_id, source_path from documents").fetchall())
        result = connection.execute(sql)
        columns = [c[0] for c in result.description]
        rows = [dict(zip(columns, row)) for row in result.fetchall()]
    by_issuer = {issuer: path for path, issuer in ISSUERS.items()}
    assert not rows or {"doc_id", "source_path", "entity_name"} & set(columns), sql
    return len(rows), [paths[r["doc_id"]] if "doc_id" in r else r["source_path"] if "source_path" in r
                       else by_issuer[r["entity_name"]] for r in rows]


def test_every_readme_example_answers_for_every_report_it_concerns(curated):
    examples = _readme_examples()
    assert len(examples) == 9
    for sql, line in examples:
        flat = " ".join(sql.split())
        (scope,) = [scope for piece, scope in README_SCOPES.items() if piece in flat] or [None]
        assert scope is not None, f"say which reports this README example answers for: {flat}"
        n, reports = _reports_in(curated, sql)
        if scope == EMPTY:
            assert n == 0 and "none of the samples" in line, line
            continue
        assert n > 0, f"empty answer: {flat}"
        if scope == LIST:
            assert "# only" in line, f"a list of some reports' rows says so: {line}"
        else:
            assert set(reports) == SCOPE_REPORTS[scope], (flat, SCOPE_REPORTS[scope] - set(reports))


def test_every_cookbook_answer_answers_for_every_report_it_concerns(curated):
    from pipeline.cookbook import RECIPES, SCOPES

    assert len(RECIPES) == 14
    for number, recipe in enumerate(RECIPES, start=1):
        n, reports = _reports_in(curated, recipe.sql)
        assert n > 0, f"Q{number} is empty"
        if recipe.scope:
            assert recipe.scope in SCOPES
            expected = SCOPE_REPORTS[recipe.scope]
            assert sorted(reports) == sorted(expected), (number, expected - set(reports))  # one row each
        else:
            assert recipe.note.startswith("A list: only "), f"Q{number}: a list says so in its note"


def test_cookbook_answers_use_the_printed_totals(curated):
    from decimal import Decimal

    from pipeline.cookbook import RECIPES

    def answer(question_start: str) -> dict[str, dict]:
        (recipe,) = [r for r in RECIPES if r.question.startswith(question_start)]
        with duckdb.connect(str(curated / "yibao.duckdb"), read_only=True) as connection:
            result = connection.execute(recipe.sql)
            columns = [c[0] for c in result.description]
            return {row[0]: dict(zip(columns, row)) for row in result.fetchall()}

    basic = answer("基本支出 vs 项目支出")
    # Guizhou 支出决算表 line 284: `合计 20,608.82 2,175.20 18,433.62`, its 类 rows adding up to 20,608.83 / 2,175.19 /
    # 18,433.63; Sichuan line 1666: 12,588.45 5,471.75 7,116.70 (类 basic rows: 5,471.76)
    guizhou, sichuan = basic["贵州省医疗保障局"], basic["四川省医疗保障局"]
    assert (guizhou["total"], guizhou["basic"], guizhou["project"], guizhou["total_source"]) == (
        Decimal("20608.82"), Decimal("2175.20"), Decimal("18433.62"), "printed 合计")
    assert (sichuan["total"], sichuan["basic"], sichuan["total_source"]) == (
        Decimal("12588.45"), Decimal("5471.75"), "printed 合计")
    # Guiyang 一般公共预算支出预算表 line 295: `合计 | 1, 954. 47 | 371. 27 | … | 1, 583. 20`, not twice that with its
    # unit row (line 273)
    assert basic["贵阳市医疗保障局"]["total"] == Decimal("1954.47")
    health = answer("What share of each bureau's spending is 卫生健康支出")
    assert (health["贵州省医疗保障局"]["health"], health["贵州省医疗保障局"]["total"]) == (
        Decimal("19051.72"), Decimal("20608.82"))  # line 300: 210 卫生健康支出 19,051.72
    # Sichuan line 216: `授予中小企业合同金额 1211.85 万元，占政府采购支出总额的 32.9%` (1211.85 / 3688.54 = 32.85%)
    sme = answer("How much of each bureau's government procurement")
    assert (sme["四川省医疗保障局"]["sme_share_pct"], sme["四川省医疗保障局"]["share_source"]) == (32.9, "printed")
    # Guiyang's budget: “三公” 合计 2. 93 of 2025 (line 391), 公务接待费 1.00 (387), no final account yet
    three = answer("“三公”经费")["贵阳市医疗保障局"]
    assert (three["budget_total"], three["budget_reception"], three["final_total"]) == (
        Decimal("2.93"), Decimal("1.00"), None)
    # Guiyang's 基本支出预算表 合计 row (line 332): 人员经费 330. 47, 公用经费 40.81
    staff = answer("人员经费 vs 公用经费")["贵阳市医疗保障局"]
    assert (staff["personnel"], staff["public"]) == (Decimal("330.47"), Decimal("40.81"))
