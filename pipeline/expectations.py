"""Great Expectations suites of the curated tables, generated from their schemas, and their validation.

The suites are data (`expectations/<table>.json`), generated from
`pipeline/schema.py` and the canonical key sets below, so the writer, the
catalog comments, the data dictionary and the checks say the same thing.
Regenerate with `python -m pipeline expectations`; a test keeps them in step.
Great Expectations is imported only when a suite is validated (it takes
seconds to import).

Each expectation has a scope (`meta.scope`). `contract`: the table's shape and
vocabulary, the same for every report (its columns in order, the allowed
values of canonical keys, the form of the ids the pipeline makes): a failure
is a defect of our code and blocks the catalog. `report`: what one report's
reading yields (required fields filled, codes and years of the right form,
amounts in range, natural keys unique): a failure is evidence that this
report was misread, and quarantines that report alone (`pipeline/quarantine.py`).
"""

from __future__ import annotations

import gc
import json
import os
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyarrow as pa

from pipeline.fiscal.headers import CARRIED_PARTS
from pipeline.fiscal.layouts import LAYOUTS, MEASURE_WORDS, THREE_PUBLIC_GROUPS, THREE_PUBLIC_ITEMS
from pipeline.fiscal.tables import TABLE_RULES
from pipeline.performance.levels import LEVEL1, LEVEL2
from pipeline.procurement import CATEGORIES
from pipeline.schema import CURATED_TABLES, NATURAL_KEYS, TableSchema

EXPECTATIONS_DIR = Path(__file__).resolve().parent.parent / "expectations"

# Every canonical key column and the values it may hold.
ALLOWED: dict[str, list[str]] = {
    "table_id": sorted({rule.table_id for rule in TABLE_RULES} | {"fiscal_appropriation_basic_expenditure"}),
    "report_kind": ["budget", "final_account", "performance_evaluation"],
    "source_format": ["markdown", "pdf", "pdf_ocr", "text_layout", "tsv"],
    "status": ["failed", "ok", "partial", "quarantined"],
    "entity_level": ["central", "city", "county", "prefecture", "province"],
    "side": ["expenditure", "income"],
    "classification": ["economic_dept", "economic_gov", "function", "line", "unit"],
    "unit": ["%", "万元", "元"],
    "category": list(CATEGORIES),
    "source": ["table", "text"],
    "sheet_kind": ["self_evaluation", "target_approval"],
    "funds_unit": ["万元", "元"],
    "level1_key": sorted({key for _, key in LEVEL1}),
    "level2_key": sorted({key for _, key in LEVEL2} | {"other"}),
    "direction": ["negative", "positive"],
    "target_op": ["<", "<=", "=", ">", ">=", "qualitative"],
    "actual_op": ["<", "<=", "=", ">", ">=", "qualitative"],
    "check": ["children_sum", "column_sum", "cross_table", "execution_rate", "part_of_whole", "score_sum",
              "score_within_weight", "share", "summary_balance", "text_vs_table", "weight_sum"],
    "stage": ["audit", "contents", "fiscal", "performance", "read"],
}


def _measures() -> str:
    """The measure keys the parsers can produce, as one anchored pattern (economic codes are open)."""
    keys = {m for layouts in LAYOUTS.values() for layout in layouts for b in layout.blocks for m in b.measures}
    keys |= set(MEASURE_WORDS) | {"final", "budget"} | {f"carryover_{m}" for m in CARRIED_PARTS}
    items = [key for key, _ in THREE_PUBLIC_ITEMS] + ["total_incl_meetings_training", "meetings", "training",
                                                      "admin_operating_costs", "overseas_travel_other",
                                                      "overseas_travel_research"]
    groups = [*THREE_PUBLIC_GROUPS, "amount"]
    keys |= {f"{group}_{item}" for group in groups for item in items}
    keys.discard("amount")
    known = "|".join(sorted(keys))
    return rf"^(?:(?:{known})(?:_of_which)?|economic_\d{{3}}(?:\d{{2}})?)$"


_PATTERNS = {"item_code": r"^\d{3}(?:\d{2}){0,2}$", "parent_code": r"^\d{3}(?:\d{2})?$", "doc_id": r"^[0-9a-f]{16}$",
             "measure": _measures()}
