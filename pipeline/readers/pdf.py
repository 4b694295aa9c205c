"""PDF reader: the text layer through pypdfium2, the tables through camelot.

Each page gives its text lines (headings and paragraphs, for titles, the issuing
body and the narrative) and its tables as grids from camelot's hybrid flavor
with the vector engine (fast, and exact on the ruled tables of the national
templates). camelot returns a table with the title, number and unit lines
above the grid as rows; they are taken off as the table's title, number and
unit. A grid without a title that follows a table on the previous page is that
table's continuation (its repeated header is dropped). From there the same
grid logic as for the text exports applies.

A page without a usable text layer (a scanned page image, or fonts that map
to no Unicode) is read by OCR (`ocr.py`) into the same page text and grids;
the document is then `pdf_ocr`.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import unicodedata
import warnings
from collections import Counter

from pipeline.model import Block, Document, Heading, Paragraph, Row, Table
from pipeline.normalize import clean_text, join_lines
from pipeline.readers import grid
from pipeline.readers.ocr import OcrSettings, ocr_pages
from pipeline.readers.text import UnreadableDocument, _finish_table

_log = logging.getLogger(__name__)
MIN_TEXT_PER_PAGE = 20  # characters; below it a page has no usable text layer
NO_TEXT_LAYER = "no text layer; OCR needed"


def read_pdf(data: bytes, ocr: OcrSettings | None = None) -> Document:
    """A PDF's text and tables; pages without a usable text layer are read by OCR (unless it is off)."""
    ocr = ocr or OcrSettings()
    pages, scanned = _page_texts(data)
    if scanned and not ocr.enabled:
        listed = ", ".join(map(str, scanned[:10])) + (", …" if len(scanned) > 10 else "")
        raise UnreadableDocument(f"{NO_TEXT_LAYER}: page {listed} of {len(pages)} hold page images (a scan) or "
                                 "fonts without Unicode; run with OCR on (the default)")
    read = ocr_pages(data, scanned, ocr) if scanned else {}
    for number, page in read.items():
        pages[number - 1] = page.text
    if not any(_readable(text) for text in pages):
        raise UnreadableDocument("no text layer, and OCR found no text: the pages are blank or unreadable "
                                 "images; get a better scan or a text copy")
    titled = [number for number, text in enumerate(pages, start=1) if _page_titles(text) and number not in read]
    grids = {number: [(cells, None) for cells in page.grids] for number, page in read.items()}
    text_pages = [number for number in range(1, len(pages) + 1) if number not in read]
    if text_pages:
        with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as handle:
            handle.write(data)
            path = handle.name
        try:
            grids.update(_camelot_grids(path, "lattice", "all" if not read else _page_list(text_pages)))
            unruled = [page for page in titled if page not in grids]
            if unruled:
                grids.update(_camelot_grids(path, "hybrid", _page_list(unruled)))
        finally:
            os.unlink(path)
    blocks: list[Block] = []
    tables: list[Table] = []
    carried: list[tuple[str, str | None, str | None]] = []  # a title printed last on the page above
    for number, text in enumerate(pages, start=1):
        blocks.extend(_text_blocks(text, number))
        titles = _page_titles(text) or carried  # a page printing its own titles takes none from above
        carried = []
        if any(grid.CONTENTS_HEADING.match(clean_text(line).replace(" ", "")) for line in text.split("\n")):
            continue  # a contents page (`报表目录`) ruled as a grid: a list of the tables, not one; its text has it
        for cells, rules in grids.get(number, []):
            table, preamble = _table(cells, number, tables, titles, _rows_before_title(text), rules)
            blocks.extend(Paragraph(text, source_page=number) for text in preamble)
            if table is not None:
                tables.append(table)
                blocks.append(table)
        used = sum((t.source_page == number) + t.__dict__.get("_titled_pages", []).count(number) for t in tables)
        carried = titles[-1:] if grids.get(number) and used == len(titles) - 1 and _ends_in_title(text) else []
    for table in tables:
        segments = _aligned([_split_glued_columns(_rejoin_clipped_labels(rows)) for rows in table._segments])
        _finish_table(table, _rejoin_rows_cut_by_page(segments), join_header_lines=False)
        del table._segments
        table.__dict__.pop("_titled_pages", None)
    confidence = {number: page.cell_confidence for number, page in read.items()}
    return Document("pdf_ocr" if read else "pdf", blocks, None, pages=len(pages), ocr_confidence=confidence)


