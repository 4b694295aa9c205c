"""The curated store: Parquet per document, and which raw files hold which document.

Each raw file is one partition, keyed by its path. Its rows are stored by
content (`doc_id` is a content hash), so identical files share one folder and
an unchanged file is never parsed again. Layout under the curated directory:

    <table>/doc_id=<doc_id>/part-0.parquet   one document's rows of each curated table
    _state/files/<digest of key>.json        one raw file: its key, path, sha256 and doc_id
    _state/docs/<doc_id>/<digest of key>     the raw files that hold a document
    _state/code/<doc_id>                     the version of the code that parsed it
    _state/layout/<doc_id>                   the tables' columns it was stored with (`store_layout`)
    _state/ours/<doc_id>                     it failed for a reason of ours: it is parsed again
    _state/checked/<check>.json              each check's verdict on each file
    _state/quarantine.json                   the quarantined reports (`pipeline/quarantine.py`)

`documents` is written last, so a document folder without it is incomplete and
is parsed again. Partitions write only their own document's files; the one
writer of the catalog prunes the files that left the raw directory.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, unquote

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.corpus import OURS, SourceFile, max_file_mb, raw_files, sha256_of
from pipeline.readers.ocr import OcrSettings
from pipeline.reconcile import summarize
from pipeline.report import ParsedReport, document_row, parse_report
from pipeline.schema import (CURATED_TABLES, DOCUMENTS, FISCAL_FACTS, PERFORMANCE_INDICATORS, PERFORMANCE_PROJECTS,
                             PROCUREMENT, RECONCILIATION, REJECTS, TableSchema)
from pipeline.writer import replaced, write_parquet

PART = "part-0.parquet"
STATE = "_state"
QUARANTINE = "quarantine.json"
OCR_CACHE = "_ocr_cache"  # OCR readings by page image hash (see pipeline/readers/ocr.py)
# Characters a partition key may not hold (Dagster's rule), percent-encoded so the key maps back to its path.
_UNSAFE = "%\a\b\f\n\r\t\v\0"


def partition_key(relative_path: str) -> str:
    """The stable partition key of a raw file: its path relative to the raw directory."""
    key = "".join(quote(ch, safe="") if ch in _UNSAFE else ch for ch in relative_path)
    return key.replace("...", "%2E%2E%2E")


def key_path(key: str) -> str:
    return unquote(key)


@dataclass(frozen=True)
class RawFile:
    key: str
    path: str
    size: int
    mtime_ns: int


def scan(raw_dir: Path) -> dict[str, RawFile]:
    """The raw files by partition key, from their metadata only (no file is read)."""
    raw_dir = Path(raw_dir)
    files = {}
    for path in raw_files(raw_dir):
        relative = path.relative_to(raw_dir).as_posix()
        stat = path.stat()
        files[partition_key(relative)] = RawFile(partition_key(relative), relative, stat.st_size, stat.st_mtime_ns)
    return files


@dataclass
class Outcome:
    """What refreshing one partition did: parsed, unchanged, shared (identical to a parsed file) or removed."""

    key: str
    action: str
    doc_id: str | None = None
    report: ParsedReport | None = None


def rows_by_table(report: ParsedReport, parsed_at: datetime) -> dict[str, list[dict]]:
    return {
        DOCUMENTS.name: [document_row(report, parsed_at)],
        FISCAL_FACTS.name: report.facts,
        PERFORMANCE_PROJECTS.name: report.projects,
        PERFORMANCE_INDICATORS.name: report.indicators,
        PROCUREMENT.name: report.procurement,
        RECONCILIATION.name: report.checks,
        REJECTS.name: report.rejects,
    }


def refresh(raw_dir: Path, curated_dir: Path, key: str, parsed_at: datetime,
            ocr: OcrSettings | None = None, force: bool = False) -> Outcome:
    """Bring one partition up to date: parse its file only when its content is new to the store (or `force`).

    OCR readings are cached in `<curated>/_ocr_cache` unless `ocr` names another cache.
    """
    raw_dir, curated_dir = Path(raw_dir), Path(curated_dir)
    ocr = ocr or OcrSettings()
    if ocr.cache_dir is None:
        ocr = replace(ocr, cache_dir=str(curated_dir / OCR_CACHE))
    path = raw_dir / key_path(key)
    if not path.is_file():
        remove(curated_dir, key)
        return Outcome(key, "removed")
    stat = path.stat()
    size = stat.st_size
    data = path.read_bytes() if size <= max_file_mb() * 2**20 else None  # read once: hashed, then parsed
    sha256 = hashlib.sha256(data).hexdigest() if data is not None else sha256_of(path)
    doc_id = sha256[:16]
    previous = _file_state(curated_dir, key)
    reparse = needs_reparse(curated_dir, doc_id, quarantined(curated_dir)) or (
        force and not _parsed_in(curated_dir, doc_id, parsed_at))  # identical bytes of this run are parsed once
    if previous and previous["sha256"] == sha256 and _complete(curated_dir, doc_id) and not reparse:
        # Touched but not changed (or stored before sizes were recorded): known unchanged next time without reading.
        _write_file_state(curated_dir, key, {**previous, "size": size, "mtime_ns": stat.st_mtime_ns})
        return Outcome(key, "unchanged", doc_id)
    report = None
    if not _complete(curated_dir, doc_id) or reparse:
        source = SourceFile(doc_id, sha256, size, key_path(key))
        report = parse_report(raw_dir, source, ocr, data)
        try:
            _write_document(curated_dir, doc_id, rows_by_table(report, parsed_at))
        except Exception as problem:  # noqa: BLE001 - its partial files go; the document stays as failed
            report = ParsedReport(report.read, error=f"{source.source_path}: internal error while writing its rows "
                                                     f"({type(problem).__name__}: {problem}); please report it",
                                  fault=OURS)
            _write_document(curated_dir, doc_id, rows_by_table(report, parsed_at))
        ours = Path(curated_dir) / STATE / "ours" / doc_id
        if report.fault == OURS:  # parsed again by the next run, whatever its size and time say
            write_state(ours, report.error or "")
        else:
            ours.unlink(missing_ok=True)
    _write_file_state(curated_dir, key, {"key": key, "path": key_path(key), "sha256": sha256, "doc_id": doc_id,
                                         "size": size, "mtime_ns": stat.st_mtime_ns})
    if previous and previous["doc_id"] != doc_id:
        _unlink(curated_dir, key, previous["doc_id"])
    _record_paths(curated_dir, doc_id)
    return Outcome(key, "parsed" if report else "shared", doc_id, report)


def pending(curated_dir: Path, files: dict[str, RawFile], reparse: str = "") -> list[str]:
    """The keys a run must refresh, sorted: files new to the store, or whose size or modification time moved
    since they were stored, or whose document is incomplete, failed for a reason of ours, or is quarantined and
    parsed by other code, and those `reparse` names. The others are unchanged, known without reading.
    """
    todo = []
    held = quarantined(curated_dir)
    for key, file in sorted(files.items()):
        state = _file_state(curated_dir, key)
        if (state is None or [state.get("size"), state.get("mtime_ns")] != [file.size, file.mtime_ns]
                or not _complete(curated_dir, state["doc_id"]) or needs_reparse(curated_dir, state["doc_id"], held)
                or forced(key, reparse)):
            todo.append(key)
    return todo


def failed_by_us(curated_dir: Path) -> set[str]:
    """The documents that failed for a reason of ours: the next run parses them again."""
    folder = Path(curated_dir) / STATE / "ours"
    return {path.name for path in folder.iterdir()} if folder.is_dir() else set()


def forced(key: str, reparse: str) -> bool:
    """Whether `--reparse` asks for this file: `all`, or a comma-separated list of path patterns (`*.pdf`)."""
    patterns = [p.strip() for p in reparse.split(",") if p.strip()]
    return any(p == "all" or fnmatch.fnmatch(key_path(key), p) for p in patterns)


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the library's source code: a report parsed by other code may read differently now."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def quarantined(curated_dir: Path) -> dict[str, dict]:
    """doc_id → {"reasons", "status", "error"} of every quarantined report (the status and error it was parsed
    with), as the `quarantine` asset last recorded them."""
    path = Path(curated_dir) / STATE / QUARANTINE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


@lru_cache(maxsize=1)
def store_layout() -> str:
    """A digest of the curated tables' columns and types: a document stored in another layout lacks a column."""
    layout = [(schema.name, [(column.name, str(column.type)) for column in schema.columns]) for schema in CURATED_TABLES]
    return hashlib.sha256(repr(layout).encode()).hexdigest()[:16]


