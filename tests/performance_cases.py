"""Hand-verified expected values for the performance-sheet (绩效表) extraction.

Every value below was read by eye from the raw text files in data/raw/; no
parser output and no pipeline code was consulted.  Line numbers are 1-based.

Conventions
-----------
* A key that is absent means "not printed on the sheet" (or printed too garbled
  to be sure).  Use ``case.get(key)``; do not expect every dict to carry every key.
* Amounts are ``Decimal`` in the sheet's printed unit (``funds_unit``); rates are
  the printed percent number (``Decimal("67.62")`` for ``67.62%``).
* ``name_contains`` is a substring of the project name with spaces and table
  pipes removed.  Some names occur on two sheets of the same report (Guizhou
  prints 4 names twice, split by 实施单位); ``source_line`` disambiguates.
* Indicator names are cleaned: line wraps / ``<br>`` / cell splits joined and all
  spaces removed; punctuation and full-width brackets are kept as printed.
* ``target_op`` / ``actual_op``: ">=", "<=", "=", ">", "<" or "qualitative".
  Full-width ``＝`` is "=".  OCR'd operators (``>``, ``≽``, ``$\\geqslant$``,
  ``<b>&gt;</b>``, ``<b>/</b>``) are normalised to what the sheet means and the
  row's ``note`` says what was printed.  Where the actual is a bare number with
  no operator (Qinghai, Sichuan, Qiannan) ``actual_op`` is omitted.
* Qinghai and Sichuan print one shared 计量单位 column, so ``actual_unit`` is that
  column's unit.
* ``level1`` is the effective 一级指标 even where the cell is blank because it
  is a merged cell carried from another row; such rows say so in ``note``.
* ``weight`` / ``score`` are the 三级指标 分值(权重) / 得分; target-approval sheets
  (Guiyang) print neither.
"""
from decimal import Decimal

GZ = "guizhou_2024_final_account.txt"
GY = "guiyang_2025_budget.txt"
QH = "qinghai_2024_final_account.txt"
SC = "sichuan_2024_final_account.txt"
QN = "qiannan_2023_performance_evaluation.txt"


# ---------------------------------------------------------------------------
# Sheets per file.  Counted by hand: one sheet = one sheet title followed by
# its own 项目名称 (or 转移支付(项目)名称 / 部门(单位)名称) block.
# ---------------------------------------------------------------------------
SHEET_COUNTS: dict[str, int] = {
    # 20 × "项目支出绩效目标自评表", 项目名称 at lines 1604 … 3593.  Four names are
    # printed twice (医疗保障业务经费, 中央财政医疗服务与保障能力提升补助资金,
    # 四、公车改革补贴, 一、在职人员公用经费): same project, different 实施单位.
    GZ: 20,
    # 1 × 部门整体支出绩效目标批复表 (line 414) + 3 × 项目支出绩效目标批复表
    # (lines 440, 468, 494).  The sheet at 440 has an empty 项目名称 cell.
    GY: 4,
    # 7 × 项目支出绩效自评表, 项目名称 at lines 648, 680, 718, 751, 793, 835, 865
    # (5 titles carry "(2024年度)" on the title line, 2 print it on the next line).
    QH: 7,
    # 17 × 部门预算项目支出绩效自评表 + 1 × 单位预算项目支出绩效自评表 (line 751)
    # = 18 project sheets with codes (lines 456 … 924; NOT 19), plus
    # 2 × 专项预算项目绩效目标完成情况自评表 (lines 1090, 1284) and
    # 1 × 转移支付 绩效自评表 (line 1498).
    SC: 21,
    # 3 × 上级项目支出绩效自评表 (lines 3, 54, 104) + 12 × 州本级项目支出绩效目标自评表
    # + 1 × 州本级项目支出绩效自评表 (line 510, no "目标").
    QN: 16,
}