def _page_list(numbers: list[int]) -> str:
    return ",".join(map(str, numbers))


_COLLECTION_TITLE = re.compile(r"\d{4}年度?(部门|单位)?(决算|预算)(公开)?表$")


def _page_titles(text: str) -> list[tuple[str, str | None, str | None]]:
    """The table titles printed on a page, each with the number and unit printed near it."""
    lines = [clean_text(line).replace(" ", "") for line in text.split("\n")]
    found: list[list] = []
    before = [None, None]  # a number or unit the text layer gives before the page's first title (its order is
    lines = _joined_titles(lines)
    for line in lines:     # not always the printed one: `单位:元` may come first)
        title = grid.table_title(line)
        if title and _COLLECTION_TITLE.search(title):
            continue  # `xx局2024年度部门决算表`: the heading of all tables, not one table's title
        if title and not re.search(r"\d{1,3}$", line):  # a contents line ends in its page number
            found.append([title, grid.table_number(line) or (before[0] if not found else None),
                          grid.unit_of(line) or (before[1] if not found else None)])
        elif len(line) <= 40:
            entry = found[-1] if found else before
            entry[-2] = entry[-2] or grid.table_number(line)
            entry[-1] = entry[-1] or grid.unit_of(line)
    return [tuple(entry) for entry in found]


_ROW_LINE = re.compile(r"^(?:\d{3}(?:\d{2}){0,2}\s*\S.*|合计.*)\s-?\d[\d,]*(?:\.\d+)?$")


def _joined_titles(lines: list[str]) -> list[str]:
    """A title broken over two lines (`…培训费支出预` then `算表`; `公开09表:…培训费` then `支出预算表`) made one
    line again."""
    joined: list[str] = []
    for line in lines:
        head = joined[-1] if joined else ""
        number = grid.table_number(head)
        if (line and len(head) > 4 and not grid.table_title(head) and grid.table_title(head + line)
                and (len(line) <= 4 or (len(line) <= 6 and number and len(head) >= len(number) + 6))):
            joined[-1] += line
        else:
            joined.append(line)
    return joined


def _ends_in_title(text: str) -> bool:
    """Whether a page's last printed line is a table title (its unit, `部门:` line and page number aside):
    the table itself begins on the next page."""
    for line in reversed(_joined_titles([clean_text(line).replace(" ", "") for line in text.split("\n")])):
        if not line or re.fullmatch(r"[-—]?\d{1,4}[-—]?", line):
            continue
        title = grid.table_title(line)
        if title:
            return not _COLLECTION_TITLE.search(title)
        if len(line) <= 40 and (grid.unit_of(line) or grid.table_number(line) or re.match(r"^(部门|单位)[:：]", line)):
            continue
        return False
    return False


def _rows_before_title(text: str) -> bool:
    """Whether a page that prints a title begins with table rows above it (`30206 电费 235.00`): the body of
    the previous page's table running on, above the page's own first table."""
    for line in text.split("\n"):
        compact = clean_text(line).replace(" ", "")
        title = grid.table_title(compact)
        if title and not _COLLECTION_TITLE.search(title) and not re.search(r"\d{1,3}$", compact):
            return False
        if _ROW_LINE.match(" ".join(line.split())):
            return True
    return False


