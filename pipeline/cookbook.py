"""The cookbook (`docs/cookbook.md`): questions a journalist asks, their SQL, and the answers on the samples.

`python -m pipeline cookbook` runs every query on the catalog and rewrites the
file with the actual answers; a test does the same and compares, so the
cookbook never goes stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.query import MAX_CELL, render, run_sql


# Which reports an answer has a row for; a recipe without a scope is a list (of the projects under 60%, of the
# failed checks …): only the reports that have such rows are in it, and its note says so.
SCOPES = {
    "every": "every report",
    "fiscal": "every budget and final account (a performance evaluation alone prints no fiscal tables)",
    "self_evaluation": "every report with project self-evaluation sheets (a budget prints their targets only)",
}

# The printed 合计 of the table expenditure_by_function reads each report from: a sum of its 类 rows may differ
# from it by the rounding of each row (the reports warn of 尾数误差), so an answer uses the printed figure.
PRINTED_TOTAL = """printed as (
  select doc_id, table_title, max(amount) filter (where measure = 'total') as total,
         max(amount) filter (where measure = 'basic') as basic, max(amount) filter (where measure = 'project') as project
  from fiscal_facts where item_code is null and item_name in ('合计', '总计') group by all
)"""


@dataclass(frozen=True)
class Recipe:
    question: str
    sql: str
    note: str = ""
    scope: str = ""  # a key of SCOPES, or "" for a list
    cell_width: int = MAX_CELL  # longer text is cut with …


RECIPES: tuple[Recipe, ...] = (
    Recipe("Which bureau spent the most on 信息化建设 (IT development, function code 2101504)?",
           """select entity_name, fiscal_year, report_kind, item_name, total, unit, total_yuan
from expenditure_by_function where item_code = '2101504' order by total_yuan desc""",
           "A list: only the reports that print a 2101504 line are in it (贵阳's 2025 budget plans nothing "
           "under 2101504)."),
    Recipe("How much went to 行政运行 (running the administration, 2101501) in each report?",
           """select entity_name, fiscal_year, report_kind, total, basic, project, unit
from expenditure_by_function where item_code = '2101501' order by entity_name""", scope="fiscal"),
    Recipe("基本支出 vs 项目支出: how much of each bureau's spending is basic (staff and running) and how much "
           "goes to projects?",
           """with classes as (
  select doc_id, entity_name, fiscal_year, report_kind, table_title, any_value(unit) as unit,
         sum(total) as total, sum(basic) as basic, sum(project) as project
  from expenditure_by_function where item_level = 1 group by all
), """ + PRINTED_TOTAL + """
select entity_name, fiscal_year, report_kind, coalesce(p.total, c.total) as total,
       coalesce(p.basic, c.basic) as basic, coalesce(p.project, c.project) as project,
       round(100 * coalesce(p.project, c.project) / coalesce(p.total, c.total), 1) as project_pct, unit,
       if(p.total is null, 'sum of 类 rows', 'printed 合计') as total_source
from classes c left join printed p using (doc_id, table_title) order by project_pct desc, entity_name""",
           "The figures are the table's printed 合计 row; where a table prints none, the sum of its 类 rows "
           "(`total_source` says which). The two may differ by a cent of rounding: 贵州's 支出决算表 prints "
           "合计 20,608.82 over 类 rows that add up to 20,608.83.", scope="fiscal"),
    Recipe("What share of each bureau's spending is 卫生健康支出 (health, class 210)?",
           """with classes as (
  select doc_id, entity_name, fiscal_year, table_title, sum(total) filter (where item_code = '210') as health,
         sum(total) as total
  from expenditure_by_function where item_level = 1 group by all
), """ + PRINTED_TOTAL + """
select entity_name, fiscal_year, health, coalesce(p.total, c.total) as total,
       round(100 * health / coalesce(p.total, c.total), 1) as health_pct,
       if(p.total is null, 'sum of 类 rows', 'printed 合计') as total_source
from classes c left join printed p using (doc_id, table_title) order by health_pct desc, entity_name""",
           "The total is the printed 合计 where the table prints one (`total_source`).", scope="fiscal"),
    Recipe("“三公”经费 (overseas travel, vehicles, official reception): budget against final account",
           """select entity_name, fiscal_year, report_kind,
       max(amount) filter (where measure = 'budget_total') as budget_total,
       max(amount) filter (where measure = 'final_total') as final_total,
       max(amount) filter (where measure = 'budget_reception') as budget_reception,
       max(amount) filter (where measure = 'final_reception') as final_reception,
       max(amount) filter (where measure = 'budget_vehicle_total') as budget_vehicles,
       max(amount) filter (where measure = 'final_vehicle_total') as final_vehicles, any_value(unit) as unit
from fiscal_facts where table_id = 'three_public' group by all order by entity_name""",
           "Every figure is printed in the “三公” table (its 合计 row for the totals). A budget prints the year's "
           "budget only: its final-account columns are empty.", scope="fiscal"),
    Recipe("How much of each bureau's government procurement went to small and medium-sized enterprises?",
           """select entity_name, fiscal_year, total, sme_awarded, small_micro_awarded,
       coalesce(s.share_pct, v.sme_share_pct) as sme_share_pct,
       case when s.share_pct is not null then 'printed' when v.sme_share_pct is not null then 'computed' end
         as share_source, unit, sources
