"""Bad input never breaks a run or loses data: per-document errors, safe writes, fuzzing, a read-only CLI."""

import os
import shutil
import signal
import subprocess
import sys

import duckdb
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.run import run
from conftest import RAW, ROOT
from pipeline.__main__ import main
from pipeline.corpus import discover
from pipeline.fiscal.audit import unaccounted_figures
from pipeline.report import parse_report
from pipeline.schema import DOCUMENTS, FISCAL_FACTS, REJECTS
from pipeline.store import read_table

PDF = ROOT / "tests" / "fixtures" / "pdf"


def _documents(curated) -> dict[str, dict]:
    return {row["source_path"]: row for row in read_table(curated, DOCUMENTS).to_pylist()}


def test_every_kind_of_bad_input_fails_alone_with_an_actionable_error(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    guiyang = (RAW / "guiyang_2025_budget.txt").read_bytes()
    (raw / "贵阳 预算 GB18030.txt").write_bytes(guiyang.decode("utf-8").encode("gb18030"))
    (raw / "大文件.txt").write_bytes((RAW / "guizhou_2024_final_account.txt").read_bytes())  # 121 KB
    (raw / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (raw / "not really.pdf").write_bytes(b"PK\x03\x04" + bytes(500))  # a zip named .pdf
    (raw / "encrypted.pdf").write_bytes((PDF / "encrypted_one_page.pdf").read_bytes())
    pdf = (PDF / "jiangsu_npc_office_2019_budget_tables.pdf").read_bytes()
    (raw / "truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    narrative = "\n".join(guiyang.decode("utf-8").splitlines()[:30])  # the prose before the first table
    (raw / "narrative only.txt").write_text(narrative, encoding="utf-8")
    monkeypatch.setenv("YIBAO_MAX_FILE_MB", "0.1")  # 104,857 bytes: the 121 KB report is too large

    assert run(raw, tmp_path / "curated") == 0
    documents = _documents(tmp_path / "curated")
    assert {path: (d["status"], d["error"]) for path, d in documents.items() if d["status"] == "failed"} == {
        "大文件.txt": ("failed", "大文件.txt: file too large (0.1 MB, the limit is 0.1 MB); check that it is a single "
                       "report, or raise the limit with --max-file-mb or YIBAO_MAX_FILE_MB"),
        "binary.txt": ("failed", documents["binary.txt"]["error"]),
        "not really.pdf": ("failed", documents["not really.pdf"]["error"]),
        "encrypted.pdf": ("failed", "encrypted.pdf: encrypted PDF: it needs a password; ask the publisher for an "
                          "open copy"),
        "truncated.pdf": ("failed", documents["truncated.pdf"]["error"]),
    }
    assert "binary" in documents["binary.txt"]["error"]
    assert "not a PDF" in documents["not really.pdf"]["error"] or "binary" in documents["not really.pdf"]["error"]
    assert "damaged PDF" in documents["truncated.pdf"]["error"]
    decoded = documents["贵阳 预算 GB18030.txt"]  # the others went on normally
    assert (decoded["encoding"], decoded["entity_name"], decoded["status"]) == ("gb18030", "贵阳市医疗保障局", "partial")
    assert decoded["n_fiscal_facts"] > 0
    prose = documents["narrative only.txt"]
    assert (prose["status"], prose["error"], prose["n_fiscal_facts"], prose["entity_name"]) == (
        "ok", None, 0, "贵阳市医疗保障局")


def test_a_truncated_table_keeps_its_rows_and_shows_in_reconciliation(tmp_path):
    lines = (RAW / "sichuan_2024_final_account.txt").read_text(encoding="utf-8").splitlines()
    raw = tmp_path / "raw"
    raw.mkdir()
    # 收入决算表: 合计 12,588.45 at line 1632, its rows from 1633; cut after 2101504 信息化建设 (line 1642)
    (raw / "cut.txt").write_text("\n".join(lines[:1642]), encoding="utf-8")
    (source,) = discover(raw)
    report = parse_report(raw, source)
    assert report.error is None
    facts = [f for f in report.facts if f["table_id"] == "income" and f["item_code"] == "2101504"]
    assert {(f["measure"], str(f["amount"])) for f in facts} >= {("total", "3415.80")}
    broken = [c for c in report.checks if c["table_id"] == "income" and c["passed"] is not True]
    assert broken, "a table cut mid-way must not pass its identities silently"


def test_shuffled_rows_are_still_read_by_code(tmp_path):
    lines = (RAW / "sichuan_2024_final_account.txt").read_text(encoding="utf-8").splitlines()
    lines[1638], lines[1641] = lines[1641], lines[1638]  # 收入决算表: swap 21015 (line 1639) and 2101504 (1642)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "shuffled.txt").write_text("\n".join(lines), encoding="utf-8")
    (source,) = discover(raw)
    report = parse_report(raw, source)
    totals = {f["item_code"]: str(f["amount"]) for f in report.facts
              if f["table_id"] == "income" and f["measure"] == "total"}
    assert (totals["21015"], totals["2101504"]) == ("9516.64", "3415.80")
    assert not unaccounted_figures(report.read.document, report.facts, report.rejects, source.doc_id)


SAMPLES = sorted(p.name for p in RAW.glob("*.txt"))


@st.composite
def mutated(draw):
    """A sample report with lines deleted, swapped or duplicated, garbage inserted, or its end cut off."""
    name = draw(st.sampled_from(SAMPLES))
    lines = (RAW / name).read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 6))):
        i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["delete", "swap", "duplicate", "garbage", "truncate"]))
        if operation == "delete":
            del lines[i]
        elif operation == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif operation == "duplicate":
            lines.insert(j, lines[i])
        elif operation == "garbage":
            junk = draw(st.text(st.sampled_from("0123456789,.. \t|%-万元（）¥#\x00\ufffd口"), max_size=12))
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + junk + lines[i][at:]
        else:
            lines = lines[: max(i, 1)]
        if not lines:
            lines = ["x"]
    return name, "\n".join(lines)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated())
