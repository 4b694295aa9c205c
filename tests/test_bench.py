"""`make bench` as a smoke test: the 5-document corpus end to end (the larger sizes run only by hand)."""

import subprocess
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from synthetic import build_corpus, templates, variant  # noqa: E402


def test_synthetic_copies_are_different_reports_whose_identities_hold(tmp_path):
    from pipeline.corpus import discover
    from pipeline.report import parse_report

    paths = build_corpus(ROOT / "data" / "raw", tmp_path, 10)
    assert len({path.read_bytes() for path in paths}) == 10
    sichuan = next(t for t in templates(ROOT / "data" / "raw") if t.name.startswith("sichuan"))
    copy = variant(sichuan, 3)  # factor 5, same years, another province
    # 收入决算表 line 1642: 2101504 信息化建设 3,415.80 → 5 × 3,415.80 = 17,079.00
    assert copy.splitlines()[1641].split("\t")[3:6] == ["信息化建设", "17,079.00", "17,079.00"]
    (source,) = [s for s in discover(tmp_path) if s.source_path == paths[4].name]
    checks = parse_report(tmp_path, source).checks
    passed = [c["passed"] for c in checks if c["passed"] is not None]
    assert sum(passed) / len(passed) > 0.97


def test_bench_smoke(tmp_path):
    output = tmp_path / "benchmarks.md"
    subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "5", "--rounds", "1",
                    "--output", str(output)], check=True, cwd=ROOT, capture_output=True, timeout=600)
    text = output.read_text(encoding="utf-8")
    for heading in ("Host speed: ", "## The library alone", "## PDFs", "## End to end", "## Cookbook queries"):
        assert heading in text
    assert "| 5 | tsv |" in text and "| 5 | 0.5 |" in text
