"""Performance sheets of the five samples against hand-checked projects and indicators.

Expected values are in `performance_cases.py`, read by eye from the raw text.
"""

import re
import unicodedata
from decimal import Decimal

import pytest
from performance_cases import INDICATORS, PROJECTS, SHEET_COUNTS

from conftest import parsed_sample, read_sample
from pipeline.performance.levels import is_level_word
from pipeline.performance.sheets import _stated, is_sheet, tokens_of

INDICATOR_FIELDS = ("level1_key", "level2_key", "direction", "target_op", "target_value", "target_unit",
                    "actual_op", "actual_value", "actual_unit", "weight", "score")
PROJECT_FIELDS = ("sheet_kind", "funds_unit", "project_code", "budget_initial", "budget_full_year", "executed",
                  "execution_rate", "funds_weight", "funds_score", "total_weight", "total_score", "grade")


@pytest.mark.parametrize("name", sorted(SHEET_COUNTS))
def test_every_sheet_is_found(name):
    assert len(parsed_sample(name).projects) == SHEET_COUNTS[name]


def nfkc(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "").replace(" ", "")


def _project(case: dict) -> dict:
    wanted = case["name_contains"]
    matches = [p for p in parsed_sample(case["file"]).projects
               if (p["project_name"] is None if wanted is None else nfkc(wanted) in nfkc(p["project_name"]))
               and (case.get("source_line") is None or p["source_line"] == case["source_line"])]
    assert len(matches) == 1, f"{len(matches)} projects for {wanted!r}"
    return matches[0]


def _project_case(case):
    marks = []
    if case["name_contains"] == "贵阳贵安城乡居民基本医疗保险第三方经办审核服务经费":
        marks = [pytest.mark.xfail(reason="资金总额 label lost to OCR (`年度资` / `(元):`)", strict=True)]
    return pytest.param(case, marks=marks, id=f"{case['file'][:8]}-{case['name_contains']}")


@pytest.mark.parametrize("case", [_project_case(c) for c in PROJECTS])
def test_hand_checked_project(case):
    project = _project(case)
    expected = {k: case[k] for k in PROJECT_FIELDS if k in case}
    assert {k: project[k] for k in expected} == expected


# Known gaps, each a printed layout the parser does not read yet (strict: a fix makes the test pass and fail here).
CENTRED = "the merged 一级/二级 cell is printed centred in its group, below rows it covers"
KNOWN_GAPS = {
    ("qinghai_2024_final_account.txt", "形成医保改革及政策研究调研报告"): CENTRED,
    ("qinghai_2024_final_account.txt", "满足患者的就医需求"): CENTRED,
    ("qinghai_2024_final_account.txt", "召开医保准入评审会次数"): CENTRED,
    ("qinghai_2024_final_account.txt", "开展定点医疗机构专项检查次数"):
        "continuation table one column short: cells shift left",
    ("qinghai_2024_final_account.txt", "开展业务培训班次数"): "continuation table one column short: cells shift left",
    ("guizhou_2024_final_account.txt", "完成目录制定相关课题时间"):
        "actual, weight and score glued in one cell (`…效果较差2 0国家局…`)",
    ("qiannan_2023_performance_evaluation.txt", "项目资金使用"): "the 成本 label is printed in the 一级 column",
}


def _indicator_case(case):
    gap = KNOWN_GAPS.get((case["file"], case["indicator"]))
    marks = [pytest.mark.xfail(reason=gap, strict=True)] if gap else []
    return pytest.param(case, marks=marks, id=f"{case['file'][:8]}-{case['indicator'][:12]}")


@pytest.mark.parametrize("case", [_indicator_case(c) for c in INDICATORS])
def test_hand_checked_indicator(case):
    rows = [i for i in parsed_sample(case["file"]).indicators
            if nfkc(i["indicator"]) == nfkc(case["indicator"]) and i["source_line"] == case["source_line"]]
    assert len(rows) == 1, f"{len(rows)} indicators named {case['indicator']!r} on line {case['source_line']}"
    row = rows[0]
    projects = {p["project_id"]: p for p in parsed_sample(case["file"]).projects}
    wanted = case["name_contains"]
    if wanted is not None:
        assert nfkc(wanted) in nfkc(projects[row["project_id"]]["project_name"])
    expected = {k: case[k] for k in INDICATOR_FIELDS if k in case}
    if "weight" in expected:
        expected["weight"] = Decimal(expected["weight"])
    assert {k: row[k] for k in expected} == expected
    if "shortfall_reason_starts" in case:
        assert (row["shortfall_reason"] or "").startswith(case["shortfall_reason_starts"])


