"""The curated layer for its readers: views, comments, the query CLI and the cookbook."""

import csv
import json

import duckdb
import pytest

from assets.run import run
from conftest import RAW, ROOT
from pipeline.__main__ import main
from pipeline.cookbook import render_cookbook


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
        tables = connection.execute("select table_name, comment from duckdb_tables() union all "
                                    "select view_name, comment from duckdb_views() where not internal").fetchall()
        columns = connection.execute("select table_name, column_name, comment from duckdb_columns() "
                                     "where not internal").fetchall()
    assert len(tables) == 10 and all(comment for _, comment in tables)
    assert all(comment and " — " in comment for *_, comment in columns), [c for c in columns if not c[2]]


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
    raw = (tmp_path / "p.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 with a BOM as Chinese
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["entity_name", "total"] and ["贵州省医疗保障局", "11713.59"] in rows
    assert main(["sql", query, "--json", "--curated-dir", str(curated)]) == 0
    assert {"entity_name": "四川省医疗保障局", "total": "3688.54"} in json.loads(capsys.readouterr().out)
    assert main(["sql", query, "--xlsx", str(tmp_path / "p.xlsx"), "--curated-dir", str(curated)]) == 0
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "p.xlsx").active
    assert [c.value for c in sheet[1]] == ["entity_name", "total"] and sheet.max_row == 5


def test_tables_and_describe(curated, capsys):
    assert main(["tables", "--curated-dir", str(curated)]) == 0
    assert "expenditure_by_function" in capsys.readouterr().out
    assert main(["describe", "fiscal_facts", "--curated-dir", str(curated)]) == 0
    out = capsys.readouterr().out
    assert "amount" in out and "DECIMAL(20,2)" in out and "金额" in out
    with pytest.raises(SystemExit, match="no table or view named 'nope'"):
        main(["describe", "nope", "--curated-dir", str(curated)])


def test_wide_characters_line_up():
    from pipeline.query import render, width

    text = render(["名称", "n"], [("贵州省", 1), ("ab", 22)])
    lines = text.splitlines()
    assert width(lines[0]) == width(lines[2]) == width(lines[3])
