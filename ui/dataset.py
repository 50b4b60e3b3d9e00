"""The figures and articles the dashboard shows: a store folder read in place, or a corpus, facts file
or upload read once per content and kept in memory."""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from extract.schema import ARTICLE_COLUMNS, COLUMNS, DATE_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".zip")


class DatasetError(Exception):
    """A corpus or facts file that cannot be opened: `key` names the message in strings.csv,
    `values` fill it."""

    def __init__(self, key: str, **values):
        super().__init__(key, values)
        self.key, self.values = key, values


@dataclass
class Dataset:
    """Figures and articles in memory, and a store whose Parquet files are queried in place.
    `version` digests the contents (empty when unknown): query results are cached under it."""

    facts: pd.DataFrame
    articles: pd.DataFrame
    skipped: list = field(default_factory=list)
    origin: str = ""
    store: Path | None = None
    version: str = ""


def display_path(path: str) -> str:
    """A path as the analyst typed it: relative to the working folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def prepare_facts(facts: pd.DataFrame) -> pd.DataFrame:
    """Facts with every schema column, dates as timestamps, in the order of their reports
    (article, then place in it) as every query orders them."""
    out = facts.copy()
    for column in COLUMNS:
        if column not in out.columns:
            out[column] = None
    for column in DATE_COLUMNS:
        out[column] = pd.to_datetime(out[column], errors="coerce").dt.normalize()
    for column in FLOAT_COLUMNS:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    for column in INT_COLUMNS:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("Int64")
    for column in set(COLUMNS) - set(DATE_COLUMNS) - set(FLOAT_COLUMNS) - set(INT_COLUMNS):
        out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out.sort_values(["doc_id", "start", "end"], kind="stable").reset_index(drop=True)


def prepare_articles(articles: pd.DataFrame | None) -> pd.DataFrame:
    out = pd.DataFrame(columns=ARTICLE_COLUMNS) if articles is None else articles.copy()
    for column in ARTICLE_COLUMNS:
        if column not in out.columns:
            out[column] = None
    return out.drop_duplicates("doc_id", keep="last").reset_index(drop=True)


def combine(base: Dataset, extra: list[Dataset]) -> Dataset:
    """The corpus with the analyst's uploaded articles added."""
    if not extra:
        return base
    facts = pd.concat([base.facts] + [part.facts for part in extra], ignore_index=True)
    articles = pd.concat([base.articles] + [part.articles for part in extra], ignore_index=True)
    versions = [base.version] + [part.version for part in extra]
    version = digest_of(versions) if all(versions) else ""
    return Dataset(prepare_facts(facts), prepare_articles(articles), base.skipped, base.origin, base.store, version)


def digest_of(parts) -> str:
    return hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()


def article_files(folder: Path) -> list[Path]:
    """Article files in a folder and its subfolders, hidden files left out."""
    return sorted(path for path in folder.rglob("*")
                  if path.is_file() and path.suffix.lower() in ARTICLE_SUFFIXES
                  and not any(part.startswith(".") for part in path.relative_to(folder).parts))


def _signature(paths: list[Path]) -> tuple:
    """Cheap stand-in for the contents: name, size and change time of each file."""
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in paths)


@st.cache_data(show_spinner=False, max_entries=32)
def content_digest(signature: tuple) -> str:
    """sha256 over the files' bytes; cached on their size and change time so a rerun reads nothing."""
    digest = hashlib.sha256()
    for path, _size, _mtime in signature:
        digest.update(path.encode())
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


@st.cache_data(show_spinner=False, max_entries=8)
def _extract_folder(digest: str, paths: tuple[str, ...], origin: str) -> Dataset:
    import extract

    corpus = extract.load_corpus(list(paths))
    return Dataset(prepare_facts(corpus.facts), prepare_articles(corpus.articles),
                   list(corpus.skipped), origin, version=digest)


@st.cache_data(show_spinner=False, max_entries=8)
def _read_facts_file(digest: str, path: str) -> Dataset:
    import extract

    corpus = extract.read_facts(path)
    return Dataset(prepare_facts(corpus.facts), prepare_articles(corpus.articles),
                   list(corpus.skipped), path, version=digest)


def load_folder(folder: Path) -> Dataset:
    if not folder.is_dir():
        raise DatasetError("error.no_folder", path=str(folder))
    paths = article_files(folder)
    digest = content_digest(_signature(paths))
    try:
        return _extract_folder(digest, tuple(str(p) for p in paths), str(folder))
    except Exception as error:  # an extractor fault is logged in full; the analyst gets one line
        logging.getLogger(__name__).exception("extraction of %s failed", folder)
        raise DatasetError("error.extraction", path=str(folder), reason=f"{type(error).__name__}: {error}") from None


def store_files(store: Path) -> list[Path]:
    """The published Parquet files of a store (hidden ones are still being written)."""
    return sorted(p for folder in ("facts", "articles") for p in (store / folder).rglob("*.parquet")
                  if not p.name.startswith("."))


def load_store(store: Path) -> Dataset:
    """A store written by `python -m extract … --out store/`, read in place; its version follows
    its files, so a run that updates the store shows on the next page load."""
    if not (store / "facts").is_dir():
        raise DatasetError("error.no_store", path=str(store))
    return Dataset(prepare_facts(pd.DataFrame(columns=COLUMNS)), prepare_articles(None), origin=str(store),
                   store=store, version=digest_of(_signature(store_files(store))))


def load_facts_file(path: Path) -> Dataset:
    if path.is_dir():
        return load_store(path)
    if not path.is_file():
        raise DatasetError("error.no_file", path=str(path))
    digest = content_digest(_signature([path]))
    try:
        return _read_facts_file(digest, str(path))
    except (ValueError, OSError, KeyError) as error:
        raise DatasetError("error.facts_file", path=str(path), reason=str(error)) from None
