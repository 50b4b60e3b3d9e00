"""An incremental Parquet store of the facts table and of the article texts.

Layout of STORE/:
    facts/province_code=<code>/year=<yyyy>/part-<run>-<n>.parquet
    articles/part-<run>-<n>.parquet      doc_id, content_hash, source, title, url, published, text
    manifest.parquet                     file, source, doc_id, content_hash of every article stored

`province_code` is the official code of the article's 2025 province
(data/places/provinces.csv), `none` without one; `year` is the year of
`period_end`, else of `published`, else `none`. Articles join facts by doc_id
(and content_hash, which both tables carry).

How a run updates the store. An article version is known by its doc_id,
`source` (path, zip member or URL) and `content_hash`, which facts and article
rows all carry. A worker re-reads every file but extracts only articles whose hash
differs from the manifest's. The run streams the new rows into new files: one
per partition it touches, and a series of article files. At commit, every
older file holding rows of a replaced or vanished version is rewritten without
them (deleted when nothing is left): no tombstones, and a rewrite touches only
the files, hence the partitions, that held such rows. Appending a file per
touched partition rather than merging new rows into old files keeps the write
streaming and the memory flat; so that small files do not pile up, a folder
with more than MAX_SMALL_FILES small files has them merged into one.

Crash safety: new files stay hidden (a leading dot: dataset readers skip them)
until every rewrite is done, and the manifest is written last. A run that dies
before that leaves the previous manifest: the next run extracts the same
articles again and first removes any rows of those versions that did become
visible, so no row is duplicated. (A crash inside the final merge of small
files can leave rows twice until their article changes.)

Deletion is scoped: an article leaves the store when its file lay under a
path given to this run and was not read again. Articles read from other paths
in earlier runs stay, so folders can be added one run at a time.
"""
from __future__ import annotations

import os
import time
import uuid
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .batch import NO_HASHES, Batch, Task
from . import lexicon
from .outputs import hidden_twin
from .schema import FACTS_SCHEMA

if TYPE_CHECKING:
    import pandas as pd
# pandas and pyarrow.dataset (which loads pandas) are imported by the readers only:
# writing a store never needs them.

NONE = "none"
PARTITION_SCHEMA = pa.schema([("province_code", pa.string()), ("year", pa.string())])
ARTICLES_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("content_hash", pa.string()), ("source", pa.string()),
    ("title", pa.string()), ("url", pa.string()), ("published", pa.date32()),
    ("text", pa.string()),
])
MANIFEST = "manifest.parquet"
MANIFEST_SCHEMA = pa.schema([("file", pa.string()), ("source", pa.string()),
                             ("doc_id", pa.string()), ("content_hash", pa.string())])
BUFFER_ROWS = 50_000
"""Fact rows held in memory before the largest partitions are flushed to disk."""
ARTICLES_PER_FILE = 5_000
SMALL_ROWS = 5_000
MAX_SMALL_FILES = 8


@lru_cache(maxsize=1)
def province_codes() -> dict[str, str]:
    """Official code of each 2025 province, by its name."""
    return {row["name"]: row["code"] for row in lexicon.rows("places/provinces.csv") if row["era"] == "new"}


def partition_keys(facts: pa.Table) -> list[tuple[str, str]]:
    """(province_code, year) of each fact row."""
    codes = province_codes()
    ends, published = facts.column("period_end").to_pylist(), facts.column("published").to_pylist()
    return [(codes.get(province, NONE), str(day.year) if day else NONE)
            for province, day in zip(facts.column("province_2025").to_pylist(),
                                     (end or pub for end, pub in zip(ends, published)))]


def _parquet_files(folder: Path) -> list[Path]:
    """Published Parquet files under `folder` (hidden files excluded)."""
    return sorted(p for p in folder.rglob("*.parquet") if not p.name.startswith("."))


class NewFiles:
    """Parquet files created by one run, hidden until `publish`."""

    def __init__(self, folder: Path, schema: pa.Schema, run: str):
        self.folder, self.schema, self.run = folder, schema, run
        self.paths: list[Path] = []

    def open(self, subfolder: str = "") -> pq.ParquetWriter:
        path = self.folder / subfolder / f"part-{self.run}-{len(self.paths)}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.paths.append(path)
        return pq.ParquetWriter(hidden_twin(path), self.schema, compression="zstd")

    def publish(self) -> None:
        for path in self.paths:
            os.replace(hidden_twin(path), path)

    def discard(self) -> None:
        for path in self.paths:
            hidden_twin(path).unlink(missing_ok=True)


