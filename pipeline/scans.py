"""A photocopied test set of the development corpus, and the OCR path scored against the text path on it.

Many bureaus publish only scans, so the OCR path is measured on copies of real
reports degraded the way a photocopier degrades them: 150–200 dpi, turned up to
±2°, blurred, speckled, JPEG-compressed, on light grey paper, rebuilt as
image-only PDFs (the development corpus and, where they are, the workplace's
sample PDFs in `../shared/pdf_samples/`). Each report's copy holds its first pages (the cover names the
bureau and year) and every page where the text path finds a table, and the same
pages are kept with their text layer: what the pipeline reads from that text
copy is the truth the scan is scored against (cells, tables, metadata, per
table family). The set is made from a seed, so anyone makes the same set.

`python -m pipeline scans make` writes the set under `data/dev/scans/`;
`python -m pipeline scans score` reads both copies of every report (OCR
readings cached in `data/dev/.ocr_cache/`) and writes `data/dev/scans.json`,
which `docs/accuracy.md` shows.
"""

from __future__ import annotations

import io
import json
import sys
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path

from pipeline.corpus import discover
from pipeline.fiscal.tables import classify
from pipeline.normalize import compact
from pipeline.readers import OcrSettings
from pipeline.report import ParsedReport, parse_report

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "data" / "dev"
SCANS = DEV / "scans"  # text/<file> and scan/<file>: the same pages of each report, as text and as a scan
RESULT = DEV / "scans.json"
OCR_CACHE = DEV / ".ocr_cache"
SEED = 2026
# The development corpus, and the workplace's sample PDFs where they are (beside the repository)
SOURCES = [DEV / "pdf", ROOT.parent / "shared" / "pdf_samples"]
COVER_PAGES = 2  # a report's first pages: its cover and title name the bureau, year and kind


# ------------------------------------------------------------ making the set

def photocopy(pdf: bytes, pages: list[int], seed: int) -> bytes:
    """An image-only PDF of the given 1-based pages, each degraded as a photocopier would (see the module)."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    document = pdfium.PdfDocument(pdf)
    rng = np.random.default_rng(seed)
    images = []
    for number in pages:
        dpi = float(rng.uniform(150, 200))
        page = document[number - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        page = page.rotate(float(rng.uniform(-2, 2)), resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
        page = page.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.3, 0.9))))
        pixels = np.asarray(page, dtype=np.float32)
        paper = float(rng.uniform(222, 242))  # light grey paper; ink stays dark
        pixels = pixels * (paper / 255) + rng.normal(0, float(rng.uniform(4, 10)), pixels.shape)
        speckle = rng.random(pixels.shape) < float(rng.uniform(0.0003, 0.0012))
        pixels[speckle] = rng.uniform(0, 140, int(speckle.sum()))
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
        compressed = io.BytesIO()
        image.save(compressed, format="JPEG", quality=int(rng.integers(45, 80)))
        images.append((Image.open(compressed), dpi))
    out = io.BytesIO()
    first, dpi = images[0]
    fixed = time.strptime("2026-01-01", "%Y-%m-%d")  # no clock in the file: the same seed, the same bytes
    first.save(out, format="PDF", save_all=True, append_images=[image for image, _ in images[1:]],
               resolution=dpi, creationDate=fixed, modDate=fixed)
    return out.getvalue()


def excerpt(pdf: bytes, pages: list[int]) -> bytes:
    """The given 1-based pages of a PDF, text layer and all."""
    import pypdfium2 as pdfium

    source, copy = pdfium.PdfDocument(pdf), pdfium.PdfDocument.new()
    copy.import_pages(source, [number - 1 for number in pages])
    out = io.BytesIO()
    copy.save(out)
    return out.getvalue()


def pages_to_copy(report: ParsedReport) -> list[int]:
    """The report's cover pages and every page where the text path finds a table or a performance sheet."""
    document = report.read.document
    pages = set(range(1, min(COVER_PAGES, document.pages or COVER_PAGES) + 1))
    pages |= {table.source_page for table in document.tables if table.source_page and classify(table)}
    pages |= {row["source_page"] for rows in (report.facts, report.indicators, report.projects) for row in rows
              if row.get("source_page")}
    return sorted(pages)


