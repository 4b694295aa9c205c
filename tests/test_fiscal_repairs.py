"""OCR repairs of the fiscal tables, each checked by hand against the sample text.

Qinghai's markdown export prints many rows twice (a ghost with a misread code
or amount); the values asserted here are the printed figures confirmed by the
same report's other tables or sums, with the line numbers of the source.
"""

from decimal import Decimal

from conftest import fact, parsed_sample

QH = "qinghai_2024_final_account.txt"
SC = "sichuan_2024_final_account.txt"
GY = "guiyang_2025_budget.txt"


def rejects_at(name: str, line: int) -> list[dict]:
    return [r for r in parsed_sample(name).rejects if r["source_line"] == line]


def test_ghost_row_with_misread_code_is_merged_into_its_twin():
    # 收入决算表 lines 149-150: `20000 | | 1.064.05` is a ghost of `20809 | 退役安置 | 1,964.05`
    row = fact(QH, "income", "20809", "total")
    assert (row["amount"], row["item_name"], row["source_line"]) == (Decimal("1964.05"), "退役安置", 150)
    assert [r["raw_text"] for r in rejects_at(QH, 149)] == ["1.064.05", "1.064.05"]


def test_twin_readings_are_decided_by_the_parents_sum():
    # 支出决算表 lines 218-219: 2080905 军队转业(干部安置) reads 898.92 and, on its ghost 2000703, 676.72/070.72;
    # 20809 退役安置 1,964.05 = 2080902 1,065.13 + 2080905 898.92
    row = fact(QH, "expenditure", "2080905", "total")
    assert (row["amount"], row["item_name"]) == (Decimal("898.92"), "军队转业干部安置")
    assert fact(QH, "expenditure", "2080902", "total")["amount"] == Decimal("1065.13")


def test_a_value_read_only_on_the_twin_is_kept_as_repaired():
    # lines 208-209: 20806 prints basic `1 026 07` (malformed); its twin line prints 1,036.07
    row = fact(QH, "expenditure", "20806", "basic")
    assert (row["amount"], row["repaired"], row["source_line"]) == (Decimal("1036.07"), True, 209)
    assert fact(QH, "expenditure", "20806", "total")["amount"] == Decimal("1036.07")
    assert fact(QH, "expenditure", "20806", "total")["item_name"] == "企业改革补助"


def test_wrapped_name_over_three_rows_is_joined():
    # 基本支出决算明细表 lines 361-363: 机关事业单位 / 30108 基本养老保险 134.55 / 缴费
    row = fact(QH, "general_budget_basic_expenditure", "30108", "final")
    assert (row["item_name"], row["amount"], row["source_line"]) == (
        "机关事业单位基本养老保险缴费", Decimal("134.55"), 362)


def test_total_printed_one_block_off_is_moved_to_its_label():
    # line 408: `| … | 公用经费合计 | | | | 161.08` — 302 商品和服务支出 161.08 + 307 + 310 + 399 (blank)
    row = fact(QH, "general_budget_basic_expenditure", "公用经费合计", "final")
    assert (row["amount"], row["repaired"]) == (Decimal("161.08"), True)


def test_blank_cells_are_zero_and_flagged():
    # 收入支出决算总表 line 87: 一、一般公共服务支出 | 32 | (blank)
    row = fact(QH, "income_expenditure_summary", "一般公共服务支出", "final", side="expenditure")
    assert (row["amount"], row["blank_in_source"], row["line_no"], row["raw_text"]) == (Decimal("0"), True, 32, "")


def test_total_row_whose_label_the_header_took():
    # 支出决算表 lines 1665-1666: `类款项 | 合计 | …` then the figures on the next line
    row = fact(SC, "expenditure", "合计", "total")
    assert (row["amount"], row["source_line"]) == (Decimal("12588.45"), 1666)


def test_number_split_over_two_cells_is_joined():
    # 部门收支预算总表 line 208: `二、上年结转结余 | 0. | 00二、年终结转结余 | 0.00`
    row = fact(GY, "income_expenditure_summary", "上年结转结余", "budget", side="income")
    assert (row["amount"], row["repaired"]) == (Decimal("0.00"), True)
    assert fact(GY, "income_expenditure_summary", "年终结转结余", "budget", side="expenditure")["amount"] == 0


def test_of_which_rows_check_part_of_the_whole():
    # 收入决算表: 210 卫生健康支出 11,299.80 is followed by `其中:` and lists 21011 and 21015 only
    checks = [c for c in parsed_sample(SC).checks
              if c["table_id"] == "income" and c["subject"].startswith("210 total")]
    assert len(checks) == 1 and checks[0]["passed"] is True and "其中" in checks[0]["subject"]
    assert checks[0]["expected"] == Decimal("9799.80") and checks[0]["actual"] == Decimal("11299.80")


def test_undecidable_ocr_damage_goes_to_rejects_with_its_reason():
    # 支出决算表 line 224: 2101101 行政单位(医疗) prints `(0.57` — not a number
    reasons = {r["raw_text"]: r["reason"] for r in rejects_at(QH, 224)}
    assert "not a number" in reasons["(0.57"]
    assert fact(QH, "expenditure", "2101101", "total")["amount"] == Decimal("68.57")  # its twin, line 225


def test_row_on_a_continuation_page_after_the_repeated_header():
    # Guizhou 收入决算表: the page break at line 255 repeats the header; line 266 is
    # `2210201 住房公积金 160.05 160.05 0.00 0.00 0.00 0.00 0.00`
    row = fact("guizhou_2024_final_account.txt", "income", "2210201", "fiscal_appropriation")
    assert (row["amount"], row["item_level"], row["parent_code"], row["source_line"]) == (
        Decimal("160.05"), 3, "22102", 266)
    assert row["classification"] == "function" and row["unit"] == "万元"
    assert row["amount_yuan"] == Decimal("1600500.00")


def test_every_figure_of_a_recognised_table_is_a_fact_or_a_reject():
    for name in (QH, SC, GY, "guizhou_2024_final_account.txt"):
        assert [r for r in parsed_sample(name).rejects if r["stage"] == "audit"] == [], name


def test_the_audit_finds_a_figure_that_went_missing():
    from conftest import read_sample
    from pipeline.fiscal.audit import unaccounted_figures

    report = parsed_sample(SC)
    lost = fact(SC, "expenditure", "2101501", "total")  # line 1680 prints 3,079.77
    facts = [f for f in report.facts if f is not lost]
    missing = unaccounted_figures(read_sample(SC), facts, report.rejects, "x")
    assert [(m["source_line"], m["raw_text"], m["stage"]) for m in missing] == [(lost["source_line"], "3,079.77", "audit")]


def test_table_numbers_are_recorded_as_printed():
    assert fact(SC, "expenditure", "合计", "total")["table_number"] == "财决公开03表"
    assert fact(QH, "expenditure", "20809", "total")["table_number"] == "公开03表"
    assert fact(GY, "general_budget_expenditure", "208", "total")["table_number"] is None
