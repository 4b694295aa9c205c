"""Who issued a report, for which year, and what kind of report it is, from its own text.

File names are not evidence (they are ours, not the bureau's). The issuing body
comes from labelled fields (`单位名称`, `部门（单位）`, `主管部门`, …) or the
report title; the year and kind from the title and the table titles.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.model import Document, Table

ORG_SUFFIX = r"(?:局|厅|委员会|委|办公室|办事处|院|中心|政府|大学|学院|学校|馆|所|会|部|署|队|站|社)"
_NAME = rf"[\u4e00-\u9fa5()（）]{{2,40}}?{ORG_SUFFIX}"
# Labelled fields, most trustworthy first: a full name beats the abbreviation of a seal line.
_LABELLED = [
    re.compile(rf"单位名称[:：]\s*({_NAME})(?![\u4e00-\u9fa5])"),
    re.compile(rf"部门[(（]单位[)）](?:名称)?[:：]\s*({_NAME})(?![\u4e00-\u9fa5])"),
    re.compile(rf"(?:部门|单位)名称[:：]?\s*({_NAME})(?![\u4e00-\u9fa5])"),
    re.compile(rf"^(?:编制|预算)?(?:部门|单位)[:：]\s*({_NAME})(?=[^\u4e00-\u9fa5]|$|单位[:：])"),
]
# The competent department (主管部门) names the report's body in a department's own report, but the ministry or
# bureau above it in a unit's (`主管部门及代码 [105]教育部` in a university's budget): it comes after the cover.
_COMPETENT = re.compile(rf"主管部门(?:及代码)?(?:[:：]\s*|\s*\[\d+\]\s*|\s+)(?:\[\d+\])?\s*({_NAME})(?![\u4e00-\u9fa5])")
_SEAL = re.compile(rf"单位[(（]盖章[)）][:：]\s*({_NAME})(?![\u4e00-\u9fa5])")
_TITLE_NAME = re.compile(rf"^(?:\d{{4}}年度?)?({_NAME})(?:[(（]本级[)）])?(?:部门)?(?:\d{{4}}年度?)?(?:部门|单位)?"
                         r"(?:预算|决算|概况|$)")
_LEADING_NOISE = re.compile(r"^[^\w\u4e00-\u9fa5]+")
_BEN_JI = re.compile(r"[(（]本级[)）]$")

_PROVINCE_CITIES = ("北京市", "天津市", "上海市", "重庆市")
_REGION = re.compile(
    r"^(?P<province>[\u4e00-\u9fa5]{2,3}省|[\u4e00-\u9fa5]{2,8}自治区|北京市|天津市|上海市|重庆市)?"
    r"(?P<prefecture>[\u4e00-\u9fa5]{2,12}?(?:自治州|地区|盟)|(?<!市)[\u4e00-\u9fa5]{2,3}州(?!市)|[\u4e00-\u9fa5]{2,3}市)?"
    r"(?P<county>[\u4e00-\u9fa5]{1,8}?(?:自治县|县|区|旗|市))?"
)

# A body of the central government: its name says so, or (a unit with no place in its name, such as a university)
# its own text says which ministry it is directly under (`西南大学是教育部直属…`).
_CENTRAL_NAME = re.compile(r"^(?:国家|中央|国务院|中华人民共和国|全国)")
_CENTRAL_UNIT = re.compile(r"(?:^|[是为，,、])(?:国家|中央)?[\u4e00-\u9fa5]{1,8}部直属|中央(?:部门|部委|国家机关)(?:直属|所属)")
# The Party's committees: one canonical spelling of a body however a cover prints it (`江苏省委办公厅`,
# `中国共产党江苏省委员会办公厅` are both 中共江苏省委办公厅), so its reports of every year share one name.
_PARTY_LONG = re.compile(r"^中国共产党(.{2,12}?)委员会")
_PARTY_SHORT = re.compile(r"^(?!中共)[\u4e00-\u9fa5]{2,12}?(?:省|自治区|市|州|盟|区|县|旗)委(?!员)")

_YEAR_KIND = re.compile(r"(20\d{2})\s*年度?[^。；，\n]{0,30}?(决算|预算)")
_SELF_EVALUATION = re.compile(r"绩效(?:目标)?自评")
_YEAR = re.compile(r"(20\d{2})\s*年度")


@dataclass(frozen=True)
class Issuer:
    entity_name: str | None
    entity_level: str | None
    region: str | None


@dataclass(frozen=True)
class ReportIdentity:
    fiscal_year: int | None
    report_kind: str | None


def _all_text(document: Document, limit: int | None = None) -> list[str]:
    texts: list[str] = []
    for block in document.blocks[:limit]:
        if isinstance(block, Table):
            texts.extend(" ".join(row.cells) for row in block.rows[:6])
        else:
            texts.append(block.text)
    return texts


def find_issuer(document: Document) -> Issuer:
    name = _entity_name(document)
    name = canonical_name(name) if name else None
    level, region = _level_and_region(name) if name else (None, None)
    if name and level is None and (_CENTRAL_NAME.match(name) or _is_central_unit(document)):
        level = "central"
    return Issuer(name, level, region)


def canonical_name(name: str) -> str:
    """A Party committee's body in its usual official form (中共…委…); other names as printed."""
    name = _PARTY_LONG.sub(lambda m: f"中共{m.group(1)}委", name)
    return f"中共{name}" if _PARTY_SHORT.match(name) else name


