"""No parser emits two facts with one natural key; where a report prints two figures that look alike, the key
tells them apart (a “三公” table's phases and sources of funds, a summary table's sections).

The values were read by eye from the rendered pages of the real PDFs in tests/fixtures/pdf/ (page numbers are
1-based PDF pages), not from the parser's output.
"""

import csv
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from conftest import RAW, ROOT, parsed_sample
from pipeline.accuracy import OCR_CACHE
from pipeline.corpus import discover
from pipeline.expectations import load_suite
from pipeline.fiscal.facts import one_fact_per_key
from pipeline.fiscal.tables import classify
from pipeline.fiscal.three_public import parse_three_public
from pipeline.readers import read_document
from pipeline.readers import OcrSettings
from pipeline.report import parse_report
from pipeline.schema import NATURAL_KEYS

PDF = ROOT / "tests" / "fixtures" / "pdf"
PLANNING = "shanghai_putuo_planning_natural_resources_2024_final_account.pdf"
CHONGQING = "chongqing_government_office_2026_budget.pdf"
GUANGZHOU = "guangdong_guangzhou_petition_bureau_2026_budget.pdf"
SUZHOU = "jiangsu_suzhou_audit_bureau_2026_budget.pdf"


DEV = ROOT / "data" / "dev" / "pdf"


@cache
def _sources(folder: Path) -> dict:
    return {source.source_path: source for source in discover(folder)}  # each file hashed once


@cache
def report(name: str):
    folder = PDF if (PDF / name).exists() else DEV
    return parse_report(folder, _sources(folder)[name], OcrSettings(cache_dir=str(OCR_CACHE), workers=1))


def _three_public(name: str) -> dict[str, Decimal]:
    facts = [f for f in report(name).facts if f["table_id"] == "three_public"]
    return {f["measure"]: f["amount"] for f in facts if not f["blank_in_source"]}


PDFS = sorted(p.name for p in PDF.glob("*.pdf") if p.name != "encrypted_one_page.pdf")
DEV_PDFS = sorted(row["in_repo"].rsplit("/", 1)[1] for row in csv.DictReader(
    (ROOT / "data" / "dev" / "manifest.csv").open(encoding="utf-8")) if row["in_repo"].startswith("data/dev/"))
SAMPLES = sorted(p.name for p in RAW.iterdir())
_SUITE = {(e["type"], e["kwargs"].get("column")): e["kwargs"] for e in load_suite("fiscal_facts")["expectations"]}


@pytest.mark.parametrize("name", PDFS + DEV_PDFS + SAMPLES)
def test_facts_keep_the_contract(name):
    """No two facts of one natural key, and only the keys the contract allows (a key the suites do not know
    would block the whole catalog)."""
    facts = parsed_sample(name).facts if name in SAMPLES else report(name).facts
    keys = [tuple(f[k] for k in NATURAL_KEYS["fiscal_facts"] if k != "doc_id") for f in facts]
    assert len(set(keys)) == len(keys)
    measure = re.compile(_SUITE[("expect_column_values_to_match_regex", "measure")]["regex"])
    assert {f["measure"] for f in facts if not measure.match(f["measure"])} == set()
    allowed = set(_SUITE[("expect_column_values_to_be_in_set", "table_id")]["value_set"])
    assert {f["table_id"] for f in facts} <= allowed


def test_phases_printed_under_each_item():
    """p17: 合计, 因公出国(境)费, … each over a 预算数 and a 决算数 column; 合计 2.85 / 0.39, 公务接待费 2.85 / 0.39."""
    figures = _three_public(PLANNING)
    assert (figures["budget_total"], figures["final_total"]) == (Decimal("2.85"), Decimal("0.39"))
    assert (figures["budget_reception"], figures["final_reception"]) == (Decimal("2.85"), Decimal("0.39"))
    assert figures["final_overseas_travel"] == Decimal("0.00") and len(figures) == 12


def test_the_prior_years_budget_is_prior_budget():
    """p20: 2025年预算数 396.97 = 184.49 + 202.48 + 10.00 (购置费 blank), 2026年预算数 394.49 = 184.49 + 200.00 + 10.00."""
    figures = _three_public(CHONGQING)
    assert {m: v for m, v in figures.items() if m.startswith("prior_")} == {
        "prior_budget_total": Decimal("396.97"), "prior_budget_overseas_travel": Decimal("184.49"),
        "prior_budget_vehicle_total": Decimal("202.48"), "prior_budget_vehicle_operation": Decimal("202.48"),
        "prior_budget_reception": Decimal("10.00")}
    assert (figures["budget_total"], figures["budget_vehicle_total"]) == (Decimal("394.49"), Decimal("200.00"))
    assert "budget_vehicle_purchase" not in figures  # printed blank


def test_columns_by_source_of_funds():
    """p15 表8: “三公”经费 合计 4.80, 一般公共预算 4.80, 政府性基金预算 0.00; 公务接待费支出 2.30 / 2.30 / 0.00."""
    figures = _three_public(GUANGZHOU)
    assert (figures["budget_total"], figures["budget_general_budget_total"],
            figures["budget_government_fund_total"]) == (Decimal("4.80"), Decimal("4.80"), Decimal("0.00"))
    assert (figures["budget_reception"], figures["budget_general_budget_reception"],
            figures["budget_state_capital_reception"]) == (Decimal("2.30"), Decimal("2.30"), Decimal("0.00"))


