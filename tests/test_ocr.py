"""Scanned copies of the real PDF fixtures, read by OCR, against the hand-verified oracle of `pdf_cases.py`.

Each fixture's table pages are copied twice: as they are (text layer) and as
a photocopy (`pipeline.scans.photocopy`: 150–200 dpi, turned up to ±2°,
blurred, speckled, JPEG-compressed, grey paper, image only; the same model as
the published scanned set of `docs/accuracy.md`).
The scan must give the same table inventory and the same hand-verified cells
as the original, and its identities must pass about as often. OCR costs
seconds a page, so the copies are read once per session (43 pages), with one
OCR cache that the tests of caching reuse.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pdf_cases import CELLS, INVENTORY, JUSTICE, NPC, SOCIAL, SWU

from conftest import ROOT
from pipeline.corpus import discover
from pipeline.fiscal.facts import fiscal_facts
from pipeline.fiscal.tables import classify
from pipeline.readers import OcrSettings, UnreadableDocument, read_document
from pipeline.readers.ocr import find_skew, ocr_reading, _rotate, _render
from pipeline.report import ParsedReport, parse_report
from pipeline.normalize import compact
from pipeline.scans import SEED, excerpt, file_seed, photocopy

PDF = ROOT / "tests" / "fixtures" / "pdf"
# The table pages of each fixture: every hand-verified cell and every inventoried table is on them.
TABLE_PAGES = {NPC: (1, 11), JUSTICE: (10, 21), SOCIAL: (5, 16), SWU: (8, 15)}


@dataclass
class Copies:
    text: dict[str, ParsedReport]
    scan: dict[str, ParsedReport]
    scan_dir: Path
    cache: Path
    progress: list[str]


def _parse(directory: Path, name: str, ocr: OcrSettings) -> ParsedReport:
    (source,) = [s for s in discover(directory) if s.source_path == name]
    return parse_report(directory, source, ocr)


@pytest.fixture(scope="session")
def copies(tmp_path_factory) -> Copies:
    root = tmp_path_factory.mktemp("scans")
    text_dir, scan_dir, cache = root / "text", root / "scan", root / "ocr_cache"
    text_dir.mkdir()
    scan_dir.mkdir()
    progress: list[str] = []
    ocr = OcrSettings(cache_dir=str(cache), progress=progress.append)
    text, scan = {}, {}
    for name, (first, last) in TABLE_PAGES.items():
        pages = excerpt((PDF / name).read_bytes(), list(range(first, last + 1)))
        (text_dir / name).write_bytes(pages)
        (scan_dir / name).write_bytes(photocopy(pages, list(range(1, last - first + 2)), file_seed(SEED, name)))
        text[name], scan[name] = _parse(text_dir, name, ocr), _parse(scan_dir, name, ocr)
    return Copies(text, scan, scan_dir, cache, progress)


def _original_page(name: str, page: int) -> int:
    return page + TABLE_PAGES[name][0] - 1


def _found(report: ParsedReport, case: dict) -> bool:
    return any(f["table_id"] == case["table_id"] and _original_page(case["file"], f["source_page"]) == case["page"]
               and f["side"] == case["side"] and f["amount"] == case["amount"] and f["unit"] == case["unit"]
               and (case["row"] is None or case["row"] in (f["item_code"], compact(f["item_name"])))
               and re.sub(r".*/", "", compact(f["measure_label"])).endswith(compact(case["column"]))
               for f in report.facts)


@pytest.mark.parametrize("name", sorted(TABLE_PAGES))
def test_scans_are_read_by_ocr_into_the_same_table_inventory(copies, name):
    report = copies.scan[name]
    assert (report.status, report.read.source_format) == (copies.text[name].status, "pdf_ocr"), report.error
    found = [(table_id, _original_page(name, t.source_page)) for t in report.read.document.tables
             if (table_id := classify(t))]
    assert found == INVENTORY[name]


def test_scans_give_the_hand_verified_cells(copies):
    cases = [c for c in CELLS if c["file"] in TABLE_PAGES]
    assert len(cases) == 99  # every hand-verified cell of the scanned reports is on the copied pages
    assert all(_found(copies.text[c["file"]], c) for c in cases)  # the oracle holds on the text copies
    missed = [f"{c['file'][:20]} p{c['page']} {c['row']} {c['column']} {c['amount']}" for c in cases
              if not _found(copies.scan[c["file"]], c)]
    assert (len(cases) - len(missed)) / len(cases) >= 0.95, missed


def test_identities_pass_on_scans_about_as_often_as_on_the_text_layer(copies):
    def rate(reports: dict[str, ParsedReport]) -> float:
        checks = [c for report in reports.values() for c in report.checks]
        return sum(c["passed"] is True for c in checks) / len(checks)

    assert len([c for r in copies.scan.values() for c in r.checks]) > 500
    assert rate(copies.scan) >= rate(copies.text) - 0.01


def test_every_amount_read_by_ocr_carries_its_confidence(copies):
    scanned = [f for report in copies.scan.values() for f in report.facts]
    printed = [f for f in scanned if not f["blank_in_source"]]
    assert len(printed) > 900
    assert all(0 < f["ocr_confidence"] <= 1 for f in printed)
    assert all(f["ocr_confidence"] is None for f in scanned if f["blank_in_source"])
    assert all(f["ocr_confidence"] is None for report in copies.text.values() for f in report.facts)
    assert {r.read.source_format for r in copies.text.values()} == {"pdf"}


def _cell_key(fact: dict) -> tuple:
    return (fact["table_id"], fact["source_page"], fact["side"], fact["item_code"] or compact(fact["item_name"]),
            fact["measure"])


def test_misread_separators_are_repaired_only_with_a_sum_as_evidence(copies):
    """An amount OCR read with wrong separators is kept only when a sum of its table confirms its one reading,
    and then it is the figure the page prints. In the copy of JUSTICE p11 (收入预算总表, 元), 210 卫生健康支出
    合计 is read `1149678,00`; the page prints 1149678.00 (read by eye)."""
    repaired = [(name, f) for name, report in copies.scan.items() for f in report.facts
                if f["repaired"] and f["raw_text"] != str(f["amount"])]
    assert any(_original_page(name, f["source_page"]) == 11 and f["item_code"] == "210"
               and f["amount"] == Decimal("1149678.00") for name, f in repaired)
    for name, fact in repaired:
        printed = [f["amount"] for f in copies.text[name].facts if _cell_key(f) == _cell_key(fact)]
        assert fact["amount"] in printed, (name, fact["raw_text"])


def test_a_misread_amount_no_sum_confirms_is_rejected_not_guessed(copies):
    """On the scanned 支出预算总表 (JUSTICE p12): 2040601 行政运行 合计 16726725.44 = 基本支出 + 项目支出.

    Read with a lost decimal point as `16726725 44`, its one reading is confirmed by the sums; read as
    `16726725 54`, no sum holds and the cell goes to rejects.
    """
    document = read_document((copies.scan_dir / JUSTICE).read_bytes(), OcrSettings(cache_dir=str(copies.cache)))
    (table,) = [t for t in document.tables if _original_page(JUSTICE, t.source_page) == 12]
    row = next(r for r in table.body if r.cells[:3] == ["204", "06", "01"])
    total = row.cells.index("16726725.44")
    for printed, kept in (("16726725 44", True), ("16726725 54", False)):
        row.cells[total] = printed
        result = fiscal_facts(document, "test", "budget")
        facts = [f for f in result.facts if f["item_code"] == "2040601" and f["measure"] == "total"
                 and f["table_id"] == "expenditure"]
        if kept:
            assert [(f["amount"], f["repaired"], f["raw_text"]) for f in facts] == [
                (Decimal("16726725.44"), True, printed)]
        else:
            assert facts == []
            (reject,) = [r for r in result.rejects if r["raw_text"] == printed]
            assert "its one reading is 16726725.54" in reject["reason"] and "no sum" in reject["reason"]


def test_a_mixed_document_keeps_its_text_pages(copies):
    """NPC with only its 支出预算总表 (p3) scanned: that page is OCR'd, the others are read from their text."""
    data = (PDF / NPC).read_bytes()
    original, scan = pdfium.PdfDocument(data), pdfium.PdfDocument((copies.scan_dir / NPC).read_bytes())
    original.del_page(2)
    original.import_pages(scan, [2], index=2)
    mixed = io.BytesIO()
    original.save(mixed)
    progress: list[str] = []
    document = read_document(mixed.getvalue(), OcrSettings(cache_dir=str(copies.cache), progress=progress.append))
    assert document.source_format == "pdf_ocr" and set(document.ocr_confidence) == {3}
    assert progress == ["OCR: 1 of 1 pages from the cache"]  # the same page image as in the scanned copy
    result = fiscal_facts(document, "test", "budget")
    expenditure = {f["measure_label"].split("/")[-1]: f["amount"] for f in result.facts
                   if f["table_id"] == "expenditure" and f["source_page"] == 3}
    assert {label: expenditure[label] for label in ("合计", "基本支出", "项目支出")} == {
        "合计": Decimal("18330.37"), "基本支出": Decimal("9312.90"), "项目支出": Decimal("6459.58")}
    assert [t.source_page for t in document.tables if classify(t)][:4] == [1, 2, 3, 4]


