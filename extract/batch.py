"""Batch extraction: input paths → article batches → a table file or a store.

The unit of work is a chunk of file paths (never texts): a worker reads its
files, extracts each article and sends back one `Batch`. Chunks come back in
input order, whatever the engine, so output is deterministic.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from .document import Document, Skipped
from .ingest import iter_documents
from .pipeline import extract_document
from .table import to_frame

CHUNK_SIZE = 500
"""Files per chunk: large enough to amortise a round trip to a worker, small
enough that a batch of rows stays a few megabytes."""

Task = tuple[str, dict[str, str]]
"""A file path and the content hashes, by source, of the articles it held at
the last run; an article whose hash is unchanged is not extracted again."""


class UsageError(ValueError):
    """The command line asks for something that cannot be done."""


@dataclass(frozen=True)
class ArticleRead:
    """One article met in a run: where it came from and whether it was extracted."""

    file: str
    source: str
    doc_id: str
    content_hash: str
    extracted: bool


@dataclass
class Batch:
    """What a worker sends back for one chunk of files."""

    facts: pd.DataFrame
    read: list[ArticleRead] = field(default_factory=list)
    articles: list[dict] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    chars: int = 0


def article_record(doc: Document) -> dict:
    """The article-table row of a document (store only)."""
    return {"doc_id": doc.doc_id, "content_hash": doc.content_hash, "source": doc.source,
            "title": doc.title, "url": doc.url, "published": doc.published, "text": doc.text}


def extract_batch(chunk: list[Task], keep_text: bool = False) -> Batch:
    """Read and extract every article of a chunk; runs inside a worker process.

    An article whose extraction fails is reported as skipped, with the error,
    so one bad article never stops a run.
    """
    rows: list[dict] = []
    batch = Batch(facts=None)
    for path, known in chunk:
        for item in iter_documents([path]):
            if isinstance(item, Skipped):
                batch.skipped.append(item)
                continue
            batch.chars += len(item.text)
            unchanged = known.get(item.source) == item.content_hash
            if not unchanged:
                try:
                    rows.extend(extract_document(item))
                except Exception as exc:  # noqa: BLE001 - reported, run goes on
                    batch.skipped.append(Skipped(item.source, f"extraction failed: {exc!r}"))
                    continue
                if keep_text:
                    batch.articles.append(article_record(item))
            batch.read.append(ArticleRead(path, item.source, item.doc_id,
                                          item.content_hash, not unchanged))
    batch.facts = to_frame(rows)
    return batch


def list_files(paths: Iterable[str], absolute: bool = False) -> list[str]:
    """Files named or found (recursively, sorted) under the given paths.

    A path that does not exist is kept: reading it yields a Skipped with the reason.
    """
    files: list[str] = []
    for raw in paths:
        path = os.path.abspath(raw) if absolute else os.path.normpath(raw)
        if os.path.isdir(path):
            files.extend(sorted(str(p) for p in Path(path).rglob("*") if p.is_file()))
        else:
            files.append(path)
    return files


def chunked(tasks: list[Task], size: int) -> Iterator[list[Task]]:
    it = iter(tasks)
    while chunk := list(islice(it, size)):
        yield chunk


def chunk_size(n_files: int, workers: int) -> int:
    """CHUNK_SIZE, or less so that every worker gets several chunks."""
    return max(1, min(CHUNK_SIZE, -(-n_files // (4 * workers))))


@dataclass
class Summary:
    """Totals of a run, for the closing line on stderr."""

    articles: int = 0
    extracted: int = 0
    figures: int = 0
    chars: int = 0
    removed: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, batch: Batch) -> None:
        self.articles += len(batch.read)
        self.extracted += sum(a.extracted for a in batch.read)
        self.figures += len(batch.facts)
        self.chars += batch.chars
        self.skipped.extend(batch.skipped)


def is_store(out: str) -> bool:
    """A folder path (trailing slash, or an existing folder) names a store."""
    return out.endswith(("/", os.sep)) or os.path.isdir(out)


def open_sink(out: str, roots: list[str]):
    """The sink `out` names: a .csv or .parquet file, or a store folder."""
    from .outputs import CsvSink, ParquetSink
    from .store import StoreUpdate

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
    from .engines import dask_batches, local_batches

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
