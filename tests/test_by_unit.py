"""Tables printed by budget unit (预算单位 / 单位名称 / 部门代码 rows) and their sub-columns.

Values read by eye from the rendered pages of committed PDFs.
"""

from decimal import Decimal
from functools import cache

from conftest import ROOT
from pipeline.corpus import discover
from pipeline.report import parse_report

DEV = ROOT / "data" / "dev" / "pdf"
FIXTURES = ROOT / "tests" / "fixtures" / "pdf"


@cache
def facts(folder, name: str) -> list[dict]:
    (source,) = [s for s in discover(folder) if s.source_path == name]
    return parse_report(folder, source).facts


def cell(folder, name, page, table_id, item, measure, section=None):
    found = [f for f in facts(folder, name) if f["source_page"] == page and f["table_id"] == table_id
             and item in (f["item_code"], f["item_name"]) and f["measure"] == measure and f["section"] == section]
    assert len(found) == 1, found
    return found[0]


def test_expenditure_by_unit_then_function_codes():
    """Shenzhen 医疗保障局 p19 支出总表: 预算单位 | 科目编码 | 科目名称 | 支出总计 … | 2026年政府采购项目 (小计, 其中 ×2)."""
    name = "guangdong_shenzhen_medical_security_bureau_2026_budget.pdf"
    unit = cell(DEV, name, 19, "expenditure", "深圳市医疗保障局(本级)", "project")
    assert (unit["amount"], unit["classification"], unit["item_code"], unit["item_level"]) == (
        Decimal("4468.22"), "unit", None, None)
    assert cell(DEV, name, 19, "expenditure", "深圳市医疗保障局(本级)", "grand_total")["amount"] == Decimal("15480.26")
    health = cell(DEV, name, 19, "expenditure", "210", "grand_total", section="深圳市医疗保障局(本级)")
    assert (health["amount"], health["classification"], health["item_level"]) == (Decimal("11823.02"), "function", 1)
    assert cell(DEV, name, 19, "expenditure", "210", "government_procurement",
                section="深圳市医疗保障局(本级)")["amount"] == Decimal("627.40")
    assert cell(DEV, name, 19, "expenditure", "210", "government_procurement_reserved_sme",
                section="深圳市医疗保障局(本级)")["amount"] == Decimal("30.30")


def test_income_by_unit_with_a_header_row_starting_with_unit_name():
    """Huzhou 财政局 p19: the header row `单位名称 | 总计 | 本年收入 | … | 上年结转结余` is the grid's, not a line above it;
    the department 湖州市财政局 is printed again as its own unit, under itself."""
    name = "zhejiang_huzhou_finance_bureau_2026_budget.pdf"
    tickets = cell(DEV, name, 19, "income", "湖州市财政票据管理中心", "general_budget")
    assert (tickets["amount"], tickets["classification"]) == (Decimal("273.77"), "unit")
    assert cell(DEV, name, 19, "income", "湖州市财政局", "grand_total")["amount"] == Decimal("6838.41")
    assert cell(DEV, name, 19, "income", "湖州市财政局", "grand_total",
                section="湖州市财政局")["amount"] == Decimal("4467.55")
    total = cell(DEV, name, 19, "income", "合计", "total")
    assert (total["amount"], total["classification"]) == (Decimal("6838.41"), None)
    carried = cell(DEV, name, 19, "income", "合计", "carryover_general_budget")
    assert (carried["amount"], carried["blank_in_source"]) == (Decimal(0), True)


def test_income_by_unit_whose_only_header_row_starts_with_unit_name():
    """Quanzhou 政府办 p14: one header row `单位名称 | 总计 | 一般公共预算拨款收入 | … | 其他收入 | 上年结转结余`."""
    name = "fujian_quanzhou_government_office_2026_budget.pdf"
    assert cell(DEV, name, 14, "income", "泉州市机关事务服务中心", "other")["amount"] == Decimal("4200.00")
    assert cell(DEV, name, 14, "income", "泉州市机关事务服务中心", "general_budget")["amount"] == Decimal("3288.22")
    assert cell(DEV, name, 14, "income", "泉州市机关事务服务中心", "grand_total")["amount"] == Decimal("7488.22")