def needs_reparse(curated_dir: Path, doc_id: str, held: dict[str, dict]) -> bool:
    """A report that failed for a reason of ours (a write error, an internal exception), or a quarantined one
    parsed by other code than this: the next reading may be right. So is one whose rows were stored before a
    column was added to the tables (its files have not got it): the catalog cannot hold them as they are."""
    if (Path(curated_dir) / STATE / "ours" / doc_id).exists():
        return True
    layout = Path(curated_dir) / STATE / "layout" / doc_id
    if part_path(curated_dir, DOCUMENTS, doc_id).exists() and (
            not layout.exists() or layout.read_text(encoding="utf-8") != store_layout()):
        return True
    if doc_id not in held:
        return False
    path = Path(curated_dir) / STATE / "code" / doc_id
    return not path.exists() or path.read_text(encoding="utf-8") != code_version()


def refresh_group(raw: Path, curated: Path, keys: list[str], parsed_at: datetime,
                  ocr: OcrSettings | None = None, reparse: str = "") -> list[tuple[str, str, str]]:
    """Refresh partitions holding the same bytes, in turn: the first parses, the others share its rows.

    Returns (key, action, progress text) per partition. It lives here, not with the assets, so the
    worker processes that run it import the library alone, not Dagster. `reparse`: see `forced`.
    """
    outcomes = [refresh(raw, curated, key, parsed_at, ocr, force=forced(key, reparse)) for key in keys]
    return [(outcome.key, outcome.action, describe(outcome)) for outcome in outcomes]