def test_mutated_reports_never_escape_their_document(tmp_path_factory, case):
    name, text = case
    raw = tmp_path_factory.mktemp("fuzz")
    (raw / name).write_text(text, encoding="utf-8")
    (source,) = discover(raw)
    report = parse_report(raw, source)  # never raises: errors stay with the document
    assert report.error is None or "internal error" not in report.error, report.error
    if report.read.document is not None:
        # every figure of a recognised table is a fact or a reject (the audit reads the grid, not the parsers)
        assert not unaccounted_figures(report.read.document, report.facts, report.rejects, source.doc_id)
    pa.Table.from_pylist(report.facts, schema=FISCAL_FACTS.arrow())  # exact types: Decimal money, no floats
    pa.Table.from_pylist(report.rejects, schema=REJECTS.arrow())


def test_a_killed_run_leaves_the_published_layer_and_the_next_run_completes_it(tmp_path):
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    for name in ("guiyang_2025_budget.txt", "qiannan_2023_performance_evaluation.txt"):
        shutil.copy(RAW / name, raw)
    assert run(raw, curated) == 0
    published = (curated / "yibao.duckdb").read_bytes()
    for name in ("guizhou_2024_final_account.txt", "sichuan_2024_final_account.txt"):
        shutil.copy(RAW / name, raw)

    command = [sys.executable, "-m", "pipeline", "run", "--raw-dir", str(raw), "--curated-dir", str(curated)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    for line in process.stdout:
        if "1/2 guizhou" in line:  # the two new files only: guizhou written, sichuan next: kill it here
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert (curated / "yibao.duckdb").read_bytes() == published  # readers still see the last good catalog
    with duckdb.connect(str(curated / "yibao.duckdb"), read_only=True) as connection:
        assert connection.execute("select count(*) from documents").fetchone() == (2,)

    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "guizhou_2024_final_account.txt: unchanged" in result.stdout  # kept from the killed run
    assert "Done: 4 documents, 4 read, 0 failed" in result.stdout
    with duckdb.connect(str(curated / "yibao.duckdb"), read_only=True) as connection:
        assert connection.execute("select count(*) from documents").fetchone() == (4,)


def test_the_sql_command_cannot_change_the_dataset(tmp_path):
    curated = tmp_path / "curated"
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "qiannan_2023_performance_evaluation.txt", raw)
    assert run(raw, curated) == 0
    for statement in ("drop table documents", "delete from performance_projects",
                      "copy documents to 'leak.csv'", f"attach '{tmp_path / 'other.duckdb'}' as other"):
        with pytest.raises(SystemExit, match="only reads the dataset"):
            main(["sql", statement, "--curated-dir", str(curated)])
    assert not (ROOT / "leak.csv").exists() and not (tmp_path / "other.duckdb").exists()
    with duckdb.connect(str(curated / "yibao.duckdb"), read_only=True) as connection:
        assert connection.execute("select count(*) from performance_projects").fetchone() == (16,)
