"""一级/二级指标: the printed level names, their canonical keys, and finding them in text.

Layout exports glue the merged level cells to the text around them
(`成本指标效益指标(30分)社会效益指标`), so level words are found inside tokens,
not only as whole cells. OCR variants (`数量`, `数量指标`, `产出 指标`) map to
the same key.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.normalize import WHITESPACE

# (pattern, key); most specific first. `成本指标` and `满意度指标` are both levels.
LEVEL1: tuple[tuple[str, str], ...] = (
    (r"产出指标", "output"), (r"效益指标", "benefit"), (r"满意度指标", "satisfaction"), (r"成本指标", "cost"),
)
LEVEL2: tuple[tuple[str, str], ...] = (
    (r"经济成本指?标?", "economic_cost"), (r"社会成本指?标?", "other"), (r"生态(?:环境)?成本指?标?", "other"),
    (r"社会效益指?标?", "social_benefit"), (r"经济效益指?标?", "economic_benefit"),
    (r"生态效益指?标?", "ecological_benefit"), (r"可持续(?:影响|发展)指?标?", "sustainability"),
    (r"服务对象满意度指?标?", "satisfaction"), (r"满意度指标", "satisfaction"),
    (r"数量指?标?", "quantity"), (r"质量指?标?", "quality"), (r"时效指?标?", "timeliness"), (r"成本指?标?", "cost"),
)
# The national template's hierarchy: the 一级 of each 二级 key, and its printed name.
PARENT = {"quantity": "output", "quality": "output", "timeliness": "output", "cost": "output",
          "economic_cost": "cost", "social_benefit": "benefit", "economic_benefit": "benefit",
          "ecological_benefit": "benefit", "sustainability": "benefit", "satisfaction": "satisfaction"}
LEVEL1_NAMES = {"output": "产出指标", "benefit": "效益指标", "satisfaction": "满意度指标", "cost": "成本指标"}
_POINTS = r"(?:[(（]\d+分[)）]|\d+分)?"  # `产出指标(50分)`, `产出指标50分`
_LEVEL1_POINTS = r"(?:[(（]\d+分?[)）]|\d+分|\d{1,3}$)?"  # and a 一级's bare `产出指标50` at the cell's end
LEVEL_WORD = re.compile("|".join([f"(?:{p}){_LEVEL1_POINTS}" for p, _ in LEVEL1]
                                 + [f"(?:{p}){_POINTS}" for p, _ in LEVEL2]))
_ONLY_LEVEL1 = re.compile(r"^(产出指标|效益指标)")
_LEVEL1_PATTERNS = tuple((re.compile(pattern), key) for pattern, key in LEVEL1)
_LEVEL2_PATTERNS = tuple((re.compile(pattern), key) for pattern, key in LEVEL2)
_POINTS_SUFFIX = re.compile(r"([(（]\d+分?[)）]|\d+分?)$")
_ENDS_POINTS = re.compile(r"分[)）]?$")
_AMBIGUOUS = re.compile(r"^(成本指标|满意度指标)")


@lru_cache(maxsize=1 << 12)
def level1_key(name: str | None) -> str | None:
    text = WHITESPACE.sub("", name or "")
    return next((key for pattern, key in _LEVEL1_PATTERNS if pattern.match(text)), None)


@lru_cache(maxsize=1 << 12)
def level2_key(name: str | None) -> str | None:
    text = WHITESPACE.sub("", name or "")
    if not text:
        return None
    return next((key for pattern, key in _LEVEL2_PATTERNS if pattern.match(text)), "other")


def strip_points(word: str) -> str:
    return _POINTS_SUFFIX.sub("", word)


@lru_cache(maxsize=1 << 12)
def is_level_word(token: str) -> bool:
    """A whole level cell, also when its last character wrapped away (`满意度指` | `标`)."""
    text = WHITESPACE.sub("", token)
    return bool(text) and bool(LEVEL_WORD.fullmatch(text) or (text.endswith("指") and LEVEL_WORD.fullmatch(text + "标")))


class LevelState:
    """The 一级/二级 in force: merged cells print once and hold for the rows below.

    Within one row, at most one 一级 then one 二级 apply; a 一级 after a 二级, or
    a second 二级, was printed for the rows below (a layout export centres
    merged cells between rows), and so is everything after it in that row.
    """

    def __init__(self) -> None:
        self.level1: str | None = None
        self.level2: str | None = None
        self.start_row()

    def start_row(self) -> None:
        self._row_level2 = False
        self._closed = False
        self.printed: dict[int, str] = {}  # the level names printed on this row: {1: 一级, 2: 二级}

    def apply(self, word: str, after: list[str]) -> bool:
        """Apply a level word now, or return False when it belongs to later rows."""
        word = word + "标" if word.endswith("指") else word
        if self._closed:
            return False
        if self._is_level1(word, after):
            if self._row_level2:
                self._closed = True
                return False
            self.level1, self.level2 = strip_points(word), None
            self.printed[1] = self.level1
            return True
        if self._row_level2:
            self._closed = True
            return False
        self.level2, self._row_level2 = strip_points(word), True
        self.printed[2] = self.level2
        return True

    def take(self, words: list[str]) -> list[str]:
        """Apply level words in a row of their own; return those that belong to later rows."""
        self.start_row()
        for index, word in enumerate(words):
            if not self.apply(word, words[index + 1:]):
                return words[index:]
        return []

    def _is_level1(self, word: str, after: list[str]) -> bool:
        if _ONLY_LEVEL1.match(word):
            return True
        if not _AMBIGUOUS.match(word) or self._row_level2:
            return False
        if _ENDS_POINTS.search(word) or (after and is_level_word(after[0]) and not _ONLY_LEVEL1.match(after[0])):
            return True  # `满意度指标(10分)`, or followed by its own 二级
        if word.startswith("成本指标"):
            return self.level1 is None or level1_key(self.level1) != "output"
        return level1_key(self.level1) != "satisfaction"


# ------------------------------------------------------------ centred merged cells

def groups(labels: list[str | None], centred: bool) -> list[str | None] | None:
    """The level of every row from the rows that print one, or None if the style cannot fit.

    Top-aligned: a label covers its row and the rows below up to the next
    label. Centred: a label sits in the middle row of its group (the upper
    middle for an even count), groups tile the rows from the first to the last.
    """
    printed = [(i, label) for i, label in enumerate(labels) if label is not None]
    if not printed:
        return None
    if not centred:
        out: list[str | None] = [None] * printed[0][0]
        for (start, label), (end, _) in zip(printed, printed[1:] + [(len(labels), None)]):
            out += [label] * (end - start)
        return out

    def tile(k: int, start: int) -> list[str | None] | None:
        if k == len(printed):
            return [] if start == len(labels) else None
        at, label = printed[k]
        for size in (2 * (at - start) + 1, 2 * (at - start) + 2):
            if size <= 0 or start + size > len(labels) or (k + 1 < len(printed) and start + size > printed[k + 1][0]):
                continue
            rest = tile(k + 1, start + size)
            if rest is not None:
                return [label] * size + rest
        return None

    return tile(0, 0)


def nests(level1: list[str | None], level2: list[str | None]) -> bool:
    """Every 二级 group lies within one 一级 group."""
    spans: dict[int, set] = {}
    group = 0
    for i, name in enumerate(level2):
        if i and name != level2[i - 1]:
            group += 1
        spans.setdefault(group, set()).add(level1[i])
    return all(len(v) == 1 for v in spans.values())