def test_income_sub_column_of_which_and_variant_words():
    """Changsha 公安局 p14: 本级财政拨款 over 金额 | 其中:经费拨款; 财政专户管理事业收入, 事业单位经营服务收入, 其它收入."""
    name = "hunan_changsha_public_security_bureau_2025_budget.pdf"
    assert cell(DEV, name, 14, "income", "2040202", "fiscal_appropriation")["amount"] == Decimal("36490.02")
    part = cell(DEV, name, 14, "income", "2040202", "fiscal_appropriation_of_which")
    assert (part["amount"], part["measure_label"]) == (Decimal("18228.51"), "其中:经费拨款")
    assert cell(DEV, name, 14, "income", "2040202", "other")["blank_in_source"]


def test_unit_codes_are_not_item_codes():
    """Suzhou 审计局 p10 收入总表: 部门代码 024 / 024001 name units; they are no function codes and go to rejects."""
    name = "jiangsu_suzhou_audit_bureau_2026_budget.pdf"
    rows = [f for f in facts(FIXTURES, name) if f["source_page"] == 10 and f["table_id"] == "income"]
    assert rows and all(f["item_code"] is None for f in rows)
    assert cell(FIXTURES, name, 10, "income", "苏州市审计局", "general_budget")["amount"] == Decimal("4651.67")
    own = cell(FIXTURES, name, 10, "income", "苏州市审计局", "general_budget", section="苏州市审计局")
    assert (own["amount"], own["classification"]) == (Decimal("4651.67"), "unit")


def test_a_unit_row_in_a_name_column_that_also_lists_units():
    """Guiyang 2025 budget (sample): the name column is headed 部门(单位)名称 (收入/支出预算总表, lines 216, 225) or
    单位(科目)名称 (一般公共预算支出预算表 line 272, 基本支出预算表 lines 302, 338 `単位`): the bureau's own row
    (lines 217, 226, 273, 303, 340) holds the 合计 again (1, 954. 47 twice on lines 226-227). It is a unit row,
    not an item, so a sum over the uncoded rows does not count the total twice; the 合计 stays a total."""
    name = "guiyang_2025_budget.txt"
    rows = [f for f in facts(ROOT / "data" / "raw", name) if f["item_name"] == "贵阳市医疗保障局"]
    assert {(f["table_id"], f["source_line"]) for f in rows} == {
        ("income", 217), ("expenditure", 226), ("general_budget_expenditure", 273),
        ("general_budget_basic_expenditure", 303), ("general_budget_basic_expenditure", 340)}
    assert {f["classification"] for f in rows} == {"unit"}
    unit = next(f for f in rows if f["table_id"] == "expenditure" and f["measure"] == "total")
    assert (unit["amount"], unit["item_code"], unit["section"]) == (Decimal("1954.47"), None, None)
    total = [f for f in facts(ROOT / "data" / "raw", name) if f["table_id"] == "expenditure" and f["item_name"] == "合计"
             and f["measure"] == "total"]
    assert [(f["amount"], f["classification"], f["source_line"]) for f in total] == [(Decimal("1954.47"), None, 227)]
    # the rows under the unit keep their own classification: 208 社会保障和就业支出 54.50 (line 274)
    social = next(f for f in facts(ROOT / "data" / "raw", name) if f["item_code"] == "208" and f["measure"] == "total"
                  and f["table_id"] == "general_budget_expenditure")
    assert (social["amount"], social["classification"], social["section"]) == (Decimal("54.50"), "function", None)


@cache
def checks(folder, name: str) -> list[dict]:
    (source,) = [s for s in discover(folder) if s.source_path == name]
    return parse_report(folder, source).checks