# ---------------------------------------------------------------------------
# Funds blocks.
# ---------------------------------------------------------------------------
PROJECTS: list[dict] = [
    # ------------------------------------------------------------ Guizhou (元)
    # Guizhou's 总分 row is the indicators only (weight 90); the funds block's
    # 10 points are NOT included in 总分.  Grade, when present, is only printed
    # inside the 自评结论 prose: 本项目绩效自评结果为“优”.
    dict(file=GZ, name_contains="财政对职工基本医疗保险基金的补助", sheet_kind="self_evaluation",
         funds_unit="元", budget_initial=Decimal("240278400"), budget_full_year=Decimal("240278400"),
         executed=Decimal("240278400"), execution_rate=Decimal("100.00"), funds_weight=Decimal("10"),
         funds_score=Decimal("10"), total_weight=Decimal("90"), total_score=Decimal("90"),
         source_line=1604, note="funds row line 1613; 总分 line 1676; no grade in the conclusion text"),
    dict(file=GZ, name_contains="医保基金监督管理经费", sheet_kind="self_evaluation",
         funds_unit="元", budget_initial=Decimal("285800"), budget_full_year=Decimal("285800"),
         executed=Decimal("193264.07"), execution_rate=Decimal("67.62"), funds_weight=Decimal("10"),
         funds_score=Decimal("6.76"), total_weight=Decimal("90"), total_score=Decimal("89.64"),
         grade="优", source_line=1691,
         note="funds line 1700; 总分 line 1782 (= indicator scores only); grade from 自评结论 prose"),
    dict(file=GZ, name_contains="离休人员及遗孀医疗补助资金", sheet_kind="self_evaluation",
         funds_unit="元", budget_initial=Decimal("20337000"), budget_full_year=Decimal("19320100"),
         executed=Decimal("9479400"), execution_rate=Decimal("49.06"), funds_weight=Decimal("10"),
         funds_score=Decimal("4.91"), total_weight=Decimal("90"), total_score=Decimal("89.49"),
         grade="优", source_line=1797, note="funds line 1806; 年初 ≠ 全年 budget"),
    dict(file=GZ, name_contains="中央财政医疗服务与保障能力提升补助资金", sheet_kind="self_evaluation",
         funds_unit="元", budget_initial=Decimal("35760000"), budget_full_year=Decimal("69641525.14"),
         executed=Decimal("32345759.59"), execution_rate=Decimal("46.45"), funds_weight=Decimal("10"),
         funds_score=Decimal("4.64"), total_weight=Decimal("90"), total_score=Decimal("81.35"),
         grade="良", source_line=2392,
         note="first of two sheets with this name (实施单位 贵州省医疗保障局本级); funds line 2401; "
              "money is all 上级补助, 本级安排 row is 0"),
    dict(file=GZ, name_contains="中央财政医疗服务与保障能力提升补助资金", sheet_kind="self_evaluation",
         funds_unit="元", budget_initial=Decimal("2090000"), budget_full_year=Decimal("3160800"),
         executed=Decimal("2317214.96"), execution_rate=Decimal("73.31"), funds_weight=Decimal("10"),
         funds_score=Decimal("7.33"), total_weight=Decimal("90"), total_score=Decimal("90"),
         source_line=2544,
         note="second sheet with this name (实施单位 贵州省卫生项目管理办公室); funds line 2553; no grade printed"),
    dict(file=GZ, name_contains="高层次人才津贴经费", sheet_kind="self_evaluation",
         funds_unit="元", budget_initial=Decimal("3600"), budget_full_year=Decimal("0"),
         executed=Decimal("0"), execution_rate=Decimal("0"), funds_weight=Decimal("10"),
         funds_score=Decimal("0"), total_weight=Decimal("90"), total_score=Decimal("0"),
         grade="差", source_line=2692, note="funds line 2701: `3600 0 0 10 0 0`; full-year budget cut to 0"),
    dict(file=GZ, name_contains="三、车辆公用经费", sheet_kind="self_evaluation",
         funds_unit="元", budget_initial=Decimal("64500"), budget_full_year=Decimal("64500"),
         executed=Decimal("46031.5"), execution_rate=Decimal("71.37"), funds_weight=Decimal("10"),
         funds_score=Decimal("7.14"), total_weight=Decimal("90"), total_score=Decimal("88.57"),
         grade="优", source_line=3417, note="funds line 3426; name keeps its `三、` list prefix"),

    # ------------------------------------------------------------ Guiyang (元)
    # Approval sheets print one amount, 资金总额 (the approved year-start budget);
    # it is recorded as budget_initial.  Nothing else of the funds block exists.
    dict(file=GY, name_contains="贵阳贵安城乡居民基本医疗保险第三方经办审核服务经费",
         sheet_kind="target_approval", funds_unit="元", budget_initial=Decimal("3109400.00"),
         source_line=472,
         note="amount printed `3, 109, 400. 00` (spaces inside the number) on line 475; "
              "header cell split `年度资 … (元):`; 项目 / 名称 split over two cells"),
    dict(file=GY, name_contains="人工智能的医保基金", sheet_kind="target_approval", funds_unit="元",
         budget_initial=Decimal("1500000.00"), source_line=497,
         note="OCR'd title row: `项目名称 主管部门及代码 … 历人工智能的医保基金区 2]贵阳市医疗保障局`; the full "
              "name (购买全病历人工智能的医保基金风险管理服务经费) is only in the prose (line 112); "
              "资金总额 1,500,000.00 on line 498"),
    # The parser leaves this project_name null (with a reject note) rather than guess it from the prose.
    # No unit is printed in the funds block; the sheet's own cost indicator states `≤4000000元`.
    dict(file=GY, name_contains=None, sheet_kind="target_approval", funds_unit="元",
         budget_initial=Decimal("4000000.00"), source_line=445,
         note="NAME NOT PRINTED: the 项目名称 cell (line 445) is empty; identified as 城乡医疗救助 from the "
              "table list (表14) and prose line 122 (金额 400 万元). 资金总额 4,000,000.00 on line 448"),

    # ------------------------------------------------------------ Qinghai (万元)
    # OCR'd markdown: amounts are often split over two cells (`354 | . 93`),
    # with a space after the decimal point (`354. 93`).  总分 includes funds (100).
    dict(file=QH, name_contains="医保业务能力提升", sheet_kind="self_evaluation", funds_unit="万元",
         budget_initial=Decimal("354.93"), budget_full_year=Decimal("354.93"), executed=Decimal("271.84"),
         execution_rate=Decimal("76.59"), funds_weight=Decimal("10.00"), funds_score=Decimal("5.00"),
         total_weight=Decimal("100"), total_score=Decimal("95.00"), source_line=648,
         note="funds line 654, cells split `354 | . 93`, `76. | 59`; unit header OCR'd to `资金<br>元)` "
              "(万元 per prose: 全年预算数为 354.93 万元)"),
    dict(file=QH, name_contains="医保制度", sheet_kind="self_evaluation", funds_unit="万元",
         budget_initial=Decimal("69.73"), budget_full_year=Decimal("69.73"), executed=Decimal("39.55"),
         execution_rate=Decimal("56.72"), funds_weight=Decimal("10.00"), funds_score=Decimal("0.00"),
         total_weight=Decimal("100"), total_score=Decimal("90.00"), source_line=680,
         note="name split over cells `医保制度 | 改革及政策 | 调研`; funds line 684; the prose (line 676) "
              "says 69.74 万元 but the sheet prints 69.73"),
    dict(file=QH, name_contains="药品耗材", sheet_kind="self_evaluation", funds_unit="万元",
         budget_initial=Decimal("42.68"), budget_full_year=Decimal("42.68"), executed=Decimal("13.61"),
         execution_rate=Decimal("31.89"), funds_weight=Decimal("10.00"), funds_score=Decimal("0.00"),
         total_weight=Decimal("100"), total_score=Decimal("90.00"), source_line=718,
         note="name split `药品耗材 | 招标采购管 | ·理`; funds line 721; unit header OCR'd `项目<br>(万`"),
    dict(file=QH, name_contains="医药管理", sheet_kind="self_evaluation", funds_unit="万元",
         budget_initial=Decimal("5.05"), budget_full_year=Decimal("5.05"), executed=Decimal("3.78"),
         execution_rate=Decimal("74.85"), funds_weight=Decimal("10.00"), funds_score=Decimal("5.00"),
         total_weight=Decimal("100"), total_score=Decimal("95.00"), source_line=751,
         note="name printed `医药管理组 | 经费` (OCR inserted 组; real name 医药管理经费); funds line 755"),
    dict(file=QH, name_contains="系统会议及", sheet_kind="self_evaluation", funds_unit="万元",
         budget_initial=Decimal("52.65"), budget_full_year=Decimal("52.65"), executed=Decimal("34.07"),
         execution_rate=Decimal("64.71"), funds_weight=Decimal("10.00"), funds_score=Decimal("5.00"),
         source_line=793,
         note="name printed `全省医保护 | 系统会议及 | 培训经费`; funds line 797; the 总分 row (line 823) "
              "is printed EMPTY, so no total weight/score (prose says 95)"),
    # The funds row is OCR-damaged (`3802 | 2. 93 | 377 | 1. 75 | 数分值执行率(%)得 | 7. 00`): the parser
    # rejects it rather than read the figures the helper could piece together by eye (3802.93, 3771.75, 7.00).
    dict(file=QH, name_contains="商保公司", sheet_kind="self_evaluation", funds_unit=None,
         budget_initial=None, budget_full_year=None, executed=None,
         funds_score=None, total_score=Decimal("94.11"), source_line=835,
         note="name printed `商保公司组 | 经办服务费`; funds line 839: weight and rate cells are garbage "
              "(`数 分值 执行率(%) 得`), score `7. 00`; the 99.18 on line 840 is the 财政拨款 row's rate. "
              "总分 row prints only 94.11 (no weight)"),
    dict(file=QH, name_contains="提升补助资金", sheet_kind="self_evaluation", funds_unit="万元",
         budget_initial=Decimal("2690.13"), budget_full_year=Decimal("3140.13"), executed=Decimal("2676.56"),
         execution_rate=Decimal("85.24"), funds_weight=Decimal("10.00"), funds_score=Decimal("7.00"),
         source_line=865,
         note="name split `医疗服务- | 与保障能力 | 提升补助资金(医疗体 | 呆障服务能 | (力提升)`; funds line 869; "
              "line 872 repeats the funds block as one garbled cell; the indicator table ends without a 总分 row"),

    # ------------------------------------------------------------ Sichuan (万元)
    # 总分 (合计) includes the 10-point 预算执行情况 block.
    dict(file=SC, name_contains="继续实施项目-医疗服务与保障能力提升", sheet_kind="self_evaluation",
         funds_unit="万元", project_code="51000021T000000011590", budget_initial=Decimal("3057.85"),
         budget_full_year=Decimal("2734.06"), executed=Decimal("2403.80"), execution_rate=Decimal("87.92"),
         funds_weight=Decimal("10"), funds_score=Decimal("8.79"), total_weight=Decimal("100"),
         total_score=Decimal("98.79"), source_line=458,
         note="funds line 464 (amounts with thousands commas `3,057.85`); 合计 line 487"),
    dict(file=SC, name_contains="一网通办", sheet_kind="self_evaluation", funds_unit="万元",
         project_code="51000023T000008502745", budget_initial=Decimal("104.30"),
         budget_full_year=Decimal("104.30"), executed=Decimal("104.30"), execution_rate=Decimal("100.00"),
         funds_weight=Decimal("10"), funds_score=Decimal("10"), total_weight=Decimal("100"),
         total_score=Decimal("100"), source_line=495,
         note="name contains curly quotes “统模式” / “一网通办”; funds line 501 has an empty cell before the rate"),
    dict(file=SC, name_contains="全省医保指挥监控中心和运维中心建设项目", sheet_kind="self_evaluation",
         funds_unit="万元", project_code="51000024T000010276277", budget_initial=Decimal("150.15"),
         budget_full_year=Decimal("146.11"), executed=Decimal("146.11"), execution_rate=Decimal("100.00"),
         funds_weight=Decimal("10"), funds_score=Decimal("10"), total_weight=Decimal("100"),
         total_score=Decimal("100"), source_line=548,
         note="funds line 554; indicator scores as printed sum to 100 (one score 30 > weight 20) yet 合计 is 100"),
    dict(file=SC, name_contains="省本级DRG点数付费服务运维", sheet_kind="self_evaluation", funds_unit="万元",
         project_code="51000024T000010969474", budget_initial=Decimal("56.00"),
         budget_full_year=Decimal("55.32"), executed=Decimal("27.66"), execution_rate=Decimal("50.00"),
         funds_weight=Decimal("10"), funds_score=Decimal("5"), total_weight=Decimal("100"),
         total_score=Decimal("95"), source_line=753,
         note="the only 单位预算 (not 部门预算) sheet; name printed `省本级 DRG 点数付费服务运维`; funds line 759; "
              "单位资金 and 其他资金 rows merged into one line (762)"),
    dict(file=SC, name_contains="蜀运大厦综合维修改造项目", sheet_kind="self_evaluation", funds_unit="万元",
         project_code="51000025T000012989714", budget_initial=Decimal("0.00"),
         budget_full_year=Decimal("29.00"), executed=Decimal("20.19"), execution_rate=Decimal("69.62"),
         funds_weight=Decimal("10"), funds_score=Decimal("7"), total_weight=Decimal("100"),
         total_score=Decimal("37"), source_line=777, note="年初预算 0 (budget added at year end); funds line 783"),
    dict(file=SC, name_contains="蜀运大厦13楼办公场地维修改造工程项目", sheet_kind="self_evaluation",
         funds_unit="万元", project_code="51000025T000012988380", budget_initial=Decimal("0.00"),
         budget_full_year=Decimal("93.00"), executed=Decimal("28.36"), execution_rate=Decimal("30.50"),
         funds_weight=Decimal("10"), funds_score=Decimal("3"), total_weight=Decimal("100"),
         total_score=Decimal("3"), source_line=876,
         note="name printed `蜀运大厦 13 楼…`; funds line 882 has NO empty spacer cell before the rate, unlike "
              "the other Sichuan sheets (rate is the 4th figure, not after a blank)"),
    dict(file=SC, name_contains="城乡居民基本医疗保险补助资金", sheet_kind="self_evaluation", funds_unit="万元",
         budget_full_year=Decimal("3731171.58"), source_line=1092,
         note="专项预算项目绩效目标完成情况自评表: no project code, one amount `3731171.58 万元` (unit inside the "
              "cell) on line 1102, recorded as the year's budget; no execution, no scores"),
    dict(file=SC, name_contains="医疗服务与保障能力提升转移支付补助资金", sheet_kind="self_evaluation",
         funds_unit="万元", budget_full_year=Decimal("24158.65"), executed=Decimal("17689.04"),
         execution_rate=Decimal("73.22"), source_line=1500,
         note="转移支付 sheet: the name row is `转移支付 (项目) 名称`; funds line 1504 has only 全年预算数(A) / "
              "全年执行数(B) / 执行率; no weights or scores anywhere on the sheet. Prose line 1515 says 17689.24"),

    # ------------------------------------------------------------ Qiannan (万元)
    # 总分 includes funds (100).  Grade printed in 绩效结论 / 自评结论 (`优`).
    dict(file=QN, name_contains="医疗服务与保障能力提升补助资金", sheet_kind="self_evaluation", funds_unit="万元",
         budget_initial=Decimal("228"), budget_full_year=Decimal("228"), executed=Decimal("181.82"),
         execution_rate=Decimal("79.74"), funds_weight=Decimal("10"), funds_score=Decimal("8"),
         total_weight=Decimal("100"), total_score=Decimal("98"), grade="优", source_line=11,
         note="上级 sheet; funds line 14, weight printed `10分`; the name is also a prefix of the "
              "(上年结转) sheet at line 62 — disambiguate by source_line"),
    dict(file=QN, name_contains="医疗服务与保障能力提升补助资金(上年结转)", sheet_kind="self_evaluation",
         funds_unit="万元", budget_initial=Decimal("45.44"), budget_full_year=Decimal("45.44"),
         executed=Decimal("45.44"), execution_rate=Decimal("100"), funds_weight=Decimal("10"),
         funds_score=Decimal("10"), total_weight=Decimal("100"), total_score=Decimal("100"), grade="优",
         source_line=62, note="funds line 65; funds block shifted one cell right (two leading empty cells)"),
    dict(file=QN, name_contains="特殊困难群体参加城乡居民基本医疗保险资助", sheet_kind="self_evaluation",
         funds_unit="万元", budget_initial=Decimal("1320"), budget_full_year=Decimal("1320"),
         executed=Decimal("1282.91"), execution_rate=Decimal("97.19"), funds_weight=Decimal("10"),
         funds_score=Decimal("9.72"), total_weight=Decimal("100"), total_score=Decimal("99.7"), grade="优",
         source_line=154, note="funds line 157; 总分 99.7 is 90 + 9.72 rounded to one decimal"),
    dict(file=QN, name_contains="乡镇经办医保专线网络使用费", sheet_kind="self_evaluation", funds_unit="万元",
         budget_initial=Decimal("13.06"), budget_full_year=Decimal("11.1"), executed=Decimal("0"),
         execution_rate=Decimal("0"), funds_weight=Decimal("0"), funds_score=Decimal("0"),
         total_weight=Decimal("100"), total_score=Decimal("90"), grade="优", source_line=287,
         note="funds line 290 prints the funds WEIGHT as 0 (not 10) although 总分 is 100; indicator weights sum to 90"),
    dict(file=QN, name_contains="建国初期老干人员医疗补助经费", sheet_kind="self_evaluation", funds_unit="万元",
         budget_initial=Decimal("49.2"), budget_full_year=Decimal("49.2"), executed=Decimal("42"),
         execution_rate=Decimal("85.37"), funds_weight=Decimal("10"), funds_score=Decimal("8.54"),
         total_weight=Decimal("100"), total_score=Decimal("98.5"), grade="优", source_line=393,
         note="funds line 396"),
    dict(file=QN, name_contains="医疗保障综合事务相关工作经费", sheet_kind="self_evaluation", funds_unit="万元",
         budget_initial=Decimal("23.11"), budget_full_year=Decimal("23.11"), executed=Decimal("23.11"),
         execution_rate=Decimal("100"), funds_weight=Decimal("10"), funds_score=Decimal("10"),
         total_weight=Decimal("100"), total_score=Decimal("100"), grade="优", source_line=486,
         note="header prints `项目资金 (元)` but the figures are 万元 (cost indicator line 502: ≤23.11万元); "
              "funds line 489 is shifted three cells right"),
    dict(file=QN, name_contains="医疗救助资金第三方审计业务费用", sheet_kind="self_evaluation", funds_unit="万元",
         budget_initial=Decimal("25.5"), budget_full_year=Decimal("25.5"), executed=Decimal("10.2"),
         execution_rate=Decimal("40"), funds_weight=Decimal("10"), funds_score=Decimal("4"),
         total_weight=Decimal("100"), total_score=Decimal("94"), grade="优", source_line=518,
         note="title is 州本级项目支出绩效自评表 (no 目标); funds line 521, weight `10分`"),
]


