"""One writer per curated directory, and failures of ours tried again: two runs at once lose nothing."""

import contextlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

import pipeline.store
from assets.run import run
from conftest import RAW, ROOT
from pipeline.lock import BUSY_EXIT, exclusive
from pipeline.schema import DOCUMENTS

SAMPLES = ("guiyang_2025_budget.txt", "qinghai_2024_final_account.txt")


def _raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in SAMPLES:
        shutil.copy(RAW / name, raw / name)
    return raw


def _run(raw, curated, **options) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = run(raw, curated, **options)
    return code, out.getvalue()


def _parts(curated: Path) -> dict[str, bytes]:
    """Every Parquet file's bytes by its path; `documents` rows without their parse time (each run has its own)."""
    found = {}
    for path in sorted(curated.glob("*/doc_id=*/part-0.parquet")):
        rel = path.relative_to(curated).as_posix()
        if rel.startswith(DOCUMENTS.name + "/"):
            found[rel] = [{k: v for k, v in row.items() if k != "parsed_at"} for row in pq.read_table(path).to_pylist()]
        else:
            found[rel] = path.read_bytes()
    return found


def test_two_runs_at_once_finish_one_after_the_other_and_lose_nothing(tmp_path):
    raw, curated, single = _raw(tmp_path), tmp_path / "curated", tmp_path / "single"
    command = [sys.executable, "-m", "pipeline", "run", "--raw-dir", str(raw)]
    runs = [subprocess.Popen([*command, "--curated-dir", str(curated)], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [process.communicate(timeout=600)[0] for process in runs]
    assert [process.returncode for process in runs] == [0, 0], outputs
    assert sum("holds" in out and "; waiting" in out for out in outputs) == 1  # the second said why it waited
    assert any("0 new, changed or to parse again" in out for out in outputs)  # and found nothing left to do
    assert _run(raw, single)[0] == 0
    assert _parts(curated) == _parts(single) and len(_parts(single)) == 7 * len(SAMPLES)


def test_without_waiting_a_busy_directory_is_exit_75(tmp_path, capsys):
    raw, curated = _raw(tmp_path), tmp_path / "curated"
    with exclusive(curated):
        assert run(raw, curated, wait=False) == BUSY_EXIT
    assert f"holds {curated}; not waiting (--no-wait)" in capsys.readouterr().err
    assert not (curated / "yibao.duckdb").exists()


def test_a_report_that_failed_for_our_reasons_is_read_by_the_next_run(tmp_path, monkeypatch):
    raw, curated = _raw(tmp_path), tmp_path / "curated"
    real = pipeline.store.write_parquet
    failing = {"once": True}

    def write_fails_once(target, schema, rows):
        if schema.name == "fiscal_facts" and failing.pop("once", False):
            raise OSError("disk full (injected)")
        return real(target, schema, rows)

    monkeypatch.setattr(pipeline.store, "write_parquet", write_fails_once)
    code, out = _run(raw, curated)
    assert code == 0 and "internal error while writing its rows (OSError: disk full (injected))" in out
    assert out.strip().splitlines()[-1].startswith("2 files read, 0 unchanged; 0 failed by their file, 1 failed by us")
    [failed] = [name for name in SAMPLES if f"failed (ours: tried again next run): {name}" in out]
    code, out = _run(raw, curated)  # no manual step: the failure was ours, so the file is read again
    [kept] = [name for name in SAMPLES if name != failed]
    assert code == 0 and f"1/1 {failed}: " in out and f"{kept}: unchanged" in out
    assert out.strip().splitlines()[-1].startswith("1 files read, 1 unchanged; 0 failed by their file, 0 failed by us")
    done = next(line for line in out.splitlines() if line.startswith("Done:"))
    fresh = next(line for line in _run(raw, tmp_path / "fresh")[1].splitlines() if line.startswith("Done:"))
    assert done.split(" tables in ")[0] == fresh.split(" tables in ")[0]  # everything published, as by one good run


def test_a_file_that_fails_by_itself_stays_failed_until_it_changes(tmp_path):
    raw, curated = _raw(tmp_path), tmp_path / "curated"
    (raw / "empty.txt").write_bytes(b"")
    assert "1 failed by their file, 0 failed by us" in _run(raw, curated)[1]
    code, out = _run(raw, curated)
    assert "empty.txt: unchanged, not parsed again" in out and "1 failed by their file" in out


def test_reparse_forces_the_files_it_names(tmp_path):
    raw, curated = _raw(tmp_path), tmp_path / "curated"
    _run(raw, curated)
    code, out = _run(raw, curated, reparse="guiyang*")
    assert code == 0 and "guiyang_2025_budget.txt: tsv" in out and "qinghai_2024_final_account.txt: unchanged" in out
    code, out = _run(raw, curated, reparse="all")
    assert out.strip().splitlines()[-1].startswith("2 files read, 0 unchanged")


def test_a_run_the_daemon_launches_waits_for_the_lock_too(tmp_path):
    """A catalog_job (the nightly schedule's) started while a run holds the directory writes only after it."""
    import threading

    import dagster as dg

    from assets.definitions import defs

    raw, curated = _raw(tmp_path), tmp_path / "curated"
    assert _run(raw, curated)[0] == 0
    config = {"resources": {"dirs": {"config": {"raw_dir": str(raw), "curated_dir": str(curated)}}}}
    results = []
    with dg.instance_for_test() as instance:
        with exclusive(curated):
            job = threading.Thread(target=lambda: results.append(defs.resolve_job_def("catalog_job").execute_in_process(
                instance=instance, run_config=config)))
            job.start()
            job.join(timeout=5)
            assert job.is_alive() and not results  # waiting for the lock
        job.join(timeout=120)
    assert results and results[0].success
