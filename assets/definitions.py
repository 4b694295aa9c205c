"""The Dagster definitions, loaded by `dagster dev` and by `python -m pipeline run`."""

import dagster as dg

from assets.checks import ALL_CHECKS
from assets.reports import ALL_ASSETS
from assets.resources import CorpusDirs

defs = dg.Definitions(assets=ALL_ASSETS, asset_checks=ALL_CHECKS, resources={"dirs": CorpusDirs()})
