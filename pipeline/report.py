"""One raw report end to end in the library: read, identify, extract its fiscal tables, check them.

Everything a document yields is computed here, once, so the Dagster assets
only collect and write. A document whose extraction breaks is `failed` with
its error and yields nothing else; one with rejects is `partial`.
"""

from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pipeline.contents import Listed, against_contents
from pipeline.corpus import OURS, ReadResult, SourceFile, read_source
from pipeline.readers.ocr import OcrSettings
from pipeline.fiscal.audit import unaccounted_figures
from pipeline.fiscal.facts import fiscal_facts
from pipeline.performance.checks import confirmed_sheet_checks
from pipeline.performance.sheets import parse_sheets
from pipeline.procurement import procurement
from pipeline.metadata import Issuer, ReportIdentity, find_identity, find_issuer
from pipeline.partial import partial_reason
from pipeline.reconcile import reconcile


@dataclass
class ParsedReport:
    read: ReadResult
    issuer: Issuer | None = None
    identity: ReportIdentity | None = None
    facts: list[dict] = field(default_factory=list)
    projects: list[dict] = field(default_factory=list)
    procurement: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)
    listed_tables: list[Listed] = field(default_factory=list)  # the tables its 目录 lists
    missing_tables: list[str] = field(default_factory=list)  # listed in its 目录, not found
    error: str | None = None
    fault: str | None = None  # when `error`: the file's (corpus.FILE) or ours (corpus.OURS, tried again)
    seconds: float = 0.0  # time spent reading and extracting

    @property
    def source(self) -> SourceFile:
        return self.read.source

    @property
    def status(self) -> str:
        if self.error:
            return "failed"
        return "partial" if self.rejects or self.missing_tables else "ok"

    @property
    def partial_reason(self) -> str | None:
        """Why the report is partial (its rejects by kind, the listed tables not read); None unless partial."""
        return None if self.error else partial_reason(self.rejects, self.missing_tables)


def parse_report(raw_dir: Path, source: SourceFile, ocr: OcrSettings | None = None,
                 data: bytes | None = None) -> ParsedReport:
    """Read and extract one document; never raises for a bad document.

    `ocr`: see `read_document`; `data`: the file's bytes, when the caller has read them already.
    """
    started = time.perf_counter()
    with _cyclic_gc_paused():
        report = _parse(raw_dir, source, ocr, data)
    report.seconds = time.perf_counter() - started
    return report


@contextmanager
def _cyclic_gc_paused():
    """No cyclic garbage collection while one document is parsed, nor of what it leaves alive.

    A parse allocates some 10^5 rows, cells and facts that all live until it
    ends, so the collector would scan them again and again for nothing (a few
    percent of the parse): they form no cycles, and reference counting frees
    them. At the end they are frozen (moved out of the collector's young
    generations, which it scans most often); at the next document's start
    what still lives of them returns to the oldest generation, so a cycle
    among them would still be collected.
    """
    enabled = gc.isenabled()
    gc.disable()
    if enabled:
        gc.unfreeze()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def _parse(raw_dir: Path, source: SourceFile, ocr: OcrSettings | None, data: bytes | None) -> ParsedReport:
    read = read_source(raw_dir, source, ocr, data)
    report = ParsedReport(read, rejects=list(read.rejects), error=read.error, fault=read.fault)
    document = read.document
    if document is None:
        return report
    report.issuer, report.identity = find_issuer(document), find_identity(document)
    kind = report.identity.report_kind
    try:
        result = fiscal_facts(document, source.doc_id, kind)
        checks = reconcile(source.doc_id, kind, result.tables, result.facts, document)
        sheets = parse_sheets(document, source.doc_id)
        checks += [check for sheet in sheets
                   for check in confirmed_sheet_checks(sheet, source.doc_id, document.ocr_confidence)]
        context = {"doc_id": source.doc_id, "fiscal_year": report.identity.fiscal_year,
                   "entity_name": report.issuer.entity_name, "report_kind": kind}
        purchases, purchase_checks = procurement(document, source.doc_id, context)
        checks += purchase_checks
    except Exception as problem:  # noqa: BLE001 - one broken document must not stop the run
        report.error = (f"{source.source_path}: internal error while extracting the fiscal tables "
                        f"({type(problem).__name__}: {problem}); please report it with this file")
        report.fault = OURS
        report.rejects = []
        return report
    report.procurement = purchases
    for fact in result.facts:  # in place: a copy of every fact costs more than the parse of some tables
        fact.update(context)
    report.facts = result.facts
    report.projects = [{**sheet.project, "fiscal_year": context["fiscal_year"],
                        "entity_name": context["entity_name"]} for sheet in sheets]
    report.indicators = [indicator for sheet in sheets for indicator in sheet.indicators]
    report.checks = checks
    report.rejects += result.rejects + [reject for sheet in sheets for reject in sheet.rejects]
    report.rejects += unaccounted_figures(document, result.facts, report.rejects, source.doc_id)
    report.listed_tables, report.missing_tables, rejects = against_contents(document, source.doc_id)
    report.rejects += rejects
    return report


def document_row(report: ParsedReport, parsed_at: datetime) -> dict:
    """The `documents` row of one parsed report."""
    source, document = report.source, report.read.document
    issuer, identity = report.issuer, report.identity
    return {
        "doc_id": source.doc_id,
        "source_path": source.source_path,
        "duplicate_paths": list(source.duplicate_paths),
        "sha256": source.sha256,
        "bytes": source.size,
        "source_format": report.read.source_format,
        "encoding": document.encoding if document else None,
        "entity_name": issuer.entity_name if issuer else None,
        "entity_level": issuer.entity_level if issuer else None,
        "region": issuer.region if issuer else None,
        "fiscal_year": identity.fiscal_year if identity else None,
        "report_kind": identity.report_kind if identity else None,
        "status": report.status,
        "error": report.error,
        "missing_tables": list(report.missing_tables),
        "partial_reason": report.partial_reason,
        "n_tables": len(document.tables) if document else 0,
        "n_fiscal_facts": len(report.facts),
        "n_indicators": len(report.indicators),
        "n_rejects": len(report.rejects),
        "parsed_at": parsed_at,
    }
