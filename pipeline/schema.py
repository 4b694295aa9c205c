"""The curated tables' schemas: one source of truth for types, order and meaning.

The writer enforces these types when it writes Parquet, the DuckDB catalog
takes its comments from here, and the data dictionary and expectation suites
are generated from it. `../shared/contract.md` is the public contract; columns
marked `extension` are our compatible additions, listed in the data dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    zh: str
    en: str
    nullable: bool = True
    extension: bool = False


@dataclass(frozen=True)
class TableSchema:
    name: str
    zh: str
    en: str
    columns: tuple[Column, ...]

    def arrow(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in self.columns])

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _provenance() -> tuple[Column, ...]:
    return (
        Column("source_line", pa.int32(), "源文件行号", "1-based line in a text source; null for PDF"),
        Column("source_page", pa.int32(), "PDF页码", "1-based page in a PDF source; null for text"),
    )


DOCUMENTS = TableSchema(
    "documents",
    "报告清单",
    "One row per distinct raw report (identical bytes are one document), with who issued it, "
    "for which year, and how it was parsed.",
    (
        Column("doc_id", pa.string(), "文档编号", "First 16 hex digits of the SHA-256 of the file", False),
        Column("source_path", pa.string(), "源文件路径", "Path relative to the raw directory (first of identical files)", False),
        Column("duplicate_paths", pa.list_(pa.string()), "重复文件路径",
               "Other paths with identical bytes", False),
        Column("sha256", pa.string(), "SHA-256", "Full SHA-256 of the file's bytes", False),
        Column("bytes", pa.int64(), "文件大小", "File size in bytes", False),
        Column("source_format", pa.string(), "源格式",
               "pdf, text_layout, markdown or tsv (detected from content); extension: pdf_ocr, a PDF with pages "
               "read by OCR (no usable text layer)"),
        Column("encoding", pa.string(), "文本编码", "Text encoding the file was decoded with; null for PDF",
               extension=True),
        Column("entity_name", pa.string(), "单位名称", "Full official name of the issuing body"),
        Column("entity_level", pa.string(), "行政级别", "province, city, prefecture or county; extension: central, a "
               "body of the central government or a unit directly under a ministry (a university of 教育部)"),
        Column("region", pa.string(), "地区", "Administrative region of the issuing body; null for a central body"),
        Column("fiscal_year", pa.int32(), "年度", "The year the figures are for"),
        Column("report_kind", pa.string(), "报告类型",
               "final_account 决算, budget 预算, or performance_evaluation 绩效自评 only"),
        Column("status", pa.string(), "处理状态",
               "ok, partial or failed; extension: quarantined, read but held back from the curated tables because "
               "its rows show it was misread (its rows are in the catalog's quarantine schema)", False),
        Column("error", pa.string(), "错误",
               "What is wrong and what to do; null unless failed or quarantined (then: every check it failed, "
               "with a few offending rows)"),
        Column("missing_tables", pa.list_(pa.string()), "缺失表格",
               "The tables the report's own contents (目录) list that no table of it was read as, by their listed "
               "titles (the report is then partial); empty when none is missing or it prints no contents",
               False, extension=True),
        Column("partial_reason", pa.string(), "部分读取原因",
               "Why the report is partial, in one line: its rejects counted by kind, most first (e.g. `4 rejects: "
               "2 indicator rows fitting no column, 1 ### overflow marker, …`), the tables its 目录 lists that were "
               "not read named first; null when nothing was rejected or missed, or the report failed (see error)",
               extension=True),
        Column("n_tables", pa.int32(), "表格数", "Tables the reader found in the document", False,
               extension=True),
        Column("n_fiscal_facts", pa.int64(), "财政数据条数", "Rows of fiscal_facts from this document", False),
        Column("n_indicators", pa.int64(), "绩效指标条数", "Rows of performance_indicators from this document", False),
        Column("n_rejects", pa.int64(), "拒收条数", "Rows of rejects from this document", False),
        Column("parsed_at", pa.timestamp("us", tz="UTC"), "解析时间", "When the document was parsed", False),
    ),
)

REJECTS = TableSchema(
    "rejects",
    "拒收记录",
    "Every table row, cell or sheet that could not be parsed, with its reason and provenance: "
    "nothing is silently dropped.",
    (
        Column("doc_id", pa.string(), "文档编号", "Document the rejected text comes from", False),
        Column("stage", pa.string(), "阶段", "Pipeline stage that rejected it (read, fiscal, performance, audit; extension: contents, a table the "
               "report's 目录 lists that was not read, the reason saying what the report shows of it)", False),
        *_provenance(),
        Column("raw_text", pa.string(), "原文", "The text exactly as printed"),
        Column("reason", pa.string(), "原因", "Why it was rejected", False),
    ),
)

def _report() -> tuple[Column, ...]:
    return (
        Column("doc_id", pa.string(), "文档编号", "Document the row comes from", False),
        Column("fiscal_year", pa.int32(), "年度", "The year the figures are for"),
        Column("entity_name", pa.string(), "单位名称", "Full official name of the issuing body"),
        Column("report_kind", pa.string(), "报告类型", "final_account 决算 or budget 预算"),
    )


MONEY = pa.decimal128(20, 2)
MONEY_YUAN = pa.decimal128(22, 2)
CHECK_NUMBER = pa.decimal128(22, 4)

FISCAL_FACTS = TableSchema(
    "fiscal_facts",
    "财政数据",
    "One row per numeric cell of a standard fiscal table (收支总表, 收入表, 支出表, 财政拨款, 一般公共预算, "
    "基本支出, 政府性基金, 国有资本经营, 三公经费, 机关运行经费, 转移支付), traceable to its printed line.",
    (
        *_report(),
        Column("table_id", pa.string(), "表格类型", "Canonical table id (see the data dictionary)", False),
        Column("table_title", pa.string(), "表格标题", "Table title as printed"),
        Column("table_number", pa.string(), "表格编号", "Table number as printed (公开06表, 财决公开06表); null if none"),
        Column("side", pa.string(), "收支方向", "income or expenditure in two-sided summary tables; else null"),
        Column("classification", pa.string(), "科目分类",
               "function 支出功能分类, economic_dept 部门经济分类, economic_gov 政府经济分类, line 行次; "
               "unit 预算单位 (extension): a row that names a budget unit of a table printed by unit, no item"),
        Column("item_code", pa.string(), "科目编码", "Function or economic code, e.g. 2101501; null if none"),
        Column("item_level", pa.int8(), "科目级次", "1, 2, 3 for 类/款/项 (economic: 1, 2 for 类/款)"),
        Column("parent_code", pa.string(), "上级科目编码", "The code without its last two digits"),
        Column("item_name", pa.string(), "科目名称", "Row name, cleaned, list numbering removed"),
        Column("line_no", pa.int32(), "行次", "Printed line number (行次) of summary tables"),
        Column("measure", pa.string(), "指标", "Canonical key of the column (see the data dictionary)", False),
        Column("measure_label", pa.string(), "列标题", "Column header as printed, nested levels joined by /"),
        Column("amount", MONEY, "金额", "Exact amount in the printed unit", False),
        Column("unit", pa.string(), "单位", "万元, 元, or % for change rates", False),
        Column("amount_yuan", MONEY_YUAN, "金额(元)", "The amount in yuan; null for percentages"),
        Column("blank_in_source", pa.bool_(), "原表空白", "The cell was printed blank (recorded as 0)", False),
        Column("raw_text", pa.string(), "原文", "The token exactly as printed"),
        Column("repaired", pa.bool_(), "已修复",
               "The printed token was malformed or an OCR twin reading and was repaired with evidence", False),
        *_provenance(),
        Column("ocr_confidence", pa.float64(), "OCR置信度",
               "0–1: how sure OCR was of the token (the lowest it was read with in its printed row; the lowest on "
               "its page where the parsers joined or changed the token); null unless the page was read by OCR, "
               "and for cells OCR found blank", extension=True),
        Column("section", pa.string(), "分组",
               "In a summary table (收支总表, 财政拨款收支总表), the row its row is printed under: the numbered "
               "heading (一、本年收入, 二、上年结转 …) of a (一)/1、 row, or for a name the side prints again, the "
               "row it follows (年初财政拨款结转和结余); in a table printed by budget unit (预算单位 | 科目编码 …), "
               "the unit a row of codes is printed under, or for a unit printed again (a department, then its own "
               "本级 unit) that name; null for the table's first level and elsewhere. Part of the natural key: it "
               "tells apart 一般公共预算拨款 of 本年收入 and of 上年结转", extension=True),
    ),
)

RECONCILIATION = TableSchema(
    "reconciliation",
    "勾稽核对",
    "Every accounting identity of every report checked: sums within tables, balances, the same figure in "
    "two tables, and totals restated in the narrative. passed is null when a figure is missing.",
    (
        Column("doc_id", pa.string(), "文档编号", "Document checked", False),
        Column("table_id", pa.string(), "表格类型", "The table whose figure is checked", False),
        Column("check", pa.string(), "核对类型",
               "children_sum, column_sum, summary_balance, cross_table, text_vs_table; performance sheets: "
               "weight_sum, score_sum, score_within_weight, execution_rate; procurement: text_vs_table, "
               "column_sum, part_of_whole, share", False),
        Column("subject", pa.string(), "核对对象", "The code, line or figure checked and the rule", False),
        Column("expected", CHECK_NUMBER, "应为", "The figure the rule derives (sum of parts, other table)"),
        Column("actual", CHECK_NUMBER, "实为", "The figure as printed"),
        Column("difference", CHECK_NUMBER, "差额", "actual - expected"),
        Column("tolerance", CHECK_NUMBER, "允许误差", "Rounding allowance: 0.005 per term plus one"),
        Column("passed", pa.bool_(), "是否通过", "true, false, or null when the rule cannot be applied"),
        Column("note", pa.string(), "说明", "within rounding allowance, not applicable, ..."),
        Column("source_line", pa.int32(), "源文件行号",
               "Line of the printed figure checked (its row, or the narrative's sentence) in a text source",
               extension=True),
        Column("source_page", pa.int32(), "PDF页码", "Page of the printed figure checked in a PDF source: where a "
               "failing identity is looked up", extension=True),
    ),
)

PERF_AMOUNT = pa.decimal128(22, 4)
PERF_POINTS = pa.decimal128(12, 4)

PERFORMANCE_PROJECTS = TableSchema(
    "performance_projects",
    "绩效项目",
    "One row per project performance sheet (自评表, 绩效目标表, 绩效目标批复表): the project, its funds block, "
    "total weight and score, grade and texts.",
    (
        Column("project_id", pa.string(), "项目编号", "doc_id and the sheet's ordinal in the document", False),
        Column("doc_id", pa.string(), "文档编号", "Document the sheet comes from", False),
        Column("fiscal_year", pa.int32(), "年度", "The year the figures are for"),
        Column("entity_name", pa.string(), "单位名称", "Full official name of the issuing body"),
        Column("sheet_kind", pa.string(), "表类型", "self_evaluation 自评 or target_approval 目标批复", False),
        Column("project_name", pa.string(), "项目名称", "Project name as printed (project code removed)"),
        Column("project_code", pa.string(), "项目编码", "Project code printed before the name, e.g. 51000021T000000011590"),
        Column("competent_dept", pa.string(), "主管部门", "主管部门 as printed, its [code] removed"),
        Column("implementing_unit", pa.string(), "实施单位", "实施单位 / 资金使用单位 / 预算单位"),
        Column("funds_unit", pa.string(), "资金单位", "元 or 万元, as the sheet's funds header prints it"),
        Column("budget_initial", PERF_AMOUNT, "年初预算数", "Initial budget, in funds_unit"),
        Column("budget_full_year", PERF_AMOUNT, "全年预算数", "Full-year (adjusted) budget (A), in funds_unit"),
        Column("executed", PERF_AMOUNT, "全年执行数", "Amount executed (B), in funds_unit"),
        Column("execution_rate", PERF_POINTS, "执行率", "Execution rate in percent, as printed"),
        Column("funds_weight", PERF_POINTS, "资金分值", "Weight of the funds execution"),
        Column("funds_score", PERF_POINTS, "资金得分", "Score of the funds execution"),
        Column("total_weight", PERF_POINTS, "总分值", "Total weight printed on the 总分/合计 row"),
        Column("total_score", PERF_POINTS, "总得分", "Total score printed on the 总分/合计 row"),
        Column("grade", pa.string(), "评价等级", "优/良/中/差 as printed; null if none"),
        Column("goal_text", pa.string(), "年度目标", "The annual goal text"),
        Column("outcome_text", pa.string(), "完成情况", "The outcome text"),
        *_provenance(),
    ),
)

PERFORMANCE_INDICATORS = TableSchema(
    "performance_indicators",
    "绩效指标",
    "One row per 三级指标 of a performance sheet: level names and keys, target and actual (operator, value, "
    "unit), weight, score and shortfall reason.",
    (
        Column("project_id", pa.string(), "项目编号", "The sheet (performance_projects.project_id)", False),
        Column("doc_id", pa.string(), "文档编号", "Document the sheet comes from", False),
        Column("ordinal", pa.int32(), "序号", "Order of the indicator within its sheet", False),
        Column("level1", pa.string(), "一级指标", "一级指标 as printed (points removed)"),
        Column("level1_key", pa.string(), "一级指标键", "output, benefit, satisfaction or cost"),
        Column("level2", pa.string(), "二级指标", "二级指标 as printed"),
        Column("level2_key", pa.string(), "二级指标键",
               "quantity, quality, timeliness, cost, economic_cost, social_benefit, economic_benefit, "
               "ecological_benefit, sustainability, satisfaction or other"),
        Column("indicator", pa.string(), "三级指标", "Indicator name, wrapped lines joined"),
        Column("direction", pa.string(), "指标方向", "positive 正向, negative 反向, or null"),
        Column("target_text", pa.string(), "指标值原文", "Target as printed, cleaned"),
        Column("actual_text", pa.string(), "完成值原文", "Actual value as printed, cleaned"),
        Column("target_op", pa.string(), "指标值运算符",
               ">=, <=, =, >, < or qualitative; a bare number is =; null if nothing printed"),
        Column("actual_op", pa.string(), "完成值运算符", "As target_op, for the actual value"),
        Column("target_value", pa.float64(), "指标值", "Target number; null when qualitative"),
        Column("actual_value", pa.float64(), "完成值", "Actual number; null when qualitative"),
        Column("target_unit", pa.string(), "指标值单位", "Unit of the target (%, 万人, 个, …)"),
        Column("actual_unit", pa.string(), "完成值单位", "Unit of the actual value"),
        Column("weight", PERF_POINTS, "分值", "Weight (分值/权重)"),
        Column("score", PERF_POINTS, "得分", "Score; null on target-approval sheets"),
        Column("shortfall_reason", pa.string(), "未完成原因", "未完成原因分析 / 偏差原因; null if none"),
        *_provenance(),
    ),
)

PROCUREMENT = TableSchema(
    "procurement",
    "政府采购",
    "Government procurement figures per document and category, from the procurement table or, where no "
    "table states it, the narrative; both are compared in reconciliation.",
    (
        *_report(),
        Column("category", pa.string(), "类别",
               "total, goods 货物, works 工程, services 服务, sme_awarded 授予中小企业合同金额, "
               "small_micro_awarded 授予小微企业合同金额", False),
        Column("amount", MONEY, "金额", "Exact amount in the printed unit", False),
        Column("unit", pa.string(), "单位", "万元 or 元", False),
        Column("amount_yuan", MONEY_YUAN, "金额(元)", "The amount in yuan", False),
        Column("share_pct", PERF_POINTS, "占比", "Share in percent as printed (中小企业 / 小微企业); null if none"),
        Column("source", pa.string(), "来源", "table or text", False),
        *_provenance(),
    ),
)

# Natural keys: one row per key in each table (the parsers emit no two rows of one key; a suite checks it).
NATURAL_KEYS: dict[str, list[str]] = {
    "documents": ["doc_id"],
    "fiscal_facts": ["doc_id", "table_id", "table_title", "side", "item_code", "item_name", "section", "line_no",
                     "measure", "source_line", "source_page"],
    "performance_projects": ["project_id"],
    "performance_indicators": ["project_id", "ordinal"],
    "procurement": ["doc_id", "category"],
}

CURATED_TABLES: tuple[TableSchema, ...] = (
    DOCUMENTS, FISCAL_FACTS, PERFORMANCE_PROJECTS, PERFORMANCE_INDICATORS, PROCUREMENT, RECONCILIATION, REJECTS,
)
