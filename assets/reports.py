"""Assets: each raw report (one dynamic partition) into the curated tables; the catalog and data package over all.

The curated tables are partitioned: a run for some partitions parses just
those reports (or skips them when their content is already stored) and writes
their own Parquet files. The catalog and the data package are unpartitioned and
built by one writer from every partition's files.
"""

import multiprocessing
import os
from pathlib import Path
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from datetime import datetime, timezone

import dagster as dg

from assets.checks import report_verdicts
from assets.resources import CorpusDirs
from pipeline.datapackage import write_datapackage
from pipeline.expectations import prepare as prepare_validation
from pipeline.quarantine import apply as apply_quarantine, document_paths
from pipeline.schema import CURATED_TABLES, DOCUMENTS, TableSchema
from pipeline.store import (catalog_state, doc_of, document_ids, key_path, part_of, prune, quarantined, refresh_group,
                            relative, stamp, table_parts, write_catalog_state)
from pipeline.writer import CATALOG_NAME, build_catalog, layout_digest, update_catalog

reports = dg.DynamicPartitionsDefinition(name="reports")
"""One partition per raw file, keyed by its path relative to the raw directory."""

TABLE_SPECS = [dg.AssetSpec(schema.name, group_name="curated", kinds={"parquet"}, partitions_def=reports,
                            description=f"`{schema.name}` ({schema.zh}): {schema.en}")
               for schema in CURATED_TABLES]


@dg.multi_asset(specs=TABLE_SPECS, backfill_policy=dg.BackfillPolicy.single_run(), can_subset=False)
def report_tables(context: dg.AssetExecutionContext, dirs: CorpusDirs):
    """Parse the reports of the run's partitions into their Parquet files; unchanged content is not parsed again.

    One run may cover many partitions (a backfill or `python -m pipeline run`),
    so a large corpus pays Dagster's overhead once, not once per report.
    """
    keys = context.partition_keys
    actions: Counter = Counter()
    with dirs.lock(context):
        parsed_at = datetime.now(timezone.utc).replace(microsecond=0)
        for number, (key, action, detail) in enumerate(_refresh_all(dirs, keys, parsed_at), start=1):
            actions[action] += 1
            dirs.progress(context, f"{_bar(number, len(keys))} {key}: {detail}")
    for spec in TABLE_SPECS:
        yield dg.MaterializeResult(asset_key=spec.key, metadata={"partitions": len(keys), **actions})


PARALLEL_FROM = 16  # fewer reports are parsed in this process: starting worker processes costs more


def _refresh_all(dirs: CorpusDirs, keys: list[str], parsed_at: datetime):
    """(key, action, detail) per partition; many partitions are parsed on every core.

    Files of the same size go to one task (identical bytes have the same size), so no two
    workers write one document, and no file is read here: each is read once, by its task.
    """
    workers = dirs.parse_workers or os.cpu_count() or 1
    ocr = dirs.ocr_settings()
    if len(keys) < PARALLEL_FROM or workers == 1:
        for key in keys:
            yield from refresh_group(dirs.raw, dirs.curated, [key], parsed_at, ocr, dirs.reparse)
        return
    if not dirs.ocr_workers:
        ocr = replace(ocr, workers=1)  # the cores already parse one report each
    groups: dict[object, list[str]] = {}
    for key in keys:
        path = dirs.raw / key_path(key)
        groups.setdefault(path.stat().st_size if path.is_file() else key, []).append(key)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        tasks = [pool.submit(refresh_group, dirs.raw, dirs.curated, group, parsed_at, ocr, dirs.reparse)
                 for group in groups.values()]
        prepare_validation()  # while the workers parse: the checks after this asset need GX
        for task in as_completed(tasks):
            yield from task.result()


def _bar(done: int, total: int, width: int = 20) -> str:
    filled = round(width * done / total)
    return f"[{'█' * filled}{'░' * (width - filled)}] {done}/{total}"


@dg.asset(group_name="checks", kinds={"python"}, deps=[spec.key for spec in TABLE_SPECS])
def quarantine(context: dg.AssetExecutionContext, dirs: CorpusDirs) -> dg.MaterializeResult:
    """The reports held back from the catalog: those whose rows show they were misread (`pipeline/quarantine.py`).

    Gathers every check's verdict on every stored report. A report that failed
    one becomes `quarantined` in `documents`, with the reasons in `error`; its
    rows go to the catalog's `quarantine` schema instead of the curated tables.
    A report that passes again (a new file, new checks, or new code that read
    it again) is released.
    """
    with dirs.lock(context):
        complete = document_ids(dirs.curated)
        held = apply_quarantine(dirs.curated, report_verdicts(dirs.curated, complete), complete)
        paths = document_paths(dirs.curated, held)
    for doc_id, entry in held.items():
        context.log.info(f"quarantined: {paths[doc_id]}: {' | '.join(entry['reasons'])}")
    listing = "\n".join(f"| {paths[doc_id]} | `{doc_id}` | {' <br> '.join(entry['reasons'])} |"
                        for doc_id, entry in held.items())
    return dg.MaterializeResult(metadata={
        "quarantined": len(held), "published": len(complete) - len(held),
        "reports": dg.MetadataValue.md(f"| report | doc_id | reasons |\n|---|---|---|\n{listing}" if held
                                       else "no report is quarantined")})


