"""Grids ruled in ways camelot misses, and the headers of Guangdong's budget template.

The values were read by eye from the rendered pages (page numbers 1-based):
- data/dev/pdf/guangdong_zhuhai_transport_municipal_works_center_2026_budget.pdf (万元): its rules are thin
  filled four-corner paths, which camelot's vector engine did not read, so tables of one 合计 row (p11, p16)
  and the continuation pages (p5, p13) were not found.
- tests/fixtures/pdf/shaanxi_xian_work_safety_bureau_2019_budget_p3.pdf (p3 of the 2019 部门预算 tables,
  万元): a spreadsheet export whose long labels run on under the next cell.
"""

from decimal import Decimal

from conftest import ROOT, parsed_report
from pipeline.fiscal.parse import clean_name
from pipeline.readers import read_document

ZHUHAI = "guangdong_zhuhai_transport_municipal_works_center_2026_budget.pdf"
XIAN_P3 = "shaanxi_xian_work_safety_bureau_2019_budget_p3.pdf"



def _figures(report, table_id: str, page: int) -> dict:
    return {(f["side"], f["item_code"] or f["item_name"], f["measure"]): f["amount"] for f in report.facts
            if f["table_id"] == table_id and f["source_page"] == page}


def test_rules_drawn_as_thin_paths_make_a_grid():
    """p11 表6 一般公共预算基本支出情况表 prints only 合计 0.00; p16 表10 国有资本经营预算支出情况表 only
    合计 0.00 0.00 0.00; p5 continues 表1 收支总体情况表: 上年结转结余 0.11, 收入总计 7,552.92, 支出总计 7,552.92;
    p13 continues 表7: [310]资本性支出 1.00."""
    report = parsed_report("data/dev/pdf", ZHUHAI)
    assert _figures(report, "general_budget_basic_expenditure", 11) == {(None, "合计", "budget"): Decimal("0.00")}
    assert _figures(report, "state_capital", 16)[(None, "合计", "state_capital_total")] == Decimal("0.00")
    summary = _figures(report, "income_expenditure_summary", 5)
    assert summary[("income", "上年结转结余", "budget")] == Decimal("0.11")
    assert summary[("income", "收入总计", "budget")] == Decimal("7552.92")
    assert summary[("expenditure", "支出总计", "budget")] == Decimal("7552.92")
    assert _figures(report, "general_budget_project_expenditure", 13)[(None, "310", "budget")] == Decimal("1.00")
    assert not report.missing_tables


def test_guangdong_headers():
    """p6 表2 收入总体情况表: its header row opens with 单位名称 (a header, not a line above the grid);
    合计 7,552.92 = 一般公共预算 736.81 + 政府性基金预算 6,816.00 + 上年结转结余 0.11, 教育收费 0.00.
    (合计 holds the carryover: grand_total.) p12 表7 prints one column headed 预算: [301]工资福利支出 569.16. p8 表4 收入 一、一般公共预算 736.81 under
    预算 (the header cell 预算项目 was two). p14 表8: “三公”经费 合计 0.00."""
    report = parsed_report("data/dev/pdf", ZHUHAI)
    income = _figures(report, "income", 6)
    assert (income[(None, "合计", "grand_total")], income[(None, "合计", "general_budget")],
            income[(None, "合计", "government_fund")], income[(None, "合计", "carryover_total")],
            income[(None, "合计", "education_fees")]) == (
        Decimal("7552.92"), Decimal("736.81"), Decimal("6816.00"), Decimal("0.11"), Decimal("0.00"))
    sums = [c for c in report.checks if c["table_id"] == "income" and c["check"] == "column_sum"]
    assert sums and all(c["passed"] for c in sums)
    assert _figures(report, "general_budget_project_expenditure", 12)[(None, "301", "budget")] == Decimal("569.16")
    labels = {f["measure_label"] for f in report.facts
              if f["table_id"] == "fiscal_appropriation_summary" and f["source_page"] == 8 and f["side"] == "income"}
    assert labels == {"预算"}
    assert _figures(report, "three_public", 14)[(None, "“三公”经费", "budget_total")] == Decimal("0.00")


def test_quoted_words_keep_their_quotes():
    assert clean_name("“三公”经费") == "“三公”经费"
    assert clean_name("(一)“三公”经费支出”") == "“三公”经费支出"
    assert clean_name("•合计") == "合计"


def test_a_label_run_on_under_the_next_cell_goes_back_to_it():
    """1、人员经费和公用经费支出 2,022.39; (3)对个人和家庭的补助 4.82; 5、对事业单位经常性补助 730.29;
    3、机关资本性支出(一) 104.31; (5)资本性支出(基本建设) blank (the labels' ends are hidden under the amount
    cells on the page)."""
    (table,) = read_document((ROOT / "tests" / "fixtures" / "pdf" / XIAN_P3).read_bytes()).tables
    pairs = {(row.cells[i], row.cells[i + 1]) for row in table.body for i in range(len(row.cells) - 1)}
    for pair in (("1、人员经费和公用经费支出", "2,022.39"), ("(3)对个人和家庭的补助", "4.82"),
                 ("5、对事业单位经常性补助", "730.29"), ("3、机关资本性支出(一)", "104.31"),
                 ("(5)资本性支出(基本建设)", "")):
        assert pair in pairs
