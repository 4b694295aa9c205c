"""Xi'an reports whose rules are thin filled polygons, and what reading them as ruled grids brought to light.

Excerpts of committed dev reports (tests/fixtures/pdf/*_excerpt.pdf); every expected value was read by eye
from the rendered page (the original page is named beside each).
"""

from decimal import Decimal
from functools import cache

from conftest import ROOT
from pipeline.corpus import discover
from pipeline.performance.sheets import parse_sheets
from pipeline.readers import read_document
from pipeline.report import parse_report

PDF = ROOT / "tests" / "fixtures" / "pdf"
HEALTH = "shaanxi_xian_health_2022_final_account_excerpt.pdf"  # 西安市卫生健康委员会 2022 决算, pages 30 … 155
SAFETY = "shaanxi_xian_work_safety_2019_budget_excerpt.pdf"  # 西安市安全生产监督管理局 2019 预算, pages 19-20
APPROVAL = "shaanxi_xian_approval_2025_budget_excerpt.pdf"  # 西安市行政审批服务局 2025 预算, page 21


@cache
def report(name: str):
    (source,) = [s for s in discover(PDF) if s.source_path == name]
    return parse_report(PDF, source)


def fact(name: str, table_id: str, row: str, measure: str, side: str | None = None, page: int | None = None) -> Decimal:
    found = [f["amount"] for f in report(name).facts
             if f["table_id"] == table_id and row in (f["item_code"], f["item_name"]) and f["measure"] == measure
             and (side is None or f["side"] == side) and (page is None or f["source_page"] == page)]
    assert len(found) == 1, (table_id, row, measure, found)
    return found[0]


def test_a_table_ruled_with_thin_filled_polygons_is_read_with_its_continuation_pages():
    # 收入决算表 (pages 147-148): the rules are filled five-point paths, which the vector engine did not see;
    # the title page was read without its rules and the untitled page 148 not at all.
    assert fact(HEALTH, "income", "合计", "total") == Decimal("2015094.22")
    assert fact(HEALTH, "income", "2100410", "total") == Decimal("77024.07")  # page 148
    assert fact(HEALTH, "income", "21002", "business") == Decimal("1094530.97")  # page 148
    # 一般公共预算财政拨款支出决算表 (pages 154-155) and 财政拨款收入支出决算总表 (page 153)
    assert fact(HEALTH, "general_budget_expenditure", "合计", "total") == Decimal("296047.75")
    assert fact(HEALTH, "general_budget_expenditure", "2100410", "project") == Decimal("73179.07")  # page 155
    assert fact(HEALTH, "fiscal_appropriation_summary", "卫生健康支出", "general_budget",
                side="expenditure") == Decimal("271800.87")


def test_text_running_over_a_rule_is_cut_at_the_rule():
    # 部门综合预算收支总表 (page 21): right-aligned figures touch the next cell's label (`45,144,630.00 1、人员经费…`)
    assert fact(APPROVAL, "income_expenditure_summary", "卫生健康支出", "budget", "expenditure") == Decimal("853571.87")
    assert fact(APPROVAL, "income_expenditure_summary", "一般公共服务支出", "budget", "expenditure") == Decimal("45144630.00")
    assert fact(APPROVAL, "income_expenditure_summary", "收入总计", "budget", "income") == Decimal("50937608.35")


def test_a_second_classification_beside_the_row_key_is_not_a_measure():
    # 基本支出明细表(按支出经济分类科目) (page 19): 部门经济科目编码 | 名称 | 政府经济科目编码 | 名称 | 合计 | 人员 | 公用
    assert fact(SAFETY, "general_budget_basic_expenditure", "30101", "total", page=1) == Decimal("237.03")
    assert fact(SAFETY, "general_budget_basic_expenditure", "30101", "personnel", page=1) == Decimal("237.03")
    # `合计` printed in the 政府经济 名称 column; the `** | | | ** | 1 | 2 | 3` row above it is the column numbers
    assert fact(SAFETY, "general_budget_basic_expenditure", "合计", "total") == Decimal("2022.39")
    assert fact(SAFETY, "general_budget_basic_expenditure", "合计", "public") == Decimal("182.88")
    names = {f["item_name"] for f in report(SAFETY).facts if f["item_code"] == "30101" and f["source_page"] == 1}
    assert names == {"基本工资"}


@cache
def sheets():
    return {s.project["project_name"]: s for s in parse_sheets(read_document((PDF / HEALTH).read_bytes()), "x")}


def test_a_funds_row_with_a_blank_weight_is_read_by_its_columns():
    # page 72: 年度资金总额 | 316.82 | 316.82 | 316.82 | (分值 blank) | 100.00% | 10.00
    project = sheets()["西安市妇幼保健院医疗设备购置更新项目"].project
    assert (project["budget_initial"], project["budget_full_year"], project["executed"]) == (
        Decimal("316.82"), Decimal("316.82"), Decimal("316.82"))
    assert (project["funds_weight"], project["execution_rate"], project["funds_score"]) == (
        None, Decimal("100.00"), Decimal("10.00"))


def test_a_department_sheet_funds_total_row():
    # page 30: 金额合计 | 2,495,142.55 | 869,407.93 | 1625734.62 | 2074962.01 | … | 10 | 83.16% | 10
    project = sheets()[None].project
    assert (project["budget_full_year"], project["executed"]) == (Decimal("2495142.55"), Decimal("2074962.01"))
    assert (project["funds_weight"], project["execution_rate"], project["funds_score"]) == (
        Decimal("10"), Decimal("83.16"), Decimal("10"))


def test_a_target_cut_from_its_unit_is_one_value_and_the_weight_is_kept():
    # page 60: 成本指标 | 项目完成成本 | 5166.99万元 | 5166.99万元 | 12.5 | 12.5
    sheet = sheets()["采供血人员经费项目"]
    (cost,) = [i for i in sheet.indicators if i["indicator"] == "项目完成成本"]
    assert (cost["target_text"], cost["weight"], cost["score"]) == ("5166.99万元", Decimal("12.5"), Decimal("12.5"))
    assert sum(i["score"] for i in sheet.indicators) == Decimal("89")  # + 10 for the funds = 总分 99


def test_level_points_printed_without_brackets_are_not_an_indicator():
    # page 100: `产出指标50`, `效益指标30`, `满意度指标10`; six indicators, weights 15 15 10 10 30 10
    sheet = sheets()["城市公立医院取消药品加成财政补偿资金(卫生健康事业发展专项资金)"]
    assert [i["weight"] for i in sheet.indicators] == [Decimal(w) for w in (15, 15, 10, 10, 30, 10)]
    assert [i["score"] for i in sheet.indicators] == [Decimal(s) for s in (15, 15, 10, 10, 28, 10)]
    assert {i["level1"] for i in sheet.indicators} == {"产出指标", "效益指标", "满意度指标"}


def test_a_template_whose_columns_the_header_names_otherwise_is_not_used():
    # 部门预算项目支出及其他支出预算表 (Zhuhai 2026, page 18): 总计 | 财政拨款 合计 | 一般公共预算 | 政府性基金预算 | …
    # by fund source, not the expenditure template's 合计 | 基本支出 | 项目支出: its figures are rejected, not guessed.
    name = "guangdong_zhuhai_transport_2026_budget_excerpt.pdf"
    assert not [f for f in report(name).facts if f["table_id"] == "expenditure"]
    rejected = [r for r in report(name).rejects if "no template layout fits" in r["reason"]]
    assert any("736.92" in r["raw_text"] and "6,816.00" in r["raw_text"] for r in rejected)
