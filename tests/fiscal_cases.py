"""Hand-verified expected values for the fiscal-table extraction.

Every value below was read by eye from the raw text files in data/raw/
(no parser output was consulted) and, where the print is doubtful, cross-checked
against the same figure in another table of the same report or against the sum
of its children.

CELLS tuple layout:
    (file_name, table_id, item_code, item_name, side, measure,
     amount, blank_in_source, source_line, note)

Column-form “三公” tables print one row of figures without a row label, so
their item_name is None.  Qinghai 30207 邮电费 is printed `5.4/` on its row and
5.45 on its ghost row; the true 5.47 is printed only in 机关运行经费支出情况表,
so the parser must reject the cell (see test_fiscal_repairs.py) rather than
keep either reading.

Amounts are in the table's printed unit (万元).  A cell printed blank is
Decimal("0") with blank_in_source=True.  source_line is 1-based; for OCR rows
printed twice ("ghost rows") it is the line that carries the correct value.
"""
from decimal import Decimal

GZ = "guizhou_2024_final_account.txt"
QH = "qinghai_2024_final_account.txt"
SC = "sichuan_2024_final_account.txt"
GY = "guiyang_2025_budget.txt"


# ---------------------------------------------------------------------------
# Standard fiscal tables per report, in document order.
# (Excluded: 绩效 sheets, 政府采购 tables, the untitled 三公 count block.)
# ---------------------------------------------------------------------------
INVENTORY: dict[str, list[str]] = {
    GZ: [
        "income_expenditure_summary",        # 公开01表 收入支出决算总表
        "income",                            # 公开02表 收入决算表
        "expenditure",                       # 公开03表 支出决算表
        "fiscal_appropriation_summary",      # 公开04表 财政拨款收入支出决算总表
        "non_fiscal_appropriation_summary",  # 公开05表 非财政拨款收入支出决算总表
        "general_budget_expenditure",        # 公开06表 一般公共预算财政拨款支出决算表
        "general_budget_basic_expenditure",  # 公开07表 ...基本支出决算明细表
        "government_fund",                   # 公开08表 政府性基金预算财政拨款收入支出决算表
        "state_capital",                     # 公开09表 国有资本经营预算财政拨款支出决算表
        "three_public",                      # 公开10表 财政拨款“三公”经费支出决算表
    ],
    QH: [
        "income_expenditure_summary",        # 公开01表
        "income",                            # 公开02表
        "expenditure",                       # 公开03表
        "fiscal_appropriation_summary",      # 公开04表
        "general_budget_expenditure",        # 公开05表
        "general_budget_basic_expenditure",  # 公开06表 (three side-by-side blocks)
        "government_fund",                   # 公开07表 (empty)
        "state_capital",                     # 公开08表 (empty)
        "three_public",                      # 公开09表
        "admin_operating_costs",             # 公开10表 机关运行经费支出情况表
        # 公开11表 政府采购支出情况表 excluded
    ],
    SC: [
        "income_expenditure_summary",              # 财决公开01表
        "income",                                  # 财决公开02表
        "expenditure",                             # 财决公开03表
        "fiscal_appropriation_summary",            # 财决公开04表
        "fiscal_appropriation_expenditure_detail", # 财决公开05表 - title and first page lost, rows 31002..39999 only
        "general_budget_expenditure",              # 财决公开06表
        "general_budget_expenditure_detail",       # 07表 (function x economic, no table number printed)
        "general_budget_basic_expenditure",        # 财决公开08表
        "general_budget_project_expenditure",      # 财决公开09表
        "government_fund",                         # 财决公开10表
        "state_capital",                           # 财决公开11表 国有资本经营预算财政拨款收入支出决算表
        "state_capital",                           # 财决公开12表 国有资本经营预算财政拨款支出决算表
        "three_public",                            # 财决公开13表
    ],
    GY: [
        "income_expenditure_summary",        # 部门收支预算总表
        "income",                            # 部门收入预算总表
        "expenditure",                       # 部门支出预算总表
        "fiscal_appropriation_summary",      # 财政拨款收支预算总表
        "general_budget_expenditure",        # 一般公共预算支出预算表
        "general_budget_basic_expenditure",  # 基本支出预算表(按部门预算经济科目)
        "general_budget_basic_expenditure",  # 基本支出预算表(按政府预算经济科目)
        "government_fund",                   # 政府性基金预算支出预算表 (all zero)
        "state_capital",                     # 国有资本经营预算支出预算表 (all zero)
        "three_public",                      # 财政拨款"三公"经费支出预算表
        # 政府采购预算表 excluded
        "transfer_payments",                 # 市对下转移支付预算表 (all zero)
    ],
}


