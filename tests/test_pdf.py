"""Real PDFs of other departments (same national templates): metadata, table inventory, cells.

Expected values are in `pdf_cases.py`, read by eye from rendered pages.
"""

import re
from decimal import Decimal
import unicodedata
from decimal import Decimal
from functools import cache

import pytest
from pdf_cases import CELLS, INVENTORY, METADATA

from conftest import ROOT, parsed_report as report_in
from pipeline.corpus import discover
from pipeline.fiscal.tables import classify
from pipeline.readers import read_document
from pipeline.report import parse_report as parsed_report_for

PDF = ROOT / "tests" / "fixtures" / "pdf"


@cache
def report(name: str):
    (source,) = [s for s in discover(PDF) if s.source_path == name]
    return parsed_report_for(PDF, source)


@cache
def document(name: str):
    return read_document((PDF / name).read_bytes())


@pytest.mark.parametrize("name", sorted(METADATA))
def test_metadata(name):
    parsed = report(name)
    assert parsed.status != "failed", parsed.error
    assert {"entity_name": parsed.issuer.entity_name, "fiscal_year": parsed.identity.fiscal_year,
            "report_kind": parsed.identity.report_kind} == METADATA[name]


@pytest.mark.parametrize("name", sorted(INVENTORY))
def test_inventory(name):
    found = [(table_id, t.source_page) for t in document(name).tables if (table_id := classify(t))]
    assert found == INVENTORY[name]


def _clean(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "").replace(" ", "")


def _ids(case: dict) -> str:
    return f"{case['file'][:12]}-p{case['page']}-{case['row']}-{case['column']}"


@pytest.mark.parametrize("case", CELLS, ids=[_ids(c) for c in CELLS])
def test_hand_checked_cell(case):
    facts = [f for f in report(case["file"]).facts
             if f["table_id"] == case["table_id"] and f["source_page"] == case["page"]
             and f["side"] == case["side"] and f["amount"] == case["amount"]
             and (case["row"] is None or case["row"] in (f["item_code"], _clean(f["item_name"])))
             and re.sub(r".*/", "", _clean(f["measure_label"])).endswith(_clean(case["column"]))]
    assert facts, f"no fact {case}"
    assert facts[0]["unit"] == case["unit"]


def test_a_report_whose_tables_are_in_another_file_names_them_as_missing():
    """CPPCC 2017 p1 目录 lists 第二部分's twelve tables; p7 says 2017 年度部门预算公开表附后 (a separate file)."""
    for name in ("jiangsu_cppcc_office_2017_budget.pdf", "jiangsu_party_office_2019_budget.pdf"):
        parsed = report(name)
        assert (parsed.status, parsed.error, len(parsed.facts)) == ("partial", None, 0)
        assert len(parsed.missing_tables) == 12
    assert report("jiangsu_cppcc_office_2017_budget.pdf").missing_tables == [
        "收支预算总表", "收入预算总表", "支出预算总表", "财政拨款收支预算总表", "财政拨款支出预算表", "财政拨款基本支出预算表",
        "财政拨款政府性基金支出预算表", "一般公共预算支出预算表", "一般公共预算基本支出预算表", "一般公共预算机关运行经费支出预算表",
        "一般公共预算“三公”经费、会议费、培训费支出预算表", "政府采购预算表"]
    assert report("jiangsu_npc_office_2019_budget_tables.pdf").missing_tables == []  # the tables file: no 目录


def test_every_listed_table_not_read_is_a_reject_saying_why():
    """Each missing table is a reject at its 目录 entry (CPPCC 2017: p1) with what the report shows of it;
    Putuo justice 2026 lists 9 tables (p2) and all are read: no such reject."""
    parsed = report("jiangsu_cppcc_office_2017_budget.pdf")
    rejects = [r for r in parsed.rejects if r["stage"] == "contents"]
    assert [r["raw_text"] for r in rejects] == parsed.missing_tables
    assert {r["source_page"] for r in rejects} == {1}
    assert all(r["reason"].startswith("table listed in the report's 目录 not read: the report holds no table we read")
               for r in rejects)
    assert not [r for r in report("shanghai_putuo_justice_2026_budget.pdf").rejects if r["stage"] == "contents"]