def _page_texts(data: bytes) -> tuple[list[str], list[int]]:
    """The text of every page, and the pages without a usable text layer (to be read by OCR)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as problem:
        message = str(problem).lower()
        if "password" in message:
            raise UnreadableDocument("encrypted PDF: it needs a password; ask the publisher for an open copy") from None
        raise UnreadableDocument(
            f"damaged PDF ({problem}): the file is truncated or not a PDF; download it again") from None
    texts, scanned = [], []
    for number, page in enumerate(document, start=1):
        text = page.get_textpage().get_text_range().replace("\r\n", "\n").replace("\r", "\n")
        texts.append(text)
        if _unmapped_share(text) >= 0.3 or (_readable(text) < MIN_TEXT_PER_PAGE and _has_image(page)):
            scanned.append(number)
    if not texts:
        raise UnreadableDocument("damaged PDF (no pages): the file is truncated or not a PDF; download it again")
    if sum(map(_readable, texts)) < MIN_TEXT_PER_PAGE * len(texts) / 2:  # e.g. glyphs drawn as outlines
        scanned = [number for number, text in enumerate(texts, start=1) if _readable(text) < MIN_TEXT_PER_PAGE]
    return texts, scanned


def _readable(text: str) -> int:
    return len(re.findall(r"[\u4e00-\u9fff\d]", text))


def _unmapped_share(text: str) -> float:
    """The share of a page's characters that map to no Unicode text (fonts without a ToUnicode map).

    pdfium gives such glyphs as control, private-use or replacement characters.
    """
    chars = [ch for ch in text if not ch.isspace()]
    if len(chars) < MIN_TEXT_PER_PAGE:
        return 0.0
    unmapped = sum(1 for ch in chars if ch in "\ufffd\ufffe" or unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs"))
    return unmapped / len(chars)


def _has_image(page) -> bool:
    import pypdfium2.raw as pdfium_c

    return next(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3), None) is not None


def _camelot_grids(path: str, flavor: str, pages: str = "all") -> dict[int, list[tuple[list[list[str]], list | None]]]:
    """Every table camelot finds, as rows of cleaned cells, by page, top to bottom, each with its rules:
    for each row, whether a rule is printed between each column and the next (None when not ruled).

    `lattice` reads ruled tables exactly from their lines (drawn as lines, rectangles or thin filled
    polygons); `hybrid` is for pages whose table has no ruling.
    """
    import camelot

    _rules_drawn_as_polygons()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # A ruled grid's text that runs over a rule (a right-aligned figure touching the next cell's label,
        # `45,144,630.00 1、人员经费…`; the words of neighbouring cells pdfminer joined into one line) is cut at
        # the rule, glyph by glyph: each part is in the cell it is printed in.
        found = camelot.read_pdf(path, pages=pages, flavor=flavor, engine="vector", strip_text="\n",
                                 **({"split_text": True} if flavor == "lattice" else {}))
    grids: dict[int, list[tuple[float, list[list[str]], list | None]]] = {}
    layer = _TextLayer(path)
    for table in found:
        rows = [[clean_text(str(cell)) for cell in row] for row in table.df.values.tolist()]
        rows = _checked_rows(rows, table, layer.runs(int(table.page)), flavor == "lattice")
        rules = ([[a.right or b.left for a, b in zip(row, row[1:])] for row in table.cells]
                 if flavor == "lattice" else None)
        top = -table._bbox[3] if getattr(table, "_bbox", None) else 0.0
        grids.setdefault(int(table.page), []).append((top, rows, rules))
    return {page: [(rows, rules) for _, rows, rules in sorted(tables, key=lambda t: t[0])]
            for page, tables in grids.items()}


def _rules_drawn_as_polygons() -> None:
    """Teach camelot's vector engine the rules some generators draw as thin filled polygons.

    The vector engine takes a table's rules from stroked lines and rectangles,
    and from filled rectangles one side of which is thin; a rule drawn as a
    filled path with bevelled ends (five points: `LTCurve`, not `LTRect`) it
    does not see, so a fully ruled table reads as no table (Xi'an 2022 决算表,
    whose continuation pages were then lost). Such a path, thin on one side,
    is a rule as well: its long axis is added to the lines. Done once.
    """
    from camelot import image_processing
    from playa.miner import LTCurve, LTLine, LTRect

    found = image_processing._ruled_lines_from_layout
    if getattr(found, "polygons", False):
        return
    thin = image_processing._LINE_AS_THIN_RECT_TOL

    def ruled_lines(layout):
        lines = found(layout)
        for item in image_processing._walk_layout_objects(layout):
            if (not isinstance(item, LTCurve) or isinstance(item, (LTLine, LTRect))
                    or not getattr(item, "fill", False) or getattr(item, "stroke", False)):
                continue
            width, height = item.x1 - item.x0, item.y1 - item.y0
            if min(width, height) <= thin < max(width, height):
                if width >= height:
                    lines.append((item.x0, (item.y0 + item.y1) / 2, item.x1, (item.y0 + item.y1) / 2))
                else:
                    lines.append(((item.x0 + item.x1) / 2, item.y0, (item.x0 + item.x1) / 2, item.y1))
        return lines

    ruled_lines.polygons = True
    image_processing._ruled_lines_from_layout = ruled_lines


# ------------------------------------------------------------ camelot's rows checked against the text layer

class _TextLayer:
    """pdfium's characters of a PDF's pages, as runs: `(text, left, right, baseline, middle, size, centres)`.

    A run is a piece of one printed line without a wide gap; its middle is the middle of its
    characters' ink, its size that of its largest character; `centres` are its characters' x.
    camelot (playa) places a character by its font's ascent and descent, which some fonts give
    wrong: a figure then sits half a row below its label and camelot puts it in the next row.
    pdfium gives each character's baseline and ink box, which a label and its figures share.
    """

    def __init__(self, path: str):
        self.path = path
        self.document = None
        self.pages: dict[int, list[tuple]] = {}

    def runs(self, number: int) -> list[tuple]:
        if number not in self.pages:
            self.pages[number] = self._read(number)
        return self.pages[number]

    def _read(self, number: int) -> list[tuple]:
        import ctypes

        import pypdfium2 as pdfium
        import pypdfium2.raw as raw

        try:
            if self.document is None:
                self.document = pdfium.PdfDocument(self.path)
            textpage = self.document[number - 1].get_textpage()
        except (pdfium.PdfiumError, IndexError):
            return []
        x, y = ctypes.c_double(), ctypes.c_double()
        runs: list[list | None] = []
        for index in range(textpage.count_chars()):
            char = chr(raw.FPDFText_GetUnicode(textpage.raw, index))
            if char.isspace() or not char.isprintable() or raw.FPDFText_IsGenerated(textpage.raw, index) == 1:
                runs.append(None)
                continue
            raw.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x), ctypes.byref(y))
            left, bottom, right, top = textpage.get_charbox(index)
            size = max(top - bottom, right - left, 1.0)
            last = runs[-1] if runs else None
            scale = max(size, last[6]) if last is not None else size
            gap = 1.0 if last is not None and char in _FIGURE_CHARACTERS and last[0][-1] in _FIGURE_CHARACTERS else 0.6
            if (last is not None and abs(last[3] - y.value) <= 0.3 * scale
                    and -0.5 * scale <= left - last[2] <= gap * scale):  # a figure's digits may be spaced wide
                last[0] += char
                last[2], last[4], last[5], last[6] = (max(last[2], right), min(last[4], bottom),
                                                      max(last[5], top), max(last[6], size))
                last[7].append((left + right) / 2)
            else:
                runs.append([char, left, right, y.value, bottom, top, size, [(left + right) / 2]])
        return [(run[0], run[1], run[2], run[3], (run[4] + run[5]) / 2, run[6], tuple(run[7]))
                for run in runs if run is not None]


def _layer_cells(table, runs: list[tuple], spans: bool) -> list[list[str]] | None:
    """camelot's grid filled again from the text layer: a run goes to the row its middle is in, and to
    the column it overlaps most; a run over a ruled column line is cut at the line. With `spans`
    (lattice), text in a merged cell goes to its top left cell, as camelot puts it."""
    rows, columns = getattr(table, "rows", None), getattr(table, "cols", None)
    if not rows or not columns:
        return None
    placed: dict[tuple[int, int], list[tuple[float, float, float, str]]] = {}
    for text, left, right, baseline, middle, size, centres in runs:
        row = next((i for i, (top, bottom) in enumerate(rows) if bottom <= middle <= top), None)
        if row is None:
            continue
        pieces = [(text, left, right, centres)]
        for column, (_, edge) in enumerate(columns[:-1]):
            if table.cells[row][column].right:
                pieces = [part for piece in pieces for part in _cut(piece, edge)]
        for piece, start, end, _ in pieces:
            overlap = [min(end, b) - max(start, a) for a, b in columns]
            best = max(range(len(columns)), key=lambda i: overlap[i])
            if overlap[best] < 0 and not columns[best][0] <= (start + end) / 2 <= columns[best][1]:
                continue
            at = row
            while spans and best > 0 and not table.cells[at][best].left:
                best -= 1
            while spans and at > 0 and not table.cells[at][best].top:
                at -= 1
            placed.setdefault((at, best), []).append((baseline, start, size, piece))
    grid = [["" for _ in columns] for _ in rows]
    for (row, column), pieces in placed.items():
        pieces.sort(key=lambda p: (-p[0], p[1]))
        lines: list[list[tuple[float, float, float, str]]] = []
        for piece in pieces:
            if lines and lines[-1][0][0] - piece[0] <= 0.3 * piece[2]:
                lines[-1].append(piece)
            else:
                lines.append([piece])
        grid[row][column] = clean_text("".join(" ".join(p[3] for p in sorted(line, key=lambda p: p[1]))
                                               for line in lines))
    return grid


def _cut(piece: tuple, edge: float) -> list[tuple]:
    """A run's characters left and right of a ruled line (by their centres), when a figure ends or
    starts there: a figure printed up to the line and the next cell's figure or name are one run in
    the text layer. A name printed past its cell's line stays whole (it goes where most of it is)."""
    text, left, right, centres = piece
    share = sum(1 for x in centres if x < edge)
    if share == 0 or share == len(text) or not {text[share - 1], text[share]} & _FIGURE_CHARACTERS:
        return [piece]
    return [(text[:share], left, edge, centres[:share]), (text[share:], edge, right, centres[share:])]


