"""The Great Expectations suites: generated from the schemas, met by the samples, and blocking bad data."""

import json
import shutil

import pyarrow as pa
import pytest

import pipeline.report
from assets.run import run
from conftest import RAW, ROOT
from pipeline.expectations import EXPECTATIONS_DIR, load_suite, suite, validate
from pipeline.schema import CURATED_TABLES, FISCAL_FACTS
from pipeline.store import read_table


def test_suites_are_generated_from_the_schemas():
    for schema in CURATED_TABLES:
        committed = json.loads((EXPECTATIONS_DIR / f"{schema.name}.json").read_text(encoding="utf-8"))
        assert committed == json.loads(json.dumps(suite(schema))), (
            f"run `python -m pipeline expectations` and commit expectations/{schema.name}.json")


@pytest.fixture(scope="module")
def curated(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    shutil.copy(RAW / "sichuan_2024_final_account.txt", raw)
    out = tmp_path_factory.mktemp("curated")
    assert run(raw, out) == 0  # every blocking check passed on the sample
    return out


def _facts(curated) -> pa.Table:
    return read_table(curated, FISCAL_FACTS)


def _failed(table: pa.Table, extra=None) -> set[tuple[str, str]]:
    outcome = validate(table, load_suite("fiscal_facts"), extra)
    return {(f.expectation, f.kwargs.get("column", "")) for f in outcome.failures}


def test_corrupted_facts_fail_their_expectations(curated):
    facts = _facts(curated).to_pylist()
    assert _failed(pa.Table.from_pylist(facts, schema=FISCAL_FACTS.arrow())) == set()
    bad = [dict(facts[0], amount_yuan=-facts[0]["amount_yuan"] - 1),  # a negative amount
           dict(facts[1], table_id="balance_sheet"),                     # an unknown table_id
           facts[2]]                                                      # a duplicated key
    table = pa.Table.from_pylist(facts + bad, schema=FISCAL_FACTS.arrow())
    assert _failed(table) == {
        ("expect_column_values_to_be_between", "amount_yuan"),
        ("expect_column_values_to_be_in_set", "table_id"),
        ("expect_compound_columns_to_be_unique", ""),
    }


def test_a_contract_failure_blocks_the_catalog(curated, tmp_path, monkeypatch, capsys):
    """A table_id outside the contract's keys is a defect of the code, not of one report: nothing is published."""
    out = tmp_path / "curated"
    shutil.copytree(curated, out)
    catalog = (out / "yibao.duckdb").read_bytes()
    real = pipeline.report.parse_report

    def with_an_unknown_table(raw_dir, source, ocr=None, data=None):
        report = real(raw_dir, source, ocr, data)
        report.facts.append(dict(report.facts[0], table_id="balance_sheet", measure="total"))
        return report

    monkeypatch.setattr("pipeline.store.parse_report", with_an_unknown_table)
    raw = tmp_path / "raw"
    raw.mkdir()
    text = (RAW / "sichuan_2024_final_account.txt").read_bytes()
    (raw / "sichuan_2024_final_account.txt").write_bytes(text + b"\n")  # new bytes: parsed again
    assert run(raw, out) == 1
    err = capsys.readouterr().err
    assert "contract checks failed" in err and "fiscal_facts_expectations" in err and "balance_sheet" in err
    assert (out / "yibao.duckdb").read_bytes() == catalog  # the previous catalog is untouched


def test_every_expectation_has_a_scope():
    for schema in CURATED_TABLES:
        scopes = {e["type"]: e["meta"]["scope"] for e in load_suite(schema.name)["expectations"]}
        assert set(scopes.values()) <= {"contract", "report"}
        assert scopes["expect_table_columns_to_match_ordered_list"] == "contract"
    fiscal = {(e["type"], e["kwargs"].get("column")): e["meta"]["scope"]
              for e in load_suite("fiscal_facts")["expectations"]}
    assert fiscal[("expect_column_values_to_be_in_set", "table_id")] == "contract"
    assert fiscal[("expect_column_values_to_match_regex", "measure")] == "contract"
    assert fiscal[("expect_compound_columns_to_be_unique", None)] == "report"
    assert fiscal[("expect_column_values_to_match_regex", "item_code")] == "report"


def test_adding_an_expectation_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python -m pipeline expectations" in readme


def test_data_docs_are_written_as_static_html(curated):
    from pipeline.expectations import build_data_docs

    index = build_data_docs(curated)
    assert index == curated / "docs" / "index.html"
    html = index.read_text(encoding="utf-8")
    assert "fiscal_facts" in html and "documents" in html
    assert any((curated / "docs" / "validations").rglob("*.html"))


def test_an_unknown_measure_fails(curated):
    facts = _facts(curated).to_pylist()
    table = pa.Table.from_pylist(facts[:5] + [dict(facts[5], measure="totl")], schema=FISCAL_FACTS.arrow())
    assert ("expect_column_values_to_match_regex", "measure") in _failed(table)
