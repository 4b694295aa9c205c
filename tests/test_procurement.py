"""Government procurement figures: the four reports by hand, and paraphrases of other provinces."""

from decimal import Decimal

import pytest

from conftest import parsed_sample
from pipeline.procurement import figures_in_text

D = Decimal
# (category, amount, share_pct, source, source_line), read from the text of each report.
EXPECTED = {
    # line 1139: 政府采购支出总额11,713.59万元 … 授予中小企业合同金额7,405.55万元,占…63.22% … 小微企业 371.76万元 3.17%
    "guizhou_2024_final_account.txt": [
        ("total", D("11713.59"), None, "text", 1139), ("goods", D("14.29"), None, "text", 1139),
        ("works", D("0.00"), None, "text", 1139), ("services", D("11699.30"), None, "text", 1139),
        ("sme_awarded", D("7405.55"), D("63.22"), "text", 1139),
        ("small_micro_awarded", D("371.76"), D("3.17"), "text", 1139)],
    # 政府采购支出情况表 lines 515-520: 109.8 total and services, other rows printed blank
    "qinghai_2024_final_account.txt": [
        ("total", D("109.8"), None, "table", 515), ("goods", D("0"), None, "table", 516),
        ("works", D("0"), None, "table", 517), ("services", D("109.8"), None, "table", 518),
        ("sme_awarded", D("0"), D("0"), "table", 519), ("small_micro_awarded", D("0"), D("0"), "table", 520)],
    # line 216: 总额3688.54万元 … 货物支出360.88万元 … 服务支出3327.66万元 … 中小企业1211.85万元 32.9% …
    "sichuan_2024_final_account.txt": [
        ("total", D("3688.54"), None, "text", 216), ("goods", D("360.88"), None, "text", 216),
        ("works", D("0"), None, "text", 216), ("services", D("3327.66"), None, "text", 216),
        ("sme_awarded", D("1211.85"), D("32.9"), "text", 216),
        ("small_micro_awarded", D("1211.85"), D("32.9"), "text", 216)],
    # 2025年政府采购预算表 line 400 (合计 row): 258. 34 | 4. 20 | 0.00 | 254. 14
    "guiyang_2025_budget.txt": [
        ("total", D("258.34"), None, "table", 400), ("goods", D("4.20"), None, "table", 400),
        ("works", D("0.00"), None, "table", 400), ("services", D("254.14"), None, "table", 400)],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_procurement_figures(name):
    rows = parsed_sample(name).procurement
    assert [(r["category"], r["amount"], r["share_pct"], r["source"], r["source_line"]) for r in rows] == EXPECTED[name]
    assert all(r["unit"] == "万元" and r["amount_yuan"] == r["amount"] * 10000 for r in rows)


@pytest.mark.parametrize("name", ["qinghai_2024_final_account.txt", "guiyang_2025_budget.txt"])
def test_table_and_narrative_are_compared(name):
    checks = [c for c in parsed_sample(name).checks if c["table_id"] == "procurement" and c["check"] == "text_vs_table"]
    assert len(checks) == len(EXPECTED[name]) and all(c["passed"] for c in checks)
    # Qinghai's narrative (lines 626-628) is cut by a page break inside 政府采购服务支|出109.80万元
    assert any(c["subject"].startswith("services:") for c in checks)


def test_paraphrases_of_other_provinces():
    text = ("2023年度本部门政府采购支出合计为 1,250.5 万元，其中：服务类政府采购 1,000 万元，货物类政府采购 250.5 万元，"
            "工程类政府采购 0 万元；授予中小企业的合同金额为 800 万元，占比 64.0％，授予小微企业合同金额 120万元。")
    found = {f.category: (f.amount, f.unit, f.share_pct) for f in figures_in_text(text)}
    assert found == {
        "total": (D("1250.5"), "万元", None), "services": (D("1000"), "万元", None),
        "goods": (D("250.5"), "万元", None), "works": (D("0"), "万元", None),
        "sme_awarded": (D("800"), "万元", D("64.0")), "small_micro_awarded": (D("120"), "万元", None),
    }


def test_amounts_in_yuan():
    found = {f.category: (f.amount, f.unit) for f in figures_in_text("政府采购预算总额是 386,000.00 元，货物采购 86,000 元。")}
    assert found == {"total": (D("386000.00"), "元"), "goods": (D("86000"), "元")}


def test_a_paragraph_without_procurement_figures_gives_none():
    assert figures_in_text("本部门严格执行政府采购制度，政府采购预算偏离度0.143，此项自评得6.58分。") == []


def test_consistency_checks_on_the_report_and_on_a_bad_one():
    guizhou = {c["check"]: c for c in parsed_sample("guizhou_2024_final_account.txt").checks
               if c["table_id"] == "procurement" and c["check"] != "share"}
    assert guizhou["column_sum"]["passed"] and guizhou["column_sum"]["actual"] == D("117135900.00")
    shares = [c for c in parsed_sample("guizhou_2024_final_account.txt").checks if c["check"] == "share"]
    assert [(c["actual"], c["passed"]) for c in shares] == [(D("63.22"), True), (D("3.17"), True)]

    from pipeline.procurement import consistency_checks
    rows = [{"category": c, "amount_yuan": D(v)} for c, v in (("total", "1000000"), ("goods", "300000"),
            ("works", "0"), ("services", "600000"), ("sme_awarded", "1200000"), ("small_micro_awarded", "5000"))]
    failed = [(c["check"], c["subject"]) for c in consistency_checks("x", rows, {}) if not c["passed"]]
    assert failed == [("column_sum", "total = goods + works + services"), ("part_of_whole", "sme_awarded ≤ total")]
