"""`python -m extract`: files written, exit codes, and messages instead of tracebacks."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from extract.__main__ import main
from extract.schema import COLUMNS

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SEED_FIGURES = 49
"""Figures the extractor finds in the five seed articles (the gold set has 49)."""


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extract", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def seed_csv(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("csv") / "facts.csv"
    return out, run_cli(SEEDS, "--out", out)


def test_csv_has_a_bom_every_schema_column_and_the_vietnamese_text(seed_csv):
    out, done = seed_csv
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == COLUMNS
    facts = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert len(facts) == SEED_FIGURES
    assert set(facts["doc_id"]) == {p.stem for p in SEEDS.glob("*.txt")}
    assert "trên 23.000 lượt người" in set(facts["text"])
    assert {"Sơn La", "Điện Biên", "Lai Châu"} <= set(facts["province"])
    assert "41570000" in set(facts["value"]) and not any("e+" in v for v in facts["value"])
    assert "5 articles read, 49 figures found, 0 files skipped" in done.stderr


def test_parquet_holds_the_same_rows_with_typed_columns(seed_csv, tmp_path):
    out = tmp_path / "facts.parquet"
    done = run_cli(SEEDS, "--out", out)
    assert done.returncode == 0, done.stderr
    table = pq.read_table(out)
    assert table.schema.names == COLUMNS
    assert str(table.schema.field("period_end").type) == "date32[day]"
    assert str(table.schema.field("value").type) == "double"
    from_csv = pd.read_csv(seed_csv[0], encoding="utf-8-sig", dtype={"doc_id": str})
    from_parquet = table.to_pandas()
    assert from_parquet["text"].tolist() == from_csv["text"].tolist()
    assert from_parquet["value"].tolist() == from_csv["value"].tolist()


def test_two_workers_write_the_same_csv_as_one(seed_csv, tmp_path):
    corpus = tmp_path / "corpus"
    for i in range(4):  # 20 articles, so that both workers get chunks
        shutil.copytree(SEEDS, corpus / f"copy{i}")
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert run_cli(corpus, "--out", one).returncode == 0
    done = run_cli(corpus, "--out", two, "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert one.read_bytes() == two.read_bytes()
    assert "20 articles read, 196 figures found" in done.stderr


def test_zip_archives_and_html_pages_are_read_too(tmp_path):
    folder = tmp_path / "in"
    (folder / "deeper").mkdir(parents=True)
    with zipfile.ZipFile(folder / "deeper" / "two.zip", "w") as archive:
        for seed in sorted(SEEDS.glob("*.txt"))[:2]:
            archive.write(seed, f"bai/{seed.name}")
    (folder / "page.html").write_text(
        "<html><head><title>Lóng Sập</title></head><body><article><p>Từ đầu năm đến nay, "
        "qua Cửa khẩu quốc tế Lóng Sập có trên 23.000 lượt người xuất cảnh.</p></article>"
        "</body></html>", encoding="utf-8")
    out = tmp_path / "facts.csv"
    done = run_cli(folder, "--out", out)
    assert done.returncode == 0, done.stderr
    facts = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert set(facts["doc_id"]) == {"000_af24bccea9ff49a1", "001_9984b1c94a9df545", "page"}
    assert any(s.endswith("two.zip!bai/000_af24bccea9ff49a1.txt") for s in facts["source"])
    assert "3 articles read" in done.stderr


def test_skipped_files_are_listed_with_their_reason(tmp_path):
    folder = tmp_path / "mixed"
    shutil.copytree(SEEDS, folder)
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 not an article")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    done = run_cli(folder, "--out", tmp_path / "facts.csv")
    assert done.returncode == 0
    lines = done.stderr.splitlines()
    assert any(line.startswith("skipped") and "scan.pdf" in line and "not an article" in line
               for line in lines)
    assert any(line.startswith("skipped") and "empty.txt" in line and "empty" in line
               for line in lines)
    assert lines[-1].startswith("5 articles read, 49 figures found, 2 files skipped")


def test_quiet_prints_nothing(tmp_path):
    done = run_cli(SEEDS / "001_9984b1c94a9df545.txt", "--out", tmp_path / "f.csv", "--quiet")
    assert done.returncode == 0
    assert done.stderr == "" and done.stdout == ""


def test_a_bad_path_gets_a_message_not_a_traceback_and_exit_1(tmp_path):
    out = tmp_path / "facts.csv"
    done = run_cli(tmp_path / "no_such_folder", "--out", out)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "no_such_folder: no such file or folder" in done.stderr
    assert "no article could be read; nothing written" in done.stderr
    assert not out.exists()


def test_nothing_readable_leaves_an_existing_output_untouched(tmp_path):
    out = tmp_path / "facts.csv"
    out.write_text("earlier results", encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    done = run_cli(tmp_path / "scan.pdf", "--out", out)
    assert done.returncode == 1
    assert out.read_text(encoding="utf-8") == "earlier results"


@pytest.mark.parametrize("args, message", [
    (["--out", "facts.csv"], "the following arguments are required: PATH"),
    ([str(SEEDS)], "the following arguments are required: --out"),
    ([str(SEEDS), "--out", "facts.xlsx"], "name a .csv or .parquet file, or a folder"),
    ([str(SEEDS), "--out", "f.csv", "--workers", "0"], "must be at least 1"),
    ([str(SEEDS), "--out", "f.csv", "--engine", "spark"], "invalid choice: 'spark'"),
    ([str(SEEDS), "--out", "f.csv", "--scheduler", "tcp://x:8786"], "--scheduler needs --engine dask"),
])
def test_usage_errors_exit_2_with_a_message(args, message, capsys):
    try:
        status = main(args)
    except SystemExit as exit_:  # argparse's own usage errors
        status = exit_.code
    assert status == 2
    assert message in capsys.readouterr().err


def test_an_unwritable_output_gets_a_message(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = run_cli(SEEDS, "--out", blocker / "facts.csv")
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