def describe(outcome: Outcome) -> str:
    """The progress line of one refreshed partition."""
    if outcome.action == "unchanged":
        return "unchanged, not parsed again"
    if outcome.action == "shared":
        return "same bytes as a file already parsed, recorded as its duplicate"
    if outcome.action == "removed":
        return "file gone, its rows removed"
    report = outcome.report
    if report.error:
        return f"FAILED: {report.error}"
    checks = summarize(report.checks)
    pages = report.read.document.pages
    speed = f"{pages} pages at {pages / report.seconds:.1f} pages/s, " if pages else ""
    return (f"{report.read.source_format}, {speed}{len(report.read.document.tables)} tables, "
            f"{len(report.facts)} fiscal facts, {len(report.projects)} sheets with {len(report.indicators)} "
            f"indicators, {checks['passed']}/{checks['checks']} checks passed, {len(report.rejects)} rejects")


def _write_document(curated_dir: Path, doc_id: str, tables: dict[str, list[dict]]) -> None:
    """One document's files, `documents` last: until it is there the document counts as not stored."""
    _drop_document(curated_dir, doc_id)
    for schema in (*[s for s in CURATED_TABLES if s is not DOCUMENTS], DOCUMENTS):
        write_parquet(part_path(curated_dir, schema, doc_id), schema, tables[schema.name])
    write_state(Path(curated_dir) / STATE / "code" / doc_id, code_version())
    write_state(Path(curated_dir) / STATE / "layout" / doc_id, store_layout())


def remove(curated_dir: Path, key: str) -> bool:
    """Forget a raw file; its document's rows go with it unless another file holds the same bytes."""
    previous = _file_state(curated_dir, key)
    if previous is None:
        return False
    _state_file(curated_dir, key).unlink()
    _unlink(curated_dir, key, previous["doc_id"])
    return True


def prune(raw_dir: Path, curated_dir: Path) -> list[str]:
    """Remove the partitions whose files left the raw directory; the keys removed.

    A state file is named by its key's digest, so only the states of keys no
    longer present are read (none, most nights, of thousands).
    """
    present = {_digest(key) for key in scan(raw_dir)}
    states = sorted(p for p in (Path(curated_dir) / STATE / "files").glob("*.json") if p.stem not in present)
    gone = [json.loads(p.read_text(encoding="utf-8"))["key"] for p in states]
    for key in gone:
        remove(curated_dir, key)
    return gone


def stored_keys(curated_dir: Path) -> dict[str, str]:
    """Partition key → sha256 of every raw file the store holds."""
    states = (json.loads(p.read_text(encoding="utf-8")) for p in (Path(curated_dir) / STATE / "files").glob("*.json"))
    return {state["key"]: state["sha256"] for state in states}


def part_path(curated_dir: Path, schema: TableSchema, doc_id: str) -> Path:
    return Path(curated_dir) / schema.name / f"doc_id={doc_id}" / PART


def doc_of(part: Path) -> str:
    """The doc_id of a part's path (`part_path` read back)."""
    return part.parent.name.removeprefix("doc_id=")


def part_of(rel: str) -> tuple[str, str]:
    """(table, doc_id) of a part's path below the curated directory (as `relative` gives it): `part_path` read back."""
    table, folder, _ = rel.split("/")
    return table, folder.removeprefix("doc_id=")