def _characters(row: list[str], figures: bool | None = None) -> Counter:
    """The characters printed in a row (all, only those of figures, or only the others)."""
    text = "".join(row).replace(" ", "")
    return Counter(text if figures is None else (c for c in text if (c in _FIGURE_CHARACTERS) == figures))


_FIGURE_CHARACTERS = set("0123456789,.-")


def _checked_rows(rows: list[list[str]], table, runs, spans: bool) -> list[list[str]]:
    """camelot's grid, or the text layer's when the two differ: camelot put figures in other rows
    than the text layer prints them in (each figure on its label's line), or a label's characters
    in another order (`四卫生健康支出、`).

    The text layer's grid is taken only when it holds every character of camelot's and every
    row's words: it moved figures between rows, or characters within a row, and lost nothing (it
    may hold figures or words camelot lost). Only a ruled (lattice) grid is checked: an unruled
    grid's columns come from camelot's own reading of the text. Where the two disagree and the text layer's
    grid is not taken (text outside the grid, or words in other rows), camelot's is kept.
    """
    if not runs:
        return rows
    layer = _layer_cells(table, runs, spans)
    if layer is None or len(layer) != len(rows) or all(
            [cell.replace(" ", "") for cell in row] == [cell.replace(" ", "") for cell in other]
            for row, other in zip(rows, layer)):
        return rows
    # camelot's split_text drops a glyph past the last rule it cuts at (Chongqing p15 lost a 99,320.55): the
    # text layer may hold more of the grid's characters, never fewer.
    same = not sum(map(_characters, rows), Counter()) - sum(map(_characters, layer), Counter())
    # and every row's words, or more of them: split_text also drops the part of a text run past a rule
    # (`数量指标 房间数量` printed across a merged cell's hidden rule kept only `数量指标`)
    words = all(not _characters(row, False) - _characters(other, False) for row, other in zip(rows, layer))
    if not (spans and same and words):
        _log.debug("page %s: camelot's grid and the text layer's differ, and the text layer's is not taken "
                   "(same characters: %s, same words in every row: %s)", table.page, same, words)
    return layer if spans and same and words else rows


