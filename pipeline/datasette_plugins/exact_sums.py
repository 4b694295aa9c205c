"""Datasette plugin: `sum` and `avg` that add decimals exactly, so `sum(amount)` is the figure to the cent.

The export stores amounts, scores and rates as REAL, so that they sort and
filter as numbers. Each REAL is exact as a decimal (`3415.8` reads back as the
3415.80 printed), but SQLite's own sum() adds binary fractions: on the sample
reports 250 of 1,556 sums of a report's table came out as `…0000003` or
`…9999993` (SQLite 3.43's compensated sum still missed 59). These aggregates
add each REAL as the shortest decimal that reads back as it (what Python and
Datasette print), integers as integers and numeric text as the decimal it
spells, and return SQLite's types: `sum` an INTEGER when every value is one
(an error past 64 bits, as SQLite), else a REAL, NULL without values; `avg` a
REAL, NULL without values. (`total()` stays SQLite's: a Python aggregate cannot
answer its 0.0 over no rows at all.) A REAL result is the double nearest the exact decimal: it
prints as that decimal whenever the decimal has at most 15 significant digits
(any sum of amounts under 10 trillion to the cent). They work as window
functions too (`sum(amount) over (...)`).
"""

from __future__ import annotations

import re
from decimal import Context, Decimal, localcontext

from datasette import hookimpl

EXACT = Context(prec=60, traps=[])  # wide enough to add any REALs exactly; inf - inf is NaN, not an error
CHUNK = 4096  # REALs are converted in batches: about twice as fast as one by one
INTEGER = re.compile(r"[+-]?[0-9]+")
NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
INT64 = range(-(2**63), 2**63)


def _text_number(value: str | bytes) -> int | Decimal:
    """What SQLite's sum() makes of text: an integer if it is one, else the number it starts with, else 0."""
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    stripped = text.strip(" \t\n\r\f\v")
    if isinstance(value, str) and INTEGER.fullmatch(stripped) and int(stripped) in INT64:
        return int(stripped)
    number = NUMBER.match(stripped)
    return Decimal(number.group()) if number else Decimal(0)


class ExactSum:
    """sum(X), adding decimals exactly."""

    def __init__(self):
        self.count = 0  # non-NULL values in the frame
        self.integer = 0  # the sum of the integer values
        self.decimal = Decimal(0)  # the sum of the others, exact
        self.real = False  # a value was not an integer: the result is a REAL
        self.pending: list[float] = []

    def _add(self, value, sign: int) -> None:
        if value is None:
            return
        self.count += sign
        if type(value) is int:
            self.integer += sign * value
            return
        if isinstance(value, (str, bytes)):
            value = _text_number(value)
            if type(value) is int:
                self.integer += sign * value
                return
            self.real = True
            with localcontext(EXACT):
                self.decimal += sign * value
            return
        self.real = True
        if sign > 0:
            self.pending.append(value)
            if len(self.pending) >= CHUNK:
                self._fold()
        else:
            with localcontext(EXACT):
                self.decimal -= Decimal(repr(value))

    def _fold(self) -> None:
        if self.pending:
            with localcontext(EXACT):
                self.decimal = sum(map(Decimal, map(repr, self.pending)), self.decimal)
            self.pending = []

    def _exact(self) -> Decimal:
        self._fold()
        with localcontext(EXACT):
            return self.decimal + self.integer

    def step(self, value) -> None:
        self._add(value, 1)

    def inverse(self, value) -> None:
        self._add(value, -1)

    def value(self):
        if not self.count:
            return None
        if not self.real:
            if self.integer not in INT64:
                raise ValueError("integer overflow")  # SQLite's sum fails too (an OverflowError reads "too big")
            return self.integer
        return float(self._exact())

    def finalize(self):
        return self.value()


class ExactAvg(ExactSum):
    """avg(X): the exact sum divided by the count, as a REAL."""

    def value(self):
        if not self.count:
            return None
        with localcontext(EXACT):
            return float(self._exact() / self.count)


AGGREGATES = {"sum": ExactSum, "avg": ExactAvg}


def register(conn) -> None:
    """Replace SQLite's sum and avg of one argument on this connection."""
    for name, aggregate in AGGREGATES.items():
        if hasattr(conn, "create_window_function"):  # Python 3.11+, SQLite 3.25+
            conn.create_window_function(name, 1, aggregate)
        else:
            conn.create_aggregate(name, 1, aggregate)


@hookimpl
def prepare_connection(conn):
    register(conn)
