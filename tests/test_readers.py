"""Each sample report read into blocks: the tables really there, with hand-checked cells.

Every expected value below was read off the sample text in `data/raw/` by hand.
"""

import pytest

from conftest import row_starting, table_titled
from pipeline.model import Heading, Paragraph
from pipeline.readers import UnreadableDocument, read_document
from pipeline.readers.text import detect_text_format

FISCAL_TITLES = {
    "guizhou_2024_final_account.txt": [
        ("收入支出决算总表", "公开01表"), ("收入决算表", "公开02表"), ("支出决算表", "公开03表"),
        ("财政拨款收入支出决算总表", "公开04表"), ("非财政拨款收入支出决算总表", "公开05表"),
        ("一般公共预算财政拨款支出决算表", "公开06表"), ("一般公共预算财政拨款基本支出决算明细表", "公开07表"),
        ("政府性基金预算财政拨款收入支出决算表", "公开08表"), ("国有资本经营预算财政拨款支出决算表", "公开09表"),
        ("财政拨款“三公”经费支出决算表", "公开10表"),
    ],
    "qinghai_2024_final_account.txt": [
        ("收入支出决算总表", "公开01表"), ("收入决算表", "公开02表"), ("支出决算表", "公开03表"),
        ("财政拨款收入支出决算总表", "公开04表"), ("一般公共预算财政拨款支出决算表", "公开05表"),
        ("一般公共预算财政拨款基本支出决算明细表", "公开06表"),
        ("政府性基金预算财政拨款收入支出决算表", "公开07表"),
        ("国有资本经营预算财政拨款收入支出决算表", "公开08表"), ('财政拨款"三公"经费支出决算表', "公开09表"),
        ("机关运行经费支出情况表", "公开10表"), ("政府采购支出情况表", "公开11表"),
    ],
    "sichuan_2024_final_account.txt": [
        ("收入支出决算总表", "财决公开01表"), ("收入决算表", "财决公开02表"), ("支出决算表", "财决公开03表"),
        ("财政拨款收入支出决算总表", "财决公开04表"),
        (None, None),  # 财政拨款支出决算明细表: its title page is missing from the export
        ("一般公共预算财政拨款支出决算表", "财决公开06表"),
        ("一般公共预算财政拨款支出决算明细表", None),  # printed without its number
        ("一般公共预算财政拨款基本支出决算明细表", "财决公开08表"),
        ("一般公共预算财政拨款项目支出决算表", "财决公开09表"),
        ("政府性基金预算财政拨款收入支出决算表", "财决公开10表"),
        ("国有资本经营预算财政拨款收入支出决算表", "财决公开11表"),
        ("国有资本经营预算财政拨款支出决算表", "财决公开12表"),
        ("财政拨款“三公”经费支出决算表", "财决公开13表"),
    ],
    "guiyang_2025_budget.txt": [
        (f"2025年{name}", None) for name in [
            "部门收支预算总表", "部门收入预算总表", "部门支出预算总表", "财政拨款收支预算总表",
            "一般公共预算支出预算表", "一般公共预算基本支出预算表(按部门预算经济科目)",
            "一般公共预算基本支出预算表(按政府预算经济科目)", "政府性基金预算支出预算表",
            "国有资本经营预算支出预算表", '财政拨款"三公"经费支出预算表', "政府采购预算表",
            "市对下转移支付预算表",
        ]
    ],
}


def _is_sheet(title):
    return title is not None and ("绩效" in title and ("自评表" in title or "批复表" in title))


@pytest.mark.parametrize("name", sorted(FISCAL_TITLES))
def test_fiscal_tables_found_in_order_with_titles_and_numbers(sample, name):
    document = sample(name)
    fiscal = [(t.title, t.table_number) for t in document.tables if not _is_sheet(t.title)]
    if name == "qinghai_2024_final_account.txt":
        fiscal.remove((None, None))  # the untitled 三公 statistics block printed under 公开09表
    assert fiscal == FISCAL_TITLES[name]


