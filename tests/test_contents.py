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
