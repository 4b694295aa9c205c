"""Every standard fiscal table of the four budget/final-account samples, and hand-checked cells.

The expected inventory and cell values are in `fiscal_cases.py`, read by eye
from the raw text (never from the parser's output).
"""

from decimal import Decimal

import pytest
from fiscal_cases import CELLS, INVENTORY

from conftest import parsed_sample, read_sample
from pipeline.fiscal.tables import classify


@pytest.mark.parametrize("name", sorted(INVENTORY))
def test_every_standard_table_is_recognised(name):
    found = [table_id for table in read_sample(name).tables if (table_id := classify(table))]
    assert found == INVENTORY[name]


# Qinghai 政府性基金预算财政拨款收入支出决算表 (line 420) has one row, its 合计 label OCR'd as `台 | it`
# and every figure blank: the row is rejected as noise, so the table yields no fact.
NO_FACTS = {("qinghai_2024_final_account.txt", "政府性基金预算财政拨款收入支出决算表")}


@pytest.mark.parametrize("name", sorted(INVENTORY))
def test_every_recognised_table_yields_facts(name):
    tables = {(f["table_id"], f["table_title"]) for f in parsed_sample(name).facts}
    recognised = {(classify(t), t.title) for t in read_sample(name).tables
                  if classify(t) and (name, t.title) not in NO_FACTS}
    assert recognised == tables
    noise = [r for r in parsed_sample(name).rejects if r["reason"] == "OCR noise in a name column"]
    assert all(r["raw_text"] for r in noise)


def _ids(case):
    name, table_id, code, item, side, measure, *_ = case
    return f"{name.split('_')[0]}-{table_id}-{code or item}-{side or ''}-{measure}"


@pytest.mark.parametrize("case", CELLS, ids=[_ids(c) for c in CELLS])
def test_hand_checked_cell(case):
    name, table_id, code, item, side, measure, amount, blank, line, note = case
    matches = [
        f for f in parsed_sample(name).facts
        if f["table_id"] == table_id and f["side"] == side and f["measure"] == measure
        and f["source_line"] == line and (f["item_code"] == code if code else f["item_name"] == item)
    ]
    assert len(matches) == 1, f"{len(matches)} facts for {case}"
    row = matches[0]
    assert row["amount"] == amount and isinstance(row["amount"], Decimal)
    assert row["blank_in_source"] == blank
    if code and item:
        assert row["item_name"] == item
    if "repaired" in note or "ghost" in note:
        assert row["repaired"] or row["raw_text"] == f"{amount:,}" or row["raw_text"] == str(amount), note