def test_a_damaged_funds_row_is_rejected_not_guessed():
    # Qinghai 商保公司组经办服务费, line 839: figures cut and a header fragment among them
    report = parsed_sample("qinghai_2024_final_account.txt")
    reasons = [r["reason"] for r in report.rejects if r["source_line"] == 839]
    assert reasons and reasons[0].startswith("funds row damaged by OCR")


def test_both_funds_units():
    units = {p["funds_unit"] for name in SHEET_COUNTS for p in parsed_sample(name).projects}
    assert {"元", "万元"} <= units


def test_a_budget_figure_is_stated_in_a_unit_only_as_a_whole_number():
    assert _stated("354.93", "万元", "全年预算数为354.93万元，执行数")
    assert _stated("23", "万元", "≤23.00万元") and _stated("23", "万元", "23万元")
    assert not _stated("23", "万元", "123万元") and not _stated("23", "万元", "1.23万元")
    assert not _stated("23", "元", "23万元") and _stated("23", "元", "1230万元, 23元")


def test_every_indicator_row_is_an_indicator_or_a_reject():
    """Every row of an indicator block that prints a figure ends as an indicator or a reject."""
    for name in SHEET_COUNTS:
        report = parsed_sample(name)
        accounted = {i["source_line"] for i in report.indicators} | {r["source_line"] for r in report.rejects}
        for table in (t for t in read_sample(name).tables if is_sheet(t)):
            rows = [(row, tokens_of(row)) for row in table.rows]
            start = next(i for i, (_, tokens) in enumerate(rows) if "一级指标" in "".join(tokens))
            for row, tokens in rows[start + 1:]:
                if tokens and re.match(r"^(总\s*分?|合计|评价结论|自评结论|绩效结论|说明|自)$", tokens[0]):
                    break
                figures = [t for t in tokens if re.search(r"\d", t) and not is_level_word(re.sub(r"[(（]\d+分[)）]", "", t))
                           and not re.fullmatch(r"[(（]?\d+分[)）]?|\d+/\d+|标[(（]\d+分[)）]", t)]
                if figures:
                    assert row.source_line in accounted, (name, row.source_line, tokens)


def test_a_target_sheet_prints_no_execution_its_sources_are_rejects():
    """西安市人社局 2020 表15 部门整体支出绩效目标表 (p56 of the report), read by eye: 金额合计 总额 182066.56 |
    财政拨款 181716.56 | 其他资金 350.00 (万元). The total is the approved amount; its two sources are no
    执行数 and 执行率 (they were read so, and failed the execution-rate check)."""
    from conftest import parsed_report

    report = parsed_report("tests/fixtures/pdf", "shaanxi_xian_human_resources_social_security_2020_budget_p56.pdf")
    (project,) = report.projects
    assert (project["budget_initial"], project["executed"], project["execution_rate"]) == (
        Decimal("182066.56"), None, None)
    sources = [r["raw_text"] for r in report.rejects if "approved amount" in r["reason"]]
    assert sources == ["181716.56", "350.00"]
    assert not [c for c in report.checks if c["check"] == "execution_rate"]


def test_a_figure_with_its_unit_stays_in_its_ruled_cell():
    """西安市卫生健康委员会 2022 决算 p134, 高端全身彩色多普勒超声诊断仪购置项目绩效自评表, read by eye: the row
    经济效益指标 | 年接诊患者 | 年度指标值 1.2万人 | 实际完成值 0.4 | 分值 8 | 得分 6 | 偏差原因 9月验收交付, the 三级指标
    cell merged over two grid columns; 总分 100 | 93, 年度资金总额 分值 10 得分 10.00. `1.2万人` was cut into `1.2`
    (moved into the empty, merged column on its left, across a printed rule) and `万人`, and every later
    cell of the row took the next role: 分值 0.4, 得分 8."""
    from conftest import parsed_report

    report = parsed_report("tests/fixtures/pdf", "shaanxi_xian_health_commission_2022_final_account_p134.pdf")
    (row,) = [i for i in report.indicators if i["indicator"] == "年接诊患者"]
    assert (row["target_text"], row["actual_text"], row["weight"], row["score"], row["shortfall_reason"]) == (
        "1.2万人", "0.4", Decimal("8"), Decimal("6"), "9月验收交付")
    assert [i["weight"] for i in report.indicators] == [Decimal(w) for w in "10 15 10 15 8 8 8 6 10".split()]
    assert [i["score"] for i in report.indicators] == [Decimal(s) for s in "10 15 10 15 6 6 6 5 10".split()]
    (project,) = report.projects
    assert (project["total_weight"], project["total_score"]) == (Decimal("100"), Decimal("93"))
    checks = [c for c in report.checks if c["check"] in ("score_sum", "weight_sum", "score_within_weight")]
    assert len(checks) == 11 and all(c["passed"] for c in checks)


