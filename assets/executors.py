"""The Dask executor, made to carry partition-range runs.

dagster-dask 0.29 hands the `DagsterRun` to `dask.distributed`, whose task
parser (dask ≥ 2024.12) walks every tuple it is given; the run's
`partitions_subset` is a record that forbids iteration, so a run over a range
of partitions fails before any step starts. The run's tags hold the same range
(`dagster/asset_partition_range_start/end`), which is what the steps read, so
the subset is dropped from the copy sent to the workers.
"""

import logging
from functools import lru_cache

import dagster as dg
from dagster import multiple_process_executor_requirements

# `dagster_dask.dask_executor`'s config, written out here: importing dask and distributed takes about two
# seconds, which a run on another executor should not pay (tests/test_refresh.py compares the two).
_CLUSTERS = {"local": "Local", "yarn": "YARN", "ssh": "SSH", "pbs": "PBS", "moab": "Moab", "sge": "SGE",
             "lsf": "LSF", "slurm": "SLURM", "oar": "OAR", "kube": "Kubernetes"}
DASK_CONFIG = {"cluster": dg.Field(dg.Selector({
    "existing": dg.Field({"address": dg.StringSource}, description="Connect to an existing scheduler."),
    **{name: dg.Field(dg.Permissive(), is_required=False, description=f"{label} cluster configuration.")
       for name, label in _CLUSTERS.items()},
}))}


@lru_cache(maxsize=1)
def _range_safe_class() -> type:
    from dagster_dask.executor import DaskExecutor

    class RangeSafeDaskExecutor(DaskExecutor):
        def execute(self, plan_context, execution_plan):
            run = plan_context.dagster_run
            if run.partitions_subset is not None:
                plan_context._plan_data = plan_context._plan_data._replace(
                    dagster_run=run._replace(partitions_subset=None))
            return super().execute(plan_context, execution_plan)

    return RangeSafeDaskExecutor


@dg.executor(name="dask", config_schema=DASK_CONFIG, requirements=multiple_process_executor_requirements())
def range_safe_dask_executor(init_context):
    """`dagster_dask.dask_executor` with the same config, for runs over a range of partitions too."""
    ((cluster_type, cluster_configuration),) = init_context.executor_config["cluster"].items()
    return _range_safe_class()(cluster_type, cluster_configuration)


# dask measures each step's result (a list of Dagster events) for its memory accounting and warns that it cannot:
# the estimate does not matter for a handful of small results.
logging.getLogger("distributed.sizeof").setLevel(logging.ERROR)