def test_a_department_row_is_the_sum_of_the_units_its_code_heads():
    """Xi'an 医疗保障局 2022 budget p31 (表3 部门综合预算支出总表, in 元), read by eye: 合计 and 245 西安市医疗保障局
    480544221.6; its units 245001 18941962.57, 245002 454472259.1, 245003 7130000; 其中专项资金 426680000 for
    245 and 245002, 0 for the others. 245 = Σ 2450xx is checked: the of-which column holds; the total column
    sums to 480544221.67 and is printed 480544221.6 (the report's own rounding), so it fails by 0.07. A scan
    that loses 245002's `.1` is caught by the same sum (OCR read 454472259 on the photocopied set)."""
    name = "shaanxi_xian_medical_security_bureau_2022_budget_p31.pdf"
    rows = {(c["subject"], c["passed"], c["expected"], c["actual"]) for c in checks(FIXTURES, name)
            if c["table_id"] == "expenditure" and c["subject"].startswith("西安市医疗保障局 ")}
    assert ("西安市医疗保障局 total", False, Decimal("480544221.67"), Decimal("480544221.6")) in rows
    assert ("西安市医疗保障局 general_budget_total_of_which", True, Decimal("426680000"), Decimal("426680000")) in rows
    grand = {(c["subject"], c["passed"]) for c in checks(FIXTURES, name) if c["subject"].startswith("合计 ")}
    assert ("合计 total", True) in grand  # 合计 = the one department row, 480544221.6


def test_an_amount_ocr_was_unsure_of_is_kept_only_where_a_sum_that_holds_uses_it():
    """The same page as if OCR had read four figures with confidence 0.5 (below OCR_SURE). Its sums, per column:
    合计 = 245 and 245 = Σ 2450xx. 480544221.6 (合计 and 245) is in 合计 = 245, which holds: kept. 426680000
    (其中专项资金 of 245 and 245002) is in 245 = 0 + 426680000 + 0, which holds: kept. 7130000 (245003) and
    454472259.1 (245002), in 合计 and 小计, take part only in 245 = Σ units, which fails by the page's own
    rounding: rejected, each with its reading and confidence."""
    from pipeline.fiscal.facts import fiscal_facts
    from pipeline.readers.pdf import read_pdf

    document = read_pdf((FIXTURES / "shaanxi_xian_medical_security_bureau_2022_budget_p31.pdf").read_bytes())
    document.ocr_confidence = {1: {text: {"": 0.5} for text in ("7130000", "454472259.1", "426680000", "480544221.6")}}
    result = fiscal_facts(document, "p31", "budget")
    kept = {(f["item_name"], f["measure"], f["amount"]) for f in result.facts}
    for name in ("合计", "西安市医疗保障局"):
        assert (name, "total", Decimal("480544221.6")) in kept
    for name in ("西安市医疗保障局", "西安市医疗保障经办服务中心"):
        assert (name, "general_budget_total_of_which", Decimal("426680000")) in kept
    unsure = sorted(r["raw_text"] for r in result.rejects if "confidence 0.50" in r["reason"])
    assert unsure == ["454472259.1", "454472259.1", "7130000", "7130000"]
    assert not {f["amount"] for f in result.facts} & {Decimal("7130000"), Decimal("454472259.1")}


def test_an_ocr_confidence_is_the_one_of_the_row_the_figure_was_read_in():
    """The same page as if OCR had read 426680000 (其中专项资金, printed in the rows 合计, 245 and 245002) with
    confidence 0.5 in the row of 245002 only, and 0.99 in the others: each fact carries its own row's
    confidence, where it used to carry the page's lowest for that text (0.5 for all three)."""
    from pipeline.fiscal.facts import fiscal_facts
    from pipeline.readers.pdf import read_pdf

    document = read_pdf((FIXTURES / "shaanxi_xian_medical_security_bureau_2022_budget_p31.pdf").read_bytes())
    rows = {row.cells[0] or row.cells[1]: row.raw for table in document.tables for row in table.body}
    document.ocr_confidence = {1: {"426680000": {rows["合计"]: 0.99, rows["245"]: 0.99, rows["245002"]: 0.5}}}
    result = fiscal_facts(document, "p31", "budget")
    sure = {(f["item_name"], f["ocr_confidence"]) for f in result.facts
            if f["measure"] == "general_budget_total_of_which" and f["amount"] == Decimal("426680000")}
    assert sure == {("合计", 0.99), ("西安市医疗保障局", 0.99), ("西安市医疗保障经办服务中心", 0.5)}
