"""One-shot run: every raw file as a partition, all of them materialized in one run.

The same partitioned assets as the sensor's runs, over the whole range of
partitions, so reports whose content is already in the curated store are not
parsed again. In process by default; `multiprocess` and `dask` run the steps
in other processes (the Dask executor on an existing `dask.distributed`
scheduler), with a temporary Dagster instance unless DAGSTER_HOME names an
existing directory.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import dagster as dg

from assets import definitions
from pipeline.query import connect
from pipeline.schema import CURATED_TABLES
from pipeline.lock import BUSY_EXIT, Busy, exclusive
from pipeline.store import failed_by_us, pending, scan

EXECUTORS = ("in_process", "multiprocess", "dask")
PARTIAL_SHOWN = 20  # partial reports named in the summary, with why; the others by a query


def run(raw_dir: Path, curated_dir: Path, executor: str = "in_process", dask_address: str | None = None,
        ocr: bool = True, strict: bool = False, wait: bool = True, reparse: str = "") -> int:
    """Run the whole pipeline; exit code 0 unless the run itself broke or a contract check failed.

    A document that cannot be read, or that is quarantined, is reported in the
    summary and in `documents.status`, and does not fail the run (`strict`: a
    quarantined report does). `ocr` off: scanned PDFs fail with "no text
    layer; OCR needed" instead of being read by OCR. The run holds the curated
    directory's lock from start to end: a second run waits for it (or, without
    `wait`, exits with 75). `reparse`: files parsed again whatever their state
    (`all`, or path patterns, comma-separated).
    """
    if not Path(raw_dir).is_dir():
        print(f"error: raw directory not found: {raw_dir}", file=sys.stderr)
        return 2
    if executor == "dask" and not dask_address:
        print("error: --executor dask needs --dask-address tcp://HOST:PORT of a running scheduler", file=sys.stderr)
        return 2
    curated_dir.mkdir(parents=True, exist_ok=True)
    try:
        with exclusive(curated_dir, wait, say=lambda line: print(line, flush=True)):
            return _run(Path(raw_dir), Path(curated_dir), executor, dask_address, ocr, strict, reparse)
    except Busy as busy:
        print(f"error: {busy}; not waiting (--no-wait)", file=sys.stderr)
        return BUSY_EXIT


def _run(raw_dir: Path, curated_dir: Path, executor: str, dask_address: str | None, ocr: bool, strict: bool,
         reparse: str) -> int:
    # One "materialization planned" event per asset for the run's range of partitions, not one per partition:
    # Dagster would otherwise store 7 events per report before the run starts (minutes for 5,000 reports).
    os.environ.setdefault("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "true")
    files = scan(raw_dir)
    keys = sorted(files)
    todo = pending(curated_dir, files, reparse)
    print(f"Reading {len(keys)} files in {raw_dir} into {curated_dir} ({executor}): "
          f"{len(todo)} new, changed or to parse again", flush=True)
    waiting = set(todo)
    for key in keys:
        if key not in waiting:
            print(f"{key}: unchanged, not parsed again", flush=True)
    resources = {"dirs": {"config": {"raw_dir": str(raw_dir.resolve()), "curated_dir": str(curated_dir.resolve()),
                                     "echo": True, "ocr": ocr, "lock_held": True, "reparse": reparse}}}
    run_config: dict = {"resources": resources, "loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    with ExitStack() as stack:
        if executor == "in_process":
            instance = stack.enter_context(dg.DagsterInstance.ephemeral())
        elif os.environ.get("DAGSTER_HOME") and Path(os.environ["DAGSTER_HOME"]).is_dir():
            instance = stack.enter_context(dg.DagsterInstance.get())
        else:
            instance = stack.enter_context(dg.DagsterInstance.local_temp(stack.enter_context(
                tempfile.TemporaryDirectory(prefix="yibao-dagster-"))))
        _order_partitions(instance, keys, todo)
        result = _execute(instance, todo, run_config, executor, dask_address)
        events = result.all_events
    failed_checks = [e.asset_check_evaluation_data for e in events
                     if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.asset_check_evaluation_data.passed
                     and e.asset_check_evaluation_data.severity == dg.AssetCheckSeverity.ERROR]
    if failed_checks:
        print("error: contract checks failed (a defect of the code, not of one report); the catalog was not "
              "rebuilt (the previous one is unchanged):", file=sys.stderr)
        for evaluation in failed_checks:
            print(f"  {evaluation.check_name}: {evaluation.description}", file=sys.stderr)
        return 1
    if not result.success:
        failures = [event.message for event in events if event.is_failure]
        print("error: the run failed:\n  " + "\n  ".join(m or "" for m in failures), file=sys.stderr)
        return 1
    held = _print_summary(curated_dir, len(todo), len(keys) - len(todo))
    return 1 if strict and held else 0


def _order_partitions(instance: dg.DagsterInstance, keys: list[str], todo: list[str]) -> None:
    """One partition per raw file, those to refresh last, so the run covers them alone as one range.

    Dynamic partitions keep the order they were added in: a run over the range
    from the first to the last of `todo` leaves the unchanged files out, and so
    does not pay Dagster's events for them.
    """
    existing = instance.get_dynamic_partitions("reports")
    present, moved = set(keys), set(todo)
    for key in [k for k in existing if k not in present or k in moved]:
        instance.delete_dynamic_partition("reports", key)  # gone from the raw directory, or moved to the end
    kept = set(existing) & present
    instance.add_dynamic_partitions("reports", [k for k in keys if k not in kept and k not in moved])
    instance.add_dynamic_partitions("reports", todo)


def _execute(instance: dg.DagsterInstance, keys: list[str], run_config: dict, executor: str,
             dask_address: str | None):
    if not keys:  # nothing to parse: prune what the store still holds and rebuild the catalog
        job = definitions.defs.resolve_job_def("catalog_job")
        return job.execute_in_process(instance=instance, run_config=run_config, raise_on_error=False)
    tags = {"dagster/asset_partition_range_start": keys[0], "dagster/asset_partition_range_end": keys[-1]}
    if executor == "in_process":
        return definitions.refresh_job().execute_in_process(
            instance=instance, run_config=run_config, tags=tags, raise_on_error=False)
    logging.getLogger("dagster").setLevel(logging.WARNING)  # step-worker chatter of the other executors
    if executor == "dask":
        target = dg.reconstructable(definitions.refresh_job_dask)
        run_config = {**run_config, "execution": {"config": {"cluster": {"existing": {"address": dask_address}}}}}
    else:
        target = dg.reconstructable(definitions.refresh_job)
        run_config = {**run_config, "execution": {"config": {"multiprocess": {}}}}
    return dg.execute_job(target, instance=instance, run_config=run_config, tags=tags, raise_on_error=False)


def _print_summary(curated_dir: Path, parsed: int, unchanged: int) -> int:
    """What the catalog, just rebuilt, now holds (every partition, parsed in this run or before); its last
    line says what this run did and how many reports were published. Returns the number quarantined."""
    ours = failed_by_us(curated_dir)
    with connect(curated_dir) as catalog:
        failed = catalog.execute(
            "select doc_id, error from documents where status = 'failed' order by source_path").fetchall()
        held = catalog.execute("select source_path, error from documents where status = 'quarantined' "
                               "order by source_path").fetchall()
        partial = catalog.execute("select source_path, partial_reason from documents where status = 'partial' "
                                  "order by source_path").fetchall()
        counts = {schema.name: catalog.execute(f"select count(*) from {schema.name}").fetchone()[0]
                  for schema in CURATED_TABLES}
        passed, failing = catalog.execute(
            "select count(*) filter (where passed), count(*) filter (where not passed) from reconciliation").fetchone()
    documents, checks = counts["documents"], counts["reconciliation"]
    print(
        f"Done: {documents} documents, {documents - len(failed)} read, {len(failed)} failed, {len(partial)} partial; "
        f"{counts['fiscal_facts']} fiscal facts; {counts['performance_projects']} performance sheets with "
        f"{counts['performance_indicators']} indicators; {checks} checks: {passed} passed, "
        f"{failing} failed, {checks - passed - failing} not applicable; {counts['rejects']} rejects; "
        f"tables in {curated_dir}/, catalog {curated_dir / 'yibao.duckdb'}",
        flush=True,
    )
    for doc_id, error in failed:
        print(f"  failed{' (ours: tried again next run)' if doc_id in ours else ''}: {error}", flush=True)
    for path, error in held:
        print(f"  quarantined: {path}: {error}", flush=True)
    for path, reason in partial[:PARTIAL_SHOWN]:
        print(f"  partial: {path}: {reason}", flush=True)
    if len(partial) > PARTIAL_SHOWN:
        print(f"  … and {len(partial) - PARTIAL_SHOWN} more partial: python -m pipeline sql \"select source_path, "
              "partial_reason from documents where status = 'partial'\"", flush=True)
    by_us = sum(doc_id in ours for doc_id, _ in failed)
    published = documents - len(failed) - len(held)
    print(f"{parsed} files read, {unchanged} unchanged; {len(failed) - by_us} failed by their file, {by_us} failed "
          f"by us (tried again next run); {_reports(len(held))} quarantined"
          f"{' (their rows are in the catalog' + chr(39) + 's quarantine schema)' if held else ''}, "
          f"{_reports(published)} published", flush=True)
    return len(held)


def _reports(n: int) -> str:
    return f"{n} report{'' if n == 1 else 's'}"
