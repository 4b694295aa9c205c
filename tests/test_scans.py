"""The photocopied test set and its score (`pipeline/scans.py`): the copies are image-only and the same from the
same seed, and a cell read otherwise from the scan counts against it, once."""

import copy
from decimal import Decimal

import pypdfium2 as pdfium

from conftest import ROOT, parsed_report
from pipeline.scans import compare, photocopy

PDF = ROOT / "tests" / "fixtures" / "pdf"
SHEET = "shaanxi_xian_health_commission_2022_final_account_p134.pdf"


def test_a_photocopy_is_image_only_and_the_same_from_the_same_seed():
    data = (PDF / "jiangsu_npc_office_2017_budget_p16-20.pdf").read_bytes()
    first, again, other = photocopy(data, [1, 3], 7), photocopy(data, [1, 3], 7), photocopy(data, [1, 3], 8)
    assert first == again and first != other
    document = pdfium.PdfDocument(first)
    assert len(document) == 2 and all(page.get_textpage().count_chars() == 0 for page in document)


def test_a_cell_read_otherwise_counts_once_and_a_misread_name_only_as_itself():
    """The p134 sheet (read by eye: 年接诊患者 分值 8 得分 6; 总分 100 | 93) against copies of its own reading."""
    text = parsed_report("tests/fixtures/pdf", SHEET)
    same = compare(SHEET, text, text, 1)
    assert same.same == same.cells and same.tables == same.tables_found == 1 and not same.metadata_wrong

    scan = copy.deepcopy(text)
    (row,) = [i for i in scan.indicators if i["indicator"] == "年接诊患者"]
    row["score"] = Decimal("8")  # a score misread
    row["indicator"] = "年接诊患考"  # a character of its name misread
    compared = compare(SHEET, text, scan, 1)
    assert sum(compared.cells.values()) - sum(compared.same.values()) == 2
    assert compared.silent == ["p1 performance 年接诊患者 score: 6 read 8"]


def test_codes_printed_again_in_each_units_section_are_not_ocr_twins(tmp_path):
    """Xi'an work safety 2019 表8 (基本支出明细表 by unit), photocopied and read by OCR. Read by eye: 30207 邮电费
    prints 5.00 in 125001's section (p1), 0.50 and 1.20 in the next units' sections (p2, p3). A code printed
    again under another unit's row is that unit's row, not an OCR twin of the first."""
    from pipeline.corpus import discover
    from pipeline.readers import OcrSettings
    from pipeline.report import parse_report

    name = "shaanxi_xian_work_safety_bureau_2019_budget_tables_t8.pdf"
    (tmp_path / name).write_bytes(photocopy((PDF / name).read_bytes(), [1, 2, 3, 4, 5], 11))
    (source,) = discover(tmp_path)
    report = parse_report(tmp_path, source, OcrSettings(cache_dir=str(tmp_path / "cache")))
    postal = [f["amount"] for f in report.facts if f["item_code"] == "30207" and f["measure"] == "total"]
    assert postal == [Decimal("5.00"), Decimal("0.50"), Decimal("1.20")]