def test_reconciliation_rate_on_the_pdfs():
    checks = [c for name in METADATA for c in report(name).checks]
    passed = sum(c["passed"] is True for c in checks)
    assert len(checks) > 500 and passed / len(checks) >= 0.97


def test_scanned_truncated_and_fake_pdfs_are_clear_errors(tmp_path):
    from PIL import Image

    from pipeline.readers import OcrSettings, UnreadableDocument

    scan = tmp_path / "scan.pdf"
    Image.new("RGB", (600, 800), "white").save(scan)  # a page image, no text layer
    with pytest.raises(UnreadableDocument, match="no text layer; OCR needed"):
        read_document(scan.read_bytes(), OcrSettings(enabled=False))
    with pytest.raises(UnreadableDocument, match="no text layer, and OCR found no text"):
        read_document(scan.read_bytes())
    data = (PDF / "swu_2023_final_account.pdf").read_bytes()
    with pytest.raises(UnreadableDocument, match="damaged PDF"):
        read_document(data[: len(data) // 3])


def test_amounts_finer_than_a_cent_are_rejected_not_rounded():
    """Beijing's 预算01表 收支总表 (p1, 万元) prints 一般公共预算拨款收入 110,387.976749 and 上年结转结余 508.642853:
    the contract stores amounts to the cent, so such cells are rejected with their figure; the report is read."""
    parsed = report("beijing_medical_security_bureau_2026_budget_tables.pdf")
    assert parsed.status == "partial" and parsed.error is None
    finer = {r["raw_text"] for r in parsed.rejects if "more than two decimals" in r["reason"] and r["source_page"] == 1}
    assert {"110,387.976749", "508.642853", "9,038.772380"} <= finer
    assert all(f["amount"].as_tuple().exponent >= -2 for f in parsed.facts)
    assert all(c[k] is None or c[k].as_tuple().exponent >= -4 for c in parsed.checks for k in ("expected", "actual"))


def _fact(parsed, page: int, table_id: str, row: str, measure: str):
    (amount,) = {f["amount"] for f in parsed.facts if f["source_page"] == page and f["table_id"] == table_id
                 and row in (f["item_code"], f["item_name"]) and f["measure"] == measure}
    return amount


def test_a_figure_is_placed_by_its_glyphs_not_its_trailing_blanks():
    """Xi'an 医疗保障局 2022 表5 (fixture p1, 元): the `0` of 专项业务经费支出 is right-aligned against the ruling
    and followed by blank glyphs that reach into the narrow 备注 column; camelot put it under 备注, and the
    table was not read. Read by eye: 2080505 机关事业单位基本养老保险缴费支出 1282574.11 | 1282574.11 | 0 | 0."""
    parsed = report("shaanxi_xian_medical_security_bureau_2022_budget_tables.pdf")
    first = document("shaanxi_xian_medical_security_bureau_2022_budget_tables.pdf").tables[0]
    row = next(r for r in first.rows if r.cells[0] == "2080505")
    assert row.cells[2:] == ["1282574.11", "1282574.11", "0", "0", ""]
    cells = {m: _fact(parsed, 1, "general_budget_expenditure", "2080505", m)
             for m in ("total", "personnel", "public", "project")}
    assert cells == {"total": Decimal("1282574.11"), "personnel": Decimal("1282574.11"),
                     "public": Decimal("0"), "project": Decimal("0")}
    assert _fact(parsed, 1, "general_budget_expenditure", "合计", "project") == Decimal("457432345")


def test_header_words_joined_over_three_cells_are_placed_cell_by_cell():
    """Xi'an 人社局 2020 表5 (fixture p1, 万元): pdfminer joins `人员经费支出 公用经费支出 专项业务经费支出` into
    one text line over three header cells. Read by eye: 合计 181716.56 | 7942.58 | 621.37 | 173152.61."""
    parsed = report("shaanxi_xian_human_resources_social_security_2020_budget_tables.pdf")
    header = document("shaanxi_xian_human_resources_social_security_2020_budget_tables.pdf").tables[0].header[0]
    assert header.cells[2:6] == ["合计", "人员经费支出", "公用经费支出", "专项业务经费支出"]
    assert [_fact(parsed, 1, "general_budget_expenditure", "合计", m) for m in ("total", "personnel", "public",
            "project")] == [Decimal("181716.56"), Decimal("7942.58"), Decimal("621.37"), Decimal("173152.61")]


def test_a_second_classification_beside_the_first_is_read_past():
    """Xi'an 医疗保障局 2022 表8 (fixture p3, 元) prints 部门经济科目编码 | 名称 | 政府经济科目编码 | 名称 | 合计 |
    人员经费支出 | 公用经费支出 | 备注: the row is its 部门经济 code. Read by eye: 301 工资福利支出 20368125.45 |
    20368125.45 | 0; 30202 印刷费 (50201 办公经费) 60000 | 0 | 60000; 302 商品和服务支出 2567411.17 | 932778 |
    1634633.17. 30201 办公费 is printed twice (887100 under 50201 办公经费, 0 under 50502): the row key cannot tell
    them apart, so their differing figures go to rejects, not guessed."""
    parsed = report("shaanxi_xian_medical_security_bureau_2022_budget_tables.pdf")
    read = {(row, m): _fact(parsed, 3, "general_budget_basic_expenditure", row, m)
            for row in ("301", "30202", "302") for m in ("total", "personnel", "public")}
    assert read == {("301", "total"): Decimal("20368125.45"), ("301", "personnel"): Decimal("20368125.45"),
                    ("301", "public"): Decimal("0"), ("30202", "total"): Decimal("60000"),
                    ("30202", "personnel"): Decimal("0"), ("30202", "public"): Decimal("60000"),
                    ("302", "total"): Decimal("2567411.17"), ("302", "personnel"): Decimal("932778"),
                    ("302", "public"): Decimal("1634633.17")}
    assert {f["item_name"] for f in parsed.facts if f["item_code"] == "30101"} == {"基本工资"}
    assert not [f for f in parsed.facts if f["item_code"] == "30201" and f["measure"] == "total"]
    assert {"887100", "0"} <= {r["raw_text"] for r in parsed.rejects if "30201 办公费 total" in r["reason"]}


def test_a_table_listed_by_unit_keeps_each_units_rows_and_sums():
    """Xi'an 安监局 2019 表8 (fixture pp1-5, 万元) lists its rows by unit (125001, then 125002 …): each unit prints
    301 and its items again, and its number row `** | | | ** | 1 | 2 | 3 | **` is header. Read by eye: 125001's 301
    工资福利支出 970.84 = 30101 237.03 + 3010201 317.69 + 3010202 34.76 + 30108 81.23 + 30110 15.86 + 30112 1.83
    + 30113 87.86 + 30199 194.58 (3010201 sits under 301: its 款 30102 is not printed); 125002's (p2) 301 248.49,
    30101 68.47. A code printed again is the next unit's row, not an OCR twin."""
    parsed = report("shaanxi_xian_work_safety_bureau_2019_budget_tables_t8.pdf")
    assert _fact(parsed, 1, "general_budget_basic_expenditure", "30101", "total") == Decimal("237.03")
    assert _fact(parsed, 2, "general_budget_basic_expenditure", "30101", "total") == Decimal("68.47")
    sums = {c["expected"]: c["passed"] for c in parsed.checks if c["subject"] == "301 total"}
    assert sums[Decimal("970.84")] and sums[Decimal("248.49")] and all(sums.values())
    assert not [f for f in parsed.facts if f["item_name"] == "合计" and f["amount"] in (1, 2, 3)]


def test_a_table_whose_title_is_printed_again_on_its_next_page_continues():
    """Shenzhen 医疗保障局 2026 表7 一般公共预算支出表（按功能分类）prints its title again on p28. Read by eye:
    21015 医疗保障管理事务 9,834.77 = 2101501 7,517.14 (p27) + 2101504 347.33 + 2101505 1,970.30 (p28)."""
    dev = ROOT / "data" / "dev" / "pdf"
    name = "guangdong_shenzhen_medical_security_bureau_2026_budget.pdf"
    (source,) = [s for s in discover(dev) if s.source_path == name]
    parsed = parsed_report_for(dev, source)
    (check,) = [c for c in parsed.checks if c["table_id"] == "general_budget_expenditure"
                and c["subject"] == "21015 grand_total"]  # its 支出总计 column
    assert check["passed"] and check["expected"] == Decimal("7517.14") + Decimal("347.33") + Decimal("1970.30")
    titled = [t for t in read_document((dev / name).read_bytes()).tables if t.title and "按功能分类" in t.title]
    assert [t.source_page for t in titled] == [27]


@cache
def _chongqing_commerce():
    return read_document((ROOT / "data" / "dev" / "pdf" / "chongqing_commerce_commission_2026_budget.pdf").read_bytes())


def _row(table, label: str) -> list[str]:
    (row,) = [r.cells for r in table.rows if label in r.cells]
    return row


def test_figures_are_placed_on_their_labels_line_not_one_row_low():
    """重庆市商务委员会 2026 表四 财政拨款收支总体情况表 (p15, 万元): its figures' font gives a deep descent, so camelot
    (playa) put each figure half a row low, in the next row: 教育支出 read 16,604.23 (the sums still balanced). The
    text layer's baselines put them back. Read by eye: (一)一般公共服务支出 16,604.23 | 16,604.23; (二)教育支出
    32,588.24 | 32,588.24; (五)资源勘探工业信息等支出 41,772.73 | 238.00 | 41,534.73; (七)住房保障支出 1,811.88 |
    1,811.88; 上年结转 (一)一般公共预算拨款 2,513.30, (二)政府性基金预算拨款 41,534.73. And 表一 (p8) prints
    四、卫生健康支出 1,872.52, whose `、` camelot put after the name (`四卫生健康支出、`)."""
    document = _chongqing_commerce()
    (p15,) = [t for t in document.tables if t.source_page == 15]
    assert _row(p15, "(一)一般公共服务支出")[3:5] == ["16,604.23", "16,604.23"]
    assert _row(p15, "(二)教育支出")[3:5] == ["32,588.24", "32,588.24"]
    assert _row(p15, "(五)资源勘探工业信息等支出")[3:6] == ["41,772.73", "238.00", "41,534.73"]
    assert _row(p15, "(七)住房保障支出")[3:5] == ["1,811.88", "1,811.88"]
    assert _row(p15, "(一)一般公共预算拨款")[:2] == ["(一)一般公共预算拨款", "2,513.30"]
    assert _row(p15, "(二)政府性基金预算拨款")[:2] == ["(二)政府性基金预算拨款", "41,534.73"]
    assert not any(r.cells[0] == "(三)国有资本经营预算拨款" and r.cells[1] for r in p15.rows)
    (p8,) = [t for t in document.tables if t.source_page == 8]
    assert _row(p8, "四、卫生健康支出")[2:] == ["四、卫生健康支出", "1,872.52"]


def test_a_table_ruled_with_thin_filled_bars_is_read_by_its_rules():
    """Xi'an 行政审批服务局 2025 (元), read by eye from the rendered pages: rules drawn as filled bars, not lines.

    p4 (表8) prints 部门经济科目编码 | 名称 | 政府经济科目编码 | 名称 | 合计 | 人员经费支出 | 公用经费支出: the
    row is the 部门经济 code's, the 政府经济 pair is not a key. p3 (表3) prints 合计 | 公共预算拨款 (小计,
    其中:专项资金列入部门预算的项目) under 部门预算.
    """
    from pdf_cases import XIAN

    facts = report(XIAN).facts
    basic = {(f["item_code"], f["item_name"], f["measure"]): f["amount"] for f in facts if f["source_page"] == 4}
    assert basic[("30101", "基本工资", "total")] == basic[("30101", "基本工资", "personnel")] == Decimal("3634974.00")
    assert basic[(None, "合计", "total")] == Decimal("20807588.35")
    assert basic[(None, "合计", "public")] == Decimal("1334417.90")
    assert basic[("302", "商品和服务支出", "personnel")] == Decimal("667674.00")
    assert not any(name and "50101" in name for _, name, _ in basic)
    units = {(f["item_name"], f["measure"]): f["amount"] for f in facts if f["source_page"] == 3}
    assert units[("合计", "general_budget_total")] == Decimal("50937608.35")
    assert units[("合计", "general_budget_total_of_which")] == Decimal("11815120.00")
    assert not [t for t in document(XIAN).tables if t.source_page == 1]  # the 报表目录 grid lists tables


def _rows_of(table) -> dict[str, tuple[int, list[str]]]:
    return {row.cells[0] or row.cells[1]: (row.source_page, row.cells) for row in table.rows if row.cells}


def test_a_tables_body_running_on_above_the_next_pages_title_continues_it():
    """Jiangsu high court 2017 (excerpt of p15-17): 九、…基本支出预算表 runs from p15 onto the top of p16, above
    十、…机关运行经费支出预算表. Read by eye: 302 商品和服务支出 3,528.37 = 30201 380.00 + 30205 43.60 (p15) +
    30206 235.00 + … + 30299 193.00 (p16); 十 begins 合计 9,193.40 and runs on to p17 (31002 办公设备购置 143.40)."""
    tables = document("jiangsu_high_court_2017_budget_p15-17.pdf").tables
    (basic,) = [t for t in tables if t.title and t.title.startswith("九、")]
    (operating,) = [t for t in tables if t.title and t.title.startswith("十、")]
    rows = _rows_of(basic)
    assert rows["302"][1][-1] == "3,528.37"
    assert rows["30206"] == (2, ["30206", "电费", "235.00"]) and rows["30312"][1][-1] == "1,959.99"
    items = ["30201", "30205", "30206", "30207", "30211", "30213", "30215", "30216", "30217", "30218", "30228",
             "30229", "30231", "30239", "30299"]
    assert sum(Decimal(rows[code][1][-1].replace(",", "")) for code in items) == Decimal("3528.37")
    assert operating.source_page == 2
    assert [c for c in operating.rows[1].cells if c] == ["合计", "9,193.40"]
    assert _rows_of(operating)["31002"] == (3, ["31002", "办公设备购置", "143.40"])


def test_a_title_printed_last_on_a_page_is_the_next_pages_table():
    """Jiangsu NPC office 2017 (excerpt of p16-20). Read by eye: 一般公共预算支出预算表 合计 13,649.07 = 201
    10,528.33 (p16) + 208 1,608.51 (p16) + 221 1,512.23 (p17, above the next title); p18 ends the 基本支出 table
    (30312 提租补贴 1,018.01) and prints 一般公共预算机关运行经费支出预算表 below it, its table on p19 (合计 5,619.31,
    302 5,560.31); p20's title breaks over two lines (`…培训费支出预算` / `表`)."""
    tables = document("jiangsu_npc_office_2017_budget_p16-20.pdf").tables
    (expenditure,) = [t for t in tables if t.title == "一般公共预算支出预算表"]
    (basic,) = [t for t in tables if t.title == "一般公共预算基本支出预算表"]
    (operating,) = [t for t in tables if t.title == "一般公共预算机关运行经费支出预算表"]
    rows = _rows_of(expenditure)
    assert rows["221"] == (2, ["221", "住房保障支出", "1,512.23"]) and rows["2210202"][1][-1] == "1,018.01"
    assert basic.source_page == 2 and _rows_of(basic)["30312"] == (3, ["30312", "提租补贴", "1,018.01"])
    assert operating.source_page == 4 and _rows_of(operating)["302"][1][-1] == "5,560.31"
    assert [c for c in operating.rows[1].cells if c] == ["合计", "5,619.31"]
    assert [t.title for t in tables if t.source_page == 5][0] == "“三公”经费、会议费、培训费支出预算表"


def test_a_title_broken_after_its_number_and_an_empty_table():
    """Jiangsu procuratorate 2018 (excerpt of p18-19). Read by eye on p19: the title `公开 09 表：一般公共预算“三公”
    经费、会议费、培训费` breaks before `支出预算表`; its one row prints 合计 1,384.74, “三公” 小计 484.30, 因公出国
    100.00, 公务用车 小计 267.80, 购置费 blank, 运行维护费 267.80, 公务接待费 116.50, 会议费 200.44, 培训费 700.00.
    公开10表 政府性基金 prints 合计 blank and a row `此表为空`: a note, not an item."""
    parsed = report_in("tests/fixtures/pdf", "jiangsu_procuratorate_2018_budget_p18-19.pdf")
    on_p19 = [f for f in parsed.facts if f["source_page"] == 2]
    three_public = {f["measure"]: str(f["amount"]) for f in on_p19 if f["table_id"] == "three_public"}
    assert three_public == {"budget_total_incl_meetings_training": "1384.74", "budget_total": "484.30",
                            "budget_overseas_travel": "100.00", "budget_vehicle_total": "267.80",
                            "budget_vehicle_purchase": "0", "budget_vehicle_operation": "267.80",
                            "budget_reception": "116.50", "budget_meetings": "200.44", "budget_training": "700.00"}
    assert [(f["item_name"], f["blank_in_source"]) for f in on_p19 if f["table_id"] == "government_fund"] == [
        ("合计", True)]
    assert not [c for c in parsed.checks if not c["passed"]]


def test_a_row_the_page_break_cuts_is_one_row():
    """Hangzhou public security 2026 (excerpt of p21-22), 表2 收入预算总表 by unit. Read by eye: p21's last row
    prints `杭州市机动` | 总计 14,549.64 | 小计 14,549.64 | 事业收入 `12,437.3` | 其他收入 2,112.28; the top of p22
    prints the rest of the name `车驾驶员考试服务中心` and, under 事业收入, the cell's last digit `6`, nothing else.
    One row: 杭州市机动车驾驶员考试服务中心, 事业收入 12,437.36 (12,437.36 + 2,112.28 = 14,549.64). The column
    事业收入 sums to 合计 18,536.88 = 12,437.36 + 6,099.52 (p22's 杭州市道路交通事故社会救助基金管理服务中心)."""
    parsed = report_in("tests/fixtures/pdf", "zhejiang_hangzhou_public_security_bureau_2026_budget_p21-22.pdf")
    income = [f for f in parsed.facts if f["table_id"] == "income"]
    driving = {f["measure"]: str(f["amount"]) for f in income if f["item_name"] == "杭州市机动车驾驶员考试服务中心"}
    assert {m: driving[m] for m in ("grand_total", "total", "business", "other")} == {
        "grand_total": "14549.64", "total": "14549.64", "business": "12437.36", "other": "2112.28"}
    assert not [f for f in income if f["item_name"] in ("杭州市机动", "车驾驶员考试服务中心")]
    assert not [c for c in parsed.checks if c["table_id"] == "income" and c["passed"] is False]