def file_seed(seed: int, name: str) -> int:
    """Each file's own seed: the same file gets the same copy whatever else is in the set."""
    return seed * 1_000_003 + zlib.crc32(name.encode("utf-8"))


def text_pages(pdf: bytes) -> list[int]:
    """The 1-based pages that carry a text layer (a report may hold a few scanned pages among them)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    return [number for number in range(1, len(document) + 1) if document[number - 1].get_textpage().count_chars()]


def make(raw_dirs: list[Path] | None = None, out_dir: Path = SCANS, seed: int = SEED,
         names: list[str] | None = None, out=sys.stdout) -> dict[str, list[int]]:
    """Copy every text-layer PDF of the directories twice (text, scan), the same pages of each.

    Returns, per file, the original page numbers copied (recorded in `pages.json`).
    """
    listing = out_dir / "pages.json"
    copied: dict[str, list[int]] = (json.loads(listing.read_text(encoding="utf-8"))["pages"]
                                    if names and listing.exists() else {})
    for directory in ("text", "scan"):
        (out_dir / directory).mkdir(parents=True, exist_ok=True)
    sources = [(raw_dir, source) for raw_dir in (raw_dirs or SOURCES) if raw_dir.is_dir()
               for source in discover(raw_dir)]
    for raw_dir, source in sources:
        if not source.source_path.lower().endswith(".pdf") or (names and source.source_path not in names):
            continue
        data = (raw_dir / source.source_path).read_bytes()
        with_text = text_pages(data)
        if not with_text:
            print(f"  {source.source_path}: skipped, a scan already (no page has a text layer)", file=out)
            continue
        data = excerpt(data, with_text)  # its scanned pages have no text to score against
        report = parse_report(raw_dir, source, OcrSettings(enabled=False), data=data)
        if report.error:
            print(f"  {source.source_path}: skipped ({report.error})", file=out)
            continue
        pages = pages_to_copy(report)
        (out_dir / "text" / source.source_path).write_bytes(excerpt(data, pages))
        (out_dir / "scan" / source.source_path).write_bytes(photocopy(data, pages, file_seed(seed, source.source_path)))
        copied[source.source_path] = [with_text[number - 1] for number in pages]
        print(f"  {source.source_path}: {len(pages)} pages", file=out, flush=True)
    listing.write_text(json.dumps({"seed": seed, "pages": dict(sorted(copied.items()))}, ensure_ascii=False,
                                  indent=1), encoding="utf-8")
    return copied


# ------------------------------------------------------------ scoring the scan against the text

def cells(report: ParsedReport) -> dict[tuple, object]:
    """Every cell the report yields, keyed by where it is printed: family, page, row and column.

    A fiscal fact's row is its code, else its line number, else its cleaned
    name, and its value the amount. A performance indicator's row is its
    sheet's place on the page and its name; its cells are the name, target,
    actual value, weight and score as printed. The n-th repeat of a key
    is a key of its own. Cells printed blank on a performance sheet are not
    counted.
    """
    keys: list[tuple] = []
    values: list[object] = []
    for fact in report.facts:
        row = fact["item_code"] or (f"line {fact['line_no']}" if fact["line_no"] else compact(fact["item_name"]))
        keys.append((fact["table_id"], fact["source_page"], fact["side"], fact["section"], row, fact["measure"]))
        values.append(fact["amount"])
    sheets = [(project, "(project)", ("budget_full_year", "executed", "execution_rate", "total_weight", "total_score"))
              for project in report.projects]
    sheets += [(indicator, compact(indicator["indicator"]),
                ("indicator", "target_text", "actual_text", "weight", "score")) for indicator in report.indicators]
    on_page: dict[str, str] = {}  # a sheet is known by its page and its place among the page's sheets
    for project, _, _ in sheets[:len(report.projects)]:
        on_page[project["project_id"]] = str(sum(p["source_page"] == project["source_page"] for p in report.projects
                                                 if p["project_id"] < project["project_id"]))
    for row, label, measures in sheets:
        project = on_page.get(row["project_id"], "?")
        for measure in measures:
            value = row[measure]
            if value is not None and value != "":
                keys.append(("performance", row["source_page"], project, None, label, measure))
                values.append(compact(value) if isinstance(value, str) else value)
    seen: Counter = Counter()
    numbered = {}
    for key, value in zip(keys, values):
        numbered[key + (seen[key],)] = value
        seen[key] += 1
    return numbered


def tables(report: ParsedReport) -> Counter:
    """The recognised tables by family and page (read or not: their cells are scored apart)."""
    document = report.read.document
    found = Counter((table_id, t.source_page) for t in (document.tables if document else [])
                    if (table_id := classify(t)))
    # a sheet is found where its title is recognised (its project row) and on each page it prints indicators
    found.update(("performance", page) for page in {row["source_page"] for row in (*report.projects,
                                                                                   *report.indicators)})
    return found


def metadata(report: ParsedReport) -> dict[str, object]:
    issuer, identity = report.issuer, report.identity
    return {"entity_name": issuer.entity_name if issuer else None,
            "fiscal_year": identity.fiscal_year if identity else None,
            "report_kind": identity.report_kind if identity else None}


@dataclass
class Compared:
    """One report's scan against its text copy."""

    name: str
    pages: int
    cells: Counter = field(default_factory=Counter)  # family -> cells the text path reads
    same: Counter = field(default_factory=Counter)  # family -> of them, read the same from the scan
    silent: list[str] = field(default_factory=list)  # read differently, yet no identity failed on the row
    tables: int = 0
    tables_found: int = 0
    missed_tables: list[str] = field(default_factory=list)
    metadata_wrong: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _aligned(truth: dict[tuple, object], read: dict[tuple, object]) -> dict[tuple, object]:
    """The scan's cells with each indicator row known by the text's name for it where OCR misread a character
    or two of the name (`健康索养` for `健康素养`): its other cells are then compared, and its name is one
    cell read wrong, not five."""
    def rows(found: dict[tuple, object]) -> set[tuple]:
        return {key[:5] for key in found if key[0] == "performance" and key[4] != "(project)"}

    unclaimed, renamed = rows(read) - rows(truth), {}
    for row in sorted(rows(truth) - rows(read)):
        likeness = {other: SequenceMatcher(None, row[4], other[4]).ratio()
                    for other in unclaimed if other[:4] == row[:4]}
        best = max(likeness, key=likeness.get, default=None)
        if best is not None and likeness[best] >= 0.8:
            renamed[best] = row
            unclaimed.discard(best)
    return {renamed.get(key[:5], key[:5]) + key[5:]: value for key, value in read.items()}