# ---------------------------------------------------------------------------
# Hand-verified cells
# ---------------------------------------------------------------------------
CELLS: list[tuple] = [
    # ======================= Guizhou 2024 final account (space-separated) ===
    # 收入支出决算总表 (公开01表)
    (GZ, "income_expenditure_summary", None, "一般公共预算财政拨款收入", "income", "final",
     Decimal("19300.05"), False, 122, ""),
    (GZ, "income_expenditure_summary", None, "年初结转和结余", "income", "final",
     Decimal("6074.84"), False, 183, ""),
    (GZ, "income_expenditure_summary", None, "卫生健康支出", "expenditure", "final",
     Decimal("19051.70"), False, 138,
     "expenditure side; income column empty on this line; 支出决算表 prints 19,051.72"),
    (GZ, "income_expenditure_summary", None, "社会保障和就业支出", "expenditure", "final",
     Decimal("1397.07"), False, 136, "expenditure side; 支出决算表 prints 1,397.06"),
    (GZ, "income_expenditure_summary", None, "总计", "expenditure", "final",
     Decimal("25414.97"), False, 187, "expenditure side; equals income 总计"),
    # 收入决算表 (公开02表)
    (GZ, "income", None, "合计", None, "total",
     Decimal("19340.13"), False, 209, ""),
    (GZ, "income", None, "合计", None, "other",
     Decimal("40.07"), False, 209, ""),
    (GZ, "income", "2101101", "行政单位医疗", None, "fiscal_appropriation",
     Decimal("4855.80"), False, 229, ""),
    (GZ, "income", "2210201", "住房公积金", None, "total",
     Decimal("160.05"), False, 266, "row after repeated page header"),
    # 支出决算表 (公开03表)
    (GZ, "expenditure", None, "合计", None, "basic",
     Decimal("2175.20"), False, 284, ""),
    (GZ, "expenditure", "210", "卫生健康支出", None, "total",
     Decimal("19051.72"), False, 300, "summary table 01 prints 19,051.70"),
    (GZ, "expenditure", "2101501", "行政运行", None, "project",
     Decimal("8.00"), False, 316, ""),
    # 财政拨款收入支出决算总表 (公开04表)
    (GZ, "fiscal_appropriation_summary", None, "卫生健康支出", "expenditure", "total",
     Decimal("19043.70"), False, 380, "expenditure side; 表06 prints 19,043.72"),
    (GZ, "fiscal_appropriation_summary", None, "卫生健康支出", "expenditure", "state_capital",
     Decimal("0.00"), False, 380, "expenditure side"),
    (GZ, "fiscal_appropriation_summary", None, "本年支出合计", "expenditure", "general_budget",
     Decimal("20600.82"), False, 432, "expenditure side"),
    (GZ, "fiscal_appropriation_summary", None, "年初财政拨款结转和结余", "income", "final",
     Decimal("5459.54"), False, 434, ""),
    # 非财政拨款收入支出决算总表 (公开05表)
    (GZ, "non_fiscal_appropriation_summary", None, "其他收入", "income", "final",
     Decimal("40.07"), False, 465, ""),
    (GZ, "non_fiscal_appropriation_summary", None, "卫生健康支出", "expenditure", "final",
     Decimal("8.00"), False, 473, "expenditure side"),
    # 一般公共预算财政拨款支出决算表 (公开06表)
    (GZ, "general_budget_expenditure", None, "合计", None, "project",
     Decimal("18425.62"), False, 537, ""),
    (GZ, "general_budget_expenditure", "21015", "医疗保障管理事务", None, "total",
     Decimal("9753.73"), False, 567, "= sum of its five children"),
    # 一般公共预算财政拨款基本支出决算明细表 (公开07表)
    (GZ, "general_budget_basic_expenditure", "301", "工资福利支出", None, "final",
     Decimal("1932.42"), False, 601, "children sum to 1,932.41"),
    (GZ, "general_budget_basic_expenditure", "30217", "公务接待费", None, "final",
     Decimal("2.24"), False, 633, "side block (公用经费, right half); = 三公 公务接待费"),
    (GZ, "general_budget_basic_expenditure", "30239", "其他交通费用", None, "final",
     Decimal("85.66"), False, 654, "side block (right half, after repeated page header)"),
    (GZ, "general_budget_basic_expenditure", "310", "资本性支出", None, "final",
     Decimal("5.71"), False, 666,
     "公用经费 block continues in the left column once 人员经费 rows end"),
    (GZ, "general_budget_basic_expenditure", None, "公用经费合计", None, "final",
     Decimal("228.81"), False, 715, "side block (right half of the totals line)"),
    # 政府性基金 / 国有资本经营 (empty tables)
    (GZ, "government_fund", None, "合计", None, "total",
     Decimal("0.00"), False, 734, "本年支出/小计 column (3rd); table has no data"),
    (GZ, "state_capital", None, "合计", None, "total",
     Decimal("0.00"), False, 750, "table has no data"),
    # 三公 (公开10表) - single data line, 12 columns
    (GZ, "three_public", None, None, None, "budget_total",
     Decimal("6.84"), False, 798, "三公 cell, column 1"),
    (GZ, "three_public", None, None, None, "final_vehicle_operation",
     Decimal("4.60"), False, 798, "三公 cell, column 11"),
    (GZ, "three_public", None, None, None, "final_reception",
     Decimal("2.24"), False, 798, "三公 cell, column 12"),

    # ======================= Qinghai 2024 final account (OCR markdown) =======
    # 收入支出决算总表 (公开01表)
    (QH, "income_expenditure_summary", None, "一般公共预算财政拨款收入", "income", "final",
     Decimal("10656.73"), False, 87, "wrapped name (<br>)"),
    (QH, "income_expenditure_summary", None, "一般公共服务支出", "expenditure", "final",
     Decimal("0"), True, 87, "blank; expenditure side"),
    (QH, "income_expenditure_summary", None, "社会保障和就业支出", "expenditure", "final",
     Decimal("3225.70"), False, 94, "expenditure side; printed 3,225.7; wrapped name"),
    (QH, "income_expenditure_summary", None, "年初结转和结余", "income", "final",
     Decimal("1656.68"), False, 118, ""),
    (QH, "income_expenditure_summary", None, "总计", "expenditure", "final",
     Decimal("12313.41"), False, 120, "expenditure side"),
    # 收入决算表 (公开02表)
    (QH, "income", "2080506", "机关事业单位职业年金缴费支出", None, "total",
     Decimal("67.81"), False, 140, "wrapped name over lines 139-141"),
    (QH, "income", "20809", "退役安置", None, "fiscal_appropriation",
     Decimal("1964.05"), False, 150,
     "ghost: twin line 149 prints code 20000 and 1.064.05; = 1,065.13 + 898.92"),
    (QH, "income", "2080902", "军队移交政府的离退休人员安置", None, "total",
     Decimal("1065.13"), False, 152, "wrapped name over lines 151-153"),
    (QH, "income", "210", "卫生健康支出", None, "total",
     Decimal("7302.65"), False, 157,
     "ghost: twin line 156 prints 7.202.65; wrapped name; = 314.87 + 6,987.78"),
    (QH, "income", "21015", "医疗保障管理事务", None, "total",
     Decimal("6987.78"), False, 170,
     "ghost: twin line 171 prints 21013 0,987.78; wrapped name; = sum of children"),
    (QH, "income", "2101506", "医疗保障经办事务", None, "total",
     Decimal("3859.82"), False, 179, "wrapped name continues after table break (line 181)"),
    # 支出决算表 (公开03表)
    (QH, "expenditure", None, "合计", None, "project",
     Decimal("6812.10"), False, 197, "printed 6,812.1"),
    (QH, "expenditure", "20806", "企业改革补助", None, "total",
     Decimal("1036.07"), False, 208,
     "ghost: line 208 has the right total (basic garbled '1 026 07'), twin line 209 has total 1,030.07"),
    (QH, "expenditure", "20806", "企业改革补助", None, "basic",
     Decimal("1036.07"), False, 209,
     "ghost: basic column is correct only on twin line 209 (code printed 20800); = 2080699"),
    (QH, "expenditure", "210", "卫生健康支出", None, "basic",
     Decimal("1566.92"), False, 220,
     "ghost: twin line 221 prints 1,300.92; = 表05 line 324"),
    (QH, "expenditure", "21011", "行政事业单位医疗", None, "total",
     Decimal("314.87"), False, 223, "ghost: twin line 222 prints 214.97; wrapped name"),
    (QH, "expenditure", "2101103", "公务员医疗补助", None, "total",
     Decimal("62.91"), False, 229, "ghost: twin line 228 prints code 2101102 and (2.01"),
    (QH, "expenditure", "2101502", "一般行政管理事务", None, "project",
     Decimal("74.34"), False, 237, "ghost: twin line 236 prints 5404/7121; = 表05 line 334"),
    (QH, "expenditure", "2101599", "其他医疗保障管理事务支出", None, "total",
     Decimal("2303.90"), False, 246,
     "wrapped name over lines 245-249 across a table break (stray '1' line); = 表05 line 339"),
    # 财政拨款收入支出决算总表 (公开04表)
    (QH, "fiscal_appropriation_summary", None, "卫生健康支出", "expenditure", "general_budget",
     Decimal("8379.02"), False, 271, "expenditure side; wrapped name"),
    (QH, "fiscal_appropriation_summary", None, "卫生健康支出", "expenditure", "government_fund",
     Decimal("0"), True, 271, "blank; expenditure side"),
    (QH, "fiscal_appropriation_summary", None, "本年支出合计", "expenditure", "total",
     Decimal("11729.54"), False, 292, "expenditure side"),
    (QH, "fiscal_appropriation_summary", None, "年初财政拨款结转和结余", "income", "final",
     Decimal("1656.68"), False, 293,
     "repaired: printed 1.656.68; = line 294 and 表01 line 118"),
    # 一般公共预算财政拨款支出决算表 (公开05表)
    (QH, "general_budget_expenditure", "21015", "医疗保障管理事务", None, "total",
     Decimal("8064.15"), False, 332, "wrapped name; children sum to 8,064.16"),
    (QH, "general_budget_expenditure", "2101504", "信息化建设", None, "project",
     Decimal("44.50"), False, 335, "printed 44.5; 表03 twin line 238 prints 4.7"),
    # 一般公共预算财政拨款基本支出决算明细表 (公开06表, three blocks)
    (QH, "general_budget_basic_expenditure", "301", "工资福利支出", None, "final",
     Decimal("1548.59"), False, 352, ""),
    (QH, "general_budget_basic_expenditure", "310", "资本性支出", None, "final",
     Decimal("0"), True, 355, "blank; side block (third block)"),
    (QH, "general_budget_basic_expenditure", "30302", "退休费", None, "final",
     Decimal("21.58"), False, 384, "= 2080599 in 表03/05"),
    (QH, "general_budget_basic_expenditure", "30217", "公务接待费", None, "final",
     Decimal("0.60"), False, 384, "side block (second block); printed 0.6; = 三公 and 表10"),
    (QH, "general_budget_basic_expenditure", "30239", "其他交通费用", None, "final",
     Decimal("58.68"), False, 405, "side block (second block, after table break); = 表10 line 501"),
    (QH, "general_budget_basic_expenditure", None, "人员经费合计", None, "final",
     Decimal("4756.36"), False, 408,
     "label OCR-garbled ('人员组 | 圣费合计'); = 1,548.59 + 3,207.77"),
    (QH, "general_budget_basic_expenditure", None, "公用经费合计", None, "final",
     Decimal("161.08"), False, 408, "side block (last cell of the totals line); = 表10 合计"),
    # 三公 (公开09表)
    (QH, "three_public", None, None, None, "final_total",
     Decimal("4.27"), False, 450, "三公 cell"),
    (QH, "three_public", None, None, None, "budget_overseas_travel",
     Decimal("0"), True, 450, "三公 cell; blank"),
    (QH, "three_public", None, None, None, "final_vehicle_purchase",
     Decimal("0"), True, 450, "三公 cell; blank"),
    (QH, "three_public", None, None, None, "final_vehicle_operation",
     Decimal("3.67"), False, 450, "三公 cell; = 30231"),
    # 机关运行经费支出情况表 (公开10表)
    (QH, "admin_operating_costs", None, "合计", None, "final",
     Decimal("161.08"), False, 473, ""),
    (QH, "admin_operating_costs", "30201", "办公费", None, "final",
     Decimal("15.92"), False, 475, ""),
    (QH, "admin_operating_costs", "30203", "咨询费", None, "final",
     Decimal("0"), True, 477, "blank"),
    (QH, "admin_operating_costs", "30213", "维修(护)费", None, "final",
     Decimal("1.75"), False, 486, "name printed '维修 (护) 费' (spaces)"),

    # ======================= Sichuan 2024 final account (TSV) ================
    # 收入支出决算总表 (财决公开01表)
    (SC, "income_expenditure_summary", None, "一般公共预算财政拨款收入", "income", "final",
     Decimal("12588.45"), False, 1576, ""),
    (SC, "income_expenditure_summary", None, "教育支出", "expenditure", "final",
     Decimal("93.68"), False, 1580, "expenditure side"),
    (SC, "income_expenditure_summary", None, "本年支出合计", "expenditure", "final",
     Decimal("12588.45"), False, 1602, "expenditure side"),
    # 收入决算表 (财决公开02表)
    (SC, "income", None, "合计", None, "fiscal_appropriation",
     Decimal("12588.45"), False, 1623, "合计 row whose first cells read 类/款/项"),
    (SC, "income", "2101504", "信息化建设", None, "total",
     Decimal("3415.80"), False, 1642, ""),
    # 支出决算表 (财决公开03表)
    (SC, "expenditure", None, "合计", None, "basic",
     Decimal("5471.75"), False, 1666, "合计 label on line 1665, its numbers on line 1666"),
    (SC, "expenditure", "2101101", "行政单位医疗", None, "project",
     Decimal("0"), True, 1679, "blank (other rows print 0.00)"),
    (SC, "expenditure", "21015", "医疗保障管理事务", None, "project",
     Decimal("5616.70"), False, 1682, ""),
    # 财政拨款收入支出决算总表 (财决公开04表)
    (SC, "fiscal_appropriation_summary", None, "卫生健康支出", "expenditure", "general_budget",
     Decimal("11299.80"), False, 1717, "expenditure side"),
    (SC, "fiscal_appropriation_summary", None, "卫生健康支出", "expenditure", "government_fund",
     Decimal("0.00"), False, 1717, "expenditure side"),
    (SC, "fiscal_appropriation_summary", None, "总计", "expenditure", "total",
     Decimal("12588.45"), False, 1740, "expenditure side"),
    # 财政拨款支出决算明细表 (财决公开05表, title lost)
    (SC, "fiscal_appropriation_expenditure_detail", "31007", "信息网络及软件购置更新", None, "total",
     Decimal("2365.00"), False, 1754, "table title lost; header-only recognition"),
    (SC, "fiscal_appropriation_expenditure_detail", "31013", "公务用车购置", None, "general_budget_project",
     Decimal("17.50"), False, 1760, "table title lost; = 三公 final vehicle purchase"),
    # 一般公共预算财政拨款支出决算表 (财决公开06表)
    (SC, "general_budget_expenditure", None, "合计", None, "project",
     Decimal("7116.70"), False, 1800, ""),
    (SC, "general_budget_expenditure", "2101550", "事业运行", None, "basic",
     Decimal("820.17"), False, 1822, ""),
    # 一般公共预算财政拨款支出决算明细表 (function x economic)
    (SC, "general_budget_expenditure_detail", None, "合计", None, "total",
     Decimal("12588.45"), False, 1838, ""),
    (SC, "general_budget_expenditure_detail", None, "合计", None, "economic_301",
     Decimal("4076.91"), False, 1838, "工资福利支出/小计 column (data-dictionary key)"),
    (SC, "general_budget_expenditure_detail", "2101501", "行政运行", None, "economic_30101",
     Decimal("696.24"), False, 1855, "基本工资 column (data-dictionary key)"),
    # 一般公共预算财政拨款基本支出决算明细表 (财决公开08表, three blocks)
    (SC, "general_budget_basic_expenditure", "30216", "培训费", None, "final",
     Decimal("93.68"), False, 1906, "side block (second block)"),
    (SC, "general_budget_basic_expenditure", "310", "资本性支出", None, "final",
     Decimal("0.00"), False, 1894, "side block (third block)"),
    (SC, "general_budget_basic_expenditure", "30217", "公务接待费", None, "final",
     Decimal("4.14"), False, 1910, "side block (second block, after repeated page header); = 三公"),
    (SC, "general_budget_basic_expenditure", "30399", "其他对个人和家庭的补助", None, "final",
     Decimal("110.54"), False, 1920, ""),
    (SC, "general_budget_basic_expenditure", None, "人员经费合计", None, "final",
     Decimal("4189.43"), False, 1922, "= 4,076.91 + 112.52"),
    (SC, "general_budget_basic_expenditure", None, "公用经费合计", None, "final",
     Decimal("1282.33"), False, 1922, "side block (third block position on the totals line)"),
    # 一般公共预算财政拨款项目支出决算表 (财决公开09表)
    (SC, "general_budget_project_expenditure", "2101504", "信息化建设", None, "income",
     Decimal("3415.80"), False, 1943,
     "本年收入 column; 'income' is the data-dictionary extension key"),
    # 政府性基金 / 国有资本经营 (no data)
    (SC, "government_fund", None, "合计", None, "total",
     Decimal("0.00"), False, 1962, "本年支出/小计 column (3rd number); table has no data"),
    (SC, "state_capital", None, "合计", None, "total",
     Decimal("0.00"), False, 1995, "财决公开12表 (second state_capital table); no data"),
    # 三公 (财决公开13表) - single data line
    (SC, "three_public", None, None, None, "budget_total",
     Decimal("65.20"), False, 2013, "三公 cell, column 1"),
    (SC, "three_public", None, None, None, "budget_vehicle_purchase",
     Decimal("18.00"), False, 2013, "三公 cell, column 4"),
    (SC, "three_public", None, None, None, "final_total",
     Decimal("50.05"), False, 2013, "三公 cell, column 7; parts sum to 50.06"),
    (SC, "three_public", None, None, None, "final_vehicle_operation",
     Decimal("28.42"), False, 2013, "三公 cell, column 11; = 30231"),
    (SC, "three_public", None, None, None, "final_reception",
     Decimal("4.14"), False, 2013, "三公 cell, column 12; = 30217"),

    # ======================= Guiyang 2025 budget (TSV, OCR spaces) ===========
    # 部门收支预算总表
    (GY, "income_expenditure_summary", None, "本年收入", "income", "budget",
     Decimal("1954.47"), False, 179, "repaired: printed '1, 954. 47'"),
    (GY, "income_expenditure_summary", None, "本年支出", "expenditure", "budget",
     Decimal("1954.47"), False, 179, "repaired: printed '1, 954. 47'; expenditure side"),
    (GY, "income_expenditure_summary", None, "一般公共预算财政拨款收入", "income", "budget",
     Decimal("1954.47"), False, 181, "repaired: printed '1, 954. 47'; numbering '1、' removed"),
    (GY, "income_expenditure_summary", None, "社会保障和就业支出", "expenditure", "budget",
     Decimal("54.50"), False, 187, "repaired: printed '54. 50'; expenditure side"),
    (GY, "income_expenditure_summary", None, "住房保障支出", "expenditure", "budget",
     Decimal("29.92"), False, 198, "expenditure side"),
    # 部门收入预算总表 / 部门支出预算总表
    (GY, "income", None, "合计", None, "fiscal_appropriation",
     Decimal("1954.47"), False, 218, "repaired: printed '1, 954. 47'"),
    (GY, "expenditure", None, "合计", None, "total",
     Decimal("1954.47"), False, 227, "repaired: printed '1, 954. 47'; 本年支出/合计 column"),
    # 财政拨款收支预算总表
    (GY, "fiscal_appropriation_summary", None, "一般公共预算拨款收入", "income", "budget",
     Decimal("0"), True, 236,
     "blank although 本年收入 is 1,954.47 (see KNOWN_INCONSISTENCIES)"),
    (GY, "fiscal_appropriation_summary", None, "社会保障和就业支出", "expenditure", "budget",
     Decimal("54.50"), False, 243, "repaired: printed '54. 50'; numbering '八.' removed; expenditure side"),
    (GY, "fiscal_appropriation_summary", None, "支出总计", "expenditure", "budget",
     Decimal("1954.47"), False, 265, "repaired: printed '1, 954. 47'; expenditure side"),
    # 一般公共预算支出预算表
    (GY, "general_budget_expenditure", "2080505", "机关事业单位基本养老保险缴费支出", None, "total",
     Decimal("30.00"), False, 277, "name printed with an inner space ('养老保 险')"),
    (GY, "general_budget_expenditure", "2101301", "城乡医疗救助", None, "project",
     Decimal("423.00"), False, 286, ""),
    (GY, "general_budget_expenditure", "21015", "医疗保障管理事务", None, "total",
     Decimal("1425.55"), False, 287, "repaired: printed '1, 425. 55'; = sum of children"),
    (GY, "general_budget_expenditure", "21015", "医疗保障管理事务", None, "project",
     Decimal("1160.20"), False, 287, "repaired: printed '1, 160. 20'"),
    (GY, "general_budget_expenditure", None, "合计", None, "basic",
     Decimal("371.27"), False, 295,
     "repaired: printed '371. 27'; 基本支出 group header OCR-garbled (reads 总计)"),
    # 一般公共预算基本支出预算表 (按部门预算经济科目)
    (GY, "general_budget_basic_expenditure", "30239", "其他交通费用", None, "total",
     Decimal("18.55"), False, 314, "repaired: printed '18. 55'"),
    (GY, "general_budget_basic_expenditure", "301", "工资福利支出", None, "total",
     Decimal("305.16"), False, 320, "repaired: printed '305. 16'; = sum of children"),
    (GY, "general_budget_basic_expenditure", None, "合计", None, "personnel",
     Decimal("330.47"), False, 332,
     "repaired: printed '330. 47'; classes sum to 330.46 (see KNOWN_INCONSISTENCIES)"),
    # 一般公共预算基本支出预算表 (按政府预算经济科目)
    (GY, "general_budget_basic_expenditure", "50101", "工资奖金津补贴", None, "total",
     Decimal("207.94"), False, 353, "repaired: printed '207. 94'; second basic table (government economic codes)"),
    (GY, "general_budget_basic_expenditure", "50201", "办公经费", None, "total",
     Decimal("43.05"), False, 343, "second basic table (government economic codes)"),
    # 政府性基金 / 国有资本经营 / 转移支付 (all zero)
    (GY, "government_fund", None, "合计", None, "total",
     Decimal("0.00"), False, 369, "总计 column; table has no data"),
    (GY, "state_capital", None, "合计", None, "total",
     Decimal("0.00"), False, 381, "总计 column; table has no data"),
    (GY, "transfer_payments", None, "合计", None, "total",
     Decimal("0.00"), False, 412, "table has no data"),
    # 三公 (rows = items, columns = 2024 budget / 2025 budget)
    (GY, "three_public", None, "因公出国(境)费", None, "budget_overseas_travel",
     Decimal("0.00"), False, 386, "三公 cell (2025 column)"),
    (GY, "three_public", None, "公务接待费", None, "prior_budget_reception",
     Decimal("1.00"), False, 387, "三公 cell (2024 column); = 30217 budget 1.00"),
    (GY, "three_public", None, "公务用车购置及运行维护费", None, "budget_vehicle_total",
     Decimal("1.93"), False, 388, "三公 cell (2025 column)"),
    (GY, "three_public", None, "公务用车运行维护费", None, "budget_vehicle_operation",
     Decimal("1.93"), False, 389, "三公 cell; numbering '1、' removed; = 30231"),
    (GY, "three_public", None, "公务用车购置费", None, "prior_budget_vehicle_purchase",
     Decimal("0.00"), False, 390, "三公 cell (2024 column)"),
    (GY, "three_public", None, "合计", None, "budget_total",
     Decimal("2.93"), False, 391, "三公 cell; repaired: printed '2. 93'"),
]