_NON_NEGATIVE = {"fiscal_facts": ["amount_yuan"], "procurement": ["amount", "amount_yuan"],
                 "performance_indicators": ["weight"], "performance_projects": ["total_weight"]}
_YEARS = {"min_value": 2010, "max_value": 2035}
_SHARES = {"fiscal_facts": ["ocr_confidence"]}  # between 0 and 1


CONTRACT, REPORT = "contract", "report"
_MADE_BY_US = {"doc_id", "measure"}  # patterns of ids and keys the pipeline makes, not reads


def suite(schema: TableSchema) -> dict:
    """The expectation suite of one curated table, as GX 1.x JSON, each expectation with its scope."""
    expectations = [_expectation("expect_table_columns_to_match_ordered_list", CONTRACT,
                                 column_list=schema.column_names)]
    for column in schema.columns:
        if not column.nullable:
            expectations.append(_expectation("expect_column_values_to_not_be_null", REPORT, column=column.name))
        values = ALLOWED.get(column.name)
        if values and schema.name == "reconciliation" and column.name == "table_id":
            values = values + ["performance", "procurement"]  # sheets and procurement are checked too
        if values:
            expectations.append(_expectation("expect_column_values_to_be_in_set", CONTRACT, column=column.name,
                                             value_set=values))
        if column.name in _PATTERNS:
            expectations.append(_expectation("expect_column_values_to_match_regex",
                                             CONTRACT if column.name in _MADE_BY_US else REPORT,
                                             column=column.name, regex=_PATTERNS[column.name]))
        if column.name == "fiscal_year":
            expectations.append(_expectation("expect_column_values_to_be_between", REPORT, column=column.name,
                                             **_YEARS))
        if column.name in _SHARES.get(schema.name, []):
            expectations.append(_expectation("expect_column_values_to_be_between", REPORT, column=column.name,
                                             min_value=0, max_value=1))
        if column.name in _NON_NEGATIVE.get(schema.name, []):
            condition = ({"row_condition": '~measure.str.startswith("change")', "condition_parser": "pandas"}
                         if schema.name == "fiscal_facts" else {})  # changes on last year may be negative
            expectations.append(_expectation("expect_column_values_to_be_between", REPORT, column=column.name,
                                             min_value=0, **condition))
    keys = NATURAL_KEYS.get(schema.name)
    if keys and len(keys) == 1:
        expectations.append(_expectation("expect_column_values_to_be_unique", REPORT, column=keys[0]))
    elif keys:
        expectations.append(_expectation("expect_compound_columns_to_be_unique", REPORT, column_list=keys,
                                         ignore_row_if="never"))
    if schema.name == "performance_indicators":
        # A score above its weight is a bureau's misprint the reconciliation reports; a few per report are
        # tolerated, more mean that the weight and score columns were misread.
        expectations.append(_expectation("expect_column_pair_values_a_to_be_greater_than_b", REPORT,
                                         column_A="weight", column_B="score", or_equal=True,
                                         ignore_row_if="either_value_is_missing", mostly=0.95))
    return {"name": schema.name, "expectations": expectations, "meta": {"generated_from": "pipeline/schema.py"}}


def _expectation(kind: str, scope: str, **kwargs) -> dict:
    return {"type": kind, "kwargs": kwargs, "meta": {"scope": scope}}


def write_suites(directory: Path = EXPECTATIONS_DIR) -> list[Path]:
    paths = []
    for schema in CURATED_TABLES:
        path = directory / f"{schema.name}.json"
        path.write_text(json.dumps(suite(schema), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def load_suite(name: str, directory: Path = EXPECTATIONS_DIR) -> dict:
    return json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))


# ------------------------------------------------------------ validation

@dataclass
class Finding:
    """An expectation some rows (or the table) did not meet: `rows` are their numbers in the validated table.

    A `mostly` expectation may have met its share over the whole table and still be listed, with
    `success` true, when some rows missed it: over one report's rows it may fail.
    """

    expectation: str
    kwargs: dict
    scope: str
    success: bool
    count: int
    unexpected: list[str]  # a few offending values
    rows: list[int]
    mostly: float


@dataclass
class Outcome:
    """A validation's result: what failed (each with a few offending values and all offending rows)."""

    success: bool
    findings: list[Finding]
    evaluated: int

    @property
    def failures(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.success]