from procurement_summary v
left join (select doc_id, share_pct from procurement where category = 'sme_awarded') s using (doc_id)
order by entity_name""",
           "The share is the one the report prints (占政府采购支出总额的32.9%) where it prints one, else "
           "sme_awarded / total (`share_source`). 贵阳's budget plans its procurement by kind only, no SME figures.",
           scope="fiscal"),
    Recipe("Which projects executed less than 60% of their full-year budget?",
           """select entity_name, project_name, budget_full_year, executed, funds_unit, execution_rate,
       total_score
from project_scores where execution_rate < 60 order by execution_rate, entity_name, project_name""",
           "A list: only the projects under 60% are in it (execution rates as printed on the sheets)."),
    Recipe("Which performance indicators missed their targets (scored below their weight), and what reason "
           "was given?",
           """select p.entity_name, p.project_name, i.indicator, i.target_text, i.actual_text, i.weight, i.score,
       i.shortfall_reason
from performance_indicators i join performance_projects p using (project_id)
where i.score < i.weight
order by i.weight - i.score desc, p.entity_name, p.project_name, i.indicator limit 15""",
           "A list: only the 15 indicators that fell furthest below their weight are in it."),
    Recipe("What is the average self-evaluation score of each bureau's projects?",
           """select entity_name, count(*) as sheets, round(avg(total_score / total_weight * 100), 1) as avg_pct,
       sum(n_missed) as indicators_missed
from project_scores where total_weight > 0 and sheet_kind = 'self_evaluation'
group by entity_name order by avg_pct, entity_name""",
           "`avg_pct` is the average of each sheet's printed total score over its printed total weight.",
           scope="self_evaluation"),
    Recipe("人员经费 vs 公用经费: staff costs against running costs in the basic expenditure",
           """select entity_name, fiscal_year, report_kind,
       coalesce(max(amount) filter (where item_name like '人员经费%'),
                max(amount) filter (where measure = 'personnel' and item_name in ('合计', '总计'))) as personnel,
       coalesce(max(amount) filter (where item_name like '公用经费%'),
                max(amount) filter (where measure = 'public' and item_name in ('合计', '总计'))) as public,
       any_value(unit) as unit
from fiscal_facts where table_id = 'general_budget_basic_expenditure' and item_code is null
group by all having personnel is not null order by entity_name""",
           "Final accounts print 人员经费合计 and 公用经费合计 rows; budgets print 人员经费 and 公用经费 as "
           "columns, read here on their 合计 row.", scope="fiscal"),
    Recipe("How well do the reports add up? Checks passed, failed and not applicable per report",
           """select d.entity_name, d.report_kind, count(*) as checks,
       count(*) filter (where passed) as passed, count(*) filter (where not passed) as failed,
       count(*) filter (where passed is null) as not_applicable
from reconciliation r join documents d using (doc_id) group by all order by d.entity_name, d.report_kind""",
           scope="every"),
    Recipe("Which printed figures disagree with each other (failed checks of the fiscal tables)?",
           """select d.entity_name, r.table_id, r."check", r.subject, r.expected, r.actual, r.difference
from reconciliation r join documents d using (doc_id)
where not r.passed and r.table_id not in ('performance', 'procurement')
order by d.entity_name, r.table_id, r.subject""",
           "A list: only the reports with a failing check are in it."),
    Recipe("Which reports were read only in part, and why?",
           """select entity_name, report_kind, status, partial_reason from documents order by entity_name, report_kind""",
           "`partial_reason` counts a partial report's rejects by kind and names the tables its 目录 lists that were "
           "not read (`missing_tables`); the rejects themselves are in `rejects`, each with its printed line.",
           scope="every", cell_width=240),
    Recipe("What could not be read, and why? The commonest rejects, per report and reason",
           """select d.entity_name, r.stage, r.reason, count(*) as n
from rejects r join documents d using (doc_id)
group by all order by n desc, d.entity_name, r.stage, r.reason limit 12""",
           "A list: only the 12 commonest reasons are in it; a report read whole has no rejects."),
)

HEADER = """# Cookbook

Questions a journalist asks of the dataset, with the SQL that answers them and
the answer on the sample corpus (`data/raw/`). Run any of them with

```sh
python -m pipeline sql "select …"          # add --csv FILE, --json or --xlsx FILE to export
```

or from Python with `duckdb.connect("data/curated/yibao.duckdb", read_only=True)`.
Amounts are in the unit printed in the report (`unit`, mostly 万元 = 10,000
yuan); `*_yuan` columns convert them. Generated by `python -m pipeline cookbook`;
a test reruns every query and compares the answers.
"""


def render_cookbook(curated_dir: Path) -> str:
    parts = [HEADER]
    for number, recipe in enumerate(RECIPES, start=1):
        columns, rows = run_sql(curated_dir, recipe.sql)
        answers = f"*One row for {SCOPES[recipe.scope]}.*\n\n" if recipe.scope else ""
        parts.append(f"\n## {number}. {recipe.question}\n\n{answers}```sql\n{recipe.sql}\n```\n\n"
                     f"```text\n{render(columns, rows, recipe.cell_width)}\n```\n")
        if recipe.note:
            parts.append(f"\n{recipe.note}\n")
    return "".join(parts)
