"""A report against its own contents (目录): the tables it lists, and those no table of it was read as."""

from conftest import ROOT
from pipeline.contents import listed_tables, missing_tables
from pipeline.model import Document, Heading, Paragraph, Row, Table
from pipeline.readers import read_document

PDF = ROOT / "tests" / "fixtures" / "pdf"


def test_the_tables_a_real_report_lists():
    """Guangzhou 信访局 2026, PDF p2 (read from the rendered page): 第二部分 lists twelve tables, 一、 to 十二、."""
    document = read_document((PDF / "guangdong_guangzhou_petition_bureau_2026_budget.pdf").read_bytes())
    assert [(t.title, t.table_id) for t in listed_tables(document)] == [
        ("收支总体情况表", "income_expenditure_summary"), ("收入总体情况表", "income"),
        ("本年支出总体情况表", "expenditure"), ("财政拨款收支总体情况表", "fiscal_appropriation_summary"),
        ("一般公共预算支出情况表(按功能分类科目)", "general_budget_expenditure"),
        ("一般公共预算基本支出情况表(按经济分类科目)", "general_budget_basic_expenditure"),
        ("一般公共预算项目支出情况表(按经济分类科目)", "general_budget_project_expenditure"),
        ("财政拨款安排的行政经费及“三公”经费预算表", "three_public"),
        ("政府性基金预算支出情况表", "government_fund"), ("国有资本经营预算支出情况表", "state_capital"),
        ("部门预算基本支出预算表", "expenditure"), ("部门预算项目支出及其他支出预算表", "expenditure")]


def test_contents_with_leaders_and_page_numbers():
    """One paragraph of entries run together with dot leaders, as a PDF's text layer gives a 目录."""
    document = Document("pdf", [
        Heading("目 录", 1, source_page=2),
        Paragraph("一、部门主要职能......1二、部门预算表......3 1. 2025年部门财务收支预算总表......4 "
                  "2. 2025年部门收入预算总表......5 3．2025年部门“三公”经费和机关运行经费预算表......9", source_page=2),
        Paragraph("上海市普陀区人民政府万里街道办事处是普陀区政府的派出机关,依据法律法规的规定履行相应的政府服务管理职能。",
                  source_page=3),
        Heading("四、不是目录的表", 2, source_page=3)])
    assert [t.title for t in listed_tables(document)] == [
        "2025年部门财务收支预算总表", "2025年部门收入预算总表", "2025年部门“三公”经费和机关运行经费预算表"]


def test_each_listed_table_needs_a_table_of_its_own():
    def table(title, page):
        return Table(title, [Row(["合计", "1.00"], source_page=page)], source_page=page)

    contents = [Heading("目录", 1, source_page=1), Heading("一、收支总表", 2, source_page=1),
                Heading("二、一般公共预算支出表(按功能分类)", 2, source_page=1),
                Heading("三、一般公共预算支出表(按经济分类)", 2, source_page=1),
                Heading("四、财政拨款“三公”经费支出表", 2, source_page=1)]
    found = [table("收支总表", 3), table("收支总表", 4),  # one table over two pages
             table("一般公共预算支出表", 5), table("“三公”经费支出表", 7)]
    assert missing_tables(Document("pdf", contents + found)) == ["一般公共预算支出表(按经济分类)"]
    assert missing_tables(Document("pdf", found)) == []  # no contents: nothing to compare


def test_a_ruled_table_list_under_its_own_heading():
    """Xi'an 行政审批服务局 2025, PDF p20 (read from the rendered page): `报表目录`, a ruled list 表1 … 表16 with
    columns 是否空表 and 表格为空的理由 (`是 | 不涉及` after 表9, 表11, 表16). 表10 专项业务经费支出表 and
    表11 财政拨款上年结转资金支出表 are no standard table."""
    document = read_document((PDF / "shaanxi_xian_administrative_approval_bureau_2025_budget_p20-29.pdf").read_bytes())
    assert [(t.title, t.table_id) for t in listed_tables(document)] == [
        ("部门综合预算收支总表", "income_expenditure_summary"), ("部门综合预算收入总表", "income"),
        ("部门综合预算支出总表", "expenditure"), ("部门综合预算财政拨款收支总表", "fiscal_appropriation_summary"),
        ("部门综合预算一般公共预算支出明细表(按支出功能分类科目)", "general_budget_expenditure"),
        ("部门综合预算一般公共预算支出明细表(按支出经济分类科目)", "general_budget_expenditure_detail"),
        ("部门综合预算一般公共预算基本支出明细表(按支出功能分类科目)", "general_budget_basic_expenditure"),
        ("部门综合预算一般公共预算基本支出明细表(按支出经济分类科目)", "general_budget_basic_expenditure"),
        ("部门综合预算政府性基金收支表", "government_fund"),
        ("部门综合预算政府采购(资产配置、购买服务)预算表", "procurement"),
        ("部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表", "three_public"),
        ("部门专项业务经费绩效目标表", "performance"), ("部门整体支出绩效目标表", "performance"),
        ("专项资金总体绩效目标表", "performance")]


def test_a_table_list_printed_under_a_section_heading():
    """Hangzhou 气象局 2026, PDF p13-14: no 目录 lists the tables; the section `四、2026年预算公开表` does, one
    `表N.` a line over a page break, and the tables follow (`表1:…` again)."""
    lines = [(13, "四、2026年预算公开表"), (13, "表1.2026年市级部门收支预算总表"), (13, "表2.2026年市级部门收入预算总表"),
             (13, "表3.2026年市级部门支出预算总表"), (14, "13"), (14, "表4.2026年市级部门项目支出绩效表"),
             (15, "14"), (15, "表1:2026年市级部门收支预算总表"), (15, "部门名称:杭州市气象局单位:万元")]
    document = Document("pdf", [Heading(text, 2, source_page=page) for page, text in lines])
    assert [(t.title, t.table_id) for t in listed_tables(document)] == [
        ("2026年市级部门收支预算总表", "income_expenditure_summary"), ("2026年市级部门收入预算总表", "income"),
        ("2026年市级部门支出预算总表", "expenditure"), ("2026年市级部门项目支出绩效表", "performance")]
