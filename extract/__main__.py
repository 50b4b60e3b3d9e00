"""python -m extract PATH... --out FILE: the facts table of a corpus of articles.

Exit status: 0 when at least one article was read, 1 when none was (or the
run failed), 2 on a usage error.
"""
from __future__ import annotations

import argparse
import sys

from .runner import UsageError, is_store, run

DESCRIPTION = """Read news articles (.txt, .html, .htm; folders are read recursively;
.zip archives) and write one row per figure found. FILE ending in .csv: a CSV
in UTF-8 with BOM (opens in Excel); .parquet: a Parquet file; a folder (ending
in '/', or existing): an incremental store that re-extracts only new or
changed articles."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m extract", description=DESCRIPTION)
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="article file, folder or .zip archive")
    parser.add_argument("--out", required=True, metavar="FILE",
                        help="facts.csv, facts.parquet or store/")
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="processes extracting in parallel (default 1)")
    parser.add_argument("--engine", choices=["local", "dask"], default="local",
                        help="local processes (default) or a Dask cluster")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask scheduler, e.g. tcp://10.0.0.5:8786; without it "
                             "--engine dask starts a local cluster of N workers")
    parser.add_argument("--quiet", action="store_true", help="print errors only")
    args = parser.parse_args(argv)
    if args.scheduler and args.engine != "dask":
        parser.error("--scheduler needs --engine dask")
    return args


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def totals_line(summary, store: bool) -> str:
    read = plural(summary.articles, "article") + " read"
    if store:
        read += f" ({summary.extracted} extracted, {summary.removed} removed)"
    return (f"{read}, {plural(summary.figures, 'figure')} found, "
            f"{plural(len(summary.skipped), 'file')} skipped, {summary.seconds:.1f} s")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        summary = run(args.paths, args.out, engine=args.engine, workers=args.workers,
                      scheduler=args.scheduler)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing written", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the analyst gets a message, not a traceback
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        for skipped in summary.skipped:
            print(f"skipped {skipped.source}: {skipped.reason}", file=sys.stderr)
        print(totals_line(summary, is_store(args.out)), file=sys.stderr)
    if not summary.articles:
        print("error: no article could be read; nothing written", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
