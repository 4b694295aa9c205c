"""The nightly refresh: a partition per raw file, the sensor, incremental runs and the Dask executor."""

import hashlib
import os
import shutil
import subprocess
import sys

import dagster as dg
import duckdb
import pytest

import pipeline.store
from assets.automation import raw_files_sensor
from assets.definitions import defs
from assets.resources import CorpusDirs
from assets.run import run
from conftest import RAW
from pipeline.schema import CURATED_TABLES, DOCUMENTS
from pipeline.store import read_table, table_parts


def _tick(instance, raw, curated, cursor):
    """One sensor evaluation, its partition requests applied as the daemon would."""
    dirs = CorpusDirs(raw_dir=str(raw), curated_dir=str(curated))
    result = raw_files_sensor(dg.build_sensor_context(instance=instance, cursor=cursor, resources={"dirs": dirs}))
    for request in result.dynamic_partitions_requests:
        if isinstance(request, dg.AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions(request.partitions_def_name, request.partition_keys)
        else:
            for key in request.partition_keys:
                instance.delete_dynamic_partition(request.partitions_def_name, key)
    return result


def _execute(instance, raw, curated, request):
    config = {"resources": {"dirs": {"config": {"raw_dir": str(raw), "curated_dir": str(curated)}}}}
    job = defs.resolve_job_def(request.job_name)
    result = job.execute_in_process(instance=instance, run_config=config, partition_key=request.partition_key)
    assert result.success


def _catalog_rows(curated, sql):
    with duckdb.connect(str(curated / "yibao.duckdb"), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_sensor_adds_replaces_and_removes_a_report(tmp_path):
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    report = raw / "新 报告.txt"
    with dg.instance_for_test() as instance:
        shutil.copy(RAW / "guiyang_2025_budget.txt", report)
        added = _tick(instance, raw, curated, None)
        assert [r.partition_keys for r in added.dynamic_partitions_requests] == [["新 报告.txt"]]
        assert [(r.job_name, r.partition_key) for r in added.run_requests] == [("reports_job", "新 报告.txt")]
        _execute(instance, raw, curated, added.run_requests[0])
        _execute(instance, raw, curated, dg.RunRequest(job_name="catalog_job"))
        assert _catalog_rows(curated, "select source_path, entity_name from documents") == [
            ("新 报告.txt", "贵阳市医疗保障局")]
        old_doc = _catalog_rows(curated, "select doc_id from documents")[0][0]

        quiet = _tick(instance, raw, curated, added.cursor)
        assert not quiet.run_requests and not quiet.dynamic_partitions_requests

        shutil.copy(RAW / "qiannan_2023_performance_evaluation.txt", report)  # same name, another report
        os.utime(report, ns=(0, os.stat(report).st_mtime_ns + 10**9))
        changed = _tick(instance, raw, curated, quiet.cursor)
        assert not changed.dynamic_partitions_requests
        assert [(r.job_name, r.partition_key) for r in changed.run_requests] == [("reports_job", "新 报告.txt")]
        _execute(instance, raw, curated, changed.run_requests[0])
        _execute(instance, raw, curated, dg.RunRequest(job_name="catalog_job"))
        assert _catalog_rows(curated, "select source_path, entity_name from documents") == [
            ("新 报告.txt", "黔南布依族苗族自治州医疗保障局")]  # 主管部门, line 12
        for schema in CURATED_TABLES:  # nothing of the old content is left, in Parquet or in the catalog
            assert old_doc not in read_table(curated, schema, ["doc_id"]).column(0).to_pylist()
            assert _catalog_rows(curated, f"select count(*) from {schema.name} where doc_id = '{old_doc}'") == [(0,)]
        assert read_table(curated, DOCUMENTS).num_rows == 1

        report.unlink()
        deleted = _tick(instance, raw, curated, changed.cursor)
        assert [(type(r).__name__, r.partition_keys) for r in deleted.dynamic_partitions_requests] == [
            ("DeleteDynamicPartitionsRequest", ["新 报告.txt"])]
        assert [r.job_name for r in deleted.run_requests] == ["catalog_job"]
        assert instance.get_dynamic_partitions("reports") == []
        _execute(instance, raw, curated, deleted.run_requests[0])
        for schema in CURATED_TABLES:
            assert not table_parts(curated, schema)
            assert _catalog_rows(curated, f"select count(*) from {schema.name}") == [(0,)]


def _digests(directory):
    return {p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_a_second_run_over_unchanged_inputs_parses_nothing(tmp_path, monkeypatch, capsys):
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    for name in ("guiyang_2025_budget.txt", "qiannan_2023_performance_evaluation.txt"):
        shutil.copy(RAW / name, raw)
    assert run(raw, curated) == 0
    before = _digests(curated)
    capsys.readouterr()

    def no_parsing(*args):
        raise AssertionError("an unchanged report was parsed again")

    monkeypatch.setattr(pipeline.store, "parse_report", no_parsing)
    assert run(raw, curated) == 0
    out = capsys.readouterr().out
    assert out.count("unchanged, not parsed again") == 2 and "Done: 2 documents" in out
    assert _digests(curated) == before  # every file byte for byte, the catalog included


def test_a_run_after_one_file_changed_covers_that_file_alone(tmp_path, capsys):
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    for name in ("guiyang_2025_budget.txt", "qiannan_2023_performance_evaluation.txt"):
        shutil.copy(RAW / name, raw)
    assert run(raw, curated) == 0
    changed = raw / "qiannan_2023_performance_evaluation.txt"
    changed.write_bytes(changed.read_bytes() + b"\n")
    capsys.readouterr()
    assert run(raw, curated) == 0
    out = capsys.readouterr().out
    assert "2 files in" in out and ": 1 new, changed or to parse again" in out
    assert "guiyang_2025_budget.txt: unchanged, not parsed again" in out
    assert "1/1 qiannan_2023_performance_evaluation.txt: tsv" in out  # the Dagster run's range is that file
    assert "Done: 2 documents" in out


def test_a_report_stored_before_a_column_was_added_is_parsed_again(tmp_path, capsys):
    """A store written by an older version lacks a column (here `documents.partial_reason`): the next run parses
    that report again instead of failing to build the catalog; the other report stays unchanged."""
    import pyarrow.parquet as pq

    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    for name in ("guiyang_2025_budget.txt", "qiannan_2023_performance_evaluation.txt"):
        shutil.copy(RAW / name, raw)
    assert run(raw, curated) == 0
    (old,) = [p for p in table_parts(curated, DOCUMENTS)
              if pq.read_table(p, columns=["source_path"])["source_path"][0].as_py().startswith("guiyang")]
    doc_id = old.parent.name.removeprefix("doc_id=")
    pq.write_table(pq.read_table(old).drop_columns(["partial_reason"]), old)  # as an older version wrote it
    (curated / "_state" / "layout" / doc_id).unlink()
    capsys.readouterr()
    assert run(raw, curated) == 0
    out = capsys.readouterr().out
    assert "1/1 guiyang_2025_budget.txt: tsv" in out
    assert "qiannan_2023_performance_evaluation.txt: unchanged, not parsed again" in out
    # 78 rejects (see test_curated_layer): the column is back
    assert _catalog_rows(curated, "select partial_reason like '78 rejects: %' from documents "
                                  "where source_path = 'guiyang_2025_budget.txt'") == [(True,)]


def test_the_dask_executor_on_a_local_cluster_gives_the_same_tables(tmp_path):
    distributed = pytest.importorskip("distributed")
    assert run(RAW, tmp_path / "in_process") == 0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            assert len(client.scheduler_info()["workers"]) == 2
        assert run(RAW, tmp_path / "dask", executor="dask", dask_address=cluster.scheduler_address) == 0
    for schema in CURATED_TABLES:
        local, remote = read_table(tmp_path / "in_process", schema), read_table(tmp_path / "dask", schema)
        if "parsed_at" in local.column_names:
            local, remote = local.drop_columns(["parsed_at"]), remote.drop_columns(["parsed_at"])
        assert local.num_rows > 0 and local.equals(remote), schema.name


def test_the_dask_executor_takes_dagster_dask_s_config_without_importing_dask_before_a_dask_run():
    from dagster_dask import dask_executor

    from assets.executors import range_safe_dask_executor

    ours, theirs = range_safe_dask_executor.config_schema.config_type, dask_executor.config_schema.config_type
    assert ours.key == theirs.key  # the same fields, types and descriptions
    code = "import sys, assets.definitions; print([m for m in ('dask', 'distributed', 'dagster_dask') if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=RAW.parent.parent,
                            check=True)
    assert result.stdout.strip() == "[]"