def table_parts(curated_dir: Path, schema: TableSchema, complete: set[str] | None = None) -> list[Path]:
    """The table's Parquet files of complete documents, in doc_id order.

    `complete`: `document_ids(curated_dir)`, when the caller has it already (it
    lists several tables). Listed with `os.scandir` and plain string paths: a
    large store has tens of thousands of files, listed by every check.
    """
    root = os.path.join(curated_dir, schema.name)
    if not os.path.isdir(root):
        return []
    complete = document_ids(curated_dir) if complete is None else complete
    names = sorted(entry.name for entry in os.scandir(root)
                   if entry.name.startswith("doc_id=") and entry.name[len("doc_id="):] in complete)
    if schema is DOCUMENTS:  # its files are what makes a document complete
        return [Path(root, name, PART) for name in names]
    return [Path(root, name, PART) for name in names if os.path.exists(os.path.join(root, name, PART))]


def read_table(curated_dir: Path, schema: TableSchema, columns: list[str] | None = None) -> pa.Table:
    """The whole curated table, all documents, with the schema's exact types."""
    return read_parts(table_parts(curated_dir, schema), schema, columns)


def read_parts(parts: list[Path], schema: TableSchema, columns: list[str] | None = None) -> pa.Table:
    tables = [pq.read_table(p, columns=columns, schema=schema.arrow()) for p in parts]
    if not tables:
        empty = schema.arrow().empty_table()
        return empty if columns is None else empty.select(columns)
    return pa.concat_tables(tables)


def batches(parts: list[Path], max_rows: int) -> list[list[tuple[Path, int]]]:
    """`parts` in order with their row counts, in groups of at most `max_rows` rows (a larger file alone):
    bounded memory per group."""
    groups: list[list[tuple[Path, int]]] = []
    rows = 0
    for part in parts:
        count = pq.ParquetFile(part).metadata.num_rows
        if not groups or rows + count > max_rows:
            groups.append([])
            rows = 0
        groups[-1].append((part, count))
        rows += count
    return groups


def document_ids(curated_dir: Path) -> set[str]:
    """The doc_id of every complete document: its `documents` file, written last, is there."""
    root = os.path.join(curated_dir, DOCUMENTS.name)
    if not os.path.isdir(root):
        return set()
    return {entry.name.removeprefix("doc_id=") for entry in os.scandir(root)
            if entry.name.startswith("doc_id=") and os.path.exists(os.path.join(root, entry.name, PART))}


def stamp(path: Path) -> str:
    """A file's size and modification time: a rewritten file gets a new stamp."""
    stat = os.stat(path)
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def unchecked_parts(curated_dir: Path, check: str, stored: list[Path], rules: str) -> list[Path]:
    """The files of `stored` (a table's `table_parts`) that `check` has no verdict on under these `rules`
    (a digest of the suite) as they are now."""
    known = _verdicts(curated_dir, check, rules)["parts"]
    return [p for p in stored if known.get(relative(curated_dir, p)) != stamp(p)]


def mark_checked(curated_dir: Path, check: str, stored: list[Path], rules: str, parts: list[Path],
                 failures: dict[str, list[str]] | None = None) -> None:
    """Record `check`'s verdict on `parts`: passed, or the reasons of `failures` (by relative path) for a report's
    file that failed it; files no longer in `stored` (the table's files now) are forgotten."""
    before = _verdicts(curated_dir, check, rules)
    current = {relative(curated_dir, p) for p in stored}
    known = {rel: value for rel, value in before["parts"].items() if rel in current}
    failed = {rel: reasons for rel, reasons in before["failures"].items() if rel in known}
    for part in parts:
        rel = relative(curated_dir, part)
        known[rel] = stamp(part)
        failed.pop(rel, None)
    failed.update(failures or {})
    write_state(Path(curated_dir) / STATE / "checked" / f"{check}.json",
                 json.dumps({"rules": rules, "parts": known, "failures": failed}, ensure_ascii=False, sort_keys=True))


def check_verdicts(curated_dir: Path, check: str, stored: list[Path], rules: str) -> dict[Path, list[str] | None]:
    """`check`'s verdict on each file of `stored` as it is now: [] passed, its reasons, or None: not checked."""
    verdicts = _verdicts(curated_dir, check, rules)
    found: dict[Path, list[str] | None] = {}
    for part in stored:
        rel = relative(curated_dir, part)
        found[part] = verdicts["failures"].get(rel, []) if verdicts["parts"].get(rel) == stamp(part) else None
    return found


