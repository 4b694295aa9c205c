"""`documents.partial_reason`: why a report is partial, its rejects counted by kind.

The counts of the samples are read by eye in data/raw/: the line of each rejected cell or row is cited.
"""

from conftest import parsed_sample
from pipeline.partial import partial_reason, reject_kind

SAMPLES = ("guiyang_2025_budget.txt", "guizhou_2024_final_account.txt", "qiannan_2023_performance_evaluation.txt",
           "qinghai_2024_final_account.txt", "sichuan_2024_final_account.txt")


def test_sichuan_guizhou_and_guiyang_say_what_was_not_read():
    # Sichuan: 1813 prints `###` for 行政单位医疗's 项目支出; 2013, the “三公” row, prints 25 figures under a header
    # of 24 columns; 1117 and 1304 are indicator rows whose cells are out of place (a score column left blank).
    assert parsed_sample("sichuan_2024_final_account.txt").partial_reason == (
        "4 rejects: 2 indicator rows fitting no column, 1 ### overflow marker, 1 figure beyond the header's columns")
    # Guizhou: 2638, 2746, 2757 and 2764 are pieces of indicator rows (`时效指标 时效指标 2024年12月31日前…`).
    assert parsed_sample("guizhou_2024_final_account.txt").partial_reason == "4 rejects: 4 indicator rows fitting no column"
    # Guiyang: 政府性基金 and 国有资本经营 支出预算表 print four unlabelled rows of seven 0.00 each (lines 365-368,
    # 377-380) and 市对下转移支付 three of four (409-411): 28 + 28 + 12 zeros; line 209 prints `1,954.` and
    # `1, 954. 47` without a label; the OCR'd sheet of lines 428-433 fits no column; the sheets at 418 and 444
    # print no readable 项目名称.
    assert parsed_sample("guiyang_2025_budget.txt").partial_reason == (
        "78 rejects: 68 zeros on empty template rows, 6 indicator rows fitting no column, "
        "2 figures without a row label, 2 sheets without a readable 项目名称")


def test_qinghai_names_its_five_commonest_kinds_and_counts_the_others():
    reason = parsed_sample("qinghai_2024_final_account.txt").partial_reason
    # Leading zeros: 070.72 (155), 0,987.78 twice (171), 070.72 twice (219), 0,812.1 (221), 0.064.15 (233),
    # 02.24 (366); malformed: (0.57 (224), (2.01 twice (228), 5.4/ (365), (21 (371); 11 OCR'd indicator rows
    # (671, 697, 730, 770, 779, 805, 806, 808, 809, 810, 822).
    assert "11 indicator rows fitting no column, 8 numbers with a leading zero, 5 malformed numbers" in reason
    # Beyond the five kinds named: 1 026 07 (208) and 1 252 05 (233) split by spaces, and three kinds of one.
    assert reason.endswith(", 5 more of 4 other kinds") and reason.count(", ") == 5


def test_a_report_read_whole_has_no_reason():
    # Qiannan's 16 sheets are read whole: nothing rejected, no table of its 目录 missed.
    report = parsed_sample("qiannan_2023_performance_evaluation.txt")
    assert (report.status, report.partial_reason) == ("ok", None)


def test_every_reject_of_the_samples_is_of_a_named_kind():
    for name in SAMPLES:
        for reject in parsed_sample(name).rejects:
            one, _ = reject_kind(reject["stage"], reject["reason"])
            assert not one.startswith(reject["stage"] + ":"), (name, reject["reason"])


def test_tables_not_read_come_first_then_kinds_most_first_ties_in_word_order():
    contents = [{"stage": "contents", "reason": "table listed in the report's 目录 not read: …"}] * 4
    rejects = contents + [
        {"stage": "fiscal", "reason": "leading zero in a number: '070.72'"},
        {"stage": "fiscal", "reason": "leading zero in a number: '0,987.78'"},
        {"stage": "fiscal", "reason": "OCR noise in a name column"},
        {"stage": "fiscal", "reason": "something new: 12.3"},
    ]
    missing = ["收入决算表", "支出决算表", "财政拨款收入支出决算总表", "“三公”经费支出决算表"]
    assert partial_reason(rejects, missing) == (
        "8 rejects: 4 tables listed in 目录 not read (收入决算表, 支出决算表, 财政拨款收入支出决算总表, …), "
        "2 numbers with a leading zero, 1 OCR-noise name fragment, 1 fiscal: something new")
    assert partial_reason([], []) is None
    many = [{"stage": "fiscal", "reason": f"{n} row parts for a table of 2 blocks"} for n in range(3)] + [
        {"stage": "performance", "reason": reason} for reason in (
            "funds row damaged by OCR (text among its figures, …)", "performance sheet without an indicator header",
            "the sheet prints no readable 项目名称: project_name left null", "indicator row whose cells fit no column",
            "funds row with 4 figures matches neither its header (3 columns) nor a template",
            "source of a target sheet's approved amount (财政拨款, 其他资金): …")]
    assert partial_reason(many, []) == (
        "9 rejects: 3 rows with more parts than the table has blocks, 1 funding source of a target sheet, "
        "1 funds row damaged by OCR, 1 funds row fitting no template, 1 indicator row fitting no column, "
        "2 more of 2 other kinds")
