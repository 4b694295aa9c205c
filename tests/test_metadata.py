"""Issuer, year and kind of each sample report, read from its own text (hand-checked)."""

import pytest

from pipeline.metadata import _level_and_region, canonical_name, find_identity, find_issuer

EXPECTED = {
    "guiyang_2025_budget.txt": ("贵阳市医疗保障局", "city", "贵阳市", 2025, "budget"),
    "guizhou_2024_final_account.txt": ("贵州省医疗保障局", "province", "贵州省", 2024, "final_account"),
    "qiannan_2023_performance_evaluation.txt": (
        "黔南布依族苗族自治州医疗保障局", "prefecture", "黔南布依族苗族自治州", 2023, "performance_evaluation"),
    "qinghai_2024_final_account.txt": ("青海省医疗保障局", "province", "青海省", 2024, "final_account"),
    "sichuan_2024_final_account.txt": ("四川省医疗保障局", "province", "四川省", 2024, "final_account"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_issuer_year_and_kind(sample, name):
    document = sample(name)
    issuer, identity = find_issuer(document), find_identity(document)
    found = (issuer.entity_name, issuer.entity_level, issuer.region, identity.fiscal_year, identity.report_kind)
    assert found == EXPECTED[name]


@pytest.mark.parametrize("name, level, region", [
    ("上海市普陀区司法局", "county", "上海市普陀区"),
    ("广西壮族自治区医疗保障局", "province", "广西壮族自治区"),
    ("黑龙江省医疗保障局", "province", "黑龙江省"),
    ("遵义市医疗保障局", "city", "遵义市"),
    ("贵州省贵阳市医疗保障局", "city", "贵阳市"),
    ("北京市医疗保障局", "province", "北京市"),
    ("中国人民政治协商会议江苏省委员会办公室", None, None),
])
def test_level_and_region_from_the_name(name, level, region):
    assert _level_and_region(name) == (level, region)


@pytest.mark.parametrize("printed, name", [
    ("江苏省委办公厅", "中共江苏省委办公厅"),  # the covers of 2017-2019
    ("中国共产党江苏省委员会办公厅", "中共江苏省委办公厅"),  # the sheets of 2017
    ("中共上海市普陀区委社会工作部", "中共上海市普陀区委社会工作部"),
    ("西安市委宣传部", "中共西安市委宣传部"),
    ("中国人民政治协商会议江苏省委员会办公室", "中国人民政治协商会议江苏省委员会办公室"),
    ("深圳市卫生健康委员会", "深圳市卫生健康委员会"),
    ("上海市普陀区商务委员会", "上海市普陀区商务委员会"),
])
def test_a_party_committee_has_one_name_however_it_is_printed(printed, name):
    assert canonical_name(printed) == name
