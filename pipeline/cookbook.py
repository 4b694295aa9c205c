"""The cookbook (`docs/cookbook.md`): questions a journalist asks, their SQL, and the answers on the samples.

`python -m pipeline cookbook` runs every query on the catalog and rewrites the
file with the actual answers; a test does the same and compares, so the
cookbook never goes stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.query import render, run_sql


@dataclass(frozen=True)
class Recipe:
    question: str
    sql: str
    note: str = ""


RECIPES: tuple[Recipe, ...] = (
    Recipe("Which bureau spent the most on 信息化建设 (IT development, function code 2101504)?",
           """select entity_name, fiscal_year, report_kind, item_name, total, unit, total_yuan
from expenditure_by_function where item_code = '2101504' order by total_yuan desc"""),
    Recipe("How much went to 行政运行 (running the administration, 2101501) in each report?",
           """select entity_name, fiscal_year, report_kind, total, basic, project, unit
from expenditure_by_function where item_code = '2101501' order by entity_name"""),
    Recipe("基本支出 vs 项目支出: how much of each bureau's spending is basic (staff and running) and how much "
           "goes to projects?",
           """select entity_name, fiscal_year, report_kind, sum(total) as total, sum(basic) as basic,
       sum(project) as project, round(100 * sum(project) / sum(total), 1) as project_pct, any_value(unit) as unit
from expenditure_by_function where item_level = 1 group by all order by project_pct desc, entity_name"""),
    Recipe("What share of each bureau's spending is 卫生健康支出 (health, class 210)?",
           """select entity_name, fiscal_year,
       sum(total) filter (where item_code = '210') as health,
       sum(total) filter (where item_level = 1) as all_classes,
       round(100 * sum(total) filter (where item_code = '210') / sum(total) filter (where item_level = 1), 1)
         as health_pct
from expenditure_by_function group by all order by health_pct desc, entity_name"""),
    Recipe("“三公”经费 (overseas travel, vehicles, official reception): budget against final account",
           """select entity_name, fiscal_year, report_kind,
       max(amount) filter (where measure = 'budget_total') as budget_total,
       max(amount) filter (where measure = 'final_total') as final_total,
       max(amount) filter (where measure = 'final_reception') as final_reception,
       max(amount) filter (where measure = 'final_vehicle_total') as final_vehicles, any_value(unit) as unit
from fiscal_facts where table_id = 'three_public' and table_title not like '%预算%' group by all
order by entity_name"""),
    Recipe("How much of each bureau's government procurement went to small and medium-sized enterprises?",
           """select entity_name, fiscal_year, total, sme_awarded, small_micro_awarded, sme_share_pct, unit, sources
from procurement_summary order by entity_name"""),
    Recipe("Which projects executed less than 60% of their full-year budget?",
           """select entity_name, project_name, budget_full_year, executed, funds_unit, execution_rate,
       total_score
from project_scores where execution_rate < 60 order by execution_rate, entity_name, project_name"""),
    Recipe("Which performance indicators missed their targets (scored below their weight), and what reason "
           "was given?",
           """select p.entity_name, p.project_name, i.indicator, i.target_text, i.actual_text, i.weight, i.score,
       i.shortfall_reason
from performance_indicators i join performance_projects p using (project_id)
where i.score < i.weight
order by i.weight - i.score desc, p.entity_name, p.project_name, i.indicator limit 15"""),
    Recipe("What is the average self-evaluation score of each bureau's projects?",
           """select entity_name, count(*) as sheets, round(avg(total_score / total_weight * 100), 1) as avg_pct,
       sum(n_missed) as indicators_missed
from project_scores where total_weight > 0 and sheet_kind = 'self_evaluation'
group by entity_name order by avg_pct, entity_name"""),
    Recipe("人员经费 vs 公用经费: staff costs against running costs in the basic expenditure",
           """select entity_name, fiscal_year, report_kind,
       max(amount) filter (where item_name like '人员经费%') as personnel,
       max(amount) filter (where item_name like '公用经费%') as public, any_value(unit) as unit
from fiscal_facts where table_id = 'general_budget_basic_expenditure' and item_code is null
group by all having personnel is not null order by entity_name""",
           "Final accounts print 人员经费合计 and 公用经费合计 rows; budgets print them as columns instead."),
    Recipe("How well do the reports add up? Checks passed, failed and not applicable per report",
           """select d.entity_name, d.report_kind, count(*) as checks,
       count(*) filter (where passed) as passed, count(*) filter (where not passed) as failed,
       count(*) filter (where passed is null) as not_applicable
from reconciliation r join documents d using (doc_id) group by all order by d.entity_name, d.report_kind"""),
    Recipe("Which printed figures disagree with each other (failed checks of the fiscal tables)?",
           """select d.entity_name, r.table_id, r."check", r.subject, r.expected, r.actual, r.difference
from reconciliation r join documents d using (doc_id)
where not r.passed and r.table_id not in ('performance', 'procurement')
order by d.entity_name, r.table_id, r.subject"""),
    Recipe("What could not be read, and why? Rejects per report and reason",
           """select d.entity_name, r.stage, r.reason, count(*) as n
from rejects r join documents d using (doc_id)
group by all order by n desc, d.entity_name, r.stage, r.reason limit 12"""),
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
        parts.append(f"\n## {number}. {recipe.question}\n\n```sql\n{recipe.sql}\n```\n\n"
                     f"```text\n{render(columns, rows)}\n```\n")
        if recipe.note:
            parts.append(f"\n{recipe.note}\n")
    return "".join(parts)