def _text_blocks(text: str, page: int) -> list[Block]:
    """A page's lines: short title-like lines are headings, the rest joined into paragraphs."""
    blocks: list[Block] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            blocks.append(Paragraph(join_lines(run), source_page=page))
            run.clear()

    for line in (clean_text(line) for line in text.split("\n")):
        if not line:
            flush()
            continue
        if grid.table_title(line) or (len(line) <= 30 and not re.search(r"[。；;，,]", line)
                                      and not re.search(r"\d[\d,.]*\s*$", line)):
            flush()
            blocks.append(Heading(line, 2, source_page=page))
            continue
        run.append(line)
        if re.search(r"[。；;]$", line):
            flush()
    flush()
    return blocks


def _table(cells: list[list[str]], page: int, previous: list[Table],
           titles: list[tuple[str, str | None, str | None]],
           rows_first: bool = False, rules: list | None = None) -> tuple[Table | None, list[str]]:
    """A table from one camelot grid (None when it continues the previous page's table), and the
    lines camelot kept above the grid (`部门:江苏省人大常委会办公厅`), which are the document's text.

    The title, number and unit come from those lines, or else from the page's
    next unused title line; but the page's first grid, when the page prints
    rows of codes and figures above its first title (`rows_first`) and the grid
    begins with such a row as wide as the previous page's table, is that
    table's continuation and leaves the title to the grid below it.
    """
    rows = [Row(_split_glued_cells(list(row), rules[i] if rules else None), source_page=page, raw=" | ".join(row))
            for i, row in enumerate(cells)]
    title = number = unit = None
    preamble: list[str] = []
    while rows and not grid.is_data_row(rows[0]) and _is_preamble_row(rows[0]):
        text = " ".join(rows[0].non_empty())
        title = title or grid.table_title(text.replace(" ", ""))
        number = number or grid.table_number(text)
        unit = unit or grid.unit_of(text.replace(" ", ""))
        preamble.append(text)
        rows.pop(0)
    rows = [row for row in rows if row.non_empty()]
    if not rows:
        return None, preamble
    used = sum((t.source_page == page) + t.__dict__.get("_titled_pages", []).count(page) for t in previous)
    last = previous[-1] if previous else None
    if (title is None and rows_first and used == 0 and last is not None and not preamble
            and last.source_page + len(last._segments) == page and _runs_on(rows, last._segments[-1])):
        last._segments.append(rows)
        return None, preamble
    if title is None and used < len(titles):
        title, number, unit = titles[used][0], number or titles[used][1], unit or titles[used][2]
    repeated = (title is not None and last is not None and title == last.title  # `表7 …(续)` without the 续
                and (number or last.table_number) == (last.table_number or number))
    if (title is None or repeated) and last is not None and last.source_page + len(last._segments) == page:
        last._segments.append(rows)
        if repeated:
            last.__dict__.setdefault("_titled_pages", []).append(page)  # the page's title line is this one's
        return None, preamble
    table = Table(title, [], table_number=number, unit=unit, source_page=page)
    table._segments = [rows]
    return table, preamble


