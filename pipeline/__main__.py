"""Command line: `python -m pipeline run --raw-dir DIR --curated-dir DIR`, `dictionary`, `expectations`, `docs`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="materialize every asset over the raw directory")
    run.add_argument("--raw-dir", type=Path, default=Path("data/raw"), help="raw reports (default: data/raw)")
    run.add_argument("--curated-dir", type=Path, default=Path("data/curated"),
                     help="curated output (default: data/curated)")
    dictionary = commands.add_parser("dictionary", help="write docs/data-dictionary.md from the schemas")
    dictionary.add_argument("--output", type=Path, default=Path("docs/data-dictionary.md"))
    commands.add_parser("expectations", help="write expectations/<table>.json from the schemas")
    docs = commands.add_parser("docs", help="validate the curated tables and write the GX Data Docs")
    docs.add_argument("--curated-dir", type=Path, default=Path("data/curated"))
    args = parser.parse_args(argv)
    if args.command == "docs":
        from pipeline.expectations import build_data_docs

        print(f"wrote {build_data_docs(args.curated_dir)}")
        return 0
    if args.command == "expectations":
        from pipeline.expectations import write_suites

        for path in write_suites():
            print(f"wrote {path}")
        return 0
    if args.command == "run":
        # The runner is the Dagster layer; the domain library itself never imports Dagster.
        from assets.run import run as run_pipeline

        return run_pipeline(args.raw_dir, args.curated_dir)
    if args.command == "dictionary":
        from pipeline.dictionary import render

        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(render(), encoding="utf-8")
        print(f"wrote {args.output}")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
