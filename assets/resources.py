"""Where the pipeline reads and writes, configurable per run."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from pipeline.lock import exclusive
from pipeline.readers.ocr import OcrSettings


class CorpusDirs(dg.ConfigurableResource):
    """The raw directory read and the curated directory written.

    Defaults come from `YIBAO_RAW_DIR` / `YIBAO_CURATED_DIR`, else `data/raw` and
    `data/curated` of the working directory. `echo` also prints progress lines
    to standard output (the CLI sets it; the UI reads the run log instead).
    `parse_workers` bounds the processes that parse reports in a run of many
    partitions (0: one per core). PDF pages without a text layer are read by
    OCR unless `ocr` is off (then such reports fail with "no text layer; OCR
    needed"), in `ocr_workers` processes (0: one per core), cached in
    `ocr_cache_dir` (default `<curated_dir>/_ocr_cache`). Every step that writes
    takes the curated directory's lock (`pipeline/lock.py`) unless `lock_held`
    says the process that launched the run holds it.
    """

    raw_dir: str = os.environ.get("YIBAO_RAW_DIR", "data/raw")
    curated_dir: str = os.environ.get("YIBAO_CURATED_DIR", "data/curated")
    echo: bool = False
    parse_workers: int = 0  # processes parsing reports in a large run; 0: one per core
    ocr: bool = True
    ocr_workers: int = 0
    ocr_cache_dir: str = ""
    lock_held: bool = False  # the launching process holds the curated directory's lock (`python -m pipeline run`)
    reparse: str = ""  # files parsed again whatever their state: `all` or path patterns, comma-separated

    @property
    def raw(self) -> Path:
        return Path(self.raw_dir)

    @property
    def curated(self) -> Path:
        return Path(self.curated_dir)

    def ocr_settings(self) -> OcrSettings:
        """How reports are OCR'd; with `echo`, a progress line per page OCR'd is printed too."""
        return OcrSettings(self.ocr, self.ocr_cache_dir or None, self.ocr_workers,
                           print if self.echo else None)

    @contextmanager
    def lock(self, context):
        """One writer per curated directory: steps of runs the daemon launches take the lock themselves."""
        if self.lock_held:
            yield
            return
        with exclusive(self.curated, say=lambda line: self.progress(context, line)):
            yield

    def progress(self, context: dg.AssetExecutionContext, line: str) -> None:
        context.log.info(line)
        if self.echo:
            print(line, flush=True)