@pytest.mark.parametrize("name, expected", [
    ("guizhou_2024_final_account.txt", {"项目支出绩效目标自评表": 20}),
    ("qinghai_2024_final_account.txt", {"项目支出绩效自评表(2024年度)": 5, "项目支出绩效自评表": 2}),
    ("sichuan_2024_final_account.txt", {
        "部门预算项目支出绩效自评表(2024年度)": 17, "单位预算项目支出绩效自评表(2024年度)": 1,
        "专项预算项目绩效目标完成情况自评表": 2,
        "四川省2024年医疗服务与保障能力提升转移支付补助资金(医疗保障服务能力提升部分)绩效自评表": 1,
    }),
    ("qiannan_2023_performance_evaluation.txt", {
        "上级项目支出绩效自评表": 3, "州本级项目支出绩效目标自评表": 12, "州本级项目支出绩效自评表": 1,
    }),
    ("guiyang_2025_budget.txt", {
        "2025年部门整体支出绩效目标批复表": 1, "2025年项目支出绩效目标批复表": 2, "项目支出绩效目标批复表": 1,
    }),
])
def test_performance_sheets_found(sample, name, expected):
    titles = [t.title for t in sample(name).tables if _is_sheet(t.title)]
    assert {title: titles.count(title) for title in titles} == expected


@pytest.mark.parametrize("name, source_format", [
    ("guizhou_2024_final_account.txt", "text_layout"),
    ("qinghai_2024_final_account.txt", "markdown"),
    # Guiyang's export is markdown prose around tab-separated tables: the tables decide.
    ("guiyang_2025_budget.txt", "tsv"),
    ("sichuan_2024_final_account.txt", "tsv"),
    ("qiannan_2023_performance_evaluation.txt", "tsv"),
])
def test_format_detected_from_content(sample, name, source_format):
    assert sample(name).source_format == source_format


# ---------------------------------------------------------------- text layout (Guizhou)

def test_layout_row_cells_and_provenance(sample):
    table = table_titled(sample("guizhou_2024_final_account.txt"), "收入决算表")
    assert table.unit == "万元"
    row = row_starting(table, "2101501")
    assert row.cells[:9] == ["2101501", "行政运行", "1,662.89", "1,662.89", "0.00", "0.00", "0.00", "0.00", "0.00"]
    assert row.source_line == 241


def test_layout_wrapped_header_cells_are_joined(sample):
    document = sample("guizhou_2024_final_account.txt")
    income_header = [c for row in table_titled(document, "收入决算表").header for c in row.non_empty()]
    assert "附属单位上缴收入" in income_header
    assert "附属单位上缴" not in income_header
    three_public = [c for row in table_titled(document, "财政拨款“三公”经费支出决算表").header for c in row.non_empty()]
    assert {"因公出国(境)费", "公务用车购置费", "公务用车运行维护费"} <= set(three_public)
    assert three_public[-12:] == [str(n) for n in range(1, 13)]  # the column numbers close the header


def test_layout_table_continues_on_next_page_without_repeated_header(sample):
    table = table_titled(sample("guizhou_2024_final_account.txt"), "收入决算表")
    last = table.body[-1]
    assert last.cells[:3] == ["2210201", "住房公积金", "160.05"] and last.source_line == 266
    assert not any(r.non_empty()[0] in {"项目", "科目代码", "栏次"} for r in table.body)
    basic = table_titled(sample("guizhou_2024_final_account.txt"), "一般公共预算财政拨款基本支出决算明细表")
    row = row_starting(basic, "30310")
    assert row.non_empty() == ["30310", "个人农业生产补贴", "0.00", "30231", "公务用车运行维护费", "4.60"]
    assert not any(r.non_empty() == ["人员经费", "公用经费"] for r in basic.body)


def test_layout_paragraphs_join_wrapped_lines_across_page_breaks(sample):
    paragraphs = [b.text for b in sample("guizhou_2024_final_account.txt").blocks if isinstance(b, Paragraph)]
    assert any("结合部门职责，做好军民融合、扶贫开发等相关工作；加大科技投入".replace("，", ",").replace("；", ";") in p
               for p in paragraphs)


# ---------------------------------------------------------------- markdown (Qinghai)