def _is_central_unit(document: Document) -> bool:
    return any(_CENTRAL_UNIT.search(text.replace(" ", "")) for text in _all_text(document, limit=30))


def _entity_name(document: Document) -> str | None:
    texts = _all_text(document)
    everything = "\n".join(texts)
    labelled = [text for text in texts if "部门" in text or "单位" in text]  # every label holds one of them
    for pattern in _LABELLED:
        found = _most_printed({m.group(1) for text in labelled for m in pattern.finditer(text)}, everything)
        if found:
            return found
    first = _all_text(document, limit=12)
    # A cover title broken over lines (`中共上海市普陀区委` / `社会工作部2024年度` / `部门决算`) is tried whole first.
    for text in ["".join(first[:3]), "".join(first[:2]), *first]:
        match = _TITLE_NAME.match(_LEADING_NOISE.sub("", text.replace(" ", "")))
        if match:
            return _BEN_JI.sub("", match.group(1))
    found = _most_printed({m.group(1) for text in labelled for m in _COMPETENT.finditer(text)}, everything)
    if found:
        return found
    found = Counter(m.group(1) for text in texts for m in _SEAL.finditer(text))
    if found:
        return _BEN_JI.sub("", found.most_common(1)[0][0])
    # Tables published alone print the body's name on a line of its own above each table.
    alone = Counter(text.replace(" ", "") for text in texts if re.fullmatch(_NAME, text.replace(" ", "")))
    return alone.most_common(1)[0][0] if alone and alone.most_common(1)[0][1] >= 2 else None


def _most_printed(names: set[str], everything: str) -> str | None:
    """The name printed most often (OCR garbles single fields); a name another one extends is its cut-off
    head (`泉州市人民政府` of `泉州市人民政府办公室`), not a rival."""
    whole = [n for n in sorted(names) if not any(other != n and other.startswith(n) for other in names)]
    return _BEN_JI.sub("", max(whole, key=lambda n: (everything.count(n), len(n)))) if whole else None


def _level_and_region(name: str) -> tuple[str | None, str | None]:
    """Administrative level and region from the name's leading place names."""
    match = _REGION.match(re.sub(r"^(中共|中国共产党)", "", name))
    province, prefecture, county = match.group("province", "prefecture", "county")
    if county:
        return "county", (prefecture or province or "") + county
    if prefecture:
        level = "city" if prefecture.endswith("市") else "prefecture"
        return level, prefecture
    if province:
        return "province", province
    return None, None


def find_identity(document: Document) -> ReportIdentity:
    """Fiscal year and report kind: the document title first, then the table titles."""
    texts = _all_text(document, limit=15)
    titles = [table.title for table in document.tables if table.title]
    # A cover title may be broken over lines (`2026年深圳市医疗保障局(本级)部` / `门预算`): each line, then two.
    for text in [t.replace(" ", "") for t in texts + ["".join(texts[i:i + 2]) for i in range(min(len(texts), 4))]]:
        match = _YEAR_KIND.search(text)
        if match:
            return ReportIdentity(int(match.group(1)), _kind(match.group(2)))
    kinds = Counter(m.group(2) for title in titles for m in [_YEAR_KIND.search(title) or re.search(r"()(决算|预算)", title)] if m)
    years = Counter(int(m.group(1)) for text in texts + titles for m in _YEAR.finditer(text))
    years = years or Counter(int(m.group(1)) for title in titles for m in _YEAR_KIND.finditer(title))
    year = years.most_common(1)[0][0] if years else None
    if kinds:
        return ReportIdentity(year, _kind(kinds.most_common(1)[0][0]))
    if any(_SELF_EVALUATION.search(title) for title in titles):
        return ReportIdentity(year, "performance_evaluation")
    return ReportIdentity(year, None)


def _kind(word: str) -> str:
    return "final_account" if word == "决算" else "budget"
