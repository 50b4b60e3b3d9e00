"""Vietnamese border-region news → a tidy table of figures with their evidence.

    extract_text(text, doc_id, published=None) -> DataFrame
    extract_paths(paths) -> DataFrame
    load_corpus(paths) -> Corpus(facts, articles, skipped)
    read_facts(path) -> Corpus
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from .document import Document, Skipped
from .pipeline import extract_document

if TYPE_CHECKING:
    import pandas as pd
# pandas is imported where a frame is built, not here: the batch command never needs it.

ARTICLE_COLUMNS = ["doc_id", "text", "title", "source", "url", "published", "content_hash"]


@dataclass
class Corpus:
    """Figures, the articles they come from, and the files that could not be read."""

    facts: pd.DataFrame
    articles: pd.DataFrame
    skipped: list[Skipped] = field(default_factory=list)


def extract_text(text: str, doc_id: str, published: dt.date | None = None) -> pd.DataFrame:
    """The facts table of one article given as text."""
    from .table import to_frame

    return to_frame(extract_document(Document(doc_id, text, doc_id, published=published)))


def articles_frame(docs: list[Document]) -> pd.DataFrame:
    """The article table: one row per document, joined to facts by doc_id."""
    import pandas as pd

    return pd.DataFrame([{c: getattr(d, c) for c in ARTICLE_COLUMNS} for d in docs],
                        columns=ARTICLE_COLUMNS)


def load_corpus(paths) -> Corpus:
    """Read files and folders of articles and extract every figure."""
    from .ingest import iter_documents
    from .table import to_frame

    docs, skipped, rows = [], [], []
    for item in iter_documents([Path(p) for p in paths]):
        if isinstance(item, Skipped):
            skipped.append(item)
            continue
        docs.append(item)
        rows.extend(extract_document(item))
    return Corpus(to_frame(rows), articles_frame(docs), skipped)


def extract_paths(paths) -> pd.DataFrame:
    """The facts table of files and folders of articles."""
    return load_corpus(paths).facts


def read_facts(path) -> Corpus:
    """A facts table written by `python -m extract … --out FILE` (CSV, Parquet or a store)."""
    import pandas as pd

    from .table import conform

    path = Path(path)
    if path.is_dir():
        from . import store

        return Corpus(store.read_facts(path), store.read_articles(path))
    if path.suffix.lower() == ".parquet":
        facts = pd.read_parquet(path)
    else:
        facts = pd.read_csv(path, encoding="utf-8-sig", dtype={"doc_id": str})
    return Corpus(conform(facts), articles_frame([]))


__all__ = ["Corpus", "Document", "Skipped", "extract_text", "extract_paths", "load_corpus", "read_facts",
           "extract_document"]
