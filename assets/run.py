"""Materialize every asset in-process over a raw directory into a curated directory."""

from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg

from assets.checks import ALL_CHECKS
from assets.reports import ALL_ASSETS
from assets.resources import CorpusDirs
from pipeline.reconcile import summarize


def run(raw_dir: Path, curated_dir: Path) -> int:
    """Run the whole pipeline; exit code 0 unless the run itself broke.

    A document that cannot be read is reported in the summary and in
    `documents.status`, and does not fail the run.
    """
    if not raw_dir.is_dir():
        print(f"error: raw directory not found: {raw_dir}", file=sys.stderr)
        return 2
    curated_dir.mkdir(parents=True, exist_ok=True)
    dirs = CorpusDirs(raw_dir=str(raw_dir), curated_dir=str(curated_dir), echo=True)
    print(f"Reading reports in {raw_dir} into {curated_dir}", flush=True)
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    result = dg.materialize([*ALL_ASSETS, *ALL_CHECKS], resources={"dirs": dirs}, run_config=quiet,
                            raise_on_error=False)
    failed_checks = [e.asset_check_evaluation_data for e in result.all_events
                     if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.asset_check_evaluation_data.passed]
    if failed_checks:
        print("error: data checks failed; the catalog was not rebuilt (the previous one is unchanged):",
              file=sys.stderr)
        for evaluation in failed_checks:
            print(f"  {evaluation.check_name}: {evaluation.description}", file=sys.stderr)
        return 1
    if not result.success:
        failures = [event.message for event in result.all_events if event.is_failure]
        print("error: the run failed:\n  " + "\n  ".join(m or "" for m in failures), file=sys.stderr)
        return 1
    reports = result.output_for_node("read_reports")
    failed = [r for r in reports if r.status == "failed"]
    checks = summarize([c for r in reports for c in r.checks])
    print(
        f"Done: {len(reports)} documents, {len(reports) - len(failed)} read, {len(failed)} failed; "
        f"{sum(len(r.facts) for r in reports)} fiscal facts; {sum(len(r.projects) for r in reports)} performance "
        f"sheets with {sum(len(r.indicators) for r in reports)} indicators; "
        f"{checks['checks']} checks: {checks['passed']} passed, "
        f"{checks['failed']} failed, {checks['not_applicable']} not applicable; "
        f"{sum(len(r.rejects) for r in reports)} rejects; "
        f"tables in {curated_dir}/, catalog {curated_dir / 'yibao.duckdb'}",
        flush=True,
    )
    for report in failed:
        print(f"  failed: {report.error}", flush=True)
    return 0
