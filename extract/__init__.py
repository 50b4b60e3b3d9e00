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
from .schema import ARTICLE_COLUMNS

if TYPE_CHECKING:
    import pandas as pd
# pandas is imported where a frame is built, not here: the batch command never needs it.


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


def articles_frame(records: list[dict]) -> pd.DataFrame:
    """The article table, one row per article record (`batch.article_record`), joined to facts by doc_id."""
    import pandas as pd

    return pd.DataFrame(records, columns=ARTICLE_COLUMNS)


def load_corpus(paths) -> Corpus:
    """Read files and folders of articles and extract every figure, as the batch command does:
    an article that cannot be read or extracted is reported in `skipped`."""
    from .batch import NO_HASHES, extract_batch, list_files
    from .table import conform

    batch = extract_batch([(path, NO_HASHES) for path in list_files(paths)], keep_text=True)
    return Corpus(conform(batch.facts.to_pandas()), articles_frame(batch.articles), batch.skipped)


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