def test_ocr_results_are_cached_by_page_image(copies):
    scanned = sum(1 for line in copies.progress if ": OCR page " in line)
    assert scanned == sum(last - first + 1 for first, last in TABLE_PAGES.values()) == 43
    assert len(list(copies.cache.glob("*/*.json"))) == 43
    progress: list[str] = []
    again = _parse(copies.scan_dir, SWU, OcrSettings(cache_dir=str(copies.cache), progress=progress.append))
    assert progress == [f"  {SWU}: OCR: 8 of 8 pages from the cache"]
    assert again.facts == copies.scan[SWU].facts


def test_without_ocr_a_scan_is_a_clear_error(copies):
    data = (copies.scan_dir / SWU).read_bytes()
    with pytest.raises(UnreadableDocument, match=r"no text layer; OCR needed: page 1, 2, 3, 4, 5, 6, 7, 8 of 8"):
        read_document(data, OcrSettings(enabled=False))


def test_pages_with_text_are_not_ocrd():
    """The text-layer fixtures have no page that needs OCR (PARTY p1 has 19 characters but no image)."""
    for name in sorted(set(PDF.glob("*.pdf")) - {PDF / "encrypted_one_page.pdf"}):
        assert read_document(name.read_bytes(), OcrSettings(enabled=False)).source_format == "pdf"


