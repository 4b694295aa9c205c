"""The Dagster layer: assets, resources and the in-process runner. Logic lives in `pipeline/`."""