def test_sections_tell_apart_rows_of_one_name():
    """p12 财政拨款收支总表: 一、本年收入 / (一)一般公共预算拨款 4,651.67; 二、上年结转 / (一)一般公共预算拨款 blank."""
    rows = {(f["section"], f["item_name"]): f for f in report(SUZHOU).facts
            if f["table_id"] == "fiscal_appropriation_summary" and f["side"] == "income"}
    assert rows[("本年收入", "一般公共预算拨款")]["amount"] == Decimal("4651.67")
    carried = rows[("上年结转", "一般公共预算拨款")]
    assert (carried["amount"], carried["blank_in_source"]) == (Decimal("0"), True)
    assert rows[(None, "上年结转")]["blank_in_source"] and rows[(None, "收入总计")]["amount"] == Decimal("4651.67")


def test_guizhou_carried_over_rows_have_their_section():
    """guizhou_2024_final_account.txt line 364 一、一般公共预算财政拨款 19,300.05; lines 434-436 年初财政拨款结转和结余
    5,459.54, then 一般公共预算财政拨款 5,459.54."""
    rows = [f for f in parsed_sample("guizhou_2024_final_account.txt").facts
            if f["table_id"] == "fiscal_appropriation_summary" and f["item_name"] == "一般公共预算财政拨款"]
    assert {(f["section"], f["source_line"], f["amount"]) for f in rows} >= {
        (None, 364, Decimal("19300.05")), ("年初财政拨款结转和结余", 436, Decimal("5459.54"))}


def test_cells_of_one_key_are_rejected_unless_they_agree():
    base = {"table_id": "expenditure", "table_title": "支出表", "side": None, "item_code": "201", "item_name": "x",
            "section": None, "line_no": None, "measure": "total", "source_line": None, "source_page": 3}
    facts = [dict(base, amount=Decimal("1.00"), raw_text="1.00"), dict(base, amount=Decimal("1.00"), raw_text="1.00"),
             dict(base, measure="basic", amount=Decimal("2.00"), raw_text="2.00"),
             dict(base, measure="basic", amount=Decimal("3.00"), raw_text="3.00")]
    kept, rejects = one_fact_per_key(facts, "d" * 16)
    assert kept == [facts[0]]
    assert [r["raw_text"] for r in rejects] == ["1.00", "2.00", "3.00"]
    assert rejects[0]["reason"].endswith("the same figure twice; the first is kept")
    assert rejects[1]["reason"] == ("expenditure 201 x basic: 2 cells read for one row and column "
                                    "(2.00 (page 3), 3.00 (page 3)): which is which is not known")


BEIJING = "beijing_medical_security_bureau_2026_budget_tables.pdf"
JILIN = "jilin_changchun_petition_bureau_2026_budget.pdf"
SHENZHEN = "guangdong_shenzhen_medical_security_bureau_2026_budget.pdf"


def test_columns_named_by_their_own_header_in_printed_order():
    """p11 预算09表: “三公”经费财政拨款预算总额 77.672600, 因公出国(境)费用 50.332600, 公务接待费 1.920000 (printed
    before the vehicle columns), 公务用车购置及运行维护费 小计 25.420000 = 购置费 18.690000 + 运行维护费 6.730000; a blank
    grid column before and after them holds nothing. (Six decimals are then rejected as not to the cent: the
    columns are checked on the parsed table.)"""
    document = read_document((PDF / BEIJING).read_bytes())
    (table,) = [t for t in document.tables if classify(t) == "three_public"]
    parsed = parse_three_public(table, True, "beijing")
    (entry,) = parsed.entries
    assert {m: c.raw for m, c in zip(parsed.measures, entry.cells)} == {
        "budget_total": "77.672600", "budget_overseas_travel": "50.332600", "budget_reception": "1.920000",
        "budget_vehicle_total": "25.420000", "budget_vehicle_purchase": "18.690000",
        "budget_vehicle_operation": "6.730000"}
    assert parsed.rejects == []


def test_nested_items_under_two_groups_and_a_grand_total():
    """p12 预算表7, one row: “三公”经费合计 7.61 | 当年预算: 小计 7.61, 因公出国(境)费 (小计, 因公出国(境)费, 科研因公出国
    (境)费用) 0.00, 公务用车购置及运行费 小计 6.75 = 购置费 0.00 + 运行费 6.75, 公务接待费 0.86 | 上年结转结余: all 0.00."""
    figures = _three_public(JILIN)
    assert figures["grand_total"] == Decimal("7.61") and figures["budget_total"] == Decimal("7.61")
    assert (figures["budget_vehicle_total"], figures["budget_vehicle_operation"]) == (Decimal("6.75"), Decimal("6.75"))
    assert figures["budget_reception"] == Decimal("0.86")
    assert figures["budget_overseas_travel_research"] == figures["budget_overseas_travel_other"] == Decimal("0.00")
    assert {m: v for m, v in figures.items() if m.startswith("carryover_")} == {
        f"carryover_{item}": Decimal("0.00") for item in (
            "total", "overseas_travel", "overseas_travel_other", "overseas_travel_research", "vehicle_total",
            "vehicle_purchase", "vehicle_operation", "reception")}
    assert len(figures) == 17


def test_rows_of_years_are_named_by_their_year():
    """p32 表9: under 深圳市医疗保障局(本级), rows 2025年 (总计/一般公共预算 32.44), 2026年 (66.04; 因公出国(境)费/
    一般公共预算 34.40) and 增减变化金额 (33.60)."""
    facts = {(f["item_name"], f["measure"]): f["amount"] for f in report(SHENZHEN).facts
             if f["table_id"] == "three_public" and f["source_page"] == 32}
    assert facts[("2025年", "prior_budget_general_budget_total")] == Decimal("32.44")
    assert facts[("2026年", "budget_general_budget_total")] == Decimal("66.04")
    assert facts[("2026年", "budget_general_budget_overseas_travel")] == Decimal("34.40")
    assert facts[("增减变化金额", "change_general_budget_total")] == Decimal("33.60")