def _runs_on(rows: list[Row], above: list[Row]) -> bool:
    """Whether a grid begins with a row of a code and figures as wide as the rows it would continue."""
    first = rows[0].non_empty()
    width = max((len(row.cells) for row in above), default=0)
    return (bool(first) and bool(grid.CODE.match(first[0])) and grid.is_data_row(rows[0])
            and len(rows[0].cells) == width)


def _aligned(segments: list[list[Row]]) -> list[list[Row]]:
    """Widen a continuation page's grid to the first page's: camelot may merge its 类/款/项 code columns.

    The missing columns are the code columns, so empty cells go in after the first.
    """
    width = max((len(row.cells) for row in segments[0]), default=0)
    for segment in segments[1:]:
        missing = width - max((len(row.cells) for row in segment), default=0)
        if missing > 0 and all(not row.cells or not row.cells[0] or grid.CODE.match(row.cells[0])
                               or row.cells[0] in ("合计", "总计") for row in segment):
            for row in segment:
                row.cells[1:1] = [""] * missing
    return segments


def _rejoin_rows_cut_by_page(segments: list[list[Row]]) -> list[list[Row]]:
    """A row the page break cut: its cells' last lines open the next page (`杭州市机动 | … | 12,437.3` at the
    bottom, `车驾驶员考试服务中心 | … | 6` at the top). The top row goes back into the row above, cell by cell,
    as a cell's wrapped lines are joined.

    Only when a figure shows the cut: a cell at the bottom printed with fewer decimals than the table's
    figures, completed by the digits under it (`12,437.3` + `6`); every other cell of the top row is blank,
    or words under words (the name's tail). A top row with a code, or a figure of its own, is a row.
    """
    figures = [c for rows in segments for row in rows for c in row.cells if _MONEY.match(c)]
    decimals = Counter(len(c.partition(".")[2]) for c in figures).most_common(1)
    if not decimals:
        return segments
    whole = re.compile(r"-?\d{1,3}(?:,\d{3})*\.\d{%d}" % decimals[0][0])
    header = {grid.header_key(row) for row in segments[0] if not grid.is_data_row(row)}
    for above, below in zip(segments, segments[1:]):
        top = next((i for i, row in enumerate(below) if grid.header_key(row) not in header
                    and not grid.is_column_number_row(row)), None)
        if not above or top is None or len(above[-1].cells) != len(below[top].cells):
            continue
        last, first = above[-1], below[top]
        completed = [i for i, (a, b) in enumerate(zip(last.cells, first.cells))
                     if re.fullmatch(r"[\d,.]+", b) and re.fullmatch(r"-?\d[\d,.]*", a) and not whole.fullmatch(a)
                     and whole.fullmatch(a + b)]
        words = [i for i, (a, b) in enumerate(zip(last.cells, first.cells))
                 if b and a and not grid.CODE.match(b) and not re.search(r"\d", a + b)]
        if completed and all(not b or i in completed or i in words for i, b in enumerate(first.cells)):
            last.cells = [a + b for a, b in zip(last.cells, first.cells)]
            last.raw += "\n" + first.raw
            del below[top]
    return segments


