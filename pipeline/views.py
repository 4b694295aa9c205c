"""Analyst views of the DuckDB catalog: common questions answered without joins.

Each view is SQL over the curated tables, with a comment in Chinese and
English like every table; the catalog builder creates them after the tables.
Each row of a view comes from the rows of one report and carries its `doc_id`:
a refresh computes again only the rows of the reports that changed, and adds
them after the others: a query that needs an order says ORDER BY.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class View:
    name: str
    zh: str
    en: str
    sql: str


EXPENDITURE_BY_FUNCTION = View(
    "expenditure_by_function", "按功能分类支出",
    "Expenditure by function code (类/款/项) per report: total, basic and project in the printed unit and in "
    "yuan, with the codes and names of its 类 and 款. From the 支出决算表 / 支出预算总表 when it is coded by function, else from "
    "the 一般公共预算支出表.",
    """
    with coded as (
        select doc_id, table_id, table_title, min(coalesce(source_line, 0) * 1000 + coalesce(source_page, 0)) as first_at
        from fiscal_facts
        where classification = 'function' and table_id in ('expenditure', 'general_budget_expenditure')
        group by all
    ), chosen as (
        select doc_id, arg_min(table_id || '|' || table_title,
                               (case table_id when 'expenditure' then 0 else 1 end) * 1e12 + first_at) as pick
        from coded group by doc_id
    ), rows as (
        select f.* from fiscal_facts f join chosen c
          on f.doc_id = c.doc_id and f.table_id || '|' || f.table_title = c.pick
        where f.classification = 'function' and f.item_code is not null
    ), names as (select distinct doc_id, item_code, item_name from rows)
    select r.entity_name, r.fiscal_year, r.report_kind, r.item_code, r.item_level, r.item_name,
           left(r.item_code, 3) as class_code, l1.item_name as class_name,
           case when r.item_level >= 2 then left(r.item_code, 5) end as section_code,
           l2.item_name as section_name, r.unit,
           max(r.amount) filter (where r.measure = 'total') as total,
           max(r.amount) filter (where r.measure = 'basic') as basic,
           max(r.amount) filter (where r.measure = 'project') as project,
           max(r.amount_yuan) filter (where r.measure = 'total') as total_yuan,
           max(r.amount_yuan) filter (where r.measure = 'basic') as basic_yuan,
           max(r.amount_yuan) filter (where r.measure = 'project') as project_yuan,
           r.table_title, r.doc_id
    from rows r
    left join names l1 on l1.doc_id = r.doc_id and l1.item_code = left(r.item_code, 3)
    left join names l2 on l2.doc_id = r.doc_id and l2.item_code = left(r.item_code, 5) and r.item_level >= 2
    group by all
    order by r.entity_name, r.fiscal_year, r.item_code
    """,
)

PROJECT_SCORES = View(
    "project_scores", "项目绩效得分",
    "One row per performance sheet: project, funds executed and execution rate, total score and grade, and how "
    "many of its indicators scored below their weight.",
    """
    select p.entity_name, p.fiscal_year, p.project_name, p.project_code, p.sheet_kind, p.funds_unit,
           p.budget_full_year, p.executed, p.execution_rate, p.total_weight, p.total_score, p.grade,
           count(i.ordinal) as n_indicators,
           count(i.ordinal) filter (where i.score < i.weight) as n_missed,
           p.project_id, p.doc_id
    from performance_projects p left join performance_indicators i using (project_id)
    group by all
    order by p.entity_name, p.project_id
    """,
)

PROCUREMENT_SUMMARY = View(
    "procurement_summary", "政府采购汇总",
    "Government procurement per report: total, goods, works, services, awarded to SMEs and to small/micro "
    "firms (万元), and the SME share of the total in percent.",
    """
    select entity_name, fiscal_year, report_kind, any_value(unit) as unit,
           max(amount) filter (where category = 'total') as total,
           max(amount) filter (where category = 'goods') as goods,
           max(amount) filter (where category = 'works') as works,
           max(amount) filter (where category = 'services') as services,
           max(amount) filter (where category = 'sme_awarded') as sme_awarded,
           max(amount) filter (where category = 'small_micro_awarded') as small_micro_awarded,
           round(100 * max(amount) filter (where category = 'sme_awarded')
                 / nullif(max(amount) filter (where category = 'total'), 0), 2) as sme_share_pct,
           string_agg(distinct source, ', ') as sources, doc_id
    from procurement
    group by entity_name, fiscal_year, report_kind, doc_id
    order by entity_name
    """,
)

VIEWS: tuple[View, ...] = (EXPENDITURE_BY_FUNCTION, PROJECT_SCORES, PROCUREMENT_SUMMARY)

# Comments of the view columns that are not columns of a curated table (those keep their table's comment).
VIEW_COLUMNS: dict[str, str] = {
    "class_code": "类编码 — Code of the function class (类) the row belongs to (3 digits)",
    "class_name": "类名称 — Name of the function class (类) the row belongs to",
    "section_code": "款编码 — Code of the section (款) a 款 or 项 row belongs to (5 digits); null for a 类 row",
    "section_name": "款名称 — Name of the section (款) a 款 or 项 row belongs to",
    "total": "合计 — Total in the printed unit",
    "basic": "基本支出 — Basic expenditure in the printed unit",
    "project": "项目支出 — Project expenditure in the printed unit",
    "total_yuan": "合计(元) — Total in yuan",
    "basic_yuan": "基本支出(元) — Basic expenditure in yuan",
    "project_yuan": "项目支出(元) — Project expenditure in yuan",
    "n_indicators": "指标数 — Number of indicators on the sheet",
    "n_missed": "未满分指标数 — Indicators scored below their weight",
    "goods": "货物 — Goods procurement", "works": "工程 — Works procurement",
    "services": "服务 — Services procurement", "sme_awarded": "授予中小企业合同金额 — Awarded to SMEs",
    "small_micro_awarded": "授予小微企业合同金额 — Awarded to small and micro firms",
    "sme_share_pct": "中小企业占比 — SME share of the total, percent (computed)",
    "sources": "来源 — table and/or text",
}