def compare(name: str, text: ParsedReport, scan: ParsedReport, pages: int) -> Compared:
    result = Compared(name, pages, seconds=round(scan.seconds, 1))
    truth = cells(text)
    read = _aligned(truth, cells(scan))
    failing = {(c["table_id"], c.get("source_page")) for c in scan.checks if c["passed"] is False}
    for key, value in truth.items():
        family = key[0]
        result.cells[family] += 1
        if key in read and read[key] == value:
            result.same[family] += 1
        elif key in read and isinstance(value, Decimal) and (family, key[1]) not in failing:
            result.silent.append(f"p{key[1]} {family} {key[4]} {key[5]}: {value} read {read[key]}")
    expected, found = tables(text), tables(scan)
    result.tables = sum(expected.values())
    result.tables_found = sum((expected & found).values())
    result.missed_tables = sorted(f"{table_id} p{page}" for table_id, page in (expected - found).elements())
    printed, guessed = metadata(text), metadata(scan)
    result.metadata_wrong = [f"{field_}: {guessed[field_]!r} for {printed[field_]!r}" for field_ in printed
                             if printed[field_] != guessed[field_]]
    return result


def score(scans: Path = SCANS, cache: Path = OCR_CACHE, names: list[str] | None = None,
          out=sys.stdout) -> list[Compared]:
    """Read both copies of every report of the set and compare them (OCR pages in parallel, cached)."""
    copied = json.loads((scans / "pages.json").read_text(encoding="utf-8"))["pages"]
    text_sources = {s.source_path: s for s in discover(scans / "text")}
    scan_sources = {s.source_path: s for s in discover(scans / "scan")}
    results = []
    for name in names or sorted(copied):
        text = parse_report(scans / "text", text_sources[name], OcrSettings(enabled=False))
        scan = parse_report(scans / "scan", scan_sources[name], OcrSettings(cache_dir=str(cache)))
        compared = compare(name, text, scan, len(copied[name]))
        results.append(compared)
        right, total = sum(compared.same.values()), sum(compared.cells.values())
        print(f"  {name}: cells {right}/{total}, tables {compared.tables_found}/{compared.tables}, "
              f"metadata {'right' if not compared.metadata_wrong else compared.metadata_wrong}, "
              f"{compared.seconds:.0f} s", file=out, flush=True)
    return results


