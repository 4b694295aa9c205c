"""The text normalizer and the exact number parser."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

import unicodedata

from pipeline.normalize import _NFKC_SAFE, _NFKC_TABLE, clean_text, join_lines, nfkc, parse_number


def test_ocr_spacing_inside_numbers_is_repaired():
    parsed = parse_number("1, 954. 47")  # Guiyang 部门收支预算总表, 一、本年收入
    assert (parsed.kind, parsed.value, parsed.repaired) == ("number", Decimal("1954.47"), True)


def test_thousands_separators_misread_as_points():
    parsed = parse_number("1.064.05")  # Qinghai 收入决算表, ghost row
    assert (parsed.value, parsed.repaired) == (Decimal("1064.05"), True)
    assert parse_number("7.202.65").value == Decimal("7202.65")


def test_number_split_over_cells_joined_by_a_tab():
    parsed = parse_number("0.\t00")
    assert (parsed.value, parsed.repaired) == (Decimal("0.00"), True)


def test_well_formed_numbers_are_not_repaired():
    for raw, value in [("12,588.45", "12588.45"), ("0.00", "0.00"), ("3.6", "3.6"), ("240278400", "240278400")]:
        parsed = parse_number(raw)
        assert (parsed.value, parsed.repaired) == (Decimal(value), False)


def test_percent_and_negative():
    assert parse_number("79.74%").value == Decimal("79.74") and parse_number("79.74%").percent
    assert parse_number("-12.50").value == Decimal("-12.50")


def test_blank_dash_and_overflow_are_not_numbers():
    assert parse_number("").kind == "blank"
    assert parse_number("   ").kind == "blank"
    assert parse_number(None).kind == "blank"
    assert parse_number("—").kind == "dash"
    overflow = parse_number("###")
    assert overflow.kind == "invalid" and "overflow" in overflow.reason


def test_damaged_numbers_are_rejected_not_guessed():
    # `1 026 07`: Qinghai 支出决算表 20806 基本支出, truly 1,036.07; spaces with no separator are not repairable
    for raw in ["0,987.78", "1,954.", "1,2345.00", "12a.5", "070.72", "1 026 07"]:
        parsed = parse_number(raw)
        assert parsed.kind == "invalid" and parsed.value is None and parsed.reason, raw


def test_clean_text_joins_wraps_and_removes_markup():
    assert clean_text("一、一般公共预算财<br>政拨款收入") == "一、一般公共预算财政拨款收入"
    assert clean_text("社会保障和 就业支出") == "社会保障和就业支出"
    assert clean_text("<b>七</b> 左七山") == "七左七山"
    assert clean_text("<mark>≥</mark>90%") == "≥90%"


def test_clean_text_normalizes_width_and_latex():
    assert clean_text("因公出国（境）费") == "因公出国(境)费"
    assert clean_text("$\\geqslant$ 90%") == "≥ 90%"
    assert clean_text("$\\leqslant$30分钟") == "≤30分钟"
    assert clean_text("公开 01 表") == "公开01表"
    assert clean_text("ＡＢＣ１２３") == "ABC123"


def test_paragraph_joining_closes_up_numbers_in_text():
    text = join_lines(["2025 年部门预算收入 1, 954. 47", "万元,比上年减少。"])
    assert text == "2025年部门预算收入1,954.47万元,比上年减少。"


amounts = st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2, allow_nan=False)


@given(amounts)
def test_formatted_amounts_parse_exactly(value):
    parsed = parse_number(f"{value:,.2f}")
    assert parsed.value == value and not parsed.repaired


@given(amounts, st.lists(st.sampled_from([" ", "\t", "  "]), min_size=1, max_size=3), st.data())
def test_ocr_spaces_after_separators_are_repaired(value, gaps, data):
    text = f"{value:,.2f}"
    positions = [i + 1 for i, ch in enumerate(text) if ch in ",."]
    spot = data.draw(st.sampled_from(positions))
    damaged = text[:spot] + "".join(gaps) + text[spot:]
    parsed = parse_number(damaged)
    assert (parsed.value, parsed.repaired) == (value, True)


@given(amounts.filter(lambda v: v >= 1000))
def test_commas_misread_as_points_are_repaired(value):
    damaged = f"{value:,.2f}".replace(",", ".")
    parsed = parse_number(damaged)
    assert (parsed.value, parsed.repaired) == (value, True)


@given(st.text(alphabet="供应保障医疗局（）() 　\u4e00<>br/", max_size=30))
def test_clean_text_is_idempotent(text):
    once = clean_text(text)
    assert clean_text(once) == once


def _composition_seconds() -> set[str]:
    """Every character that can be the second part of a canonical composition (Hangul jamo included)."""
    seconds = {chr(point) for point in range(0x1100, 0x1200)}
    for point in range(0x110000):
        decomposition = unicodedata.decomposition(chr(point))
        if decomposition and not decomposition.startswith("<") and len(decomposition.split()) == 2:
            seconds.add(chr(int(decomposition.split()[1], 16)))
    return seconds


def test_nfkc_table_holds_only_characters_that_normalize_alone():
    """The fast path's premise, checked against the whole Unicode database of this Python."""
    seconds = _composition_seconds()
    domain = [chr(point) for point in range(0x110000) if _NFKC_SAFE.fullmatch(chr(point))]
    assert "中" in domain and "，" in domain and "（" in domain and "\u3000" in domain
    for char in domain:
        form = _NFKC_TABLE.get(char, char)
        assert form == unicodedata.normalize("NFKC", char) == unicodedata.normalize("NFKD", char), char
        assert not any(c in seconds or unicodedata.combining(c) for c in char + form), char


@given(st.text(alphabet=st.sampled_from("中文，（）：；、。“”《》１２ＡＢ　…①⑴㈠ｶﾞ가각\u0301e ,.()%0123456789"), max_size=30))
def test_nfkc_equals_unicodedata(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)
