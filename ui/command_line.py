"""What `streamlit run dashboard.py -- …` asks for: which corpus to open, where corrections go."""
from __future__ import annotations

import argparse
from pathlib import Path


def parse_args(argv: list[str]) -> argparse.Namespace:
    """--facts FILE or STORE/ (CSV, Parquet or store folder from `python -m extract`), --corpus FOLDER of
    articles, --db FILE for corrections; any other argument is ignored."""
    parser = argparse.ArgumentParser(prog="dashboard.py", allow_abbrev=False, add_help=False)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--facts", type=Path,
                        help="a facts table or store written by python -m extract … --out FILE|STORE/")
    source.add_argument("--corpus", type=Path, help="a folder of articles (.txt, .html, .htm, .zip)")
    parser.add_argument("--db", type=Path, help="the corrections database (default: inside the corpus folder)")
    known, _unknown = parser.parse_known_args(argv)
    return known