class PartitionWriter:
    """Streams fact rows into new partition files, holding at most BUFFER_ROWS
    rows: past that, the largest buffers are written out first, so files stay
    large where the data is. Each flush writes a file of its own and closes it (an
    open Parquet writer keeps memory for every row group it wrote, which grew with
    the corpus); `compact` merges the small ones at commit."""

    def __init__(self, files: NewFiles):
        self.files = files
        self._buffers: dict[tuple, list[pa.Table]] = defaultdict(list)
        self._sizes: Counter = Counter()

    def write(self, table: pa.Table, keys: list[tuple[str, str]]) -> None:
        rows_of: dict[tuple, list[int]] = defaultdict(list)
        for i, key in enumerate(keys):
            rows_of[key].append(i)
        for key, rows in rows_of.items():
            self._buffers[key].append(table.take(rows))
            self._sizes[key] += len(rows)
        while self._sizes.total() > BUFFER_ROWS:
            self._flush(self._sizes.most_common(1)[0][0])

    def _flush(self, key: tuple) -> None:
        table = pa.concat_tables(self._buffers.pop(key))
        del self._sizes[key]
        code, year = key
        with self.files.open(f"province_code={code}/year={year}") as writer:
            writer.write_table(table)

    def close(self) -> None:
        for key in list(self._sizes):
            self._flush(key)


class ArticleWriter:
    """Streams article rows into new files of at most ARTICLES_PER_FILE rows."""

    def __init__(self, files: NewFiles):
        self.files = files
        self._writer: pq.ParquetWriter | None = None
        self._rows = 0

    def write(self, records: list[dict]) -> None:
        if self._writer is None or self._rows >= ARTICLES_PER_FILE:
            self.close()
            self._writer, self._rows = self.files.open(), 0
        self._writer.write_table(pa.Table.from_pylist(records, schema=ARTICLES_SCHEMA))
        self._rows += len(records)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


def _write_atomically(table: pa.Table, path: Path) -> None:
    pq.write_table(table, hidden_twin(path), compression="zstd")
    os.replace(hidden_twin(path), path)


VERSION = ("doc_id", "source", "content_hash")
"""The columns that tell one article version from another, in every table."""


def _keys(table: pa.Table, columns=VERSION) -> pa.Array:
    """One string per row joining `columns`, to compare rows across tables."""
    joined = pc.binary_join_element_wise(*(table.column(c) for c in columns), "\n")
    return joined.combine_chunks() if isinstance(joined, pa.ChunkedArray) else joined


def drop_versions(folder: Path, versions: pa.Array) -> None:
    """Rewrite each published file under `folder` holding rows of `versions`
    (keys of VERSION) without those rows."""
    if not len(versions):
        return
    for path in _parquet_files(folder):
        parquet = pq.ParquetFile(path)
        hit = pc.is_in(_keys(parquet.read(columns=list(VERSION))), value_set=versions)
        if not pc.any(hit).as_py():
            continue
        kept = parquet.read().filter(pc.invert(hit))
        parquet.close()
        if len(kept):
            _write_atomically(kept, path)
        else:
            path.unlink()


def compact(folder: Path) -> None:
    """Merge the small files of `folder` (not its subfolders) into one when
    there are more than MAX_SMALL_FILES of them."""
    small = [p for p in sorted(folder.glob("*.parquet")) if not p.name.startswith(".")
             and pq.ParquetFile(p).metadata.num_rows < SMALL_ROWS]
    if len(small) <= MAX_SMALL_FILES:
        return
    merged = pa.concat_tables(pq.ParquetFile(p).read() for p in small)
    _write_atomically(merged, small[0])
    for path in small[1:]:
        path.unlink()