@lru_cache(maxsize=1)
def _context():
    """One ephemeral GX context per process: making one costs about a second."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)  # no bars in the run's output
    return context


def prepare() -> None:
    """Import GX and make its context now: some five seconds, better spent while other processes parse."""
    _context()


def validate(table: pa.Table, suite_json: dict, extra: list[dict] | None = None) -> Outcome:
    """Validate an Arrow table against a suite (plus `extra` expectations known only at run time).

    Every offending row is listed by its number (GX's COMPLETE result format), so a slice of
    many reports validated at once tells which report each failure belongs to.
    """
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    context = _context()
    name = f"{suite_json['name']}_{uuid.uuid4().hex[:8]}"  # unique: concurrent checks must not collide
    batch = (context.data_sources.add_pandas(name).add_dataframe_asset(name)
             .add_batch_definition_whole_dataframe(name)
             .get_batch(batch_parameters={"dataframe": table.to_pandas(types_mapper=None)}))
    expectation_suite = gx.ExpectationSuite(name=name)
    for expectation in suite_json["expectations"] + (extra or []):
        expectation_suite.add_expectation_configuration(ExpectationConfiguration(
            type=expectation["type"], kwargs=expectation["kwargs"], meta=expectation.get("meta")))
    try:
        result = batch.validate(expectation_suite, result_format="COMPLETE")
    finally:
        context.data_sources.delete(name)  # the context would keep the data frame, validation after validation
        if table.num_rows > 100_000:
            gc.collect()  # GX leaves a large frame in reference cycles: free it now, not at some later collection
    findings = []
    for r in result.results:
        rows = [int(i) for i in r.result.get("unexpected_index_list") or []]
        if r.success and not rows:
            continue
        kwargs = {k: v for k, v in r.expectation_config.kwargs.items() if k != "batch_id"}
        findings.append(Finding(
            r.expectation_config.type, kwargs, (r.expectation_config.meta or {}).get("scope", CONTRACT),
            bool(r.success), r.result.get("unexpected_count") or len(rows),
            [str(v) for v in (r.result.get("partial_unexpected_list") or [])[:5]], rows,
            kwargs.get("mostly") or 1.0))
    return Outcome(bool(result.success), findings, len(result.results))


def short(kwargs: dict) -> dict:
    """An expectation's arguments for a message: long value lists counted, not listed."""
    return {k: (v if not isinstance(v, list) or len(v) <= 6 else f"{len(v)} values") for k, v in kwargs.items()}


# ------------------------------------------------------------ Data Docs

def build_data_docs(curated_dir: Path) -> Path:
    """Validate every curated table and write the GX Data Docs as static HTML to `<curated>/docs/`.

    The GX project lives in a scratch folder; only its rendered site is kept.
    The site is written beside the target and then moved over it.
    """
    import shutil
    import tempfile

    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    from pipeline.store import read_table, table_parts

    curated_dir = Path(curated_dir)
    target = curated_dir / "docs"
    with tempfile.TemporaryDirectory() as scratch:
        context = gx.get_context(mode="file", project_root_dir=scratch)
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        source = context.data_sources.add_pandas("curated")
        definitions, frames = [], {}
        for schema in CURATED_TABLES:
            if not table_parts(curated_dir, schema):
                continue
            frames[schema.name] = read_table(curated_dir, schema).to_pandas()
            batch = source.add_dataframe_asset(schema.name).add_batch_definition_whole_dataframe(schema.name)
            expectation_suite = gx.ExpectationSuite(name=schema.name)
            for expectation in load_suite(schema.name)["expectations"]:
                expectation_suite.add_expectation_configuration(
                    ExpectationConfiguration(type=expectation["type"], kwargs=expectation["kwargs"]))
            expectation_suite = context.suites.add(expectation_suite)
            definitions.append(context.validation_definitions.add(
                gx.ValidationDefinition(name=schema.name, data=batch, suite=expectation_suite)))
        for definition in definitions:
            definition.run(batch_parameters={"dataframe": frames[definition.name]})
        context.build_data_docs()
        site = Path(scratch) / "gx" / "uncommitted" / "data_docs" / "local_site"
        staging = curated_dir / ".docs.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(site, staging)
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    return target / "index.html"