def test_a_rate_printed_to_the_whole_percent_is_checked_to_its_precision():
    """The same sheet (p134), read by eye: 年度资金总额 全年预算数 390, 全年执行数 334, 执行率 86%. 334 / 390 is
    85.64%; printed to the whole percent, 86% stands for 85.5%–86.5%, so the sheet's arithmetic holds."""
    from conftest import parsed_report

    report = parsed_report("tests/fixtures/pdf", "shaanxi_xian_health_commission_2022_final_account_p134.pdf")
    (project,) = report.projects
    assert (project["budget_full_year"], project["executed"], project["execution_rate"]) == (
        Decimal("390"), Decimal("334"), Decimal("86"))
    (rate,) = [c for c in report.checks if c["check"] == "execution_rate"]
    assert (rate["expected"], rate["actual"], rate["tolerance"], rate["passed"]) == (
        Decimal("85.64"), Decimal("86"), Decimal("0.5"), True)


def test_indicator_names_printed_across_a_merged_cells_hidden_rule_are_kept():
    """西安市卫生健康委员会 2022 决算 p112, 转运队隔离保障经费项目绩效自评表, read by eye: 数量指标 房间数量 据实结算
    12.5 | 12.5; 质量指标 达到转运队需求 100% 12.5 | 12.5; 时效指标 项目实施时间 2022年 12.5 | 12.5; 成本指标 项目实施成本
    325万元 12.5 | 12. The names are printed across the hidden rule of the merged 三级指标 cell; camelot's
    split_text dropped the part past it, and the names were lost."""
    from conftest import parsed_report

    report = parsed_report("tests/fixtures/pdf", "shaanxi_xian_health_commission_2022_final_account_p112.pdf")
    rows = {i["indicator"]: (i["target_text"], i["weight"], i["score"]) for i in report.indicators}
    assert rows["房间数量"] == ("据实结算", Decimal("12.5"), Decimal("12.5"))
    assert rows["达到转运队需求"] == ("100%", Decimal("12.5"), Decimal("12.5"))
    assert rows["项目实施时间"] == ("2022年", Decimal("12.5"), Decimal("12.5"))
    assert rows["项目实施成本"] == ("325万元", Decimal("12.5"), Decimal("12"))
    assert all(i["indicator"] for i in report.indicators)


def test_a_rate_printed_finer_than_the_hundredth_is_checked_to_its_last_digit():
    """西安市卫生健康委员会 2022 决算 p30, 金额合计 row, read by eye: 全年预算数 2,495,142.55, 全年执行数 2074962.01,
    执行率 83.16% (2074962.01 / 2495142.55 = 83.1600…%). The photocopied page was read `83.165` (the % as a 5):
    printed to the thousandth, it claims 83.1645–83.1655 and fails against 83.160, where one unit of the
    hundredth used to pass it."""
    from pipeline.performance.checks import sheet_checks
    from pipeline.performance.sheets import SheetResult

    def rate_check(rate: str) -> dict:
        project = {key: None for key in ("project_name", "project_id", "total_weight", "total_score",
                                         "funds_weight", "funds_score", "source_line")}
        project.update(project_name="部门整体", budget_full_year=Decimal("2495142.55"),
                       executed=Decimal("2074962.01"), execution_rate=Decimal(rate), source_page=30)
        (check,) = sheet_checks(SheetResult(project), "p30")
        return check

    printed, misread = rate_check("83.16"), rate_check("83.165")
    assert (printed["expected"], printed["tolerance"], printed["passed"]) == (Decimal("83.16"), Decimal("0.01"), True)
    assert (misread["expected"], misread["tolerance"], misread["passed"]) == (
        Decimal("83.160"), Decimal("0.001"), False)


