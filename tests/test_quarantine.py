"""Per-report quarantine: a misread report is held back alone, with its reasons; every other report is published."""

import contextlib
import io
import re
import shutil

import dagster as dg
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pipeline.store
from assets.definitions import defs
from assets.run import run
from conftest import RAW, ROOT
from pipeline.expectations import load_suite, validate
from pipeline.quarantine import split_findings
from pipeline.schema import CURATED_TABLES, DOCUMENTS, FISCAL_FACTS, PERFORMANCE_INDICATORS
from pipeline.store import part_path

PDF = ROOT / "tests" / "fixtures" / "pdf" / "jiangsu_npc_office_2019_budget_tables.pdf"


def misread(text: str) -> str:
    """The report as a reader that misreads the last digit of every amount in its tables would see it."""
    return "\n".join(re.sub(r"(\d+\.\d)(\d)", lambda m: m[1] + str((int(m[2]) + 3) % 10), line) if "\t" in line
                     else line for line in text.split("\n"))


def _run(raw, curated, **options) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = run(raw, curated, **options)
    return code, out.getvalue()


def _sql(curated, query):
    with duckdb.connect(str(curated / "yibao.duckdb"), read_only=True) as connection:
        return connection.execute(query).fetchall()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The five samples and a real PDF, and a copy of Guiyang's budget misread: one run."""
    raw = tmp_path_factory.mktemp("raw")
    shutil.copytree(RAW, raw, dirs_exist_ok=True)
    shutil.copy(PDF, raw)
    (raw / "misread.txt").write_text(misread((RAW / "guiyang_2025_budget.txt").read_text(encoding="utf-8")),
                                     encoding="utf-8")
    curated = tmp_path_factory.mktemp("curated")
    code, out = _run(raw, curated)
    return raw, curated, code, out


def _doc_id(curated, path):
    return _sql(curated, f"select doc_id from documents where source_path = '{path}'")[0][0]


def test_a_misread_report_is_quarantined_and_the_others_are_published(store):
    raw, curated, code, out = store
    assert code == 0
    statuses = dict(_sql(curated, "select source_path, status from documents"))
    assert statuses.pop("misread.txt") == "quarantined"
    assert set(statuses.values()) <= {"ok", "partial"} and len(statuses) == 6
    (error,) = _sql(curated, "select error from documents where source_path = 'misread.txt'")[0]
    assert error.startswith("reconciliation: ") and "below 90%" in error
    bad = _doc_id(curated, "misread.txt")
    for schema in CURATED_TABLES:  # published nowhere but in documents; every row kept in quarantine.*
        stored = pq.read_table(part_path(curated, schema, bad)).num_rows
        published = _sql(curated, f"select count(*) from {schema.name} where doc_id = '{bad}'")[0][0]
        held = _sql(curated, f"select count(*) from quarantine.{schema.name} where doc_id = '{bad}'")[0][0]
        assert (published, held) == ((1, 1) if schema is DOCUMENTS else (0, stored)), schema.name
    for view in ("expenditure_by_function", "project_scores", "procurement_summary"):
        assert _sql(curated, f"select count(*) from {view} where doc_id = '{bad}'") == [(0,)]
    assert _sql(curated, f"select count(*) from quarantine.fiscal_facts where doc_id <> '{bad}'") == [(0,)]
    # The good reports are all there: Guiyang's budget prints 本年收入合计 1954.47 (line 63 and its 收支总表).
    guiyang = _doc_id(curated, "guiyang_2025_budget.txt")
    assert _sql(curated, f"select count(*) from fiscal_facts where doc_id = '{guiyang}' and amount = 1954.47")[0][0] > 0
    assert pq.read_table(part_path(curated, DOCUMENTS, bad)).to_pylist()[0]["status"] == "quarantined"
    lines = out.strip().splitlines()
    assert f"  quarantined: misread.txt: {error}" in lines
    assert lines[-1] == ("7 files read, 0 unchanged; 0 failed by their file, 0 failed by us (tried again next run); "
                         "1 report quarantined (their rows are in the catalog's quarantine schema), 6 reports published")


def test_strict_exits_1_when_a_report_is_quarantined(store, tmp_path):
    raw, curated, _, _ = store
    copy = tmp_path / "curated"
    shutil.copytree(curated, copy)
    code, out = _run(raw, copy, strict=True)
    assert code == 1 and "0 new, changed or to parse again" in out and "1 report quarantined" in out
    assert _sql(copy, "select count(*) from documents where status = 'quarantined'") == [(1,)]


def test_a_replaced_file_leaves_quarantine(store, tmp_path):
    raw, curated, _, _ = store
    fixed, copy = tmp_path / "raw", tmp_path / "curated"
    shutil.copytree(raw, fixed)
    shutil.copytree(curated, copy)
    (fixed / "misread.txt").write_bytes((RAW / "guiyang_2025_budget.txt").read_bytes() + b"\n")
    code, out = _run(fixed, copy)
    assert code == 0 and out.strip().splitlines()[-1].endswith("; 0 reports quarantined, 7 reports published")
    assert _sql(copy, "select status from documents where source_path = 'misread.txt'") == [("partial",)]
    assert all(_sql(copy, f"select count(*) from quarantine.{s.name}") == [(0,)] for s in CURATED_TABLES)