def summary(results: list[Compared], scans: Path = SCANS) -> dict:
    """The figures `docs/accuracy.md` publishes: per family and in total, and what was missed."""
    cells_, same = Counter(), Counter()
    for result in results:
        cells_.update(result.cells)
        same.update(result.same)
    pages = sum(r.pages for r in results)
    return {
        "seed": json.loads((scans / "pages.json").read_text(encoding="utf-8"))["seed"],
        "reports": len(results), "pages": pages,
        "families": {family: [same[family], cells_[family]] for family in sorted(cells_)},
        "cells": [sum(same.values()), sum(cells_.values())],
        "tables": [sum(r.tables_found for r in results), sum(r.tables for r in results)],
        "metadata_right": sum(not r.metadata_wrong for r in results),
        "missed_tables": {r.name: r.missed_tables for r in results if r.missed_tables},
        "metadata_wrong": {r.name: r.metadata_wrong for r in results if r.metadata_wrong},
        "silent": {r.name: r.silent for r in results if r.silent},
    }


def _share(pair: list[int]) -> str:
    right, total = pair
    return f"{right} / {total} | {right / total:.1%}" if total else "0 / 0 | —"


def render(path: Path = RESULT) -> list[str]:
    """The section of `docs/accuracy.md` on the scanned copies (nothing until they were scored)."""
    if not path.exists():
        return []
    result = json.loads(path.read_text(encoding="utf-8"))
    silent = sum(len(v) for v in result["silent"].values())
    lines = ["", "## Scanned copies: the OCR path against the text path", "",
             "Every text-layer PDF of the development corpus and of the sample PDFs (`../shared/pdf_samples/`), "
             "its cover pages and table pages, photocopied "
             f"(`python -m pipeline scans make`, seed {result['seed']}: 150–200 dpi, turned up to ±2°, blurred, "
             "speckled, JPEG-compressed, on grey paper, image only) and read by OCR; the same pages read from "
             "their text layer are the truth (`python -m pipeline scans score` writes `data/dev/scans.json`). A "
             "cell is the same when the scan yields the same figure (or, on a performance sheet, the same text) at "
             "the same table, page, row and column. A table is found when the scan's reading recognises it on "
             "that page (a fiscal table by its title and header, a performance sheet by its title), whether or "
             "not its cells could be read. An amount OCR was unsure of (confidence below 0.9) is kept only where "
             "an identity that holds uses it, else it goes to `rejects` with its reading: such a cell counts as "
             "not read the same. "
             f"{result['reports']} reports, {result['pages']} pages; the speed of OCR is in `docs/benchmarks.md`.",
             "",
             "| | same | share |", "|---|---|---|", f"| **all cells** | {_share(result['cells'])} |",
             f"| tables found | {_share(result['tables'])} |",
             f"| metadata right (entity, year, kind) | {_share([result['metadata_right'], result['reports']])} |", "",
             "| family | same | share |", "|---|---|---|"]
    lines += [f"| `{family}` | {_share(pair)} |" for family, pair in result["families"].items()]
    lines += ["", f"Read differently with no identity of its table failing on that page (silent): {silent} cells.",
              "", "| report | tables missed | metadata wrong | silent misreadings |", "|---|---|---|---|"]
    for name in sorted(set(result["missed_tables"]) | set(result["metadata_wrong"]) | set(result["silent"])):
        silent_here = result["silent"].get(name, [])
        lines.append(f"| {name} | {', '.join(result['missed_tables'].get(name, [])) or '—'} | "
                     f"{'; '.join(result['metadata_wrong'].get(name, [])) or '—'} | "
                     f"{len(silent_here) or '—'}{': ' + '; '.join(silent_here[:3]) if silent_here else ''}"
                     f"{' …' if len(silent_here) > 3 else ''} |")
    return lines
