"""The target/actual value parser, on values printed in the samples."""

import pytest

from pipeline.performance.values import parse_value


@pytest.mark.parametrize("printed, op, value, unit", [
    ("≥13.73万人", ">=", 13.73, "万人"),       # Guizhou 省级医保单位参保缴费人数
    ("≤15日", "<=", 15.0, "日"),               # Guiyang 审核完成时间
    ("＝100%", "=", 100.0, "%"),
    ("=100%", "=", 100.0, "%"),
    ("≽90%", ">=", 90.0, "%"),                  # OCR variant
    ("&gt; 15000", ">", 15000.0, None),         # Qinghai markdown
    ("$\\geqslant$90%", ">=", 90.0, "%"),       # LaTeX from the OCR tool
    ("12个", "=", 12.0, "个"),                  # Qiannan, bare number
    ("≤4000000元", "<=", 4000000.0, "元"),
    ("≥ 5000", ">=", 5000.0, None),
    ("2024年12月31日", "qualitative", None, None),
    ("2023年12月底完成", "qualitative", None, None),
    ("有效保障", "qualitative", None, None),
    ("显著提升", "qualitative", None, None),
    ("处置率达100%", "qualitative", None, None),
])
def test_printed_values(printed, op, value, unit):
    parsed = parse_value(printed)
    assert (parsed.op, parsed.value, parsed.unit) == (op, value, unit)


def test_unit_and_operator_from_their_own_columns():
    # Sichuan 部门预算项目支出绩效自评表: 指标性质 `≥`, 指标值 `5000`, 度量单位 `万人次`
    parsed = parse_value("5000", unit="万人次", op="≥")
    assert (parsed.op, parsed.value, parsed.unit) == (">=", 5000.0, "万人次")
    assert parse_value("", unit="%").op is None
