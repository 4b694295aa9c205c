"""The Dask executor, made to carry partition-range runs.

dagster-dask 0.29 hands the `DagsterRun` to `dask.distributed`, whose task
parser (dask ≥ 2024.12) walks every tuple it is given; the run's
`partitions_subset` is a record that forbids iteration, so a run over a range
of partitions fails before any step starts. The run's tags hold the same range
(`dagster/asset_partition_range_start/end`), which is what the steps read, so
the subset is dropped from the copy sent to the workers.
"""

import logging

import dagster as dg
from dagster import multiple_process_executor_requirements
from dagster_dask.executor import DaskExecutor, dask_executor


class RangeSafeDaskExecutor(DaskExecutor):
    def execute(self, plan_context, execution_plan):
        run = plan_context.dagster_run
        if run.partitions_subset is not None:
            plan_context._plan_data = plan_context._plan_data._replace(dagster_run=run._replace(partitions_subset=None))
        return super().execute(plan_context, execution_plan)


@dg.executor(name="dask", config_schema=dask_executor.config_schema, requirements=multiple_process_executor_requirements())
def range_safe_dask_executor(init_context):
    """`dagster_dask.dask_executor` with the same config, for runs over a range of partitions too."""
    executor = dask_executor.executor_creation_fn(init_context)
    return RangeSafeDaskExecutor(executor.cluster_type, executor.cluster_configuration)


# dask measures each step's result (a list of Dagster events) for its memory accounting and warns that it cannot:
# the estimate does not matter for a handful of small results.
logging.getLogger("distributed.sizeof").setLevel(logging.ERROR)