def test_text_in_fonts_without_unicode_goes_to_ocr():
    from pipeline.readers.pdf import _unmapped_share

    assert _unmapped_share("\ue001\ue002\ufffd" * 10 + "12") > 0.9  # private-use and replacement characters
    assert _unmapped_share("一般公共预算财政拨款支出决算表 单位：万元 2024") == 0


def test_the_skew_of_a_scan_is_found():
    page = _render(pdfium.PdfDocument((PDF / NPC).read_bytes())[2])
    for angle in (0.7, -0.9):
        assert find_skew(_rotate(page, angle)) == pytest.approx(-angle, abs=0.1)


@pytest.mark.parametrize("raw, reading", [
    ("754 75", Decimal("754.75")),   # the decimal point lost
    ("0:00", Decimal("0.00")),       # a colon for the point
    ("738..86", Decimal("738.86")),  # the point read twice
    ("5, 533 00", Decimal("5533.00")),
    ("1 234 567 89", Decimal("1234567.89")),
    ("12 345", None),                # no two decimals: no single reading
    ("1 2345 67", None),             # not a thousands grouping
    ("01:00", None),                 # a leading zero
])
def test_the_one_reading_of_a_misread_amount(raw, reading):
    assert ocr_reading(raw) == reading


def test_the_run_reads_a_scan_by_ocr_once_and_fails_it_clearly_without(copies, tmp_path, capsys):
    import duckdb

    from assets.run import run

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "scan.pdf").write_bytes(excerpt((copies.scan_dir / NPC).read_bytes(), [3]))  # 支出预算总表, scanned

    assert run(raw, tmp_path / "no_ocr", ocr=False) == 0
    assert "FAILED: scan.pdf: no text layer; OCR needed: page 1 of 1" in capsys.readouterr().out

    curated = tmp_path / "curated"
    assert run(raw, curated) == 0
    assert "scan.pdf: OCR page 1 (1/1): " in capsys.readouterr().out
    with duckdb.connect(str(curated / "yibao.duckdb"), read_only=True) as db:
        assert db.sql("select source_format, status from documents").fetchall() == [("pdf_ocr", "ok")]
        facts = {m: (a, c) for m, a, c in db.sql("select measure, amount, ocr_confidence from fiscal_facts").fetchall()}
    assert {m: facts[m][0] for m in ("total", "basic", "project")} == {
        "total": Decimal("18330.37"), "basic": Decimal("9312.90"), "project": Decimal("6459.58")}
    assert all(0.9 < facts[m][1] <= 1 for m in ("total", "basic", "project"))

    import shutil

    shutil.rmtree(curated / "documents")  # the document must be parsed again: its page comes from the cache
    assert run(raw, curated) == 0
    out = capsys.readouterr().out
    assert "scan.pdf: OCR: 1 of 1 pages from the cache" in out and "OCR page" not in out


def test_a_table_without_ruling_is_cut_into_columns_by_its_boxes(copies):
    """The scanned 支出预算总表 (JUSTICE p12) with its ruling lines taken away: the same data rows."""
    from pipeline.readers.ocr import _cache_key, _cache_read, build_page

    page = _render(pdfium.PdfDocument((copies.scan_dir / JUSTICE).read_bytes())[2])
    scan = _cache_read(str(copies.cache), _cache_key(page))
    (ruled,) = build_page(scan).grids
    scan.horizontal, scan.vertical = [], []
    (unruled,) = build_page(scan).grids
    data = lambda grid: [row for row in grid if re.fullmatch(r"\d{3}", row[0])]  # noqa: E731
    assert len(data(ruled)) == 12 and data(unruled) == data(ruled)
    assert data(unruled)[2] == ["204", "06", "01", "行政运行", "16726725.44", "16726725.44", "0.00"]


def test_a_lone_digit_beside_a_ruling_line_is_read(copies):
    """JUSTICE p21 (“三公”经费, 万元) prints `0` alone, against the line, for 因公出国(境)费 and 购置费:
    detection passes over it, the second look at the cell reads it (not a blank)."""
    facts = {f["measure"]: f for f in copies.scan[JUSTICE].facts if f["table_id"] == "three_public"}
    for measure in ("budget_overseas_travel", "budget_vehicle_purchase"):
        assert (facts[measure]["raw_text"], facts[measure]["blank_in_source"]) == ("0", False)
    assert facts["budget_total"]["amount"] == Decimal("10.81")
