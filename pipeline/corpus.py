"""The raw corpus: which files are there, which are the same report, and reading each one.

A bad document never stops the others: it becomes a `failed` row of
`documents` with a one-line error saying what is wrong and what to do.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.model import Document
from pipeline.readers import OcrSettings, UnreadableDocument, is_pdf, read_document

IGNORED_NAMES = {"README.md", "README.txt", ".gitkeep"}
DEFAULT_MAX_FILE_MB = 200  # the largest real reports are a few tens of MB; YIBAO_MAX_FILE_MB overrides


def max_file_mb() -> float:
    return float(os.environ.get("YIBAO_MAX_FILE_MB", DEFAULT_MAX_FILE_MB))


@dataclass(frozen=True)
class SourceFile:
    """One distinct raw document: identical files share it."""

    doc_id: str
    sha256: str
    size: int
    source_path: str
    duplicate_paths: tuple[str, ...] = ()


FILE, OURS = "file", "ours"  # whose fault a failure is: the file's (it stays failed until it changes) or ours


@dataclass
class ReadResult:
    source: SourceFile
    document: Document | None
    error: str | None = None
    rejects: list[dict] = field(default_factory=list)
    source_format: str | None = None
    fault: str | None = None  # FILE or OURS when `error`


def discover(raw_dir: Path) -> list[SourceFile]:
    """Every raw file under `raw_dir` (hidden files and READMEs skipped), one per distinct content."""
    raw_dir = Path(raw_dir)
    by_hash: dict[str, list[Path]] = {}
    for path in raw_files(raw_dir):
        by_hash.setdefault(sha256_of(path), []).append(path)
    sources = [
        SourceFile(
            doc_id=digest[:16],
            sha256=digest,
            size=paths[0].stat().st_size,
            source_path=paths[0].relative_to(raw_dir).as_posix(),
            duplicate_paths=tuple(p.relative_to(raw_dir).as_posix() for p in paths[1:]),
        )
        for digest, paths in by_hash.items()
    ]
    return sorted(sources, key=lambda s: s.source_path)


def raw_files(raw_dir: Path) -> list[Path]:
    """The report files under `raw_dir`, sorted; hidden files and READMEs are not reports."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw directory not found: {raw_dir}")
    return [path for path in sorted(raw_dir.rglob("*"))
            if path.is_file() and path.name not in IGNORED_NAMES
            and not any(part.startswith(".") for part in path.relative_to(raw_dir).parts)]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_source(raw_dir: Path, source: SourceFile, ocr: OcrSettings | None = None,
                data: bytes | None = None) -> ReadResult:
    """Read one document (from `data`, its bytes when the caller has them); never raises for a bad one."""
    limit = max_file_mb()
    if source.size > limit * 2**20:
        return ReadResult(source, None, f"{source.source_path}: file too large ({source.size / 2**20:.1f} MB, the "
                                        f"limit is {limit:g} MB); check that it is a single report, or "
                                        "raise the limit with --max-file-mb or YIBAO_MAX_FILE_MB", fault=FILE)
    if data is None:
        data = (Path(raw_dir) / source.source_path).read_bytes()
    source_format = "pdf" if is_pdf(data) else None
    if ocr and ocr.progress:
        say = ocr.progress
        ocr = replace(ocr, progress=lambda line: say(f"  {source.source_path}: {line}"))
    try:
        document = read_document(data, ocr)
    except UnreadableDocument as problem:
        return ReadResult(source, None, f"{source.source_path}: {problem}", source_format=source_format, fault=FILE)
    except Exception as problem:  # noqa: BLE001 - one broken document must not stop the run
        return ReadResult(
            source, None,
            f"{source.source_path}: internal error while reading ({type(problem).__name__}: {problem}); "
            "please report it with this file",
            source_format=source_format, fault=OURS,
        )
    rejects = [
        {"doc_id": source.doc_id, "stage": "read", "source_line": d.source_line,
         "source_page": d.source_page, "raw_text": d.raw_text, "reason": d.reason}
        for table in document.tables for d in table.dropped
    ]
    return ReadResult(source, document, rejects=rejects, source_format=document.source_format)
