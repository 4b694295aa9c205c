"""End to end through Dagster: raw directory in, curated Parquet and DuckDB catalog out."""

import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from assets.definitions import defs
from assets.run import run
from conftest import RAW
from pipeline.schema import DOCUMENTS
from pipeline.store import table_parts


def test_every_curated_asset_has_a_blocking_check():
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert checks >= {f"{name}_expectations" for name in (
        "documents", "fiscal_facts", "performance_projects", "performance_indicators", "procurement",
        "reconciliation", "rejects")}


def test_definitions_load():
    graph = defs.resolve_asset_graph()
    tables = {"documents", "fiscal_facts", "performance_projects", "performance_indicators", "procurement",
              "reconciliation", "rejects"}
    assert {key.to_user_string() for key in graph.get_all_asset_keys()} == tables | {"quarantine", "catalog",
                                                                                      "datapackage"}
    for key in graph.get_all_asset_keys():
        partitions = graph.get(key).partitions_def
        assert (partitions.name if partitions else None) == ("reports" if key.to_user_string() in tables else None)
    schedule = defs.resolve_schedule_def("nightly_refresh")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 2 * * *", "Asia/Shanghai")
    assert schedule.job_name == "catalog_job"
    assert {job.name for job in defs.resolve_sensor_def("raw_files_sensor").jobs} == {"reports_job", "catalog_job"}
    for name in ("reports_job", "catalog_job", "refresh_job", "refresh_job_dask"):
        assert defs.resolve_job_def(name).name == name


def test_run_over_samples_and_bad_files(tmp_path, capsys):
    raw = tmp_path / "raw 原始"
    shutil.copytree(RAW, raw)
    (raw / "空文件.txt").write_bytes(b"")
    (raw / "scan.pdf").write_bytes(b"%PDF-1.4\n%binary")
    (raw / "copy of guizhou.txt").write_bytes((RAW / "guizhou_2024_final_account.txt").read_bytes())
    curated = tmp_path / "curated"

    assert run(raw, curated) == 0
    out = capsys.readouterr().out
    assert "] 1/8 " in out and "same bytes as a file already parsed" in out
    assert "Done: 7 documents, 5 read, 2 failed, 4 partial;" in out  # 8 files, two of them with the same bytes
    # Why each partial report is partial (see test_partial_reason for the lines of data/raw/ each count stands for);
    # Qiannan is read whole, and a failed file says what is wrong on its own line.
    assert ("  partial: sichuan_2024_final_account.txt: 4 rejects: 2 indicator rows fitting no column, "
            "1 ### overflow marker, 1 figure beyond the header's columns\n") in out
    assert "  partial: copy of guizhou.txt: 4 rejects: 4 indicator rows fitting no column\n" in out
    assert out.count("  partial: ") == 4 and "partial: qiannan" not in out and "partial: scan.pdf" not in out

    for part in table_parts(curated, DOCUMENTS):
        assert pq.read_schema(part).equals(DOCUMENTS.arrow(), check_metadata=False)
    with duckdb.connect(str(curated / "yibao.duckdb"), read_only=True) as connection:
        rows = connection.execute(
            "select source_path, duplicate_paths, entity_name, status, error, source_format, partial_reason "
            "from documents"
        ).fetchall()
        comments = connection.execute(
            "select comment from duckdb_columns() where table_name = 'documents' and column_name = 'entity_name'"
        ).fetchone()
    by_path = {row[0]: row for row in rows}
    assert by_path["copy of guizhou.txt"][1] == ["guizhou_2024_final_account.txt"]
    assert by_path["copy of guizhou.txt"][2] == "贵州省医疗保障局"
    assert "guizhou_2024_final_account.txt" not in by_path  # one document, both paths recorded
    assert by_path["空文件.txt"][3:] == (
        "failed", "空文件.txt: empty file: it holds no text; replace it with the full export", None, None)
    assert by_path["copy of guizhou.txt"][3:5] == ("partial", None)  # why it is partial: not an error
    assert by_path["copy of guizhou.txt"][6] == "4 rejects: 4 indicator rows fitting no column"
    assert by_path["qiannan_2023_performance_evaluation.txt"][3::3] == ("ok", None)
    assert by_path["scan.pdf"][3] == "failed" and "damaged PDF" in by_path["scan.pdf"][4]
    assert by_path["scan.pdf"][5] == "pdf"
    assert comments[0].startswith("单位名称")


def test_missing_raw_directory_is_a_clear_error(tmp_path, capsys):
    assert run(Path(tmp_path / "nope"), tmp_path / "curated") == 2
    assert "raw directory not found" in capsys.readouterr().err


def test_data_dictionary_is_up_to_date():
    from conftest import ROOT
    from pipeline.dictionary import render

    committed = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == render(), "run `python -m pipeline dictionary` and commit docs/data-dictionary.md"
