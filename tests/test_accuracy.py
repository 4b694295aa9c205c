"""The parser against hand-checked cells of real reports no test tuned it on (`data/dev/truth.json`)."""

from collections import Counter

import pytest

from conftest import ROOT
from pipeline.accuracy import DEV_PDF, load, render, score

FLOOR = 0.99  # the share of cells right when docs/accuracy.md was last written: it may rise, never fall


@pytest.fixture(scope="module")
def scored():
    return score(load(), DEV_PDF)


def test_the_truth_covers_enough_real_reports():
    cells = load()
    reports = Counter(cell["file"] for cell in cells)
    assert len(cells) >= 200 and len(reports) >= 20
    assert all(cell["checked_twice"] and cell["verified"] for cell in cells)
    assert all((DEV_PDF / name).exists() for name in reports)


def test_the_accuracy_document_is_current(scored):
    committed = (ROOT / "docs" / "accuracy.md").read_text(encoding="utf-8")
    assert render(scored) == committed, "run `python -m pipeline accuracy` and commit docs/accuracy.md"


def test_the_share_of_cells_right_does_not_fall(scored):
    assert scored.right / len(scored.outcomes) >= FLOOR

