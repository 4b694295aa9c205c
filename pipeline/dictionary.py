"""The data dictionary (`docs/data-dictionary.md`), generated from `pipeline/schema.py`.

Regenerate with `python -m pipeline dictionary`; a test keeps the committed
file equal to what the schema says.
"""

from __future__ import annotations

from pipeline.fiscal.layouts import (LAYOUTS, MEASURE_WORDS, THREE_PUBLIC_FUNDS, THREE_PUBLIC_ITEMS, THREE_PUBLIC_PHASES,
                                     words_of)
from pipeline.fiscal.tables import TABLE_RULES
from pipeline.schema import CURATED_TABLES
from pipeline.views import VIEW_COLUMNS, VIEWS

HEADER = """# Data dictionary

Generated from `pipeline/schema.py` by `python -m pipeline dictionary`; do not edit by hand.
The public contract is `../shared/contract.md`. Columns marked **extension** are
compatible additions of this project (new columns; nothing of the contract removed
or changed).
"""


KEYS = """
## Canonical keys of `fiscal_facts`

### `table_id`

Recognised from the title (budget 预算 and final-account 决算 titles alike; table
numbers are recorded in `table_number` but never used), or from the header when
the title page is lost. Rules are tried in this order:

| table_id | title pattern (year, 部门 and parentheses removed) |
|---|---|
{tables}

### `measure`

The column's canonical key. `measure_label` keeps the printed header. The single
amount column of a table is `final` in a final account and `budget` in a budget
(printed `决算数`, `预算数` or `金额`). Keys beyond the contract's core list are
extensions of this project (marked **ext.**).

| measure | printed header words (regex) | used in |
|---|---|---|
{measures}

Derived families:

- `carryover_<m>`, `carryover_end_<m>`: the 上年结转结余 / 年终结转结余 group of a
  budget's 收入/支出总表, and the 上年结转结余 group of an expenditure table that
  prints 当年预算 and 上年结转结余 side by side (`carryover_basic`, …; its 合计 over
  both is `grand_total`) (**ext.**).
- `government_procurement` (政府采购 … 小计), `government_procurement_reserved_sme` (其中:预留给中小企业),
  `government_procurement_reserved_small_micro` (其中:预留给小型、微型企业): the government-procurement
  sub-columns a budget's 支出总表 may print (**ext.**).
- `general_budget_<m>`, `government_fund_<m>`, `state_capital_<m>` with `<m>` in
  `total`, `basic`, `project`: the fund groups of 财政拨款支出决算明细表 (**ext.**).
- `economic_<code>`: a column of the function × economic cross-tab
  (`general_budget_expenditure_detail`), keyed by the economic code that the
  same report prints for that name (`economic_301` is the class's 小计) (**ext.**).
- “三公”: `<group>_<item>`; groups {phases}, plus `prior_budget` for a year
  before the newest printed and `final_general_budget` / `final_government_fund`
  for the `其中:` sub-columns of the final account (**ext.**), and
  `<phase>_<fund>` (`budget_general_budget`, `budget_government_fund`,
  `budget_state_capital`, and `final_…` alike) for a table whose columns are
  sources of funds ({funds}), its 合计 column being `<phase>` (**ext.**);
  items {items}. The phases are told apart however the header nests them
  (预算数 and 决算数 above the items, or under each item). A header that would
  give two columns one measure is not read: its rows go to `rejects`.
"""

_CORE = {"amount", "total", "fiscal_appropriation", "higher_level_subsidy", "business", "operating",
         "affiliated_remit", "other", "basic", "project", "remit_to_higher", "subsidy_to_affiliated",
         "personnel", "public", "general_budget", "government_fund", "state_capital"}


def _keys() -> str:
    tables = "\n".join(f"| `{rule.table_id}` | `{rule.pattern.replace('|', ' or ')}` |" for rule in TABLE_RULES)
    used: dict[str, set[str]] = {}
    for table_id, layouts in LAYOUTS.items():
        for layout in layouts:
            for block in layout.blocks:
                for measure in block.measures:
                    used.setdefault(measure, set()).add(table_id)
    measures = "\n".join(
        f"| `{'final` / `budget' if m == 'amount' else m}`{'' if m in _CORE else ' **ext.**'} | "
        f"`{(words_of(m) or '').replace('|', ' or ')}` | {', '.join(f'`{t}`' for t in sorted(used[m]))} |"
        for m in sorted(used, key=lambda m: (m not in MEASURE_WORDS, m))
    )
    phases = ", ".join(f"`{key}` ({words.replace('|', ' / ')})" for key, words in THREE_PUBLIC_PHASES)
    items = ", ".join(f"`{key}`" for key, _ in THREE_PUBLIC_ITEMS)
    funds = ", ".join(f"`{key}` {words.replace('(?:', '[').replace(')?', ']')}" for key, words in THREE_PUBLIC_FUNDS)
    return KEYS.format(tables=tables, measures=measures, phases=phases, items=items, funds=funds)