def _verdicts(curated_dir: Path, check: str, rules: str) -> dict:
    path = Path(curated_dir) / STATE / "checked" / f"{check}.json"
    state = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if state.get("rules") != rules:
        return {"parts": {}, "failures": {}}
    return {"parts": state.get("parts", {}), "failures": state.get("failures", {})}


def catalog_state(curated_dir: Path) -> dict:
    """What the catalog was last built from: its layout digest and the stamp of every Parquet file it holds."""
    path = Path(curated_dir) / STATE / "catalog.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def write_catalog_state(curated_dir: Path, catalog: Path, layout: str, parts: dict[str, str],
                        held: list[str]) -> None:
    """Record the files `catalog` now holds, which reports it holds in quarantine, and the catalog's own stamp:
    a reader can tell the record is of it."""
    target = Path(curated_dir) / STATE / "catalog.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    with replaced(target) as temporary:
        temporary.write_text(json.dumps({"layout": layout, "catalog": stamp(catalog), "parts": parts,
                                         "quarantined": held}, sort_keys=True), encoding="utf-8")


def relative(curated_dir: Path, path: Path) -> str:
    """`path` below the curated directory, as a POSIX string (a string operation: it is called per file)."""
    base, text = str(curated_dir), str(path)
    if not text.startswith(base + os.sep):
        return path.relative_to(curated_dir).as_posix()
    return text[len(base) + 1:].replace(os.sep, "/")


def _parsed_in(curated_dir: Path, doc_id: str, parsed_at: datetime) -> bool:
    """Whether the run that started at `parsed_at` has parsed this document already."""
    path = part_path(curated_dir, DOCUMENTS, doc_id)
    return path.exists() and pq.read_table(path, columns=["parsed_at"])["parsed_at"][0].as_py() == parsed_at


def _complete(curated_dir: Path, doc_id: str) -> bool:
    return part_path(curated_dir, DOCUMENTS, doc_id).exists()


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _state_file(curated_dir: Path, key: str) -> Path:
    return Path(curated_dir) / STATE / "files" / f"{_digest(key)}.json"


def _holders(curated_dir: Path, doc_id: str) -> Path:
    return Path(curated_dir) / STATE / "docs" / doc_id


def _file_state(curated_dir: Path, key: str) -> dict | None:
    path = _state_file(curated_dir, key)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _write_file_state(curated_dir: Path, key: str, state: dict) -> None:
    text = json.dumps(state, ensure_ascii=False, sort_keys=True)
    for path in (_state_file(curated_dir, key), _holders(curated_dir, state["doc_id"]) / _digest(key)):
        write_state(path, text)


def write_state(path: Path, text: str) -> None:
    """A state file written atomically, and only when its text changes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        with replaced(path) as temporary:
            temporary.write_text(text, encoding="utf-8")


def _unlink(curated_dir: Path, key: str, doc_id: str) -> None:
    """Drop one file from a document's holders; drop the document when no file holds it any more."""
    holders = _holders(curated_dir, doc_id)
    (holders / _digest(key)).unlink(missing_ok=True)
    if holders.is_dir() and any(holders.iterdir()):
        _record_paths(curated_dir, doc_id)
        return
    shutil.rmtree(holders, ignore_errors=True)
    _drop_document(curated_dir, doc_id)


def _drop_document(curated_dir: Path, doc_id: str) -> None:
    for schema in (DOCUMENTS, *[s for s in CURATED_TABLES if s is not DOCUMENTS]):  # documents first: incomplete
        shutil.rmtree(part_path(curated_dir, schema, doc_id).parent, ignore_errors=True)
    (Path(curated_dir) / STATE / "code" / doc_id).unlink(missing_ok=True)
    (Path(curated_dir) / STATE / "layout" / doc_id).unlink(missing_ok=True)
    (Path(curated_dir) / STATE / "ours" / doc_id).unlink(missing_ok=True)


def _record_paths(curated_dir: Path, doc_id: str) -> None:
    """`documents.source_path` is the first path holding the bytes, `duplicate_paths` the others."""
    holders = sorted(json.loads(p.read_text(encoding="utf-8"))["path"] for p in _holders(curated_dir, doc_id).iterdir()
                     if not p.name.startswith("."))
    path = part_path(curated_dir, DOCUMENTS, doc_id)
    row = pq.read_table(path, schema=DOCUMENTS.arrow()).to_pylist()[0]
    if row["source_path"] != holders[0] or row["duplicate_paths"] != holders[1:]:
        row.update(source_path=holders[0], duplicate_paths=holders[1:])
        write_parquet(path, DOCUMENTS, [row])
