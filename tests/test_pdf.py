"""Real PDFs of other departments (same national templates): metadata, table inventory, cells.

Expected values are in `pdf_cases.py`, read by eye from rendered pages.
"""

import re
import unicodedata
from decimal import Decimal
from functools import cache

import pytest
from pdf_cases import CELLS, INVENTORY, METADATA

from conftest import ROOT
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
