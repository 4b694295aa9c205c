"""OCR of PDF pages without a usable text layer: the same page text and table grids as a text-layer page.

A page is rendered (pypdfium2), deskewed, and read by rapidocr (PP-OCRv6
small models shipped in its wheel, so it works offline) into text lines with
a box and a confidence each. Its angle classifier stays off: it turns short
numbers upside down (`99` → `66`). The table grid is rebuilt from the ruling
lines of the page image and the boxes, the way camelot's lattice reads a
ruled table: cells between the lines, a merged cell's text in its top-left
cell. A page with a table title but no ruling falls back to columns found
from the boxes' alignment. Every cell keeps the lowest confidence of the
text it holds.

OCR costs seconds a page, so pages are read in parallel worker processes and
each page's reading is cached under the SHA-256 of its rendered image: a
refresh never reads the same page twice.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable

import numpy as np

from pipeline.model import OcrConfidence
from pipeline.normalize import clean_text

DPI = 170  # rapidocr shrinks pages to 2000 px anyway; an A4 page at 170 dpi is just under it
LINE_SCALE = 40  # a ruling line is at least 1/40 of the page's width (or height) long
LINE_TOL = 6  # pixels: lines closer than this are one line
MAX_SKEW = 3.0  # degrees searched for the page's skew
MIN_GLYPH_HEIGHT = 10  # pixels at DPI: ink this tall in an empty cell is text, not dust
SECOND_LOOK_SCORE = 0.8  # an empty cell's ink read alone counts only when OCR is this sure
# Part of every cache key: a new engine, model or recipe reads the pages' text again.
RECIPE = "rapidocr-3.10.0 PP-OCRv6-small cls-off det1280 rec160 dpi170 deskew-v1 lines-v1 second-look-v2"
# How ruling lines are found. A cached reading whose lines were found otherwise keeps its text; only its lines
# (and the second look at the empty cells between them) are found again, which takes a fraction of a second.
LINES_RECIPE = "lines-v2 adaptive-threshold paper-border no-text-strokes"
# rapidocr's settings (names from its config.yaml). Detection on the page scaled to 1280 px finds the same
# lines as at full size in a third of the time, but lone glyphs (see `_second_look`); recognition pads short
# lines (most cells) to 160 px, not its default 320: the same text on the fixtures' pages in two thirds of the time.
ENGINE_PARAMS = {
    "Global.use_cls": False,  # the angle classifier flips short numbers: `99` → `66`
    "Global.log_level": "error",
    "Det.limit_type": "max",
    "Det.limit_side_len": 1280,
    "Rec.rec_img_shape": [3, 48, 160],
}


@dataclass(frozen=True)
class OcrSettings:
    """Whether pages without a text layer are read by OCR, where readings are cached, and how many workers.

    `workers` 0 means one per core; `progress` receives a line per page read.
    """

    enabled: bool = True
    cache_dir: str | None = None
    workers: int = 0
    progress: Callable[[str], None] | None = None


@dataclass
class Box:
    """One text line read by OCR: its box in the deskewed page image, text and confidence (0–1)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    score: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class Scan:
    """What OCR saw on one page (cached): the skew corrected, the text lines and the ruling lines."""

    width: int
    height: int
    skew: float
    boxes: list[Box]
    horizontal: list[tuple[float, float, float]]  # (x0, x1, y)
    vertical: list[tuple[float, float, float]]  # (y0, y1, x)
    lines: str = LINES_RECIPE  # how the ruling lines were found

    def to_json(self) -> dict:
        return {"recipe": RECIPE, "lines": self.lines, "width": self.width, "height": self.height,
                "skew": self.skew, "boxes": [[b.x0, b.y0, b.x1, b.y1, b.text, b.score] for b in self.boxes],
                "horizontal": self.horizontal, "vertical": self.vertical}

    @classmethod
    def from_json(cls, data: dict) -> Scan:
        return cls(data["width"], data["height"], data["skew"], [Box(*b) for b in data["boxes"]],
                   [tuple(s) for s in data["horizontal"]], [tuple(s) for s in data["vertical"]],
                   data.get("lines", "lines-v1"))


