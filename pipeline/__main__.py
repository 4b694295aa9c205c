"""Command line: `run`, `audit`, `accuracy`, `sql`, `tables`, `describe`, `cookbook`, `dictionary`,
`expectations`, `docs`, `datapackage`, `serve`, `scans`."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="materialize every asset over the raw directory")
    run.add_argument("--raw-dir", type=Path, default=Path("data/raw"), help="raw reports (default: data/raw)")
    run.add_argument("--curated-dir", type=Path, default=Path("data/curated"),
                     help="curated output (default: data/curated)")
    run.add_argument("--executor", choices=("in_process", "multiprocess", "dask"), default="in_process",
                     help="where the steps run (default: in this process)")
    run.add_argument("--max-file-mb", type=float, help="larger raw files fail with a clear error (default: 200)")
    run.add_argument("--dask-address", metavar="tcp://HOST:PORT", help="the Dask scheduler for --executor dask")
    run.add_argument("--no-ocr", dest="ocr", action="store_false",
                     help="do not OCR PDF pages without a text layer: such reports fail (no text layer; OCR needed)")
    run.add_argument("--strict", action="store_true",
                     help="exit 1 when a report is quarantined (the others are still published)")
    run.add_argument("--no-wait", dest="wait", action="store_false",
                     help="when another run holds the curated directory, exit at once (status 75) instead of waiting")
    run.add_argument("--reparse", metavar="PATTERN", default="",
                     help="parse these files again whatever their state: `all`, or path patterns, comma-separated")
    audit = commands.add_parser("audit", help="score how well the reports of a directory are read, without labels")
    audit.add_argument("raw_dir", type=Path, help="a directory of reports (PDFs or text exports)")
    audit.add_argument("--no-ocr", dest="ocr", action="store_false", help="do not OCR scanned pages")
    audit.add_argument("--markdown", type=Path, metavar="FILE", help="also write the scoreboard to FILE")
    accuracy = commands.add_parser("accuracy", help="score the parser against hand-checked cells, write docs/accuracy.md")
    accuracy.add_argument("--truth", type=Path, help="the hand-checked cells (default: data/dev/truth.json)")
    accuracy.add_argument("--raw-dir", type=Path, help="their reports (default: data/dev/pdf)")
    accuracy.add_argument("--output", type=Path, default=Path("docs/accuracy.md"))
    scans = commands.add_parser("scans", help="make the photocopied copies of data/dev/pdf, or score OCR on them")
    scans.add_argument("action", choices=("make", "score"),
                       help="make: write data/dev/scans/; score: read them, write data/dev/scans.json")
    scans.add_argument("--seed", type=int, help="make: the seed of the degradations (default: 2026)")
    scans.add_argument("--only", nargs="+", metavar="FILE", help="only these reports (score: print, write nothing)")
    dictionary = commands.add_parser("dictionary", help="write docs/data-dictionary.md from the schemas")
    dictionary.add_argument("--output", type=Path, default=Path("docs/data-dictionary.md"))
    commands.add_parser("expectations", help="write expectations/<table>.json from the schemas")
    sql = commands.add_parser("sql", help="run a query on the catalog and print or export the result")
    sql.add_argument("query")
    formats = sql.add_mutually_exclusive_group()
    formats.add_argument("--csv", nargs="?", const="-", metavar="FILE", help="CSV (UTF-8 with BOM in a file)")
    formats.add_argument("--json", nargs="?", const="-", metavar="FILE", help="JSON records")
    formats.add_argument("--xlsx", metavar="FILE", help="an Excel workbook")
    cookbook = commands.add_parser("cookbook", help="run the cookbook's queries and write docs/cookbook.md")
    cookbook.add_argument("--output", type=Path, default=Path("docs/cookbook.md"))
    commands.add_parser("tables", help="list the catalog's tables and views with their comments")
    describe = commands.add_parser("describe", help="list a table's columns with their comments")
    describe.add_argument("table")
    docs = commands.add_parser("docs", help="validate the curated tables and write the GX Data Docs")
    datapackage = commands.add_parser("datapackage", help="export CSVs and write the Frictionless datapackage.json")
    serve = commands.add_parser("serve", help="export yibao.sqlite and browse it in Datasette on localhost")
    serve.add_argument("--raw-dir", type=Path, default=Path("data/raw"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8001)
    serve.add_argument("--watch-seconds", type=float, default=60,
                       help="how often to look for a refreshed catalog to export and serve (default: 60)")
    for command in (sql, commands.choices["tables"], describe, cookbook, docs, datapackage, serve):
        command.add_argument("--curated-dir", type=Path, default=Path("data/curated"))
    args = parser.parse_args(argv)
    if args.command in ("sql", "tables", "describe"):
        from pipeline import query

        if args.command == "sql":
            columns, rows = query.run_sql(args.curated_dir, args.query)
            for fmt in ("csv", "json", "xlsx"):
                target = getattr(args, fmt)
                if target:
                    wrote = query.export(columns, rows, fmt, None if target == "-" else Path(target))
                    if wrote:
                        print(wrote)
                    return 0
            print(query.render(columns, rows))
            return 0
        if args.command == "tables":
            columns, rows = query.tables(args.curated_dir)
        else:
            columns, rows = query.describe(args.curated_dir, args.table)
        # comments whole, wrapped to the terminal (100 columns when not a terminal)
        print(query.render(columns, rows, wrap_to=shutil.get_terminal_size((100, 24)).columns))
        return 0
    if args.command == "audit":
        from pipeline.accuracy import verdicts
        from pipeline.scoreboard import audit as run_audit, render, render_failing

        if not args.raw_dir.is_dir():
            print(f"error: not a directory: {args.raw_dir}", file=sys.stderr)
            return 2
        scores = run_audit(args.raw_dir, args.ocr)
        if args.markdown:
            args.markdown.write_text(f"# Scoreboard of `{args.raw_dir}`\n\nWritten by `python -m pipeline audit "
                                     f"{args.raw_dir} --markdown {args.markdown}` (`make audit`); no hand labels: "
                                     "each report against its own 目录, its accounting identities, the figures of "
                                     "its recognised tables and its metadata (*metadata wrong*: issuer, year and "
                                     "kind against the corpus's manifest, where it has one).\n\n"
                                     + render(scores) + "\n\n## Identities that fail\n\nEach with the page (or "
                                     "line) of the printed figure it checks; *the page shows*: what that page "
                                     "was seen to print, looked up by eye (`identities.json` beside the "
                                     "corpus's manifest).\n\n"
                                     + render_failing(scores, verdicts(args.raw_dir.parent / "identities.json"))
                                     + "\n",
                                     encoding="utf-8")
            print(f"wrote {args.markdown}")
        return 0
    if args.command == "accuracy":
        from pipeline import accuracy as scoring

        scored = scoring.score(scoring.load(args.truth or scoring.TRUTH), args.raw_dir or scoring.DEV_PDF)
        args.output.write_text(scoring.render(scored), encoding="utf-8")
        total = len(scored.outcomes)
        print(f"{scored.right} of {total} hand-checked cells right ({scored.right / total:.1%}); wrote {args.output}")
        return 0
    if args.command == "scans":
        from pipeline import scans as scanned

        if args.action == "make":
            copied = scanned.make(seed=args.seed or scanned.SEED, names=args.only)
            print(f"{len(copied)} reports, {sum(map(len, copied.values()))} pages in {scanned.SCANS}")
            return 0
        results = scanned.score(names=args.only)
        result = scanned.summary(results)
        print(f"cells {result['cells'][0]}/{result['cells'][1]}, tables {result['tables'][0]}/{result['tables'][1]}, "
              f"metadata right on {result['metadata_right']} of {result['reports']}")
        if not args.only:
            scanned.RESULT.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(f"wrote {scanned.RESULT}; `python -m pipeline accuracy` shows it in docs/accuracy.md")
        return 0
    if args.command == "cookbook":
        from pipeline.cookbook import render_cookbook

        args.output.write_text(render_cookbook(args.curated_dir), encoding="utf-8")
        print(f"wrote {args.output}")
        return 0
    if args.command == "docs":
        from pipeline.expectations import build_data_docs

        print(f"wrote {build_data_docs(args.curated_dir)}")
        return 0
    if args.command == "serve":
        from pipeline.serve import serve

        try:
            return serve(args.curated_dir, args.raw_dir, args.host, args.port, args.watch_seconds)
        except FileNotFoundError as error:  # no catalog yet
            print(f"error: {error}", file=sys.stderr)
            return 2
    if args.command == "datapackage":
        from pipeline.datapackage import write_datapackage

        print(f"wrote {write_datapackage(args.curated_dir)}")
        return 0
    if args.command == "expectations":
        from pipeline.expectations import write_suites

        for path in write_suites():
            print(f"wrote {path}")
        return 0
    if args.command == "run":
        # The runner is the Dagster layer; the domain library itself never imports Dagster.
        from assets.run import run as run_pipeline

        if args.max_file_mb:
            os.environ["YIBAO_MAX_FILE_MB"] = str(args.max_file_mb)  # read by every executor process
        return run_pipeline(args.raw_dir, args.curated_dir, args.executor, args.dask_address, args.ocr, args.strict,
                            args.wait, args.reparse)
    if args.command == "dictionary":
        from pipeline.dictionary import render

        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(render(), encoding="utf-8")
        print(f"wrote {args.output}")
        return 0
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `python -m pipeline sql … | head`
        sys.exit(0)