def test_markdown_cell_split_over_rows_is_merged(sample):
    table = table_titled(sample("qinghai_2024_final_account.txt"), "收入决算表")
    assert row_starting(table, "2080506").non_empty()[:3] == ["2080506", "机关事业单位职业年金缴费支出", "67.81"]
    assert row_starting(table, "20806").non_empty()[:3] == ["20806", "企业改革补助", "1,036.07"]
    # `<br>` wrap, then the rest of the name on the next page's first rows
    assert row_starting(table, "2080505").non_empty()[:3] == ["2080505", "机关事业单位基本养老保险缴费支出", "135.63"]
    assert row_starting(table, "2101103").non_empty()[:3] == ["2101103", "公务员医疗补助", "62.91"]


def test_markdown_table_continues_after_page_break(sample):
    table = table_titled(sample("qinghai_2024_final_account.txt"), "收入支出决算总表")
    assert table.unit == "万元"
    grain = [r for r in table.body if "二十、粮油物资储备支出" in r.cells]
    assert len(grain) == 1 and "51" in grain[0].cells
    total = table.body[-1].non_empty()
    assert total == ["总计", "31", "12,313.41", "总计", "62", "12,313.41"]


def test_markdown_ghost_duplicate_text_goes_to_dropped(sample):
    table = table_titled(sample("qinghai_2024_final_account.txt"), "收入决算表")
    assert row_starting(table, "2101102").non_empty()[:3] == ["2101102", "事业单位医疗", "13.39"]
    assert [(d.source_line, d.reason) for d in table.dropped] == [
        (162, "OCR duplicate of the start of the next row's text")
    ]


# ---------------------------------------------------------------- tsv (Sichuan, Guiyang, Qiannan)

def test_tsv_rows_and_headings(sample):
    document = sample("sichuan_2024_final_account.txt")
    table = table_titled(document, "收入决算表")
    assert table.unit == "万元"
    assert row_starting(table, "2101501").non_empty()[:3] == ["2101501", "行政运行", "3,079.77"]
    assert any(isinstance(b, Heading) and b.text == "收入支出决算总表" for b in document.blocks)


def test_tsv_table_continues_after_blank_lines_with_repeated_header(sample):
    table = table_titled(sample("sichuan_2024_final_account.txt"), "一般公共预算财政拨款基本支出决算明细表")
    assert row_starting(table, "30302").non_empty()[:3] == ["30302", "退休费", "0.00"]
    assert sum(1 for r in table.rows if r.non_empty()[:1] == ["科目编码"]) == 1
    assert table.body[-1].non_empty() == ["人员经费合计", "4,189.43", "公用经费合计", "1,282.33"]


def test_tsv_cells_keep_numbers_as_printed(sample):
    table = table_titled(sample("guiyang_2025_budget.txt"), "2025年部门收支预算总表")
    row = row_starting(table, "一、本年收入")
    assert row.cells[:4] == ["一、本年收入", "1, 954. 47", "一、本年支出", "1, 954. 47"]


def test_tsv_sheet_rows(sample):
    first = sample("qiannan_2023_performance_evaluation.txt").tables[0]
    funds = row_starting(first, "年度资金总额:")
    assert funds.non_empty() == ["年度资金总额:", "228", "228", "181.82", "10分", "79.74%", "8"]


# ---------------------------------------------------------------- bad input

def test_detect_text_format_from_rows():
    assert detect_text_format(["| a | b |"] * 5) == "markdown"
    assert detect_text_format(["a\tb"] * 5) == "tsv"
    assert detect_text_format(["项目 行次 决算数"] * 5) == "text_layout"


@pytest.mark.parametrize("encoding, recorded", [
    ("gbk", "gb18030"),  # GB18030 is a superset of GBK: the same bytes, the same text
    ("gb18030", "gb18030"), ("utf-16", "utf-16"), ("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8"),
    ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"),  # no byte-order mark
])
def test_text_in_other_encodings_is_decoded(encoding, recorded):
    text = "收入决算表\n\n公开02表\n项目\t金额\n合计\t1,954.47\n"
    document = read_document(text.encode(encoding))
    assert document.encoding == recorded
    assert document.tables[0].title == "收入决算表"
    assert document.tables[0].rows[-1].cells == ["合计", "1,954.47"]


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"),
    (b"\x00\x01\x02\x03binary", "binary file"),
    (b"%PDF-1.7\n...", "damaged PDF"),
])
def test_unreadable_input_gives_a_clear_error(data, message):
    with pytest.raises(UnreadableDocument, match=message):
        read_document(data)
