"""Bring the development corpus (`manifest.csv`) into `data/dev/pdf/`: `make corpus`.

Files the repository holds (`in_repo`) are copied from there; the others are
downloaded from the public repository and commit the manifest names, and every
file is checked against its SHA-256. Run it again at any time: what is already
there and right is left alone. `--base` points at a mirror (any URL or
directory, as a `file://` URL, laid out as
`<repo>/<commit>/<path>`).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import shutil
import sys
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GITHUB = "https://raw.githubusercontent.com"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(base: str = GITHUB, target: Path = HERE / "pdf", manifest: Path = HERE / "manifest.csv") -> int:
    """The number of files that could not be brought (each says why); 0 when the corpus is complete."""
    target.mkdir(parents=True, exist_ok=True)
    rows = list(csv.DictReader(manifest.open(encoding="utf-8")))
    problems = 0
    for number, row in enumerate(rows, start=1):
        path = target / row["file"]
        where = f"[{number}/{len(rows)}] {row['file']}"
        if path.exists() and sha256(path) == row["sha256"]:
            continue
        try:
            if row["in_repo"] and (ROOT / row["in_repo"]).resolve() != path.resolve():
                shutil.copyfile(ROOT / row["in_repo"], path)
            elif not row["in_repo"]:
                url = "/".join([base.rstrip("/"), row["repo"], row["commit"], urllib.parse.quote(row["repo_path"])])
                with urllib.request.urlopen(url, timeout=60) as response, path.open("wb") as out:
                    shutil.copyfileobj(response, out)
        except OSError as problem:
            print(f"{where}: not fetched ({problem})", file=sys.stderr)
            problems += 1
            continue
        if not path.exists() or sha256(path) != row["sha256"]:
            print(f"{where}: SHA-256 differs from the manifest; removed", file=sys.stderr)
            path.unlink(missing_ok=True)
            problems += 1
            continue
        print(f"{where}: fetched", flush=True)
    print(f"{len(rows) - problems} of {len(rows)} files in {target}")
    return problems


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=GITHUB, help="where the public repositories are (default: GitHub)")
    sys.exit(1 if fetch(parser.parse_args().base) else 0)