@dataclass
class OcrPage:
    """A page as the PDF reader uses it: its text lines and its tables' grids, with a confidence per cell."""

    text: str
    grids: list[list[list[str]]]
    confidences: list[list[list[float | None]]] = field(default_factory=list)

    @property
    def cell_confidence(self) -> dict[str, dict[str, float]]:
        """Each cell text of this page → its row (the row's cells joined by ` | `, as `Row.raw`) → the lowest
        confidence it was read with there: a token printed in many rows (`0.00`) is doubted only where it was."""
        lowest: dict[str, dict[str, float]] = {}
        for grid, scores in zip(self.grids, self.confidences):
            for row, row_scores in zip(grid, scores):
                raw = " | ".join(row)
                for text, score in zip(row, row_scores):
                    if text and score is not None:
                        by_row = lowest.setdefault(text, {})
                        by_row[raw] = min(score, by_row.get(raw, 1.0))
        return lowest


# ------------------------------------------------------------ running OCR over pages

def ocr_pages(data: bytes, numbers: list[int], settings: OcrSettings) -> dict[int, OcrPage]:
    """Read the given 1-based pages of a PDF by OCR, from the cache where a page was read before."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    keys = {number: _cache_key(_render(document[number - 1])) for number in numbers}  # one image at a time
    scans: dict[int, Scan] = {}
    for number in numbers:
        cached = _cache_read(settings.cache_dir, keys[number])
        if cached is not None:
            scans[number] = cached
    for number, scan in scans.items():
        if scan.lines != LINES_RECIPE:  # the text as read before; the lines found again
            _find_lines(scan, _deskewed(_render(document[number - 1]), scan.skew))
            _cache_write(settings.cache_dir, keys[number], scan)
    todo = [number for number in numbers if number not in scans]

    def finished(number: int, scan: Scan, spent: float) -> None:
        scans[number] = scan
        _cache_write(settings.cache_dir, keys[number], scan)
        if settings.progress:
            settings.progress(f"OCR page {number} ({todo.index(number) + 1}/{len(todo)}): {len(scan.boxes)} "
                              f"text lines, {spent:.1f} s")

    if settings.progress and len(todo) < len(numbers):
        settings.progress(f"OCR: {len(numbers) - len(todo)} of {len(numbers)} pages from the cache")
    workers = min(len(todo), settings.workers or os.cpu_count() or 1)
    if workers <= 1 or multiprocessing.current_process().daemon:
        for number in todo:
            started = time.perf_counter()
            finished(number, scan_page(_render(document[number - 1])), time.perf_counter() - started)
    elif todo:
        threads = max(1, (os.cpu_count() or 1) // workers)
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_start_worker, initargs=(threads, data)) as pool:
            tasks = {number: pool.submit(_scan_page_number, number) for number in todo}
            for number in todo:
                finished(number, *tasks[number].result())
    return {number: build_page(scans[number]) for number in numbers}


def _render(page) -> np.ndarray:
    """The page as a grayscale image at DPI, upright (a page's /Rotate is applied)."""
    bitmap = page.render(scale=DPI / 72, grayscale=True)
    image = bitmap.to_numpy()
    return np.ascontiguousarray(image if image.ndim == 2 else image[..., 0])


def _cache_key(image: np.ndarray) -> str:
    digest = hashlib.sha256(RECIPE.encode())
    digest.update(np.asarray(image.shape, dtype=np.int64).tobytes())
    digest.update(image.tobytes())
    return digest.hexdigest()


def _cache_path(cache_dir: str, key: str) -> Path:
    return Path(cache_dir) / key[:2] / f"{key}.json"


def _cache_read(cache_dir: str | None, key: str) -> Scan | None:
    if not cache_dir:
        return None
    path = _cache_path(cache_dir, key)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Scan.from_json(data) if data.get("recipe") == RECIPE else None


def _cache_write(cache_dir: str | None, key: str, scan: Scan) -> None:
    """Write atomically (a rename): concurrent runs may write the same page."""
    if not cache_dir:
        return
    path = _cache_path(cache_dir, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(scan.to_json(), ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


_ENGINE = None


def _engine(threads: int | None = None):
    """One rapidocr engine per process (loading the models takes a moment)."""
    global _ENGINE
    if _ENGINE is None:
        from rapidocr import RapidOCR

        threads = threads or os.cpu_count() or 1
        _ENGINE = RapidOCR(params={**ENGINE_PARAMS, "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                                   "EngineConfig.onnxruntime.inter_op_num_threads": 1})
    return _ENGINE


_DOCUMENT = None  # the PDF a worker process reads pages of


def _start_worker(threads: int, data: bytes) -> None:
    import pypdfium2 as pdfium

    global _DOCUMENT
    _DOCUMENT = pdfium.PdfDocument(data)
    _engine(threads)


def _scan_page_number(number: int) -> tuple[Scan, float]:
    """In a worker: render and read one page (pages are rendered where they are read: one image in memory)."""
    started = time.perf_counter()
    scan = scan_page(_render(_DOCUMENT[number - 1]))
    return scan, time.perf_counter() - started


# ------------------------------------------------------------ one page image

def scan_page(image: np.ndarray) -> Scan:
    """Deskew a grayscale page image, read its text lines and find its ruling lines."""
    skew = find_skew(image)
    image = _deskewed(image, skew)
    result = _engine()(image, use_det=True)  # the engine keeps the last call's switches (see _second_look)
    boxes = []
    for points, text, score in zip(result.boxes if result.boxes is not None else [], result.txts or (),
                                   result.scores or ()):
        xs, ys = [float(p[0]) for p in points], [float(p[1]) for p in points]
        boxes.append(Box(min(xs), min(ys), max(xs), max(ys), str(text), round(float(score), 4)))
    scan = Scan(int(image.shape[1]), int(image.shape[0]), skew, boxes, [], [])
    _find_lines(scan, image)
    return scan


def _deskewed(image: np.ndarray, skew: float) -> np.ndarray:
    """The page turned upright; the corners it uncovers take the paper's shade, so they draw no edge."""
    return _rotate(image, skew, border=int(np.median(image))) if abs(skew) >= 0.05 else image


def _find_lines(scan: Scan, image: np.ndarray) -> None:
    """The deskewed page's ruling lines, and a second look at text in the empty cells they close."""
    horizontal, vertical = ruling_lines(image)
    scan.horizontal = [s for s in horizontal if not _inside_text(s, scan.boxes, across=False)]
    scan.vertical = [s for s in vertical if not _inside_text(s, scan.boxes, across=True)]
    scan.lines = LINES_RECIPE
    scan.boxes += _second_look(image, scan)


def _second_look(image: np.ndarray, scan: Scan) -> list[Box]:
    """Text that detection passed over in a closed cell of a ruled table (a lone `0` beside a line), read alone.

    Only cells with all four lines (no part of a merged cell), no box and a
    glyph-sized blot of ink are read; an empty or unsure reading is dropped.
    """
    import cv2

    ink = _ink(image)
    margin = LINE_TOL  # keep the cell's own lines out
    found = []
    for region in _table_regions(scan):
        ys, xs, horizontal, vertical = _grid_lines(scan, region)
        for (y0, y1), (x0, x1) in ((y, x) for y in zip(ys, ys[1:]) for x in zip(xs, xs[1:])):
            if any(b.x0 < x1 - margin and b.x1 > x0 + margin and b.y0 < y1 - margin and b.y1 > y0 + margin
                   for b in scan.boxes) or not (
                    _covers(vertical, x0, y0, y1) and _covers(vertical, x1, y0, y1)
                    and _covers(horizontal, y0, x0, x1) and _covers(horizontal, y1, x0, x1)):
                continue
            top, left = int(y0) + margin, int(x0) + margin
            inside = ink[top:int(y1) - margin, left:int(x1) - margin]
            if inside.size == 0:
                continue
            count, _, stats, _ = cv2.connectedComponentsWithStats(inside, connectivity=8)
            blots = [s for s in stats[1:count] if s[3] >= MIN_GLYPH_HEIGHT]
            if not blots:
                continue
            x_lo, y_lo = min(s[0] for s in blots) + left - 4, min(s[1] for s in blots) + top - 4
            x_hi, y_hi = max(s[0] + s[2] for s in blots) + left + 4, max(s[1] + s[3] for s in blots) + top + 4
            result = _engine()(image[y_lo:y_hi, x_lo:x_hi], use_det=False)
            text, score = (result.txts or ("",))[0], float((result.scores or (0.0,))[0])
            if text.strip() and score >= SECOND_LOOK_SCORE:
                found.append(Box(float(x_lo), float(y_lo), float(x_hi), float(y_hi), str(text), round(score, 4)))
    return found


def _ink(image: np.ndarray) -> np.ndarray:
    """Dark pixels as 255 on 0 (Otsu's threshold: scans differ in contrast)."""
    import cv2

    _, binary = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return binary


def find_skew(image: np.ndarray) -> float:
    """The page's skew in degrees (counter-clockwise positive), by the sharpest horizontal projection.

    Rows of text and ruling lines give the row sums the highest variance when
    they lie exactly horizontal; the search runs on a reduced image, coarse
    then fine.
    """
    import cv2

    scale = 1000 / max(image.shape)
    small = _ink(cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    if not small.any():
        return 0.0

    def sharpness(angle: float) -> float:
        return float(np.var(_rotate(small, angle, border=0).sum(axis=1, dtype=np.float64)))

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.25), key=sharpness)
    best = max(np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05), key=sharpness)
    return round(float(best), 2)


def _rotate(image: np.ndarray, angle: float, border: int = 255) -> np.ndarray:
    import cv2

    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=border)


def _inside_text(segment: tuple[float, float, float], boxes: list[Box], across: bool) -> bool:
    """Whether a line segment lies within one text line read by OCR: a stroke of a bold or spaced-out
    character (`一`, the stem of `代`), not a rule. A rule runs past the text it borders."""
    start, end, position = segment
    for b in boxes:
        lo, hi, first, last = (b.x0, b.x1, b.y0, b.y1) if across else (b.y0, b.y1, b.x0, b.x1)
        if lo + 2 < position < hi - 2 and start >= first - LINE_TOL and end <= last + LINE_TOL:
            return True
    return False


def ruling_lines(image: np.ndarray) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """The page's horizontal (x0, x1, y) and vertical (y0, y1, x) ruling lines.

    Ink that stays after an opening with a long thin kernel is a line; gaps of
    a broken scanned line are bridged. Ink is what is darker than the paper
    around it (an adaptive threshold): a thin grey rule on grey paper is lighter
    than the threshold that parts bold text from the page (Otsu's), and a
    photocopy's paper is not evenly grey.
    """
    import cv2

    ink = cv2.adaptiveThreshold(image, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    height, width = ink.shape
    found = []
    for along, size in ((1, width), (0, height)):
        length = max(10, size // LINE_SCALE)
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if along else (1, length))
        mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        bridge = cv2.getStructuringElement(cv2.MORPH_RECT, (LINE_TOL, 1) if along else (1, LINE_TOL))
        mask = cv2.dilate(mask, bridge)
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        segments = []
        for x, y, w, h, _ in stats[1:count]:
            if along and w >= length:
                segments.append((float(x), float(x + w), float(y + h / 2)))
            elif not along and h >= length:
                segments.append((float(y), float(y + h), float(x + w / 2)))
        found.append(sorted(segments, key=lambda s: (s[2], s[0])))
    return found[0], found[1]


# ------------------------------------------------------------ grids from lines and boxes

def build_page(scan: Scan) -> OcrPage:
    """The page's text and its table grids: ruled tables from the lines, else columns from the boxes."""
    scan = Scan(scan.width, scan.height, scan.skew, [_mended(b) for b in scan.boxes], scan.horizontal,
                scan.vertical, scan.lines)
    grids, confidences = [], []
    used: set[int] = set()
    for region in _table_regions(scan):
        cells, scores, inside = _ruled_grid(scan, region)
        for row in cells:
            _number_the_levels(row)
        if cells:
            grids.append(cells)
            confidences.append(scores)
            used |= inside
    if not grids:
        unruled = _unruled_grid(scan)
        if unruled:
            grids.append(unruled[0])
            confidences.append(unruled[1])
    return OcrPage(_page_text(scan.boxes), grids, confidences)


_LEVEL = re.compile(r"^([一二三]?)级指标$")


def _number_the_levels(row: list[str]) -> None:
    """`一级指标 | 二级指标 | 三级指标`, printed in this order, with a numeral's thin strokes lost (`级指标`)."""
    levels = [i for i, cell in enumerate(row) if _LEVEL.match(cell)]
    if 2 <= len(levels) <= 3 and all(_LEVEL.match(row[i]).group(1) in ("", "一二三"[k])
                                     for k, i in enumerate(levels)):
        for k, i in enumerate(levels):
            row[i] = "一二三"[k] + "级指标"


def _page_text(boxes: list[Box]) -> str:
    """All text lines of the page, top to bottom, each line's boxes left to right."""
    return "\n".join(" ".join(b.text for b in line) for line in _lines(boxes))


def _lines(boxes: list[Box]) -> list[list[Box]]:
    """Boxes grouped into printed lines: a box joins a line it overlaps vertically by half its height."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        for line in reversed(lines[-3:]):
            top, bottom = min(b.y0 for b in line), max(b.y1 for b in line)
            overlap = min(bottom, box.y1) - max(top, box.y0)
            if overlap >= 0.5 * min(box.y1 - box.y0, bottom - top):
                line.append(box)
                break
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def _cluster(values: list[float], tolerance: float = LINE_TOL) -> list[float]:
    """Positions closer than the tolerance merged into their mean."""
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [sum(g) / len(g) for g in groups]


def _table_regions(scan: Scan) -> list[tuple[float, float, float, float]]:
    """Bounding boxes (x0, y0, x1, y1) of the ruled tables: lines that touch each other, top to bottom."""
    segments = [("h", s) for s in scan.horizontal] + [("v", s) for s in scan.vertical]
    boxes = [(s[0], s[2], s[1], s[2]) if kind == "h" else (s[2], s[0], s[2], s[1]) for kind, s in segments]
    parent = list(range(len(boxes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(boxes):
        for j in range(i):
            b = boxes[j]
            if (a[0] <= b[2] + LINE_TOL and b[0] <= a[2] + LINE_TOL
                    and a[1] <= b[3] + LINE_TOL and b[1] <= a[3] + LINE_TOL):
                parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(boxes)):
        groups.setdefault(root(i), []).append(i)
    regions = []
    for members in groups.values():
        kinds = [segments[i][0] for i in members]
        if kinds.count("h") < 2 or kinds.count("v") < 2:
            continue
        regions.append((min(boxes[i][0] for i in members), min(boxes[i][1] for i in members),
                        max(boxes[i][2] for i in members), max(boxes[i][3] for i in members)))
    return sorted(regions, key=lambda r: r[1])


def _covers(segments: list[tuple[float, float, float]], position: float, start: float, end: float) -> bool:
    """Whether a line at `position` runs along most of [start, end]."""
    covered = sum(max(0.0, min(s[1], end) - max(s[0], start)) for s in segments if abs(s[2] - position) <= LINE_TOL)
    return covered >= 0.5 * (end - start)


def _grid_lines(scan: Scan, region: tuple[float, float, float, float]):
    """A ruled table's row edges, column edges, and its horizontal and vertical lines."""
    x0, y0, x1, y1 = region
    near = lambda s, lo, hi: lo - LINE_TOL <= s[2] <= hi + LINE_TOL  # noqa: E731
    horizontal = [s for s in scan.horizontal if near(s, y0, y1) and s[0] <= x1 + LINE_TOL and s[1] >= x0 - LINE_TOL]
    vertical = [s for s in scan.vertical if near(s, x0, x1) and s[0] <= y1 + LINE_TOL and s[1] >= y0 - LINE_TOL]
    return (_with_frame(_cluster([s[2] for s in horizontal]), vertical),
            _with_frame(_cluster([s[2] for s in vertical]), horizontal), horizontal, vertical)


def _with_frame(edges: list[float], across: list[tuple[float, float, float]]) -> list[float]:
    """The edges with the table's outer border where the scan lost it (cut off at the page's edge, or too
    faint): the lines across run on past the outermost edge, so the table does too."""
    if not edges or not across:
        return edges
    start, end = min(s[0] for s in across), max(s[1] for s in across)
    return ([start] if start < edges[0] - 3 * LINE_TOL else []) + edges + (
        [end] if end > edges[-1] + 3 * LINE_TOL else [])


def _ruled_grid(scan: Scan, region: tuple[float, float, float, float]):
    """One ruled table's cells (text and lowest confidence) and the indices of the boxes placed in it.

    Rows and columns lie between the lines; a cell whose left (top) line is
    missing is part of a merged cell, and its text goes to the merged cell's
    top-left cell, as camelot's lattice does. A box that crosses a column
    line is split at it, its characters shared out by their width.
    """
    ys, xs, horizontal, vertical = _grid_lines(scan, region)
    if len(ys) < 2 or len(xs) < 2:
        return [], [], set()
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    texts: list[list[list[tuple[Box, str]]]] = [[[] for _ in range(n_cols)] for _ in range(n_rows)]
    inside = {index for index, box in enumerate(scan.boxes)
              if xs[0] <= box.cx <= xs[-1] and ys[0] <= box.cy <= ys[-1]}
    parted = _parted_by_text([scan.boxes[i] for i in inside], xs, ys)
    for index in sorted(inside):
        box = scan.boxes[index]
        r = _slot(ys, box.cy)
        for c, piece in _split_at_lines(box, xs, r, ys, vertical):
            r_to, c_to = r, c
            while (c_to > 0 and (r_to, c_to) not in parted
                   and not _covers(vertical, xs[c_to], ys[r_to], ys[r_to + 1])):
                c_to -= 1
            while r_to > 0 and not _covers(horizontal, ys[r_to], xs[c_to], xs[c_to + 1]):
                r_to -= 1
            texts[r_to][c_to].append((box, piece))
    cells = [[_cell_text(pieces) for pieces in row] for row in texts]
    scores = [[min((b.score for b, _ in pieces), default=None) for pieces in row] for row in texts]
    return cells, scores, inside


def _parted_by_text(boxes: list[Box], xs: list[float], ys: list[float]) -> set[tuple[int, int]]:
    """(row, column) whose left line is missing, yet text stands apart on both sides of it in that row
    (`科目编码 | 科目名称` under a header whose rule was not printed, or the scan lost it): two cells, not
    one merged cell. A merged cell's text sits on one side of the line it hides, or across it."""
    parted = set()
    for r in range(len(ys) - 1):
        row = [b for b in boxes if ys[r] <= b.cy < ys[r + 1]]
        for c in range(1, len(xs) - 1):
            if (not any(b.x0 < xs[c] - LINE_TOL < xs[c] + LINE_TOL < b.x1 for b in row)
                    and any(xs[c - 1] <= b.cx and b.x1 <= xs[c] for b in row)
                    and any(b.x0 >= xs[c] and b.cx <= xs[c + 1] for b in row)):
                parted.add((r, c))
    return parted


def _slot(edges: list[float], position: float) -> int:
    """The index of the interval between consecutive edges that holds `position`."""
    for i in range(len(edges) - 1):
        if position < edges[i + 1]:
            return i
    return len(edges) - 2


# One amount, its separators as OCR may read them (`984.760.87`); two run together (`82,096,797.4282,096,797.42`)
# are not one.
_ONE_FIGURE = re.compile(r"^-?(?:\d{1,3}(?:[,.]\d{3})+|\d+)(?:[.,:;·]\d{1,2})?$")
_FIGURES = re.compile(r"\d{1,3}(?:,\d{3})+\.\d{2}|\d+\.\d{2}|\d[\d,.]*\d")


def _at_figure_edge(text: str, cut: int) -> int:
    """A cut moved out of a figure to its nearer end (`3,944.08一、…` is cut after `08`, not after `944`)."""
    figure = next((m for m in _FIGURES.finditer(text) if m.start() < cut < m.end()), None)
    if figure is None:
        return cut
    return figure.start() if cut - figure.start() < figure.end() - cut else figure.end()


def _split_at_lines(box: Box, xs: list[float], row: int, ys: list[float], vertical) -> list[tuple[int, str]]:
    """The box's text per column: whole, or cut where a column line of this row runs through it.

    One figure is never cut: a box is drawn a little wider than its glyphs, so a
    figure set flush against a rule crosses it (`812.48` read as `812.4` | `8`).
    It goes whole to the column holding most of it."""
    cuts = [x for x in xs[1:-1] if box.x0 + LINE_TOL < x < box.x1 - LINE_TOL
            and _covers(vertical, x, ys[row], ys[row + 1])]
    if cuts and _ONE_FIGURE.match(box.text):
        overlap = [min(box.x1, right) - max(box.x0, left) for left, right in zip(xs, xs[1:])]
        return [(overlap.index(max(overlap)), box.text)]
    if not cuts or len(box.text) < 2:
        return [(_slot(xs, box.cx), box.text)]
    # Each character's share of the box: a Chinese character is printed about twice as wide as a digit.
    units = [2 if ord(ch) > 0x2E80 else 1 for ch in box.text]
    edges = [box.x0 + (box.x1 - box.x0) * sum(units[:i]) / sum(units) for i in range(len(units) + 1)]
    pieces = []
    start = 0
    for cut in cuts + [box.x1 + 1]:
        nearest = min(range(len(edges)), key=lambda i: abs(edges[i] - cut))
        end = len(box.text) if cut > box.x1 else max(start, nearest)
        end = _at_figure_edge(box.text, end)
        if end > start:
            pieces.append((_slot(xs, (edges[start] + edges[end]) / 2), box.text[start:end]))
        start = max(start, end)
    return pieces


_STRAY_MARK = re.compile(r"^(\d[\d,]*)[.,·'`]$")  # `01.`, `30231.`: a speck read after a code; no figure ends so
# `收支总表(预算表1).`: a speck read after words; Chinese text ends with `。`, never with a full stop
_TRAILING_SPECK = re.compile(r"(?<=[^\x00-\x7f])\s*[.,·'`]$")
_ENUM_MARK = re.compile(r"^([一二三四五六七八九十]{1,3})[,，.·]")  # `二,社会保障…`: OCR's reading of `二、`
# `项☑目`: a glyph read in the gap of a spaced-out `项 目`
_GLYPH_IN_A_GAP = re.compile(r"(?<=[\u4e00-\u9fff])[☐-☒□■▪▫◆◇○●]+(?=[\u4e00-\u9fff])")
# `般公共预算`, `、财政拨款收入`: the thin stroke of a leading `一` lost (no report prints either without it)
_LOST_ONE = re.compile(r"^(?=、)|(?<!一)(?=般公共)")
_DASH_IN_A_NUMBER = re.compile(r"(?<=公开)\s*[-－—_~]\s*(?=\d)")  # `公开-02表`: a speck read as a dash
_SPECK_AFTER_CENTS = re.compile(r"^(-?[\d,]*\d\.\d{2})[.,·'`]$")  # `1682.76.`
# The recognition model sometimes gives a character's traditional form (`附屬单位`); the reports print simplified.
_SIMPLIFIED = str.maketrans("屬預經費資業單務補撥決計項類總餘轉結門財並與會個無為於從眾權稅據醫險療",
                            "属预经费资业单务补拨决计项类总余转结门财并与会个无为于从众权税据医险疗")


def _cell_text(pieces: list[tuple[Box, str]]) -> str:
    """A cell's pieces in reading order; wrapped lines are joined without a space, as camelot's strip_text does."""
    lines = _lines([Box(b.x0, b.y0, b.x1, b.y1, text, b.score) for b, text in pieces])
    return clean_text("".join(" ".join(b.text for b in line) for line in lines))


def _mended(box: Box) -> Box:
    """The box's text with what OCR is known to misread put right (see the patterns above); no digit
    changes."""
    text = _DASH_IN_A_NUMBER.sub("", _GLYPH_IN_A_GAP.sub("", box.text.translate(_SIMPLIFIED)))
    text = _SPECK_AFTER_CENTS.sub(r"\1", _STRAY_MARK.sub(r"\1", text))
    text = _LOST_ONE.sub("一", _ENUM_MARK.sub(r"\1、", _TRAILING_SPECK.sub("", text)))
    return Box(box.x0, box.y0, box.x1, box.y1, text, box.score)


_TITLE = re.compile(r"表\s*$")


def _unruled_grid(scan: Scan):
    """A table without ruling: the lines below the title, cut into columns where no box crosses.

    The columns are the gaps shared by the lines that hold two boxes or more
    and a figure (the table's rows), so a header or a note spanning columns
    does not close a gap.
    """
    lines = _lines(scan.boxes)
    start = next((i + 1 for i, line in enumerate(lines) if _TITLE.search(" ".join(b.text for b in line))), None)
    if start is None:
        return None
    body = [line for line in lines[start:] if line]
    rows = [line for line in body if len(line) >= 2 and any(re.search(r"\d", b.text) for b in line)]
    if len(rows) < 2:
        return None
    left, right = min(b.x0 for line in rows for b in line), max(b.x1 for line in rows for b in line)
    occupied = np.zeros(int(right - left) + 2, dtype=bool)
    for line in rows:
        for b in line:
            occupied[int(b.x0 - left): int(b.x1 - left) + 1] = True
    edges, inside = [left], True
    for x, filled in enumerate(occupied):
        if inside and not filled:
            edges.append(left + x)
        inside = bool(filled)
    edges.append(right + 1)
    edges = _cluster(edges, 2 * LINE_TOL)
    cells, scores = [], []
    for line in body:
        slots: list[list[tuple[Box, str]]] = [[] for _ in range(len(edges) - 1)]
        for b in line:
            slots[_slot(edges, b.cx)].append((b, b.text))
        cells.append([_cell_text(pieces) for pieces in slots])
        scores.append([min((b.score for b, _ in pieces), default=None) for pieces in slots])
    return cells, scores


# Below this confidence an OCR reading of a figure is uncertain: kept only where an identity that holds uses it.
# On the scanned set (`python -m pipeline scans score`) 3.6% of the amounts OCR read fall below it (763 of 20908).
OCR_SURE = 0.9


def token_confidence(confidence: OcrConfidence, page: int | None, raw: str | None, row: str = "") -> float | None:
    """The OCR confidence of a printed token, or None: its page was not read by OCR, it is blank, or no text
    read on the page makes it up.

    Looked up in its printed row (`row`: `Row.raw`, rows the readers joined
    are its lines); where the row is not known or the parsers changed the
    token, the lowest confidence its text was read with on the page (a token
    joined from pieces: the lowest of its pieces).
    """
    on_page = confidence.get(page)
    if on_page is None or not (raw or "").strip():
        return None
    if raw in on_page:
        by_row = on_page[raw]
        in_row = [by_row[line] for line in row.split("\n") if line in by_row]
        return min(in_row) if in_row else min(by_row.values())
    return min((min(by_row.values()) for text, by_row in on_page.items() if re.search(r"\d", text) and text in raw),
               default=None)


def published_confidence(confidence: OcrConfidence, page: int | None, raw: str | None, row: str = "") -> float | None:
    """A fact's `ocr_confidence`: its token's (`token_confidence`); where no text read on its page makes it
    up, the lowest confidence of that page."""
    sure = token_confidence(confidence, page, raw, row)
    if sure is None and (raw or "").strip() and confidence.get(page):
        return min(score for by_row in confidence[page].values() for score in by_row.values())
    return sure


_OCR_SEPARATORS = re.compile(r"[\s.,:;'·。，：；]+")


def ocr_reading(raw: str) -> Decimal | None:
    """The one reading of an amount whose separators OCR misread, or None.

    `754 75`, `0:00`, `738..86`, `5, 533 00`: digit groups with spaces or
    wrong marks between them. The national templates print two decimals, so
    a last group of two digits is the decimals; the groups before it must be
    one number or a thousands grouping. Anything else has no single reading.
    The reading still needs a sum of its table to confirm it (see
    `pipeline/fiscal/repair.py`).
    """
    text = unicodedata.normalize("NFKC", raw or "").strip()
    sign = "-" if text.startswith("-") else ""
    groups = _OCR_SEPARATORS.split(text.lstrip("-"))
    if len(groups) < 2 or not all(g.isdigit() for g in groups) or len(groups[-1]) != 2:
        return None
    whole = groups[:-1]
    if len(whole) > 1 and not (1 <= len(whole[0]) <= 3 and all(len(g) == 3 for g in whole[1:])):
        return None
    digits = "".join(whole)
    if len(digits) > 1 and digits.startswith("0"):
        return None
    return Decimal(f"{sign}{digits}.{groups[-1]}")