def test_sheets_printed_one_a_page_under_one_title_are_one_project_each():
    """西安市行政审批服务局 2025 预算, 表14 部门专项业务经费绩效目标表 on p36 and p37 of the report, read by eye.
    Both pages print the same title, so the reader continues one table over them; each page's 项目名称 row
    starts its own project. p36: 办公区室外绿化项目, 主管部门 西安市行政审批服务局, six indicators, the last
    提升企业群众满意度 ≥95% 分值 10. p37: 办公用房物业管理服务项目, six indicators, the first
    东、西厅安检、保安及保洁服务预算成本 191.98万元 20, the last 工作人员满意度 ≥95% 10. Read as one sheet, p37's
    项目名称 and 主管部门 rows became the tail of p36's last indicator name."""
    from conftest import parsed_report

    report = parsed_report("tests/fixtures/pdf", "shaanxi_xian_administrative_approval_bureau_2025_budget_p36-37.pdf")
    assert [(p["project_name"], p["competent_dept"], p["source_page"]) for p in report.projects] == [
        ("办公区室外绿化项目", "西安市行政审批服务局", 1), ("办公用房物业管理服务项目", "西安市行政审批服务局", 2)]
    first, second = ([i for i in report.indicators if i["project_id"] == p["project_id"]] for p in report.projects)
    assert [(i["indicator"], i["target_text"], i["weight"]) for i in first] == [
        ("绿植养护", "29.78万元", Decimal("20")), ("绿植养护覆盖率", "≥95%", Decimal("20")),
        ("绿植养护生长美观", "≥95%", Decimal("10")), ("绿植日常养护", "12个月", Decimal("10")),
        ("打造生态环保的政务服务氛围", "持续优化", Decimal("20")), ("提升企业群众满意度", "≥95%", Decimal("10"))]
    assert (len(second), second[0]["indicator"], second[0]["target_text"]) == (
        6, "东、西厅安检、保安及保洁服务预算成本", "191.98万元")
    assert (second[-1]["indicator"], second[-1]["target_text"], second[-1]["weight"]) == (
        "工作人员满意度", "≥95%", Decimal("10"))


def test_a_sheet_whose_project_name_row_was_lost_starts_at_its_competent_department():
    """福州市医疗保障局 2026 预算, 综合工作经费项目绩效目标表 on p37 and p38 of the report (pages 35 and 36 as
    printed), read by eye: two sheets of the same title and project, 实施单位 福州市医疗保障基金中心 and
    福州市医疗保障服务行为监测中心. p37's last indicator is 服务对象满意度指标 ≥95% (named like its 二级), then a
    blank 备注 row; p38's indicators are 项目支出预算控制率 ≤100%, 临聘人员数量 ≥4人, 购置质量合格率 =100%,
    支付(结算)及时性 ≥100%, 临聘人员上访事件发生率 ≤0%, 结算对象满意度 ≥100%. The grid of p38 has no 项目名称
    row (its large-type name is read apart), so its 主管部门 row starts the second sheet; 备注 ends a sheet."""
    from conftest import parsed_report

    report = parsed_report("tests/fixtures/pdf", "fujian_fuzhou_medical_security_bureau_2026_budget_p37-38.pdf")
    assert [p["implementing_unit"] for p in report.projects] == ["福州市医疗保障基金中心", "福州市医疗保障服务行为监测中心"]
    first, second = ([i for i in report.indicators if i["project_id"] == p["project_id"]] for p in report.projects)
    assert (len(first), first[-1]["indicator"], first[-1]["target_text"]) == (6, "服务对象满意度指标", "≥95%")
    assert [(i["indicator"], i["target_text"]) for i in second] == [
        ("项目支出预算控制率", "≤100%"), ("临聘人员数量", "≥4人"), ("购置质量合格率", "=100%"),
        ("支付(结算)及时性", "≥100%"), ("临聘人员上访事件发生率", "≤0%"), ("结算对象满意度", "≥100%")]