# ---------------------------------------------------------------------------
# Genuine inconsistencies of the printed reports (not extraction errors).
# ---------------------------------------------------------------------------
KNOWN_INCONSISTENCIES: list[str] = [
    # --- Guizhou ---
    "guizhou_2024_final_account.txt: 收入支出决算总表 (line 138) 卫生健康支出 19,051.70 vs 支出决算表 210 (line 300) 19,051.72",
    "guizhou_2024_final_account.txt: 收入支出决算总表 (line 136) 社会保障和就业支出 1,397.07 vs 收入决算表/支出决算表 208 (lines 211, 286) 1,397.06",
    "guizhou_2024_final_account.txt: 财政拨款收入支出决算总表 (line 380) 卫生健康支出 19,043.70 vs 一般公共预算财政拨款支出决算表 210 (line 553) 19,043.72",
    "guizhou_2024_final_account.txt: 财政拨款收入支出决算总表 (line 378) 社会保障和就业支出 1,397.07 vs 一般公共预算财政拨款支出决算表 208 (line 539) 1,397.06",
    "guizhou_2024_final_account.txt: 收入决算表 合计 (line 209) 19,340.13 vs 财政拨款收入 19,300.05 + 其他收入 40.07 = 19,340.12 (same in 收入支出决算总表 本年收入合计, line 179)",
    "guizhou_2024_final_account.txt: 收入决算表 rows 210 / 21011 / 2101101 (lines 225-229) totals 17,783.02 / 10,227.71 / 4,895.88 vs fiscal + other = 17,783.01 / 10,227.70 / 4,895.87",
    "guizhou_2024_final_account.txt: 支出决算表 合计 (line 284) total 20,608.82 vs 1,397.06 + 19,051.72 + 160.05 = 20,608.83; basic 2,175.20 vs 2,175.19; project 18,433.62 vs 18,433.63",
    "guizhou_2024_final_account.txt: 支出决算表 210 (line 300) total 19,051.72 vs basic 1,792.22 + project 17,259.49 = 19,051.71; 2101101 (line 304) 3,918.68 vs 66.80 + 3,851.87 = 3,918.67",
    "guizhou_2024_final_account.txt: 一般公共预算财政拨款支出决算表 合计 (line 537) 20,600.82 vs class rows 20,600.83; basic 2,175.20 vs 2,175.19; project 18,425.62 vs 18,425.63; 210 (line 553) 19,043.72 vs 1,792.22 + 17,251.49 = 19,043.71",
    "guizhou_2024_final_account.txt: 基本支出决算明细表 301 工资福利支出 (line 601) 1,932.42 vs children sum 1,932.41",
    "guizhou_2024_final_account.txt: 基本支出决算明细表 人员经费合计 1,946.38 + 公用经费合计 228.81 = 2,175.19 (line 715) vs 基本支出 2,175.20 in 表03/表06",
    # --- Qinghai ---
    "qinghai_2024_final_account.txt: 收入决算表 合计 (line 129) 10,656.73 vs 208 3,228.83 + 210 7,302.65 + 221 125.26 = 10,656.74",
    "qinghai_2024_final_account.txt: 支出决算表 / 一般公共预算财政拨款支出决算表 21015 (lines 234, 332) 8,064.15 and project 6,812.1 vs children 8,064.16 and project 6,812.11 (same in both tables)",
    "qinghai_2024_final_account.txt: 机关运行经费支出情况表 30229 福利费 blank (line 499) while 基本支出决算明细表 prints 0.25 (lines 399-400); the 10表 children then sum to 160.82 vs its 302/合计 161.08 (could also be an OCR loss)",
    "qinghai_2024_final_account.txt: 基本支出决算明细表 302 商品和服务支出 (line 352) 161.08 vs children as printed 161.07; 301 工资福利支出 1,548.59 vs children as OCR'd 1,548.60 (30109/30110/30112 rows are ghost pairs, so this may be OCR)",
    # --- Sichuan ---
    "sichuan_2024_final_account.txt: 三公经费支出决算表 (line 2013) 决算 合计 50.05 vs 公务用车 45.92 + 公务接待 4.14 = 50.06",
    "sichuan_2024_final_account.txt: 支出决算表/一般公共预算财政拨款支出决算表 210 basic 4,183.11 (lines 1676, 1810) vs 21011 283.16 + 21015 3,899.94 = 4,183.10; 合计 basic 5,471.75 vs class rows 5,471.76",
    "sichuan_2024_final_account.txt: 基本支出决算明细表 人员经费合计 4,189.43 + 公用经费合计 1,282.33 = 5,471.76 (line 1922) vs 基本支出 5,471.75 in 表03/表06",
    "sichuan_2024_final_account.txt: 基本支出决算明细表 301 工资福利支出 (line 1891) 4,076.91 vs children 4,076.92; 302 商品和服务支出 1,282.33 vs children 1,282.32",
    "sichuan_2024_final_account.txt: 一般公共预算财政拨款支出决算明细表 津贴补贴 column: 合计 821.00 (line 1838) vs 210 515.56 + 221 305.45 = 821.01; 21015 515.56 (line 1854) vs 2101501 510.79 + 2101550 4.76 = 515.55",
    # --- Guiyang ---
    "guiyang_2025_budget.txt: 财政拨款收支预算总表 (一)一般公共预算拨款收入 printed blank (line 236) although 本年收入 is 1,954.47 and 部门收支预算总表 line 181 gives 1,954.47",
    "guiyang_2025_budget.txt: 一般公共预算支出预算表 合计/单位 row 人员经费 330.47 (lines 273, 295) vs rows 54.24 + 246.30 + 29.92 = 330.46; and 330.47 + 公用经费 40.81 = 371.28 vs 基本支出小计 371.27",
    "guiyang_2025_budget.txt: both 基本支出预算表 合计 人员经费 330.47 (lines 332, 357) vs class sums 16.86 + 8.44 + 305.16 = 330.46",
    "guiyang_2025_budget.txt: 基本支出预算表(按政府预算经济科目) 502 机关商品和服务支出 (line 341) 54.67 / 公用经费 37.81 vs children 54.66 / 37.80 (50201 办公经费 printed 43.05 / 26.19)",
]
