"""Jobs, the raw-directory sensor and the nightly schedule.

- `reports_job`: the partitioned tables for some reports (one run per new or
  changed file, or a backfill); no checks, no catalog, so partitions never
  contend for one file.
- `catalog_job`: prune deleted files, check every table, quarantine the
  reports that fail a per-report check, rebuild the catalog and the data
  package: the one writer of the shared outputs.
- `refresh_job` / `refresh_job_dask`: everything in one run over a range of
  partitions (`python -m pipeline run`), on the default (in-process or
  multiprocess) executor or on a `dask.distributed` cluster.
"""

import hashlib
import json

import dagster as dg
from assets.executors import range_safe_dask_executor

from assets.checks import ALL_CHECKS
from assets.reports import catalog, datapackage, quarantine, report_tables, reports
from assets.resources import CorpusDirs
from pipeline.corpus import sha256_of
from pipeline.store import code_version, needs_reparse, quarantined, scan

reports_job = dg.define_asset_job(
    "reports_job", selection=dg.AssetSelection.assets(report_tables).without_checks(), partitions_def=reports,
    description="Parse new or changed reports into their partitions' Parquet files.")
catalog_job = dg.define_asset_job(
    "catalog_job", selection=dg.AssetSelection.assets(quarantine, catalog, datapackage)
    | dg.AssetSelection.checks(*ALL_CHECKS),
    description="Prune deleted reports, check every table, quarantine misread reports, rebuild the catalog and "
                "the data package.")
refresh_job = dg.define_asset_job(
    "refresh_job", selection=dg.AssetSelection.all(), partitions_def=reports,
    description="Everything, over a range of partitions: the one-shot run.")
refresh_job_dask = dg.define_asset_job(
    "refresh_job_dask", selection=dg.AssetSelection.all(), partitions_def=reports, executor_def=range_safe_dask_executor,
    description="refresh_job on a dask.distributed cluster (config: execution.config.cluster.existing.address).")
JOBS = [reports_job, catalog_job, refresh_job, refresh_job_dask]


@dg.sensor(jobs=[reports_job, catalog_job], minimum_interval_seconds=60,
           default_status=dg.DefaultSensorStatus.RUNNING)
def raw_files_sensor(context: dg.SensorEvaluationContext, dirs: CorpusDirs) -> dg.SensorResult:
    """New and changed raw files get a partition and a run; deleted ones lose their partition and rows.

    A quarantined report parsed by other code than the one loaded gets a run too (once per code version),
    so a fix of the parsers takes it out of quarantine at the next `catalog_job`. The cursor maps each partition key to [size, mtime_ns, sha256]; a file is
    hashed again only when its size or modification time moved, and a run is
    requested only when its content hash changed.
    """
    previous: dict[str, list] = json.loads(context.cursor) if context.cursor else {}
    tick = hashlib.sha256((context.cursor or "").encode()).hexdigest()[:12]  # run keys unique per tick
    current, added, runs = {}, [], []
    held = quarantined(dirs.curated)
    for key, file in sorted(scan(dirs.raw).items()):
        known = previous.get(key)
        if known and known[:2] == [file.size, file.mtime_ns]:
            current[key] = known
            if needs_reparse(dirs.curated, known[2][:16], held):  # quarantined, and new code may read it right
                runs.append(dg.RunRequest(job_name=reports_job.name, partition_key=key,
                                          run_key=f"{key}@{known[2]}@code={code_version()}"))
            continue
        sha256 = sha256_of(dirs.raw / file.path)
        current[key] = [file.size, file.mtime_ns, sha256]
        if known is None:
            added.append(key)
        if known is None or known[2] != sha256:
            runs.append(dg.RunRequest(job_name=reports_job.name, partition_key=key, run_key=f"{key}@{sha256}@{tick}"))
    deleted = sorted(set(previous) - set(current))
    partition_requests = []
    if added:
        partition_requests.append(reports.build_add_request(added))
    if deleted:
        partition_requests.append(reports.build_delete_request(deleted))
        runs.append(dg.RunRequest(job_name=catalog_job.name, run_key=f"prune@{tick}"))
    context.log.info(f"{len(added)} new, {len(runs) - len(added) - bool(deleted)} changed or quarantined by "
                     f"other code, {len(deleted)} deleted")
    return dg.SensorResult(run_requests=runs, cursor=json.dumps(current, sort_keys=True),
                           dynamic_partitions_requests=partition_requests)


nightly_refresh = dg.ScheduleDefinition(
    name="nightly_refresh", job=catalog_job, cron_schedule="0 2 * * *", execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="02:00 Beijing time: check what changed (reports parsed again included), quarantine or release "
                "reports, rebuild the catalog from all partitions.")
