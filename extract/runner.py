"""A batch run: input paths → chunks of files → an engine → a CSV, a Parquet file or a store.

Chunks come back in input order, whatever the engine, so output is deterministic.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .batch import Batch, chunk_size, chunked, list_files
from .document import Skipped
from .engines import dask_batches, local_batches
from .outputs import CsvSink, ParquetSink
from .store import StoreUpdate


class UsageError(ValueError):
    """The command line asks for something that cannot be done."""


@dataclass
class Summary:
    """Totals of a run, for the closing line on stderr."""

    articles: int = 0
    extracted: int = 0
    figures: int = 0
    removed: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, batch: Batch) -> None:
        self.articles += len(batch.read)
        self.extracted += sum(a.extracted for a in batch.read)
        self.figures += len(batch.facts)
        self.skipped.extend(batch.skipped)


def is_store(out: str) -> bool:
    """A folder path (trailing slash, or an existing folder) names a store."""
    return out.endswith(("/", os.sep)) or os.path.isdir(out)


def open_sink(out: str, roots: list[str]):
    """The sink `out` names: a .csv or .parquet file, or a store folder."""
    if is_store(out):
        return StoreUpdate(Path(out), roots)
    suffix = Path(out).suffix.lower()
    if suffix == ".csv":
        return CsvSink(Path(out))
    if suffix == ".parquet":
        return ParquetSink(Path(out))
    raise UsageError(f"--out {out!r}: name a .csv or .parquet file, or a folder ending in '/'")


def run(paths: list[str], out: str, engine: str = "local", workers: int = 1,
        scheduler: str | None = None) -> Summary:
    """Extract every article under `paths` into `out`; see `python -m extract --help`.

    A store keys articles by absolute path, and Dask workers may run elsewhere:
    both get absolute paths. Nothing is written when no article could be read.
    """
    if workers < 1:
        raise UsageError("--workers must be at least 1")
    started = time.perf_counter()
    absolute = engine == "dask" or is_store(out)
    roots = [os.path.abspath(p) for p in paths]
    files = list_files(paths, absolute=absolute)
    sink = open_sink(out, roots)
    chunks = chunked(sink.tasks(files), chunk_size(len(files), workers))
    if engine == "dask":
        batches = dask_batches(chunks, sink.keeps_text, scheduler, workers)
    else:
        batches = local_batches(chunks, sink.keeps_text, workers)
    summary = Summary()
    try:
        for batch in batches:
            sink.write(batch)
            summary.add(batch)
    except BaseException:
        sink.abort()
        raise
    if summary.articles:
        summary.removed = sink.commit()
    else:
        sink.abort()
    summary.seconds = time.perf_counter() - started
    return summary