# ---------------------------------------------------------------------------
# 三级指标 rows.
# ---------------------------------------------------------------------------
INDICATORS: list[dict] = [
    # ------------------------------------------------------------ Guizhou
    # Space-separated layout: 一级/二级 labels are printed once per block and are
    # blank (merged) on the following rows; actuals carry their own operator.
    dict(file=GZ, name_contains="财政对职工基本医疗保险基金的补助", indicator="省级医保单位参保缴费人数（含在职、退休）",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op=">=", target_value=13.73, target_unit="万人", actual_op=">=", actual_value=14.52,
         actual_unit="万人", weight=Decimal("15"), score=Decimal("15"), source_line=1654,
         note="wrapped name (lines 1651-1652); figures alone on line 1654"),
    dict(file=GZ, name_contains="财政对职工基本医疗保险基金的补助", indicator="职工参保率",
         level1="产出指标", level1_key="output", level2_key="quality",
         target_op=">=", target_value=95.0, target_unit="%", actual_op=">=", actual_value=95.0, actual_unit="%",
         weight=Decimal("15"), score=Decimal("15"), source_line=1656),
    dict(file=GZ, name_contains="财政对职工基本医疗保险基金的补助", indicator="时效指标",
         level1="产出指标", level1_key="output", level2_key="timeliness",
         target_op="qualitative", target_value=None, target_unit=None,
         actual_op="qualitative", actual_value=None, actual_unit=None,
         weight=Decimal("10"), score=Decimal("10"), source_line=1658,
         note="qualitative date target `2024年12月31日`, actual `达成年度指标`; the 三级指标 cell literally "
              "repeats the 二级 label 时效指标"),
    dict(file=GZ, name_contains="财政对职工基本医疗保险基金的补助", indicator="享受待遇覆盖率",
         level1="效益指标", level1_key="benefit", level2_key="social_benefit",
         target_op="=", target_value=100.0, target_unit="%", actual_op="=", actual_value=100.0, actual_unit="%",
         weight=Decimal("30"), score=Decimal("30"), source_line=1667, note="full-width ＝ operator"),
    dict(file=GZ, name_contains="医保基金监督管理经费", indicator="省本级定点医药机构监督检查",
         level1="产出指标", level1_key="output", level2_key="quality",
         target_op=">=", target_value=500.0, target_unit="家", actual_op=">=", actual_value=497.0, actual_unit="家",
         weight=Decimal("7"), score=Decimal("6.96"), shortfall_reason_starts="因国家局部署开展", source_line=1747,
         note="wrapped name (`…监督检` / `查`, lines 1744-1745); decimal score glued to reason: `7 6.96因国家局…`"),
    dict(file=GZ, name_contains="医保基金监督管理经费", indicator="飞行检查机构数",
         level1="产出指标", level1_key="output", level2_key="quality",
         target_op=">=", target_value=27.0, target_unit="家", actual_op=">=", actual_value=60.0, actual_unit="家",
         weight=Decimal("7"), score=Decimal("7"), shortfall_reason_starts="2024年省级飞行检查", source_line=1749,
         note="score glued to reason: `7 72024年省级飞行检查…` = weight 7, score 7, reason `2024年…`; "
              "一级/二级 cells blank on this row (merged, carried from 产出指标 / 质量指标 at 1731/1742)"),
    dict(file=GZ, name_contains="医保基金监督管理经费", indicator="项目或定额成本控制率",
         level1="产出指标", level1_key="output", level2_key="cost",
         target_op="=", target_value=100.0, target_unit="%", actual_op="=", actual_value=67.62, actual_unit="%",
         weight=Decimal("1"), score=Decimal("0.68"), shortfall_reason_starts="因2024年举报投诉", source_line=1754,
         note="score 0.68 glued to reason"),
    dict(file=GZ, name_contains="医保基金监督管理经费", indicator="医疗保障基金更加安全运行",
         level1="效益指标", level1_key="benefit", level2_key="sustainability",
         target_op="qualitative", target_value=None, target_unit=None,
         actual_op="qualitative", actual_value=None, actual_unit=None, source_line=1773,
         note="target `成效显著`, actual `达成年度指标`; NO weight and NO score printed (the 效益 block's "
              "30 points are already used by the two 社会效益 rows); 二级 可持续影响指标 wraps (1770-1771)"),
    dict(file=GZ, name_contains="离休人员及遗孀医疗补助资金", indicator="保障省属国有困难企业离休人员人数",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op="<=", target_value=185.0, target_unit="人", actual_op="<=", actual_value=135.0, actual_unit="人",
         weight=Decimal("10"), score=Decimal("10"), source_line=1839, note="wrapped name (lines 1836-1837)"),
    dict(file=GZ, name_contains="离休人员及遗孀医疗补助资金",
         indicator="尽量将离休人员及无工作遗孀医疗补助控制在预算范围内",
         level1="产出指标", level1_key="output", level2_key="cost",
         target_op="<=", target_value=2033.7, target_unit="万元", actual_op="<=", actual_value=947.94,
         actual_unit="万元", weight=Decimal("9"), score=Decimal("9"), shortfall_reason_starts="由于离休人员医保政策",
         source_line=1859,
         note="name glued to target (`…预算范围内≤2033.7万元`) and score glued to reason (`9 9由于…`); "
              "二级 blank (merged, carried from 成本指标 at 1856)"),
    dict(file=GZ, name_contains="离休人员及遗孀医疗补助资金", indicator="保障离休人员医疗待遇",
         level1="效益指标", level1_key="benefit", level2_key="social_benefit",
         target_op="qualitative", target_value=None, target_unit=None,
         actual_op="qualitative", actual_value=None, actual_unit=None,
         weight=Decimal("30"), score=Decimal("30"), source_line=1866,
         note="qualitative target `有效保障`, actual `达成年度指标`"),
    dict(file=GZ, name_contains="药品、医用耗材集中采购", indicator="完成目录制定相关课题时间",
         level1="产出指标", level1_key="output", level2_key="timeliness",
         target_op="qualitative", target_value=None, target_unit=None,
         actual_op="qualitative", actual_value=None, actual_unit=None,
         weight=Decimal("2"), score=Decimal("0"), shortfall_reason_starts="国家局相关文件下发", source_line=1965,
         note="target, actual and weight glued: `2024年12月31日前未达成年度指标且效果较差2 0国家局…` = "
              "target `2024年12月31日前`, actual `未达成年度指标且效果较差`, weight 2, score 0 "
              "(sheet weights only sum to 50 with weight 2); 二级 carried from 时效指标 (1962)"),
    dict(file=GZ, name_contains="药品、医用耗材集中采购", indicator="降低药品、医用耗材价格虚高",
         level1="效益指标", level1_key="benefit", level2_key="sustainability",
         target_op="qualitative", target_value=None, target_unit=None,
         actual_op="qualitative", actual_value=None, actual_unit=None,
         weight=Decimal("6"), score=Decimal("6"), source_line=1991,
         note="wrapped name (lines 1988-1989, last line is the single char `高`); target `成效显著`"),
    dict(file=GZ, name_contains="中央财政医疗服务与保障能力提升补助资金",
         indicator="9个市州定点医药机构的抽查（含飞行检查、交叉检查）",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op=">=", target_value=27.0, target_unit="家", actual_op=">=", actual_value=60.0, actual_unit="家",
         weight=Decimal("3"), score=Decimal("3"), shortfall_reason_starts="2024年省级飞行检查", source_line=2478,
         note="sheet at line 2392 (name printed twice in this file); name glued to target `…交叉检查）≥27家`, "
              "score glued to reason `3 32024年…`"),
    dict(file=GZ, name_contains="高层次人才津贴经费", indicator="拨付高层次人才津贴人次",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op="=", target_value=1.0, target_unit="人次", actual_op="=", actual_value=0.0, actual_unit="人次",
         weight=Decimal("10"), score=Decimal("0"), shortfall_reason_starts="我单位高层次人员6月", source_line=2733,
         note="score 0 glued to reason; 二级 label 数量指标 on the same line"),
    dict(file=GZ, name_contains="政务信息系统运维", indicator="系统故障修复处理时间",
         level1="产出指标", level1_key="output", level2_key="timeliness",
         target_op="<=", target_value=2.0, target_unit="小时", actual_op="<=", actual_value=0.5, actual_unit="小时",
         weight=Decimal("10"), score=Decimal("10"), source_line=2889,
         note="二级 label 时效指标 alone on the line before (2888)"),
    dict(file=GZ, name_contains="政务信息系统运维", indicator="节约会议、差旅费用",
         level1="效益指标", level1_key="benefit", level2_key="economic_benefit",
         target_op="qualitative", target_value=None, target_unit=None,
         actual_op="qualitative", actual_value=None, actual_unit=None,
         weight=Decimal("5"), score=Decimal("5"), source_line=2901, note="target `有效`, actual `达成年度指标`"),
    dict(file=GZ, name_contains="12393医疗保障热线服务经费", indicator="累计服务量",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op=">=", target_value=60.0, target_unit="万通", actual_op=">=", actual_value=116.19,
         actual_unit="万通", weight=Decimal("10"), score=Decimal("10"),
         shortfall_reason_starts="随着热线知晓度及服务能力", source_line=2987,
         note="a reason is printed although the score is full (over-achievement explained)"),
    dict(file=GZ, name_contains="12393医疗保障热线服务经费", indicator="参保市民每年通过12393进行业务咨询和业务办理量",
         level1="效益指标", level1_key="benefit", level2_key="social_benefit",
         target_op=">=", target_value=15.0, target_unit="万人次", actual_op=">=", actual_value=39.77,
         actual_unit="万人次", weight=Decimal("20"), score=Decimal("20"),
         shortfall_reason_starts="随着热线知晓度", source_line=3015, note="wrapped name (lines 3012-3013)"),

    # ------------------------------------------------------------ Guiyang
    # Target-only approval sheets: no actual, weight or score columns.
    dict(file=GY, name_contains="贵阳贵安城乡居民基本医疗保险第三方经办审核服务经费", indicator="审核完成达标率",
         level1="产出指标", level1_key="output", level2_key="quality",
         target_op="=", target_value=100.0, target_unit="%", source_line=485,
         note="target-only; 一级 blank (merged, 产出指标 printed once at 482); 二级 label split over two rows "
              "(`质量指` on 485, `标` on 486)"),
    dict(file=GY, name_contains="贵阳贵安城乡居民基本医疗保险第三方经办审核服务经费", indicator="审核完成时间",
         level1="产出指标", level1_key="output", level2_key="timeliness",
         target_op="<=", target_value=15.0, target_unit="日", source_line=487,
         note="target-only; 二级 printed `时效指` here and `标` on 488; first cell of 488 is page debris `7/11`"),
    dict(file=GY, name_contains="贵阳贵安城乡居民基本医疗保险第三方经办审核服务经费", indicator="委托第三方审核总费用",
         level1="产出指标", level1_key="output", level2_key="cost",
         target_op="<=", target_value=310.94, target_unit="万元", source_line=490,
         note="target-only; 二级 split `成本指` (489) / `标` (490)"),
    dict(file=GY, name_contains="贵阳贵安城乡居民基本医疗保险第三方经办审核服务经费", indicator="参保居民人均受益率",
         level1="效益指标", level1_key="benefit", level2_key="social_benefit",
         target_op=">=", target_value=2.0, target_unit="次", source_line=491,
         note="target-only; 二级 printed `社会效 益指标`"),
    dict(file=GY, name_contains="贵阳贵安城乡居民基本医疗保险第三方经办审核服务经费", indicator="参保居民满意度",
         level1="满意度指标", level1_key="satisfaction", level2_key="satisfaction",
         target_op=">=", target_value=90.0, target_unit="%", source_line=492, note="target-only"),
    dict(file=GY, name_contains="人工智能的医保基金", indicator="定点医疗机构DIP住院全病历接入数量",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op=">=", target_value=36.0, target_unit="家", source_line=504,
         note="target-only; name printed with a wrap space `…DIP住院全 病历接入数量`; 一级 cell blank — the merged "
              "产出指标 label is printed further DOWN, on line 507"),
    dict(file=GY, name_contains="人工智能的医保基金", indicator="开展贵阳市DIP病种模型研发数量",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op=">=", target_value=800.0, target_unit="种", source_line=506,
         note="target-only; 一级 and 二级 both blank (merged)"),
    dict(file=GY, name_contains="人工智能的医保基金", indicator="贵阳市定点医疗机构DIP支付全病历审核覆盖率",
         level1="产出指标", level1_key="output", level2_key="quality",
         target_op=">=", target_value=95.0, target_unit="%", source_line=507, note="target-only"),
    dict(file=GY, name_contains="人工智能的医保基金", indicator="系统全病历审核工作开展及时率",
         level1="产出指标", level1_key="output", level2_key="timeliness",
         target_op="qualitative", target_value=None, target_unit=None, source_line=509,
         note="target-only, qualitative target `及时`; first cell holds the vertical label `绩 效 指 标`, 一级 blank"),
    dict(file=GY, name_contains="人工智能的医保基金", indicator="项目成本控制金额",
         level1="产出指标", level1_key="output", level2_key="cost",
         target_op="<=", target_value=1500000.0, target_unit="元", source_line=512,
         note="target-only; 二级 blank (merged, 成本指标 printed on 511)"),
    dict(file=GY, name_contains="人工智能的医保基金", indicator="促进医疗保障基金稳定运行",
         level1="效益指标", level1_key="benefit", level2_key="social_benefit",
         target_op="qualitative", target_value=None, target_unit=None, source_line=515,
         note="target-only, qualitative `有效促进`; name wraps `…稳定运 行`"),
    dict(file=GY, name_contains="人工智能的医保基金", indicator="完善医保基金全流程监管体系",
         level1="效益指标", level1_key="benefit", level2_key="sustainability",
         target_op="qualitative", target_value=None, target_unit=None, source_line=516,
         note="target-only, qualitative `建立健全`; 一级 blank (merged, carried from 效益指标 on 515); "
              "二级 printed `可持续 影响指 标`"),

    # ------------------------------------------------------------ Qinghai
    # Columns: 一级 | 二级 | 三级 | 指标性质(正向/反向) | 指标方向(operator) | 指标值 | 完成值 | 计量单位 | 分值 | 得分.
    dict(file=QH, name_contains="医保业务能力提升", indicator="场地租赁成本",
         level1="成本指标", level1_key="cost", level2_key="economic_cost", direction="positive",
         target_op="<=", target_value=500.0, target_unit="元/平米", actual_value=500.0, actual_unit="元/平米",
         weight=Decimal("5"), score=Decimal("5.00"), source_line=661,
         note="OCR'd operator printed as LaTeX `$\\leqslant$`; 正向 although the operator is ≤; "
              "成本指标 is a top-level 一级指标 on this sheet"),
    dict(file=QH, name_contains="医保业务能力提升", indicator="举办宣传活动次数",
         level1="产出指标", level1_key="output", level2_key="quantity", direction="positive",
         target_op=">=", target_value=2.0, target_unit="次", actual_value=2.0, actual_unit="次",
         weight=Decimal("10"), score=Decimal("10.00"), source_line=663,
         note="OCR'd operator `$\\geqslant$`; 一级 cell blank here — merged 产出指标 label printed on the next row"),
    dict(file=QH, name_contains="医保业务能力提升", indicator="编印并发放宣传资料数量",
         level1="产出指标", level1_key="output", level2_key="quantity", direction="positive",
         target_op=">=", target_value=15000.0, target_unit="册", actual_value=15500.0, actual_unit="册",
         weight=Decimal("10"), score=Decimal("10.00"), source_line=664,
         note="OCR'd operator printed `<b>&gt;</b>` (≥); 二级 blank (merged, carried from 数量指标 on 663)"),
    dict(file=QH, name_contains="医保业务能力提升", indicator="服务社会能力",
         level1="效益指标", level1_key="benefit", level2_key="sustainability", direction="positive",
         target_op="qualitative", target_value=None, target_unit=None,
         actual_op="qualitative", actual_value=None, actual_unit=None,
         weight=Decimal("20"), score=Decimal("20"), source_line=669,
         note="qualitative: 指标方向 `定性`, target `优良中低 差`, actual `优`; the table is split at line 668, "
              "so this row sits in a new markdown table with one column fewer and 一级 效益指标 is carried over the split"),
    dict(file=QH, name_contains="医保制度", indicator="上报意见、建议数量",
         level1="产出指标", level1_key="output", level2_key="quantity", direction="positive",
         target_op=">=", target_value=2.0, target_unit="条", actual_value=2.0, actual_unit="条",
         weight=Decimal("10"), score=Decimal("10"), source_line=694,
         note="operator printed `>`: actual 2 = target 2 with full score, so it is ≥; 一级 label printed on 696"),
    dict(file=QH, name_contains="医保制度", indicator="形成医保改革及政策研究调研报告",
         level1="产出指标", level1_key="output", level2_key="quantity", direction="positive",
         target_op=">=", target_value=5.0, target_unit="篇", actual_value=5.0, actual_unit="篇",
         weight=Decimal("10"), score=Decimal("10"), source_line=696,
         note="operator printed `≽`; name printed `形成医保 改革及政 策研究调 研报告`; 二级 blank (carried)"),
    dict(file=QH, name_contains="医保制度", indicator="为制定政策提供充分依据",
         level1="效益指标", level1_key="benefit", level2_key="social_benefit", direction="positive",
         target_op="qualitative", target_value=None, target_unit=None,
         actual_op="qualitative", actual_value=None, actual_unit=None,
         weight=Decimal("20"), score=Decimal("20"), source_line=704,
         note="定性, target `优良中<br>差`, actual `优`; first cell holds OCR debris `3`"),
    dict(file=QH, name_contains="药品耗材", indicator="中标药品、医用耗材平均降幅",
         level1="产出指标", level1_key="output", level2_key="quality", direction="negative",
         target_op="<=", target_value=10.0, target_unit="%", actual_value=10.0, actual_unit="%",
         weight=Decimal("5"), score=Decimal("5"), source_line=733,
         note="反向 (negative) indicator, operator `$\\leqslant$`; first row of a new table after the blank "
              "line 732, 一级/二级 blank (carried from 产出指标 / 质量指标)"),
    dict(file=QH, name_contains="药品耗材", indicator="受理新增医疗服务项目工作及时率",
         level1="产出指标", level1_key="output", level2_key="timeliness", direction="positive",
         target_op=">=", target_value=90.0, target_unit="%", actual_value=90.0, actual_unit="%",
         weight=Decimal("10"), score=Decimal("10"), source_line=736,
         note="OCR'd operator printed `<b>/</b> /` (≥)"),
    dict(file=QH, name_contains="药品耗材", indicator="满足患者的就医需求",
         level1="效益指标", level1_key="benefit", level2_key="social_benefit", direction="positive",
         target_op="qualitative", target_value=None, target_unit=None,
         actual_op="qualitative", actual_value=None, actual_unit=None,
         weight=Decimal("10"), score=Decimal("10"), source_line=738,
         note="定性, target `优良差`, actual `优`, and the 计量单位 column also prints `优良差`; 一级/二级 blank "
              "here, merged labels 效益指标 / 社会效益 printed on the next row (739)"),
    dict(file=QH, name_contains="医药管理", indicator="召开医保准入评审会次数",
         level1="产出指标", level1_key="output", level2_key="quantity", direction="positive",
         target_op=">=", target_value=1.0, target_unit="次", actual_value=1.0, actual_unit="次",
         weight=Decimal("10"), score=Decimal("10"), source_line=767,
         note="operator `≽`; 一级/二级 blank, labels printed on 769/770 (and 770's 二级 is OCR'd `出指标`)"),
    dict(file=QH, name_contains="医药管理", indicator="定点医药机构为参保人员提供的服务质量",
         level1="效益指标", level1_key="benefit", level2_key="sustainability", direction="positive",
         target_op="qualitative", target_value=None, target_unit=None,
         actual_op="qualitative", actual_value=None, actual_unit=None,
         weight=Decimal("10"), score=Decimal("10"), source_line=780,
         note="定性, target and actual `显著提升`"),
    dict(file=QH, name_contains="商保公司", indicator="居民参保人数",
         level1="产出指标", level1_key="output", level2_key="quantity", direction="positive",
         target_op=">=", target_value=450.0, target_unit="万人", actual_value=424.0, actual_unit="万人",
         weight=Decimal("20"), score=Decimal("17.11"), shortfall_reason_starts="由于职工", source_line=846,
         note="operator `≽`; score printed `17. 11`; reason OCR-garbled and space-broken "
              "(`由于职工 医保参增 加,致参保 …`)"),
    dict(file=QH, name_contains="商保公司", indicator="医疗费用及时结算率",
         level1="产出指标", level1_key="output", level2_key="timeliness", direction="positive",
         target_op=">=", target_value=90.0, target_unit="%", actual_value=90.0, actual_unit="%",
         weight=Decimal("10"), score=Decimal("10.00"), source_line=852,
         note="operator `≽`; score `10. 00`; 一级 blank (carried)"),
    dict(file=QH, name_contains="提升补助资金", indicator="开展定点医疗机构专项检查次数",
         level1="产出指标", level1_key="output", level2_key="quantity", direction="positive",
         target_op=">=", target_value=5.0, target_unit="次", actual_value=5.0, actual_unit="次",
         weight=Decimal("5"), score=Decimal("5"), source_line=880,
         note="operator `≽`; 一级/二级 blank, merged labels printed on 883"),
    dict(file=QH, name_contains="提升补助资金", indicator="开展业务培训班次数",
         level1="产出指标", level1_key="output", level2_key="quantity", direction="positive",
         target_op=">=", target_value=2.0, target_unit="次", actual_value=2.0, actual_unit="次",
         weight=Decimal("5"), score=Decimal("5"), source_line=881, note="operator `$\\geqslant$`"),

    # ------------------------------------------------------------ Sichuan
    # Columns: 一级 | 二级 | 三级 | 指标性质 (holds the OPERATOR or 定性) | 指标值 |
    # 度量单位 | 完成值 | 权重 | 得分 | 未完成原因.  No 正向/反向 column.
    dict(file=SC, name_contains="继续实施项目-医疗服务与保障能力提升", indicator="完成验收的项目数",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op=">=", target_value=15.0, target_unit="个(套)", actual_value=15.0, actual_unit="个(套)",
         weight=Decimal("5"), score=Decimal("5"), source_line=470,
         note="operator sits in the 指标性质 column"),
    dict(file=SC, name_contains="继续实施项目-医疗服务与保障能力提升", indicator="全省医保码激活人数",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op=">=", target_value=5000.0, target_unit="万人次", actual_value=6300.0, actual_unit="万人次",
         weight=Decimal("10"), score=Decimal("10"), source_line=474, note="一级/二级 blank (merged)"),
    dict(file=SC, name_contains="继续实施项目-医疗服务与保障能力提升", indicator="业务子系统验收合格率",
         level1="产出指标", level1_key="output", level2_key="quality",
         target_op=">=", target_value=90.0, target_unit="%", actual_value=100.0, actual_unit="%",
         weight=Decimal("5"), score=Decimal("5"), source_line=476,
         note="after the blank line 475 the rows are shifted one cell left: 质量指标 sits in the 一级 column; "
              "一级 产出指标 carried"),
    dict(file=SC, name_contains="继续实施项目-医疗服务与保障能力提升", indicator="医保信息系统一般故障响应时间",
         level1="产出指标", level1_key="output", level2_key="timeliness",
         target_op="<=", target_value=60.0, target_unit="分钟", actual_value=5.18, actual_unit="分钟",
         weight=Decimal("5"), score=Decimal("5"), source_line=480, note="shifted row; 二级 carried from 479"),
    dict(file=SC, name_contains="继续实施项目-医疗服务与保障能力提升", indicator="提升医保标准化信息化水平",
         level1="效益指标", level1_key="benefit", level2_key="economic_benefit",
         target_op="qualitative", target_value=None, target_unit=None,
         actual_op="qualitative", actual_value=None, actual_unit=None,
         weight=Decimal("10"), score=Decimal("10"), source_line=481,
         note="指标性质 `定性`, target and actual `明显提高`, unit cell empty"),
    dict(file=SC, name_contains="继续实施项目-医疗服务与保障能力提升", indicator="系统安全服务的人力成本每人每月",
         level1="成本指标", level1_key="cost", level2_key="economic_cost",
         target_op="<=", target_value=1.8, target_unit="万元", actual_value=1.23, actual_unit="万元",
         weight=Decimal("5"), score=Decimal("5"), source_line=486,
         note="成本指标 block printed AFTER 满意度指标"),
    dict(file=SC, name_contains="全省医保指挥监控中心和运维中心建设项目", indicator="LED屏幕",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op="=", target_value=30.0, target_unit="平米", actual_value=30.0, actual_unit="平米",
         weight=Decimal("20"), score=Decimal("30"), source_line=561,
         note="score 30 exceeds weight 20 as printed (misprint; 合计 still 100); name printed `LED 屏幕`"),
    dict(file=SC, name_contains="全省医保经办机构练兵比武", indicator="参加练兵比武人数",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op=">=", target_value=15000.0, target_unit="人", actual_op=">=", actual_value=15000.0,
         actual_unit="人", weight=Decimal("10"), score=Decimal("10"), source_line=585,
         note="actual printed with its own operator `≥ 15000`"),
    dict(file=SC, name_contains="全省医保经办机构练兵比武", indicator="完成答题系统建设",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op="=", target_value=1.0, target_unit="套", actual_value=0.0, actual_unit="套",
         weight=Decimal("10"), score=Decimal("10"), shortfall_reason_starts="答题系统是省级练兵比武", source_line=587,
         note="actual 0 but full score (indicator 'deleted', see reason); row shifted one cell left, "
              "二级 数量指标 carried"),
    dict(file=SC, name_contains="医疗保障基金监管工作", indicator="完成时间",
         level1="产出指标", level1_key="output", level2_key="timeliness",
         target_op="qualitative", target_value=None, target_unit=None,
         actual_op="qualitative", actual_value=None, actual_unit=None,
         weight=Decimal("5"), score=Decimal("5"), source_line=534,
         note="qualitative date `2024年12月20日之前` (target and actual); row shifted: 时效指标 in the 一级 column, "
              "一级 产出指标 carried; project code 51000023Y000008183025 (a `Y` code)"),
    dict(file=SC, name_contains="医疗保障基金监管工作", indicator="购买人员辅助现场检查单日服务费",
         level1="成本指标", level1_key="cost", level2_key="economic_cost",
         target_op="<=", target_value=1100.0, target_unit="元", actual_value=973.0, actual_unit="元",
         weight=Decimal("5"), score=Decimal("5"), source_line=537),
    dict(file=SC, name_contains="医疗保障基金飞行检查及宣传经费", indicator="对打击欺诈骗取医保基金的工作的促进",
         level1="效益指标", level1_key="benefit", level2_key="social_benefit",
         target_op="qualitative", target_value=None, target_unit=None,
         actual_op="qualitative", actual_value=None, actual_unit=None,
         weight=Decimal("20"), score=Decimal("200"), source_line=688,
         note="score printed 200 for weight 20 (misprint; 合计 100); target/actual `成效明显`"),
    dict(file=SC, name_contains="省本级医保业务信息系统运维", indicator="收到信息系统投诉",
         level1="满意度指标", level1_key="satisfaction", level2_key="satisfaction",
         target_op="<=", target_value=10.0, target_unit="件", actual_value=0.0, actual_unit="件",
         weight=Decimal("10"), score=Decimal("10"), source_line=718,
         note="≤ (fewer-is-better) indicator under 服务对象满意度指标; Sichuan prints no 正向/反向"),
    dict(file=SC, name_contains="蜀运大厦综合维修改造项目", indicator="进场后主体工程完成时间",
         level1="产出指标", level1_key="output", level2_key="timeliness",
         target_op="<=", target_value=270.0, target_unit="天",
         weight=Decimal("20"), score=Decimal("0"), shortfall_reason_starts="该年度招标的项目均属", source_line=789,
         note="完成值 cell blank (no actual printed)"),
    dict(file=SC, name_contains="城乡居民基本医疗保险补助资金", indicator="重复参保人数",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op="=", target_value=0.0, target_unit="人", actual_value=0.0, actual_unit="人",
         weight=Decimal("10"), source_line=1109,
         note="专项 sheet: columns …| 度量单位 | 权重 | 实际完成指标值 (weight BEFORE actual), no 得分 column"),
    dict(file=SC, name_contains="医疗救助补助资金（城乡医疗救助部分）",
         indicator="重点救助对象政策范围内个人自付费用年度限额内住院救助比例",
         level1="产出指标", level1_key="output", level2_key="quality",
         target_op=">=", target_value=70.0, target_unit="%",
         actual_op="qualitative", actual_value=None, actual_unit=None,
         weight=Decimal("10"), source_line=1303,
         note="专项 sheet; operator printed twice (`≥` in 指标性质 and `≥70%` in 指标值); actual is prose; no score"),
    dict(file=SC, name_contains="医疗服务与保障能力提升转移支付补助资金", indicator="基本医保参保人数",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op=">=", target_value=8060.0, target_unit="万人", actual_value=8082.63, actual_unit="万人",
         source_line=1523,
         note="转移支付 sheet: operator and unit inside the value cells (`≥8060 万人`); no weight/score columns"),
    dict(file=SC, name_contains="医疗服务与保障能力提升转移支付补助资金", indicator="医保信息系统运行维护响应时间",
         level1="产出指标", level1_key="output", level2_key="timeliness",
         target_op="<=", target_value=30.0, target_unit="分钟", actual_op="<=", actual_value=30.0,
         actual_unit="分钟", source_line=1544, note="转移支付 sheet; 二级 carried from 1543"),

    # ------------------------------------------------------------ Qiannan
    # Columns: 一级(with 分) | 二级 | 三级 | 年度指标值(A) | 实际完成值(B) | 分值 | 得分 | 原因.
    # Values carry their units; many rows are shifted one cell left.
    dict(file=QN, name_contains="医疗服务与保障能力提升补助资金", indicator="打造医保经办“15分钟服务圈”",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op=">=", target_value=12.0, target_unit="个", actual_value=12.0, actual_unit="个",
         weight=Decimal("4"), score=Decimal("4"), source_line=22,
         note="sheet at line 11; 一级 printed `产出指标 (60分)` although its weights sum to 50; 二级 printed `数量`"),
    dict(file=QN, name_contains="医疗服务与保障能力提升补助资金", indicator="定点医疗机构监督检查覆盖率",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op="=", target_value=100.0, target_unit="%", actual_value=100.0, actual_unit="%",
         weight=Decimal("4"), score=Decimal("4"), source_line=27,
         note="sheet at line 11; row shifted one cell left (name in the 二级 column); 二级 数量 carried"),
    dict(file=QN, name_contains="医疗服务与保障能力提升补助资金", indicator="中央资金使用",
         level1="产出指标", level1_key="output", level2_key="cost",
         target_op="<=", target_value=228.0, target_unit="万元", actual_value=181.82, actual_unit="万元",
         weight=Decimal("3"), score=Decimal("3"), source_line=35,
         note="sheet at line 11; row shifted: 二级 `成本` printed in the 一级 column"),
    dict(file=QN, name_contains="医疗服务与保障能力提升补助资金(上年结转)", indicator="定点医疗机构监督检查覆盖率",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op="=", target_value=100.0, target_unit="%", actual_op="=", actual_value=100.0, actual_unit="%",
         weight=Decimal("4"), score=Decimal("4"), source_line=77, note="actual printed `=100%`"),
    dict(file=QN, name_contains="建国初期退休干部医疗补助资金", indicator="保障州直建国初期离休干部",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op="<=", target_value=5.0, target_unit="个", actual_value=5.0, actual_unit="个",
         weight=Decimal("10"), score=Decimal("10"), source_line=123),
    dict(file=QN, name_contains="建国初期退休干部医疗补助资金", indicator="完成时间",
         level1="产出指标", level1_key="output", level2_key="timeliness",
         target_op="qualitative", target_value=None, target_unit=None,
         actual_op="qualitative", actual_value=None, actual_unit=None,
         weight=Decimal("10"), score=Decimal("10"), source_line=125,
         note="qualitative dates: target `2023年9月底前`, actual `2023年5月`"),
    dict(file=QN, name_contains="特殊困难群体参加城乡居民基本医疗保险资助", indicator="资助建档立卡贫困人口参加城乡居民医保",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op=">=", target_value=53.0, target_unit="万人", actual_value=53.45, actual_unit="万人",
         weight=Decimal("5"), score=Decimal("5"), source_line=165),
    dict(file=QN, name_contains="特殊困难群体参加城乡居民基本医疗保险资助", indicator="对健全社会救助体系的影响",
         level1="效益指标", level1_key="benefit", level2_key="sustainability",
         target_op="qualitative", target_value=None, target_unit=None,
         actual_op="qualitative", actual_value=None, actual_unit=None,
         weight=Decimal("10"), score=Decimal("10"), source_line=174,
         note="二级 可持续影响指标 printed in the very first cell (shifted left); 一级 效益指标 carried; `成效明显`"),
    dict(file=QN, name_contains="医保窗口标准化行风建设专项工作经费", indicator="大厅布置及设备购置",
         level1="产出指标", level1_key="output", level2_key="cost",
         target_op="<=", target_value=14.2, target_unit="万元", actual_value=0.64, actual_unit="万元",
         weight=Decimal("4"), score=Decimal("4"), shortfall_reason_starts="医保窗口大厅布置由政务中心",
         source_line=270, note="一级/二级 blank (merged, carried from 成本指标 on 269)"),
    dict(file=QN, name_contains="乡镇经办医保专线网络使用费", indicator="医保专线网络使用乡镇数",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op="=", target_value=136.0, target_unit="个", actual_value=136.0, actual_unit="个",
         weight=Decimal("12"), score=Decimal("12"), source_line=298),
    dict(file=QN, name_contains="黔南州DIP支付方式改革第三方服务采购项目", indicator="项目资金使用",
         level1="产出指标", level1_key="output", level2_key="cost",
         target_op="<=", target_value=628084.0, target_unit="元", actual_value=628084.0, actual_unit="元",
         weight=Decimal("5"), score=Decimal("5"), source_line=376,
         note="amount in 元 on a 万元 sheet; line 374 prints `成本 指标` in the 一级 column and `时效指标` as 二级, "
              "so the 成本 label is displaced — 二级 for 375-376 is 成本指标 (carried)"),
    dict(file=QN, name_contains="黔南州DIP支付方式改革第三方服务采购项目", indicator="医保基金收支平衡",
         level1="效益指标", level1_key="benefit", level2_key="economic_benefit",
         target_op="qualitative", target_value=None, target_unit=None,
         actual_op="qualitative", actual_value=None, actual_unit=None,
         weight=Decimal("15"), score=Decimal("14"), shortfall_reason_starts="职工医保基金年度结余",
         source_line=377,
         note="target is a range in prose `实现医保基金年度结余5%-10%`; actual prose; partial score 14/15"),
    dict(file=QN, name_contains="建国初期老干人员医疗补助经费", indicator="保障建国初期老干人员医疗待遇保障",
         level1="产出指标", level1_key="output", level2_key="quantity",
         target_op="<=", target_value=41.0, target_unit="人", actual_value=35.0, actual_unit="人",
         weight=Decimal("20"), score=Decimal("20"), source_line=404),
    dict(file=QN, name_contains="医疗救助资金第三方审计业务费用", indicator="委托单位对审计结果满意度",
         level1="满意度指标", level1_key="satisfaction", level2_key="satisfaction",
         target_op=">=", target_value=90.0, target_unit="%", actual_value=90.0, actual_unit="%",
         weight=Decimal("10"), score=Decimal("10"), source_line=532, note="二级 printed 服务对象满意度"),
]
