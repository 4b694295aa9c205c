"""The Dagster definitions, loaded by `dagster dev` and by `python -m pipeline run`."""

import dagster as dg

from assets.automation import JOBS, nightly_refresh, raw_files_sensor
from assets.checks import ALL_CHECKS
from assets.reports import ALL_ASSETS
from assets.resources import CorpusDirs

defs = dg.Definitions(assets=ALL_ASSETS, asset_checks=ALL_CHECKS, jobs=JOBS, sensors=[raw_files_sensor],
                      schedules=[nightly_refresh], resources={"dirs": CorpusDirs()})


def refresh_job() -> dg.JobDefinition:
    """The one-shot job, importable by executor processes (`dg.reconstructable`)."""
    return defs.resolve_job_def("refresh_job")


def refresh_job_dask() -> dg.JobDefinition:
    return defs.resolve_job_def("refresh_job_dask")
