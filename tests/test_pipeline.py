"""End to end through Dagster: raw directory in, curated Parquet and DuckDB catalog out."""

import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from assets.definitions import defs
from assets.run import run
from conftest import RAW
from pipeline.schema import DOCUMENTS


def test_every_curated_asset_has_a_blocking_check():
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert checks >= {f"{name}_expectations" for name in (
        "documents", "fiscal_facts", "performance_projects", "performance_indicators", "procurement",
        "reconciliation", "rejects")}


def test_definitions_load():
    assert {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()} == {
        "read_reports", "documents", "fiscal_facts", "performance_projects", "performance_indicators",
        "procurement", "reconciliation", "rejects", "catalog", "datapackage"
    }


def test_run_over_samples_and_bad_files(tmp_path, capsys):
    raw = tmp_path / "raw 原始"
    shutil.copytree(RAW, raw)
    (raw / "空文件.txt").write_bytes(b"")
    (raw / "scan.pdf").write_bytes(b"%PDF-1.4\n%binary")
    (raw / "copy of guizhou.txt").write_bytes((RAW / "guizhou_2024_final_account.txt").read_bytes())
    curated = tmp_path / "curated"

    assert run(raw, curated) == 0
    out = capsys.readouterr().out
    assert "[1/7]" in out and "Done: 7 documents, 5 read, 2 failed" in out

    table = pq.read_table(curated / "documents" / "documents.parquet")
    assert table.schema.equals(DOCUMENTS.arrow(), check_metadata=False)
    with duckdb.connect(str(curated / "yibao.duckdb"), read_only=True) as connection:
        rows = connection.execute(
            "select source_path, duplicate_paths, entity_name, status, error, source_format from documents"
        ).fetchall()
        comments = connection.execute(
            "select comment from duckdb_columns() where table_name = 'documents' and column_name = 'entity_name'"
        ).fetchone()
    by_path = {row[0]: row for row in rows}
    assert by_path["copy of guizhou.txt"][1] == ["guizhou_2024_final_account.txt"]
    assert by_path["copy of guizhou.txt"][2] == "贵州省医疗保障局"
    assert "guizhou_2024_final_account.txt" not in by_path  # one document, both paths recorded
    assert by_path["空文件.txt"][3:] == (
        "failed", "空文件.txt: empty file: it holds no text; replace it with the full export", None)
    assert by_path["scan.pdf"][3] == "failed" and "damaged PDF" in by_path["scan.pdf"][4]
    assert by_path["scan.pdf"][5] == "pdf"
    assert comments[0].startswith("单位名称")


def test_rerun_replaces_outputs(tmp_path):
    curated = tmp_path / "curated"
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "qiannan_2023_performance_evaluation.txt", raw)
    assert run(raw, curated) == 0
    assert run(raw, curated) == 0
    with duckdb.connect(str(curated / "yibao.duckdb"), read_only=True) as connection:
        assert connection.execute("select count(*) from documents").fetchone() == (1,)
    tables = ["documents", "fiscal_facts", "performance_indicators", "performance_projects", "procurement",
              "reconciliation", "rejects"]
    assert sorted(p.relative_to(curated).as_posix() for p in curated.rglob("*") if p.is_file()) == sorted(
        [f"{t}/{t}.parquet" for t in tables] + [f"csv/{t}.csv" for t in [*tables, "expenditure_by_function"]]
        + ["datapackage.json", "yibao.duckdb"])


def test_missing_raw_directory_is_a_clear_error(tmp_path, capsys):
    assert run(Path(tmp_path / "nope"), tmp_path / "curated") == 2
    assert "raw directory not found" in capsys.readouterr().err


def test_data_dictionary_is_up_to_date():
    from conftest import ROOT
    from pipeline.dictionary import render

    committed = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == render(), "run `python -m pipeline dictionary` and commit docs/data-dictionary.md"
