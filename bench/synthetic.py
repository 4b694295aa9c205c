"""Synthetic corpora for the benchmarks: copies of the sample reports, each a different report.

A copy moves the report to another region and its years back and multiplies every
amount of its fiscal tables by a whole factor, so each copy has its own
content hash while every accounting identity still holds exactly (a sum of
k·x is k times the sum). Which tokens are amounts comes from the library's own
facts (their printed line and token); amounts in the narrative (`… 万元`) are
scaled alike. Performance sheets, percentages and scores are left as printed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pipeline.corpus import discover
from pipeline.report import parse_report

PROVINCES = ["河北省", "山西省", "辽宁省", "吉林省", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省",
             "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省",
             "青海省", "黑龙江省"]
CITIES = ["贵阳市", "遵义市", "六盘水市", "安顺市", "成都市", "绵阳市", "昆明市", "西宁市", "兰州市", "长沙市",
          "南昌市", "合肥市", "郑州市", "太原市", "石家庄市", "济南市", "福州市", "南宁市", "海口市", "西安市"]
FACTORS = range(2, 20)  # with the years and regions, over 2,000 distinct copies of each sample
YEARS_BACK = range(0, 6)
_NARRATIVE_AMOUNT = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)\s*\.\s*\d{1,2}(?=\s*万?元)")
_YEAR = re.compile(r"(?<!\d)20\d\d(?=\s*年)")
_MONEY = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d%])")


@dataclass
class Template:
    """One sample report and what a copy has to change in it."""

    name: str
    lines: list[str]
    amounts: dict[int, set[str]]  # 0-based line -> printed amount tokens of fiscal facts on it
    values: dict[int, set[Decimal]]  # 0-based line -> amounts of procurement table rows on it
    region: str | None


def templates(raw_dir: Path) -> list[Template]:
    """The text samples of `raw_dir`, with the amounts the library reads in them."""
    found = []
    for source in discover(raw_dir):
        report = parse_report(raw_dir, source)
        if report.read.document is None or report.read.source_format == "pdf":
            continue
        encoding = report.read.document.encoding
        lines = (raw_dir / source.source_path).read_bytes().decode(encoding).lstrip("\ufeff").splitlines()
        amounts: dict[int, set[str]] = {}
        for fact in report.facts:
            if fact["source_line"] and fact["unit"] != "%" and not fact["blank_in_source"]:
                amounts.setdefault(fact["source_line"] - 1, set()).add(fact["raw_text"])
        values: dict[int, set[Decimal]] = {}
        for row in report.procurement:
            if row["source"] == "table" and row["source_line"]:
                values.setdefault(row["source_line"] - 1, set()).add(row["amount"])
        found.append(Template(source.source_path, lines, amounts, values,
                              report.issuer.region if report.issuer else None))
    return found


def _scale(token: str, factor: int) -> str:
    """The printed amount times `factor`, printed in the same style (thousands commas or not)."""
    digits = re.sub(r"[\s,，]", "", token)
    if not re.fullmatch(r"-?\d+(\.\d+)?", digits):
        return token
    value = Decimal(digits) * factor
    places = len(digits.split(".")[1]) if "." in digits else 0
    return f"{value:,.{places}f}" if "," in token else f"{value:.{places}f}"


def variant(template: Template, copy: int) -> str:
    """Copy number `copy` of a template: another region, year and amount factor."""
    factor = FACTORS[copy % len(FACTORS)]
    years_back = YEARS_BACK[(copy // len(FACTORS)) % len(YEARS_BACK)]
    places = CITIES if template.region and template.region.endswith("市") else PROVINCES
    region = places[(copy // (len(FACTORS) * len(YEARS_BACK))) % len(places)]
    lines = []
    for number, line in enumerate(template.lines):
        tokens = template.amounts.get(number)
        if tokens:
            for token in sorted(tokens, key=len, reverse=True):
                line = re.sub(rf"(?<![\d.,]){re.escape(token)}(?![\d])", _scale(token, factor), line)
        elif number in template.values:
            line = _MONEY.sub(lambda m, values=template.values[number]: _scale(m.group(0), factor)
                              if Decimal(m.group(0).replace(",", "")) in values else m.group(0), line)
        else:
            line = _NARRATIVE_AMOUNT.sub(lambda m: _scale(m.group(0), factor), line)
        line = _YEAR.sub(lambda m: str(int(m.group(0)) - years_back), line)  # every year, so columns stay apart
        if template.region:
            line = line.replace(template.region, region)
        lines.append(line)
    return "\n".join(lines) + "\n"


def build_corpus(raw_dir: Path, target: Path, size: int) -> list[Path]:
    """`size` reports in `target`: the samples in turn, each copy different."""
    target.mkdir(parents=True, exist_ok=True)
    sources = templates(raw_dir)
    paths, seen = [], set()
    for index in range(size):
        template = sources[index % len(sources)]
        text = variant(template, index // len(sources))
        digest = hashlib.sha256(text.encode("utf-8")).digest()
        if digest in seen:
            raise ValueError(f"copy {index} of {template.name} repeats an earlier copy: the corpus is too large")
        seen.add(digest)
        path = target / f"{Path(template.name).stem}_{index:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
