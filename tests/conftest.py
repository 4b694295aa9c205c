"""Shared fixtures: the committed sample reports, read once per session."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

from pipeline.corpus import discover
from pipeline.model import Document, Table
from pipeline.readers import OcrSettings, read_document
from pipeline.report import ParsedReport, parse_report

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"


@cache
def read_sample(name: str) -> Document:
    return read_document((RAW / name).read_bytes())


@pytest.fixture(scope="session")
def sample():
    return read_sample


def table_titled(document: Document, title: str) -> Table:
    matches = [t for t in document.tables if t.title == title]
    assert len(matches) == 1, f"{len(matches)} tables titled {title!r}"
    return matches[0]


def row_starting(table: Table, *cells: str):
    """The one body row whose first filled cells are `cells`."""
    matches = [r for r in table.body if r.non_empty()[: len(cells)] == list(cells)]
    assert len(matches) == 1, f"{len(matches)} rows start with {cells}"
    return matches[0]


@cache
def parsed_sample(name: str) -> ParsedReport:
    """A sample report parsed end to end by the library (no Dagster)."""
    (source,) = [s for s in discover(RAW) if s.source_path == name]
    return parse_report(RAW, source)


@cache
def parsed_report(folder: str, name: str) -> ParsedReport:
    """A real PDF of `folder` (relative to the repository) parsed by the library, without OCR."""
    path = ROOT / folder
    (source,) = [s for s in discover(path) if s.source_path == name]
    return parse_report(path, source, OcrSettings(enabled=False))


def fact(name: str, table_id: str, row: str, measure: str, side: str | None = None, nth: int = 0) -> dict:
    """The fact of a sample's table at a row (item code, else item name) and measure."""
    matches = [f for f in parsed_sample(name).facts
               if f["table_id"] == table_id and f["measure"] == measure and f["side"] == side
               and row in (f["item_code"], f["item_name"])]
    assert len(matches) > nth, f"no fact {table_id} {row} {measure} {side} in {name}"
    return matches[nth]