_UNIT = re.compile(r"(?:万|亿)?(?:元|人|人次|户|个|次|家|项|台|套|份|篇|场|天|年|月|日|小时|公里|平方米|亩|吨|件|册|期|批|所|张|条)"
                   r"(?:/(?:年|月|日|人|次))?")
_GLUED = re.compile(r"^(-?\d[\d,]*\.\d+|-?\d{1,3}(?:,\d{3})+)\s*([^\d\s,.].*)$")  # 元 tables print integers


# the label may open with its list number (`1、`, `2.`), never with a figure's digits (`984.760.87` is one figure)
_AMOUNT_THEN_LABEL = re.compile(
    r"^(-?\d{1,3}(?:,\d{3})*\.\d{2}|-?\d{1,3}(?:,\d{3})+)\s*((?:\d{1,2}[、.．](?!\d)|[^\d\s,.]).*)$")
_AMOUNT_ONLY = re.compile(r"^-?\d[\d,]*(?:\.\d+)?$")
_LABEL_START = re.compile(r"^(?:\d{1,2}[、.．](?!\d)|[^\d\s,.])")
_MEASURE_HEAD = re.compile(r"^(预算数|决算数|金额)(.+)$")


def _split_glued_columns(rows: list[Row]) -> list[Row]:
    """Columns camelot merged: each cell an amount and the next column's label (`50,937,608.35 1、一般公共服务
    支出`), its header `预算数支出功能分类科目`. Such a column is cut in two: the amounts, then the labels.

    A column is cut only when at least two of its cells hold an amount and a label and every other cell is
    an amount alone, a label alone or blank: a column of names or of figures never looks like that.
    """
    width = max((len(row.cells) for row in rows), default=0)
    for column in reversed(range(width)):
        cells = [row.cells[column].strip() for row in rows if column < len(row.cells) and row.cells[column].strip()]
        glued = sum(bool(_AMOUNT_THEN_LABEL.match(c)) for c in cells)
        if glued < 2 or not all(_AMOUNT_THEN_LABEL.match(c) or _AMOUNT_ONLY.match(c) or _LABEL_START.match(c)
                                for c in cells):
            continue
        for row in rows:
            text = row.cells[column].strip() if column < len(row.cells) else ""
            pair = _AMOUNT_THEN_LABEL.match(text) or _MEASURE_HEAD.match(text)
            parts = list(pair.groups()) if pair else [text, ""] if _AMOUNT_ONLY.match(text) else ["", text]
            if column < len(row.cells):
                row.cells[column:column + 1] = parts
    return rows