def _under(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def read_manifest(store_dir) -> pd.DataFrame:
    """file, source, doc_id, content_hash of every article in the store."""
    return _manifest_table(Path(store_dir) / MANIFEST).to_pandas()


def _manifest_table(path: Path) -> pa.Table:
    if not path.exists():
        return MANIFEST_SCHEMA.empty_table()
    return pq.read_table(path, schema=MANIFEST_SCHEMA)


def stale_versions(old: pa.Table, now: pa.Table) -> pa.Array:
    """Keys of the versions whose rows must go: those of the earlier manifest
    (`old`, in scope) not read again unchanged, and those extracted in this
    run (rows left by a run that died before its manifest), except versions
    also read unchanged (an identical copy under the same name and source)."""
    whole = ("file", *VERSION)
    old_whole, now_whole = _keys(old, whole), _keys(now, whole)
    confirmed = pc.is_in(old_whole, value_set=now_whole)
    unchanged = pc.is_in(now_whole, value_set=old_whole)
    stale = pa.concat_arrays([_keys(old.filter(pc.invert(confirmed))),
                              _keys(now.filter(pc.invert(unchanged)))])
    return stale.filter(pc.invert(pc.is_in(stale, value_set=_keys(now.filter(unchanged)))))


class StoreUpdate:
    """The batch sink that brings a store up to date with the paths of one run.

    What the run reads is streamed to a hidden manifest of its own, so memory
    does not grow with the number of articles; the old and new manifests are
    compared, as Arrow arrays, at commit.
    """

    keeps_text = True

    def __init__(self, store_dir: Path, roots: list[str]):
        self.root = Path(store_dir)
        for folder in (self.root / "facts", self.root / "articles"):
            folder.mkdir(parents=True, exist_ok=True)
        for stale in self.root.rglob(".*.partial"):
            stale.unlink()
        manifest = _manifest_table(self.root / MANIFEST)
        in_scope = pa.array([_under(f, roots) for f in manifest.column("file").to_pylist()], pa.bool_())
        self.kept, self.scope = manifest.filter(pc.invert(in_scope)), manifest.filter(in_scope)
        run = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
        self._fact_files = NewFiles(self.root / "facts", FACTS_SCHEMA, run)
        self._article_files = NewFiles(self.root / "articles", ARTICLES_SCHEMA, run)
        self._facts = PartitionWriter(self._fact_files)
        self._articles = ArticleWriter(self._article_files)
        self._read_now = hidden_twin(self.root / f"manifest-{run}.parquet")
        self._manifest = pq.ParquetWriter(self._read_now, MANIFEST_SCHEMA)

    def tasks(self, files: list[str]) -> list[Task]:
        known: dict[str, dict[str, str]] = defaultdict(dict)
        for row in self.scope.select(["file", "source", "content_hash"]).to_pylist():
            known[row["file"]][row["source"]] = row["content_hash"]
        return [(file, known.get(file, NO_HASHES)) for file in files]

    def write(self, batch: Batch) -> None:
        if batch.read:
            self._manifest.write_table(pa.Table.from_pylist(
                [{"file": a.file, "source": a.source, "doc_id": a.doc_id,
                  "content_hash": a.content_hash} for a in batch.read], schema=MANIFEST_SCHEMA))
        if len(batch.facts):
            self._facts.write(batch.facts, partition_keys(batch.facts))
        if batch.articles:
            self._articles.write(batch.articles)

    def _close(self) -> None:
        self._facts.close()
        self._articles.close()
        self._manifest.close()

    def commit(self) -> int:
        """Make the run's rows visible and drop the rows they replace; returns
        the number of articles removed because they were not found again."""
        self._close()
        old, now = self.scope, pq.read_table(self._read_now)
        stale = stale_versions(old, now)
        for folder in (self.root / "facts", self.root / "articles"):
            drop_versions(folder, stale)
        self._fact_files.publish()
        self._article_files.publish()
        for folder in {p.parent for p in self._fact_files.paths} | {self.root / "articles"}:
            compact(folder)
        _write_atomically(pa.concat_tables([self.kept, now]), self.root / MANIFEST)
        self._read_now.unlink()
        if not len(old):
            return 0
        place = ("file", "source")
        found = pc.is_in(_keys(old, place), value_set=_keys(now, place))
        return len(old) - pc.sum(found).as_py()

    def abort(self) -> None:
        self._close()
        self._fact_files.discard()
        self._article_files.discard()
        self._read_now.unlink(missing_ok=True)


def _as_expression(filters):
    if filters is None or isinstance(filters, pc.Expression):
        return filters
    return pq.filters_to_expression(filters)


def partitioning():
    """The facts folder's hive partitioning (province_code=…/year=…), for dataset readers."""
    import pyarrow.dataset as ds

    return ds.partitioning(PARTITION_SCHEMA, flavor="hive")


def read_facts(store_dir, filters=None) -> pd.DataFrame:
    """The store's facts with the schema dtypes, plus province_code and year.

    `filters`: a pyarrow expression, or DNF tuples as in pyarrow.parquet, e.g.
    [("province_code", "=", "11"), ("year", "in", ["2022", "2023"])]; filters
    on province_code and year read only the matching partitions.
    """
    import pyarrow.dataset as ds

    from .table import conform

    dataset = ds.dataset(Path(store_dir) / "facts", format="parquet", partitioning=partitioning(),
                         schema=pa.unify_schemas([FACTS_SCHEMA, PARTITION_SCHEMA]))
    return conform(dataset.to_table(filter=_as_expression(filters)).to_pandas())


def read_articles(store_dir, doc_ids=None) -> pd.DataFrame:
    """Article rows (text included) for `doc_ids`, or all of them."""
    import pyarrow.dataset as ds

    dataset = ds.dataset(Path(store_dir) / "articles", format="parquet", schema=ARTICLES_SCHEMA)
    where = None if doc_ids is None else ds.field("doc_id").isin(list(doc_ids))
    return dataset.to_table(filter=where).to_pandas()
