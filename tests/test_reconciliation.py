"""The accounting identities of the four budget/final-account samples.

Every failing check must be a real inconsistency of the printed report (or of
its export), listed here with its reason, each confirmed by hand in the text.
"""

from decimal import Decimal

from conftest import parsed_sample

REPORTS = ["guizhou_2024_final_account.txt", "qinghai_2024_final_account.txt",
           "sichuan_2024_final_account.txt", "guiyang_2025_budget.txt"]

KNOWN_FAILURES = {
    # 收入支出决算总表 line 138 prints 九、卫生健康支出 19,051.70; 支出决算表 line 300 prints 210 19,051.72.
    ("guizhou_2024_final_account.txt", "income_expenditure_summary",
     "卫生健康支出: income_expenditure_summary line = expenditure 类 total"): (Decimal("19051.72"), Decimal("19051.70")),
    # 财政拨款收入支出决算总表 line 380 prints 19,043.70; 一般公共预算财政拨款支出决算表 line 553 prints 19,043.72.
    ("guizhou_2024_final_account.txt", "fiscal_appropriation_summary",
     "卫生健康支出: fiscal_appropriation_summary line = general_budget_expenditure 类 total"): (
        Decimal("19043.72"), Decimal("19043.70")),
    # 机关运行经费支出情况表: 302 prints 161.08 but its items sum to 160.82; 福利费 (line 499) is printed
    # blank where 基本支出决算明细表 prints 0.25 — the export lost cells of this table.
    ("qinghai_2024_final_account.txt", "admin_operating_costs", "302 amount"): (Decimal("160.82"), Decimal("161.08")),
}


def all_checks():
    """The fiscal tables' checks (performance sheets are checked in test_performance.py)."""
    return [(name, check) for name in REPORTS for check in parsed_sample(name).checks
            if check["table_id"] != "performance"]


def test_at_least_99_percent_of_checks_pass():
    checks = [c for _, c in all_checks()]
    passed = sum(c["passed"] is True for c in checks)
    assert len(checks) > 1000
    assert passed / len(checks) >= 0.99


def test_every_failing_check_is_a_known_inconsistency_of_the_report():
    failing = {(name, c["table_id"], c["subject"]): (c["expected"], c["actual"])
               for name, c in all_checks() if c["passed"] is False}
    assert failing == KNOWN_FAILURES


def _check(name: str, check: str, subject_start: str) -> dict:
    found = [c for c in parsed_sample(name).checks if c["check"] == check and c["subject"].startswith(subject_start)]
    assert found, f"no {check} check {subject_start!r} in {name}"
    return found[0]


def test_summary_balance_and_cross_table_checks():
    # Guizhou 收入支出决算总表 line 187: 总计 25,414.97 on both sides
    balance = _check(REPORTS[0], "summary_balance", "收入总计 = 支出总计")
    assert (balance["expected"], balance["actual"], balance["passed"]) == (Decimal("25414.97"),) * 2 + (True,)
    # Qinghai 收入支出决算总表 本年支出合计 11,729.54 (line 116) = 支出决算表 合计 (line 197)
    cross = _check(REPORTS[1], "cross_table", "T1 本年支出合计 = T3 合计")
    assert (cross["expected"], cross["passed"]) == (Decimal("11729.54"), True)


def test_rounding_differences_pass_with_a_note():
    # Guizhou 收入决算表 合计 19,340.13 (line 209) against 19,300.05 + 40.07 = 19,340.12
    check = _check(REPORTS[0], "column_sum", "合计: total = fiscal_appropriation")
    assert (check["difference"], check["passed"], check["note"]) == (
        Decimal("0.01"), True, "within rounding allowance")


def test_narrative_totals_are_checked_against_the_tables():
    # Sichuan line 82: 本年支出合计 12588.45 万元, 其中:基本支出 5471.75 万元
    assert _check(REPORTS[2], "text_vs_table", "本年支出合计12588.45万元")["passed"] is True
    assert _check(REPORTS[2], "text_vs_table", "其中:基本支出5471.75万元")["passed"] is True
    # Guiyang line 83: 其中:基本支出 371.27 万元 — budgets print it in 一般公共预算支出预算表
    guiyang = _check(REPORTS[3], "text_vs_table", "其中:基本支出371.27万元")
    assert (guiyang["table_id"], guiyang["passed"]) == ("general_budget_expenditure", True)


def test_a_rule_with_a_missing_figure_is_not_applicable_never_passed():
    # Qinghai 基本支出决算明细表: 30207 邮电费 is unreadable (`5.4/`, ghost 5.45), so 302 = Σ cannot be checked
    check = _check(REPORTS[1], "children_sum", "302 amount")
    assert check["table_id"] == "general_budget_basic_expenditure"
    assert (check["passed"], check["expected"]) == (None, None)
    assert check["note"].startswith("not applicable")