@dg.asset(group_name="serving", kinds={"duckdb"}, deps=[quarantine])
def catalog(context: dg.AssetExecutionContext, dirs: CorpusDirs) -> dg.MaterializeResult:
    """`yibao.duckdb`: every published report's rows, one commented table per curated table, rebuilt atomically.

    Files that left the raw directory are pruned first. Then only the reports
    whose files changed since the last build, or that entered or left
    quarantine, are deleted and inserted again (on a copy, renamed into
    place); when none changed the catalog is left as it is, byte for byte. A
    new column or view builds it anew. Quarantined reports' rows go to the
    `quarantine` schema (`quarantine.fiscal_facts`, …), not to the curated tables.
    """
    with dirs.lock(context):
        return _build_catalog(context, dirs)


def _build_catalog(context: dg.AssetExecutionContext, dirs: CorpusDirs) -> dg.MaterializeResult:
    removed = prune(dirs.raw, dirs.curated)
    for key in removed:
        dirs.progress(context, f"{key}: file gone, its rows removed")
    state = catalog_state(dirs.curated)
    complete = document_ids(dirs.curated)
    held = set(quarantined(dirs.curated)) & complete
    parts = {schema: table_parts(dirs.curated, schema, complete) for schema in CURATED_TABLES}
    current = {relative(dirs.curated, p): stamp(p) for files in parts.values() for p in files}
    layout = layout_digest(CURATED_TABLES)
    target = dirs.curated / CATALOG_NAME
    if target.exists() and state.get("layout") == layout:
        before = state["parts"]
        moved = held ^ set(state.get("quarantined", []))
        changed = {rel for rel, value in current.items() if before.get(rel) != value or part_of(rel)[1] in moved}
        gone = set(before) - set(current)
        if not changed and not gone:  # nothing to do: the file stays byte for byte the same
            return dg.MaterializeResult(metadata={"path": str(target), "rebuilt": "no", "removed": len(removed)})
        changes = {}
        for schema in CURATED_TABLES:
            incoming = [dirs.curated / rel for rel in sorted(changed) if part_of(rel)[0] == schema.name]
            changes[schema] = ({doc_id for table, doc_id in map(part_of, changed | gone) if table == schema.name},
                               *_publish(schema, incoming, held))
        update_catalog(dirs.curated, changes)
        how = f"updated: {len(changed)} files in, {len(gone)} out"
    else:
        split = {schema: _publish(schema, files, held) for schema, files in parts.items()}
        build_catalog(dirs.curated, {schema: published for schema, (published, _) in split.items()},
                      {schema: withheld for schema, (_, withheld) in split.items()})
        how = "built anew"
    # After the catalog: a stale state redoes some reports.
    write_catalog_state(dirs.curated, target, layout, current, sorted(held))
    return dg.MaterializeResult(metadata={"path": str(target), "rebuilt": how, "removed": len(removed),
                                          "quarantined": len(held)})


def _publish(schema: TableSchema, parts: list[Path], held: set[str]) -> tuple[list[Path], list[Path]]:
    """The files to publish and those to hold in quarantine; every `documents` row is published (it says
    `quarantined`), and the quarantined ones are in `quarantine.documents` as well, for joins there."""
    withheld = [p for p in parts if doc_of(p) in held]
    return (parts if schema is DOCUMENTS else [p for p in parts if doc_of(p) not in held]), withheld


@dg.asset(group_name="serving", kinds={"csv"}, deps=[catalog])
def datapackage(context: dg.AssetExecutionContext, dirs: CorpusDirs) -> dg.MaterializeResult:
    """`datapackage.json`: CSV exports of the catalog described as a Frictionless (Fiscal) Data Package.

    Written again only when the catalog changed since the last export, and then the rows of the reports
    whose Parquet files did not change are copied from the last CSVs, not exported again.
    """
    with dirs.lock(context):
        path = write_datapackage(dirs.curated, only_if_changed=True)
    return dg.MaterializeResult(metadata={"path": str(path)})


ALL_ASSETS = [report_tables, quarantine, catalog, datapackage]
