"""The unit of batch work: a chunk of file paths in, one `Batch` of results out.

Workers receive paths, never texts: each reads its own files, extracts every
article and sends back the rows.
"""
from __future__ import annotations

import functools
import gc
import os
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

import pyarrow as pa

from .document import Document, Skipped
from .ingest import iter_documents, walk_folder
from .pipeline import extract_document
from .schema import facts_table

CHUNK_SIZE = 500
"""Files per chunk: large enough to amortise a round trip to a worker, small
enough that a batch of rows stays a few megabytes."""

Task = tuple[str, dict[str, str]]
"""A file path and the content hashes, by source, of the articles it held at
the last run; an article whose hash is unchanged is not extracted again."""
NO_HASHES: dict[str, str] = {}
"""The (shared, never modified) hashes of a file read for the first time."""


@dataclass(frozen=True, slots=True)
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

    facts: pa.Table
    read: list[ArticleRead]
    articles: list[dict]
    """Article-table rows of the articles extracted (store only)."""
    skipped: list[Skipped]


def article_record(doc: Document) -> dict:
    """The article-table row of a document (store only)."""
    return {"doc_id": doc.doc_id, "content_hash": doc.content_hash, "source": doc.source,
            "title": doc.title, "url": doc.url, "published": doc.published, "text": doc.text}


@functools.cache
def _freeze_lexicons() -> None:
    """Called after an article is extracted, when the word lists and the gazetteer are loaded:
    they live as long as the process, so the garbage collector stops scanning them (which
    took about a tenth of a run)."""
    gc.freeze()


def extract_batch(chunk: list[Task], keep_text: bool = False) -> Batch:
    """Read and extract every article of a chunk; runs inside a worker process.

    An article whose extraction fails is reported as skipped, with the error,
    so one bad article never stops a run.
    """
    rows: list[dict] = []
    read: list[ArticleRead] = []
    articles: list[dict] = []
    skipped: list[Skipped] = []
    for path, known in chunk:
        for item in iter_documents([path]):
            if isinstance(item, Skipped):
                skipped.append(item)
                continue
            extracted = known.get(item.source) != item.content_hash
            if extracted:
                try:
                    rows.extend(extract_document(item))
                except Exception as exc:  # noqa: BLE001 - reported, the run goes on
                    skipped.append(Skipped(item.source, f"extraction failed: {exc!r}"))
                    continue
                _freeze_lexicons()
                if keep_text:
                    articles.append(article_record(item))
            read.append(ArticleRead(path, item.source, item.doc_id, item.content_hash, extracted))
    return Batch(facts_table(rows), read, articles, skipped)


def list_files(paths: Iterable[str], absolute: bool = False) -> list[str]:
    """The files to read, each once, in the order ingest reads folders:
    recursively, sorted, hidden entries left out. A path that does not exist,
    or a folder that cannot be listed, is kept: reading it yields a Skipped
    with the reason.
    """
    files: list[str] = []
    for raw in paths:
        path = Path(os.path.abspath(raw) if absolute else os.path.normpath(raw))
        if not path.is_dir():
            files.append(str(path))
            continue
        found, unreadable = walk_folder(path)
        files.extend(s.source for s in unreadable)
        files.extend(str(p) for p in found)
    return list(dict.fromkeys(files))


def chunked(tasks: list[Task], size: int) -> Iterator[list[Task]]:
    it = iter(tasks)
    while chunk := list(islice(it, size)):
        yield chunk


def chunk_size(n_files: int, workers: int) -> int:
    """CHUNK_SIZE, or less so that each worker gets at least 16 chunks: the
    last chunks then end close together."""
    return max(1, min(CHUNK_SIZE, -(-n_files // (16 * workers))))
