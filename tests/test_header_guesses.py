"""Tables whose header names columns that no template layout has are rejected, not fitted on their width; a
column-number row labelled `**` is part of the header.

Values read by eye from the rendered pages (1-based page numbers, 万元):
- data/dev/pdf/guangdong_zhuhai_transport_municipal_works_center_2026_budget.pdf p17 部门预算基本支出预算表 and
  p18 部门预算项目支出及其他支出预算表: lists of the unit's spending by source of funds (支出项目类别 | 总计 |
  财政拨款 合计 / 一般公共预算 / 政府性基金预算 / 国有资本经营预算 | 财政专户拨款 | 其他资金); the 支出 template
  (合计 | 基本支出 | 项目支出 | …) has none of those columns but 合计. p17 prints only 合计 0.00 in every column;
  p18 合计 总计 7,552.92 = 一般公共预算 736.92 + 政府性基金预算 6,816.00, 公益二类事业人员工资 691.81.
- tests/fixtures/pdf/zhejiang_hangzhou_meteorological_bureau_2026_budget_p21.pdf (p21 表7 “三公”经费预算表): the
  column numbers print under `**`; 合计 “三公”经费合计 24.02, 公务用车购置及运行费 小计 18.00, 公务用车运行维护费
  18.00, 公务接待费 6.02; 杭州市气象局 13.13.
- tests/fixtures/pdf/zhejiang_hangzhou_public_security_bureau_2026_budget_p32.pdf (p32 表10 项目支出预算表):
  单位名称 | 项目名称 | 总计 | 一般公共预算 | 政府性基金 | 国有资本经营预算 | 财政专户管理资金 | 单位资金, each unit's
  projects (杭州市公安局 执法办案 6,192.04 = 3,304.88 + 2,887.16; 日常保障运行 under two units).
"""

from decimal import Decimal

from conftest import parsed_report

ZHUHAI = "guangdong_zhuhai_transport_municipal_works_center_2026_budget.pdf"
METEOROLOGICAL = "zhejiang_hangzhou_meteorological_bureau_2026_budget_p21.pdf"
PUBLIC_SECURITY = "zhejiang_hangzhou_public_security_bureau_2026_budget_p32.pdf"



def test_a_list_by_source_of_funds_is_not_fitted_to_the_spending_template():
    report = parsed_report("data/dev/pdf", ZHUHAI)
    assert not [f for f in report.facts if f["source_page"] in (17, 18)]
    rejected = " ".join(r["raw_text"] or "" for r in report.rejects if r["source_page"] == 18
                        and "no template layout fits" in r["reason"])
    assert all(figure in rejected for figure in ("7,552.92", "736.92", "6,816.00", "691.81"))
    assert not [c for c in report.checks if c["table_id"] == "expenditure" and c["passed"] is False]


def test_column_numbers_under_asterisks_are_header():
    report = parsed_report("tests/fixtures/pdf", METEOROLOGICAL)
    facts = {(f["item_name"], f["measure"]): f["amount"] for f in report.facts if f["table_id"] == "three_public"}
    assert facts[("合计", "budget_total")] == Decimal("24.02")
    assert facts[("合计", "budget_vehicle_total")] == Decimal("18.00")
    assert facts[("合计", "budget_vehicle_operation")] == Decimal("18.00")
    assert facts[("合计", "budget_reception")] == Decimal("6.02")
    assert facts[("杭州市气象局", "budget_total")] == Decimal("13.13")
    assert all(name for name, _ in facts)  # no row of column numbers (1 2 3 …) read as figures
    assert all(c["passed"] for c in report.checks if c["table_id"] == "three_public")


def test_a_list_of_each_units_projects_is_read_by_unit():
    """Hangzhou 公安局 表10 p32: 单位名称 | 项目名称 | 总计 | 一般公共预算 | … | 单位资金, each project under its unit:
    杭州市公安局 执法办案 6,192.04 = 3,304.88 + 2,887.16; 合计 106,512.00 (read by eye)."""
    report = parsed_report("tests/fixtures/pdf", PUBLIC_SECURITY)
    facts = {(f["section"], f["item_name"], f["measure"]): f["amount"] for f in report.facts}
    assert facts[("杭州市公安局", "执法办案", "total")] == Decimal("6192.04")
    assert facts[("杭州市公安局", "执法办案", "general_budget")] == Decimal("3304.88")
    assert facts[("杭州市公安局", "执法办案", "unit_funds")] == Decimal("2887.16")
    assert facts[(None, "合计", "total")] == Decimal("106512.00")
    assert not [r for r in report.rejects if "did not account" in r["reason"]]
