"""Speed and memory of `python -m extract` on a generated corpus.

usage: python bench/speed.py [--articles N] [--seed S] [--memory] [--memory-outputs parquet,store]
                             [--profile]

Prints, for one corpus: the end-to-end rate of the command (start-up,
reading, extraction, writing a Parquet file) with 1 and 2 worker processes,
its CPU time and peak memory (workers included), figures per second, and the
rate of a bare digit scan over the same files (the floor no extractor beats).
--memory also compares peak memory at 10 000 and 100 000 articles (minutes);
--profile lists the extractor's most expensive functions (cProfile, in this
process). Corpora are generated once into bench/out/ and reused.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pyarrow.parquet as pq
import regex
from make_corpus import ARTICLES_PER_FOLDER

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
MB = 1e6
DIGITS = regex.compile(r"\d+")


def corpus(n: int, seed: int) -> Path:
    """bench/out/corpus-<n>-<seed>/, generated on first use."""
    folder = OUT / f"corpus-{n}-{seed}"
    if not (folder / "gold.csv").exists():
        subprocess.run([sys.executable, str(BENCH / "make_corpus.py"), str(n), str(folder),
                        "--seed", str(seed)], check=True)
    return folder


def article_folders(folder: Path, n: int) -> list[str]:
    """The shard folders holding the first n articles (make_corpus writes ARTICLES_PER_FOLDER per folder)."""
    shards = sorted((folder / "articles").iterdir())
    return [str(p) for p in shards[: -(-n // ARTICLES_PER_FOLDER)]]


def text_bytes(paths: list[str]) -> int:
    return sum(f.stat().st_size for p in paths for f in Path(p).rglob("*") if f.is_file())


def digit_scan(paths: list[str]) -> float:
    """Seconds to read every file and find every run of digits in it."""
    started = time.perf_counter()
    for p in paths:
        for f in sorted(Path(p).rglob("*")):
            if f.is_file():
                sum(1 for _ in DIGITS.finditer(f.read_text(encoding="utf-8")))
    return time.perf_counter() - started


def run_extract(paths: list[str], out: str, workers: int = 1) -> tuple[float, float, float]:
    """(seconds, CPU seconds, peak resident MB of the largest process) of the
    command and of the worker processes it starts, sampled every 50 ms; the
    command's own figures come from os.wait4."""
    command = [sys.executable, "-m", "extract", *paths, "--out", out, "--quiet",
               "--workers", str(workers)]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT)
    tree, cpu, peak = psutil.Process(child.pid), {}, 0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        for process in tree.children(recursive=True):
            try:
                with process.oneshot():
                    times = process.cpu_times()
                    cpu[process.pid] = times.user + times.system
                    peak = max(peak, process.memory_info().rss)
            except psutil.NoSuchProcess:
                pass
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"python -m extract … --out {out} failed with status {child.returncode}")
    own_cpu = usage.ru_utime + usage.ru_stime
    return seconds, own_cpu + sum(cpu.values()), max(peak, usage.ru_maxrss * 1024) / MB


def figures_in(out: str) -> int:
    if out.endswith(".parquet"):
        return pq.ParquetFile(out).metadata.num_rows
    return sum(pq.ParquetFile(f).metadata.num_rows for f in Path(out, "facts").rglob("*.parquet"))


def speed_table(paths: list[str], size: float, scratch: Path) -> None:
    """The speed table over `paths` (`size` MB of text)."""
    started = time.process_time()
    floor = digit_scan(paths)
    rows = [("bare digit scan (floor)", floor, time.process_time() - started, None, None)]
    for workers in (1, 2):
        out = str(scratch / f"facts-{workers}.parquet")
        seconds, cpu, peak = run_extract(paths, out, workers)
        rows.append((f"extract, {workers} process{'es' if workers > 1 else ''}", seconds, cpu,
                     figures_in(out) / seconds, peak))
    print(f"{'':26}{'seconds':>9}{'MB/s':>8}{'CPU s':>8}{'MB/CPU s':>10}{'figures/s':>11}{'peak MB':>9}")
    for name, seconds, cpu, per_second, peak in rows:
        print(f"{name:26}{seconds:9.2f}{size / seconds:8.2f}{cpu:8.2f}{size / cpu:10.2f}"
              f"{'' if per_second is None else f'{per_second:,.0f}':>11}"
              f"{'' if peak is None else f'{peak:,.0f}':>9}")
    one, two = rows[1][1], rows[2][1]
    print(f"extractor / floor: {floor / one:.1%} of the floor's rate; "
          f"speed-up with 2 processes: {one / two:.2f}x")


def memory_check(seed: int, outputs: list[str], scratch: Path) -> None:
    big = corpus(100_000, seed)
    print(f"{'output':10}{'articles':>10}{'seconds':>9}{'peak MB':>9}")
    for output in outputs:
        peaks = []
        for n in (10_000, 100_000):
            out = f"{scratch / f'm-{n}.parquet'}" if output == "parquet" else f"{scratch / f'm-{n}-store'}/"
            seconds, _, peak = run_extract(article_folders(big, n), out)
            peaks.append(peak)
            print(f"{output:10}{n:>10,}{seconds:9.1f}{peak:9.0f}")
        print(f"{output}: peak memory 100 000 / 10 000 articles = {peaks[1] / peaks[0]:.2f}")


def profile(paths: list[str], top: int = 15) -> None:
    """The extractor's functions by time spent in their own code, over the corpus."""
    sys.path.insert(0, str(ROOT))  # the package as `python -m extract` finds it
    from extract.ingest import iter_documents
    from extract.pipeline import extract_document

    docs = list(iter_documents(paths))
    extract_document(docs[0])  # load word lists and gazetteer outside the profile
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [extract_document(doc) for doc in docs])
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="corpus size (default 10 000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--memory", action="store_true", help="also compare 10 000 vs 100 000 articles")
    parser.add_argument("--memory-outputs", default="parquet", metavar="LIST",
                        help="outputs for --memory: parquet, store or both (comma-separated)")
    parser.add_argument("--profile", action="store_true", help="also profile the extractor")
    args = parser.parse_args(argv)
    folder = corpus(args.articles, args.seed)
    paths = article_folders(folder, args.articles)
    size = text_bytes(paths) / MB
    print(f"corpus: {args.articles:,} articles, {size:.1f} MB ({folder}); "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}", flush=True)
    with tempfile.TemporaryDirectory(dir=OUT) as scratch:
        speed_table(paths, size, Path(scratch))
        if args.memory:
            memory_check(args.seed, args.memory_outputs.split(","), Path(scratch))
    if args.profile:
        profile(paths)
    return 0


if __name__ == "__main__":
    sys.exit(main())