def test_new_code_parses_a_quarantined_report_again(store, tmp_path, monkeypatch):
    raw, curated, _, _ = store
    copy = tmp_path / "curated"
    shutil.copytree(curated, copy)
    monkeypatch.setattr(pipeline.store, "code_version", lambda: "new code")
    code, out = _run(raw, copy)
    assert code == 0 and "1 new, changed or to parse again" in out
    assert "misread.txt: tsv, 16 tables" in out and "guiyang_2025_budget.txt: unchanged" in out
    assert _sql(copy, "select status from documents where source_path = 'misread.txt'") == [("quarantined",)]
    code, out = _run(raw, copy)  # read by this code now: not again
    assert "0 new, changed or to parse again" in out and "misread.txt: unchanged" in out


def test_the_sensor_asks_new_code_to_read_a_quarantined_report(store, tmp_path, monkeypatch):
    from assets.automation import raw_files_sensor
    from assets.resources import CorpusDirs

    raw, curated, _, _ = store
    dirs = CorpusDirs(raw_dir=str(raw), curated_dir=str(curated))
    with dg.instance_for_test() as instance:
        first = raw_files_sensor(dg.build_sensor_context(instance=instance, resources={"dirs": dirs}))
        again = raw_files_sensor(dg.build_sensor_context(instance=instance, cursor=first.cursor,
                                                         resources={"dirs": dirs}))
        assert again.run_requests == []  # read by the code loaded: nothing to do
        monkeypatch.setattr(pipeline.store, "code_version", lambda: "new code")
        monkeypatch.setattr("assets.automation.code_version", lambda: "new code")
        later = raw_files_sensor(dg.build_sensor_context(instance=instance, cursor=first.cursor,
                                                         resources={"dirs": dirs}))
    assert [(r.job_name, r.partition_key) for r in later.run_requests] == [("reports_job", "misread.txt")]


def test_the_dagster_ui_shows_the_quarantined_report(store, tmp_path):
    raw, curated, _, _ = store
    copy = tmp_path / "curated"
    shutil.copytree(curated, copy)
    config = {"resources": {"dirs": {"config": {"raw_dir": str(raw), "curated_dir": str(copy)}}}}
    with dg.instance_for_test() as instance:
        result = defs.resolve_job_def("catalog_job").execute_in_process(instance=instance, run_config=config)
    assert result.success
    (materialization,) = [e.materialization for e in result.get_asset_materialization_events()
                          if e.materialization.asset_key == dg.AssetKey("quarantine")]
    assert materialization.metadata["quarantined"].value == 1
    assert "misread.txt" in materialization.metadata["reports"].value
    evaluations = {e.asset_check_evaluation_data.check_name: e.asset_check_evaluation_data
                   for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"}
    rate = evaluations["reconciliation_pass_rate"]
    assert not rate.passed and rate.severity == dg.AssetCheckSeverity.WARN
    assert evaluations["fiscal_facts_expectations"].passed


def test_findings_are_split_by_report():
    """Two reports validated at once: the duplicate key and the scores above weight belong to one of them."""
    facts = [{"doc_id": doc, "table_id": "expenditure", "table_title": "支出表", "item_code": code,
              "item_name": "x", "measure": "total", "amount": 1, "unit": "万元", "amount_yuan": 10000,
              "blank_in_source": False, "repaired": False, "source_line": line}
             for doc, code, line in (("a" * 16, "201", 5), ("a" * 16, "201", 5), ("b" * 16, "201", 5))]
    table = pa.Table.from_pylist(facts, schema=FISCAL_FACTS.arrow())
    contract, reports = split_findings(validate(table, load_suite("fiscal_facts")), table,
                                       [("a" * 16, 2), ("b" * 16, 1)], FISCAL_FACTS)
    assert contract == [] and list(reports) == ["a" * 16]
    assert reports["a" * 16] == ["fiscal_facts: expect_compound_columns_to_be_unique (doc_id, table_id, table_title, "
                                 "side, item_code, item_name, section, line_no, measure, source_line, source_page): 2 "
                                 "rows, "
                                 "e.g. expenditure 201 x total 1.00 line 5; expenditure 201 x total 1.00 line 5"]
    # 1 score above its weight in 20 is within the 5% a report may have; 1 in 2 is not.
    rows = [{"project_id": f"{doc}-1", "doc_id": doc, "ordinal": n, "weight": 10, "score": 12 if n == 0 else 9}
            for doc, count in (("a" * 16, 20), ("b" * 16, 2)) for n in range(count)]
    table = pa.Table.from_pylist(rows, schema=PERFORMANCE_INDICATORS.arrow())
    contract, reports = split_findings(validate(table, load_suite("performance_indicators")), table,
                                       [("a" * 16, 20), ("b" * 16, 2)], PERFORMANCE_INDICATORS)
    assert contract == [] and list(reports) == ["b" * 16]
    assert "1 of 2 rows" in reports["b" * 16][0]


def test_every_fixture_runs_to_a_catalog(tmp_path):
    """The real PDFs of tests/fixtures/pdf and the samples: one run publishes what it can read and says why not."""
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "tests" / "fixtures" / "pdf", raw)
    shutil.copytree(RAW, raw, dirs_exist_ok=True)
    code, out = _run(raw, tmp_path / "curated")
    assert code == 0 and "published" in out.strip().splitlines()[-1]
    rows = _sql(tmp_path / "curated", "select source_path, status, error from documents")
    assert len(rows) == len(list(raw.iterdir()))
    assert all((status in ("ok", "partial")) == (error is None) for _, status, error in rows)
    assert dict((path, status) for path, status, _ in rows)["encrypted_one_page.pdf"] == "failed"