_CLIPPED = re.compile(r"^([\u4e00-\u9fff()（）]{1,8}?)(-?\d{1,3}(?:,\d{3})*\.\d+)?$")
_MONEY = re.compile(r"^-?\d{1,3}(?:,\d{3})*\.\d+$")


def _rejoin_clipped_labels(rows: list[Row]) -> list[Row]:
    """A label printed past its cell's rule, under the next cell (spreadsheet exports clip it there):
    the PDF reader cuts text at the rule, so the label's tail opens the next cell (`1、人员经费和公用经费支` |
    `出2,022.39`). The tail goes back to its label.

    Only in a column of amounts where some cell holds such a tail and then an amount (which no printed cell
    does), and only below the header, after a cell of text.
    """
    width = max((len(row.cells) for row in rows), default=0)
    first = next((i for i, row in enumerate(rows) if grid.is_data_row(row)), len(rows))
    body = rows[first:]  # below the header
    for column in range(1, width):
        cells = [row.cells[column].strip() for row in body if column < len(row.cells)]
        tails = [_CLIPPED.match(c) for c in cells if c]
        if (not any(m and m.group(2) for m in tails) or sum(bool(_MONEY.match(c)) for c in cells) < 2
                or not all(m or _MONEY.match(c) for m, c in zip(tails, filter(None, cells)))):
            continue
        for row in body:
            text = row.cells[column].strip() if column < len(row.cells) else ""
            tail = _CLIPPED.match(text)
            left = row.cells[column - 1].strip()
            if tail and left and not left[-1].isdigit():
                row.cells[column - 1] = left + tail.group(1)
                row.cells[column] = tail.group(2) or ""
    return rows


def _split_glued_cells(cells: list[str], rules: list[bool] | None = None) -> list[str]:
    """An amount and the next cell's name in one cell (`243,015.38一、一般公共服务支出`), cut apart.

    The empty neighbour says where the piece belongs: an empty cell after it
    takes the name, an empty cell before it takes the amount. Not across a
    printed rule (`rules[i]`: one between cells i and i + 1): text is cut at
    rules already, so a cell's text was printed inside its rules, and a figure
    with its unit (`1.2万人`) is one value, not an amount glued to a name.
    """
    for i, cell in enumerate(cells):
        glued = _GLUED.match(cell)
        if not glued or _UNIT.fullmatch(glued.group(2)):  # `5166.99万元`, `12个`: a value and its unit
            continue
        if i + 1 < len(cells) and not cells[i + 1] and not (rules and rules[i]):
            cells[i], cells[i + 1] = glued.group(1), glued.group(2)
        elif i > 0 and not cells[i - 1] and not (rules and rules[i - 1]):
            cells[i - 1], cells[i] = glued.group(1), glued.group(2)
    return cells


def _is_preamble_row(row: Row) -> bool:
    """A title, table number, unit or `部门:` line that camelot kept as a row above the grid."""
    cells = row.non_empty()
    text = "".join(cells)
    if not cells:
        return True
    if len(cells) > 3:
        return False  # a header row over the grid's columns (`单位名称 | 总计 | 本年收入 | …`), not a line above it
    if grid.table_title(text) or grid.unit_of(text) or grid.table_number(text):
        return True
    return bool(grid.is_preamble(text)) or bool(re.match(r"^(部门|单位)[:：]", text))