def test_indicators_with_worded_targets_are_read_where_the_header_heads_the_value_column():
    """西安市医疗保障局 2022 预算, 表15 部门整体支出绩效目标表 on p48–49 of the report, read by eye: the header
    prints 一级指标 | 二级指标 | 指标内容 | 指标值 (no 三级指标); 13 indicators on p48 (媒体宣传等 10-15项 …
    设备更新及办公家具购置 169件) and 34 on p49, where the grid is cut into other columns. Many targets are worded
    (行政执法标准化建设 逐步达标, 按质按量完成各专项业务工作 全年, 提升全市医保经办服务效能 明显提升, 期限 长期);
    they were glued onto the name above as if the row were its wrapped tail. p49's first row prints the
    row label 年度绩效指标 beside 智能识别审核 21800份."""
    from conftest import parsed_report

    report = parsed_report("tests/fixtures/pdf", "shaanxi_xian_medical_security_bureau_2022_budget_p48-49.pdf")
    read = {(i["indicator"], i["target_text"]) for i in report.indicators}
    assert len(report.indicators) == 47 and all(i["target_text"] for i in report.indicators)
    assert [(i["indicator"], i["target_text"]) for i in report.indicators[:2]] == [
        ("媒体宣传等", "10-15项"), ("重点工作会议培训", "10余次")]
    assert {("智能识别审核", "21800份"), ("行政执法标准化建设", "逐步达标"), ("按质按量完成各专项业务工作", "全年"),
            ("人员及公用经费支出", "2311.19万元"), ("提升全市医保经办服务效能", "明显提升"), ("期限", "长期"),
            ("服务对象满意度", ">80%")} <= read
    assert not [r for r in report.rejects if "fit no column" in r["reason"]]


def test_a_list_of_projects_is_one_sheet_per_project():
    """长春市信访局 2026 预算, 预算表11 项目支出绩效目标表 (p16 of the report), read by eye: one table lists four
    projects, each under merged 项目名称, 年度资金总额(万元) and 年度绩效目标 cells, with its four indicators
    (一级 | 二级 | 三级指标 | 指标解释 | 指标值 | 权重) beside them: 2026年信访专项经费 30.00, 2026年信访接待中心运行费
    116.00, 2026年驻京经费 312.00, 信访局临聘人员经费 16.56. The 驻京 project's: 驻京工作人员人数 <=18人 40,
    成本指标 经济成本指标 办公用房租赁成本 <=250万元 20, 信访事件化解率 >=100百分比 20, 临聘人员满意度 >=100分 10.
    Read as one sheet, every row failed its header's columns and went to rejects."""
    from conftest import parsed_report

    report = parsed_report("tests/fixtures/pdf", "jilin_changchun_petition_bureau_2026_budget_p16.pdf")
    assert [(p["project_name"], p["budget_initial"], p["funds_unit"]) for p in report.projects] == [
        ("2026年信访专项经费", Decimal("30.00"), "万元"), ("2026年信访接待中心运行费", Decimal("116.00"), "万元"),
        ("2026年驻京经费", Decimal("312.00"), "万元"), ("信访局临聘人员经费", Decimal("16.56"), "万元")]
    beijing = [i for i in report.indicators if i["project_id"] == report.projects[2]["project_id"]]
    assert [(i["indicator"], i["target_text"], i["weight"]) for i in beijing] == [
        ("驻京工作人员人数", "<=18人", Decimal("40")), ("办公用房租赁成本", "<=250万元", Decimal("20")),
        ("信访事件化解率", ">=100百分比", Decimal("20")), ("临聘人员满意度", ">=100分", Decimal("10"))]
    assert (beijing[1]["level1"], beijing[1]["level2"]) == ("成本指标", "经济成本指标")
    assert len(report.indicators) == 16 and not [r for r in report.rejects if r["stage"] == "performance"]


def test_a_level_cell_beside_a_level_cell_is_its_second_level():
    """Read by eye in the samples. sichuan_2024_final_account.txt line 661: `满意度指标 | 满意度指标 |
    服务对象满意度 | ≥ | 90 | % | ≥95 | 5 | 5`: 一级 and 二级 both 满意度指标, the indicator 服务对象满意度 (named like
    its 二级), 分值 5, 得分 5; it was read with no name. qiannan_2023_performance_evaluation.txt line 374:
    `成本 指标 | 时效指标 | 完成时间 | 2023年12月底 | 2023年12月底 | 10 | 10`: the 二级 printed beside it is
    时效指标; it was read as 成本指标, the cell on its left."""
    (sichuan,) = [i for i in parsed_sample("sichuan_2024_final_account.txt").indicators if i["source_line"] == 661]
    assert (sichuan["indicator"], sichuan["level1"], sichuan["level2"], sichuan["weight"], sichuan["score"]) == (
        "服务对象满意度", "满意度指标", "满意度指标", Decimal("5"), Decimal("5"))
    (qiannan,) = [i for i in parsed_sample("qiannan_2023_performance_evaluation.txt").indicators
                  if i["source_line"] == 374]
    assert (qiannan["indicator"], qiannan["level2"], qiannan["weight"], qiannan["score"]) == (
        "完成时间", "时效指标", Decimal("10"), Decimal("10"))