def _views() -> str:
    """The catalog's analyst views and the data package: extensions of the contract."""
    lines = ["\n## Analyst views of `yibao.duckdb` (**extension**)\n",
             "Views over the curated tables (`pipeline/views.py`), stored in the catalog as tables; at every "
             "catalog update the rows of the reports that changed are computed again and stored after the others, "
             "so a query that needs an order says `ORDER BY`. Columns not listed here keep the meaning of the "
             "curated column of the same name.\n"]
    for view in VIEWS:
        lines.append(f"- `{view.name}` — {view.zh}: {view.en}")
    lines.append("\n| view column | 中文 — meaning |\n|---|---|")
    lines += [f"| `{name}` | {comment} |" for name, comment in VIEW_COLUMNS.items()]
    lines.append(
        "\n## Storage layout\n\n"
        "Each curated table is a folder of Parquet files, one per report: `<table>/doc_id=<doc_id>/part-0.parquet` "
        "(the contract's one folder per table, partitioned by document so that reports are written "
        "independently). `_state/` records which raw file holds which document.\n")
    lines.append(
        "\n## Frictionless data package (**extension**)\n\n"
        "`data/curated/datapackage.json` describes CSV exports (`data/curated/csv/`) of every curated table "
        "and of `expenditure_by_function`, with the titles and meanings above, `required` constraints, "
        "`doc_id` foreign keys to `documents`, and Fiscal Data Package `columnType`s where they fit "
        "(fiscal year, issuing body, function codes and labels of 类 and 款, projects, amounts) and a "
        "constant `currency` of `CNY`. Lists are JSON arrays; timestamps are ISO 8601 UTC. Rows are in the "
        "catalog's order, so a refresh's reports come after the others; a refresh copies the rows of the "
        "reports that did not change from the last export. `python -m pipeline datapackage` rebuilds it "
        "from the catalog.")
    return "\n".join(lines) + "\n"


SQLITE = """
## SQLite export for Datasette (**extension**)

`python -m pipeline serve` (`pipeline/serve.py`) writes `yibao.sqlite` beside the catalog: every table and
view above with the same columns, and the cookbook's answers (`cookbook_q01` …), except that

- a `decimal128` column (amounts, scores, rates, weights) is `REAL`: the exact decimal, stored as the
  double that reads back as it (`3415.80` is `3415.8`; exact up to 15 significant digits, and the export
  warns of any longer value), so it sorts and filters by value. In Datasette, `sum()` and `avg()` of it
  add the decimals exactly (`sum(amount)` is the sum to the cent; a plugin replaces SQLite's, which adds
  binary fractions: `12588.449999999999` for 12588.45). The pages show it with its scale and unit (`3415.80 万元`);
  JSON and CSV give the number (`3415.8`);
- each `decimal128(…, 2)` column (money) is followed by `<column>_x100`, `INTEGER`: the amount in
  hundredths of its unit, exact in any SQLite tool (`sum(amount_x100) / 100.0`);
- lists are JSON text, timestamps ISO 8601 UTC text, booleans 0 or 1;
- the hidden table `row_runs` records, for each table, the runs of rows (rowids) with one `doc_id`,
  `unit` or `funds_unit` (so a page that leaves those columns out still links a row to its source and
  shows its unit), and `export_info` which catalog and code made the export.

Change to the export (no change to the Parquet tables or the catalog): a `decimal128` column used to be
`TEXT` as printed (`'3415.80'`, which sorted as text), with a `REAL` companion `<column>_num` for scores
and rates; it is now the number itself, and `<column>_num` is gone (use the column: `total_score` for
`total_score_num`). `<column>_x100` is unchanged.
"""


def render() -> str:
    parts = [HEADER]
    for schema in CURATED_TABLES:
        parts.append(f"\n## `{schema.name}` — {schema.zh}\n\n{schema.en}\n")
        parts.append("| column | type | 中文 | meaning | nullable | |\n|---|---|---|---|---|---|")
        for column in schema.columns:
            parts.append(
                f"| `{column.name}` | `{column.type}` | {column.zh} | {column.en} | "
                f"{'yes' if column.nullable else 'no'} | {'**extension**' if column.extension else ''} |"
            )
    parts.append(_views())
    parts.append(SQLITE)
    parts.append(_keys())
    return "\n".join(parts) + "\n"
