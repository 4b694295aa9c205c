"""The development corpus: its manifest, its fetch script, and the label-free scoreboard (`python -m pipeline audit`)."""

import csv
import hashlib
import importlib.util
import io
import shutil
from pathlib import Path

from conftest import RAW, ROOT
from pipeline.scoreboard import audit

DEV = ROOT / "data" / "dev"


def _fetch_module():
    spec = importlib.util.spec_from_file_location("fetch", DEV / "fetch.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_manifest_names_the_origin_and_digest_of_every_report():
    rows = list(csv.DictReader((DEV / "manifest.csv").open(encoding="utf-8")))
    assert len(rows) >= 40 and len({r["province"] for r in rows}) >= 8 and len({r["fiscal_year"] for r in rows}) >= 4
    assert {r["report_kind"] for r in rows} == {"budget", "final_account"}
    for row in rows:
        assert row["repo"] and len(row["commit"]) == 40 and row["repo_path"] and len(row["sha256"]) == 64
        if row["in_repo"]:  # the files the tests need are committed, with the bytes the manifest says
            assert hashlib.sha256((ROOT / row["in_repo"]).read_bytes()).hexdigest() == row["sha256"], row["file"]


def test_fetch_downloads_what_is_missing_and_checks_it(tmp_path):
    """A mirror laid out as <repo>/<commit>/<path>, reached by a file:// URL: one file fetched, one refused."""
    fetch = _fetch_module()
    source = ROOT / "tests" / "fixtures" / "pdf" / "swu_2023_final_account.pdf"
    rows = [{"file": "a.pdf", "sha256": hashlib.sha256(source.read_bytes()).hexdigest(), "repo": "o/r",
             "commit": "c" * 40, "repo_path": "决算/a b.pdf", "in_repo": ""},
            {"file": "b.pdf", "sha256": "0" * 64, "repo": "o/r", "commit": "c" * 40, "repo_path": "决算/a b.pdf",
             "in_repo": ""}]
    manifest = tmp_path / "manifest.csv"
    with manifest.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    mirror = tmp_path / "mirror" / "o" / "r" / ("c" * 40) / "决算"
    mirror.mkdir(parents=True)
    shutil.copy(source, mirror / "a b.pdf")
    target = tmp_path / "pdf"
    assert fetch.fetch((tmp_path / "mirror").as_uri(), target, manifest) == 1  # b.pdf: wrong digest
    assert (target / "a.pdf").read_bytes() == source.read_bytes() and not (target / "b.pdf").exists()


def test_the_scoreboard_of_the_samples(tmp_path):
    """The samples print 目录 lists in two of them (Qinghai: 11 tables, Sichuan: 13), all found."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    out = io.StringIO()
    scores = {s.path: s for s in audit(raw, workers=1, out=out)}
    assert (scores["sichuan_2024_final_account.txt"].listed, scores["sichuan_2024_final_account.txt"].missing) == (13, [])
    assert all(s.empty == [] and s.figures == s.figures - s.unaccounted for s in scores.values())
    total = out.getvalue().strip().splitlines()[-1]
    assert total.startswith("| **total: 5 reports, 0 failed** |") and "5 of 5 complete" in total


def test_metadata_is_what_each_committed_report_prints(tmp_path):
    """Issuer, year and kind of every committed dev report against the manifest (read by eye from its pages);
    a central body (国家信访局, a university directly under 教育部) is level `central` with no region."""
    committed = [row for row in csv.DictReader((DEV / "manifest.csv").open(encoding="utf-8")) if row["in_repo"]]
    (tmp_path / "pdf").mkdir()
    shutil.copy(DEV / "manifest.csv", tmp_path / "manifest.csv")
    for row in committed:
        shutil.copy(ROOT / row["in_repo"], tmp_path / "pdf" / row["file"])
    scores = audit(tmp_path / "pdf", out=io.StringIO())
    assert len(scores) == len(committed) and all(s.checked for s in scores)
    assert {s.path: s.wrong for s in scores if s.wrong} == {}
    central = [s for s in scores if s.path.startswith(("central_", "chongqing_southwest_university"))]
    assert central and all(s.empty == [] for s in central), [(s.path, s.empty) for s in central]
