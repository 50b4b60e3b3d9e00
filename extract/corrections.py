"""Analysts' corrections of extracted figures: an SQLite audit trail applied on top of every extraction.

A correction targets one figure by (content_hash, start, end), so it survives a re-run of the
extractor on the same article text and stops matching (becomes an orphan) when the text changes.
Corrections are never deleted: an undo marks the row undone, and triggers refuse any other change.
"""
from __future__ import annotations

import datetime as dt
import math
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from .schema import QUALIFIERS

EDITABLE_FIELDS = ("metric", "province", "province_2025", "period_start", "period_end",
                   "value", "unit", "qualifier")
FIELDS = EDITABLE_FIELDS + ("rejected",)
NULLABLE_FIELDS = ("province", "province_2025", "period_start", "period_end")
DATE_FIELDS = ("period_start", "period_end")
FIGURE_KEY = ["content_hash", "start", "end"]
BUSY_TIMEOUT_SECONDS = 30

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS corrections (
    id           INTEGER PRIMARY KEY,
    created_at   TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    start        INTEGER NOT NULL CHECK (start >= 0),
    "end"        INTEGER NOT NULL CHECK ("end" > start),
    doc_id       TEXT NOT NULL,
    field        TEXT NOT NULL CHECK (field IN ({", ".join(f"'{f}'" for f in FIELDS)})),
    before       TEXT,
    after        TEXT,
    note         TEXT,
    analyst      TEXT,
    undone_at    TEXT
);
CREATE INDEX IF NOT EXISTS corrections_figure ON corrections (content_hash, start, "end", field);
CREATE TRIGGER IF NOT EXISTS corrections_never_deleted BEFORE DELETE ON corrections
BEGIN SELECT RAISE(ABORT, 'corrections are never deleted; undo them instead'); END;
CREATE TRIGGER IF NOT EXISTS corrections_only_undone BEFORE UPDATE ON corrections
WHEN OLD.undone_at IS NOT NULL OR NEW.undone_at IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.created_at IS NOT OLD.created_at
  OR NEW.content_hash IS NOT OLD.content_hash OR NEW.start IS NOT OLD.start
  OR NEW."end" IS NOT OLD."end" OR NEW.doc_id IS NOT OLD.doc_id OR NEW.field IS NOT OLD.field
  OR NEW.before IS NOT OLD.before OR NEW.after IS NOT OLD.after
  OR NEW.note IS NOT OLD.note OR NEW.analyst IS NOT OLD.analyst
BEGIN SELECT RAISE(ABORT, 'a correction can only be marked undone, once'); END;
"""

_COLUMNS = 'id, created_at, doc_id, content_hash, start, "end", field, before, after, note, analyst'


def default_db_path(corpus_dir) -> Path:
    """Where a corpus keeps its corrections: a hidden file inside the corpus folder."""
    return Path(corpus_dir) / ".corrections.sqlite"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _as_text(value) -> str | None:
    """A cell as stored: None for missing, ISO for dates, 1/0 for booleans, text otherwise."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date):  # also datetime and pandas Timestamp
        return value.isoformat()[:10]
    return str(value).strip()


def _checked_after(field: str, after) -> str | None:
    """The new value in its stored form, or a ValueError saying what is wrong with it."""
    if field not in FIELDS:
        raise ValueError(f"field must be one of {', '.join(FIELDS)}; got {field!r}")
    text = _as_text(after)
    if not text:
        if field in NULLABLE_FIELDS:
            return None
        raise ValueError(f"{field} needs a value; only {', '.join(NULLABLE_FIELDS)} may be cleared")
    if field == "rejected" and text not in ("0", "1"):
        raise ValueError(f"rejected must be 1 (reject) or 0 (restore); got {text!r}")
    if field == "qualifier" and text not in QUALIFIERS:
        raise ValueError(f"qualifier must be one of {', '.join(QUALIFIERS)}; got {text!r}")
    if field == "value":
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"value must be a number such as 23000 or 97.6; got {text!r}") from None
        if not math.isfinite(number):
            raise ValueError(f"value must be a finite number; got {text!r}")
        return repr(number)
    if field in DATE_FIELDS:
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(f"{field} must be a date written YYYY-MM-DD; got {text!r}") from None
    return text


def _typed(field: str, texts: list, dtype):
    """Stored texts as cells of a facts column of the given dtype."""
    if field == "value":
        return [float(t) for t in texts]
    if field in DATE_FIELDS:
        stamps = [pd.NaT if t is None else pd.Timestamp(t) for t in texts]
        return stamps if dtype.kind == "M" else [None if t is pd.NaT else t.date() for t in stamps]
    return texts


def _figure_keys(frame: pd.DataFrame) -> pd.MultiIndex:
    """(content_hash, start, end) of each row, comparable between facts and corrections."""
    return pd.MultiIndex.from_frame(frame[FIGURE_KEY].astype(object))


class CorrectionStore:
    """Corrections of one corpus, kept in an SQLite file that several dashboard sessions may share."""

    def __init__(self, path):
        self.path = Path(path)
        self._lock = threading.RLock()  # one connection, possibly used from several Streamlit threads
        self._conn = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS,
                                         isolation_level=None, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.executescript(f"BEGIN IMMEDIATE; {_SCHEMA} COMMIT;")
        except (sqlite3.Error, OSError) as error:
            if self._conn is not None:
                self._conn.close()
            raise ValueError(f"cannot open corrections database {self.path}: {error}") from None

    @contextmanager
    def _transaction(self):
        """One write transaction, taking the write lock up front so concurrent writers wait, not fail."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def add(self, *, content_hash, start, end, doc_id, field, before, after, note=None, analyst=None) -> int:
        """Record one correction of one figure's field; field="rejected" with after="1" rejects it."""
        stored = _checked_after(field, after)
        if not isinstance(content_hash, str) or len(content_hash) != 64:
            raise ValueError(f"content_hash must be the article's sha256 hex digest; got {content_hash!r}")
        if not 0 <= int(start) < int(end):
            raise ValueError(f"offsets must satisfy 0 <= start < end; got start={start}, end={end}")
        if not _as_text(doc_id):
            raise ValueError("doc_id is required")
        with self._transaction() as conn:
            cursor = conn.execute(
                f"INSERT INTO corrections ({_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (_now(), _as_text(doc_id), content_hash, int(start), int(end), field,
                 _as_text(before), stored, _as_text(note) or None, _as_text(analyst) or None))
            return cursor.lastrowid

    def undo(self, correction_id) -> None:
        """Mark a correction undone (kept in the history); the previous one for its field, if any, returns."""
        with self._transaction() as conn:
            row = conn.execute("SELECT undone_at FROM corrections WHERE id = ?", (int(correction_id),)).fetchone()
            if row is None:
                raise ValueError(f"there is no correction number {correction_id}")
            if row[0] is not None:
                raise ValueError(f"correction {correction_id} was already undone at {row[0]}")
            conn.execute("UPDATE corrections SET undone_at = ? WHERE id = ?", (_now(), int(correction_id)))

    def _query(self, sql: str) -> pd.DataFrame:
        with self._lock:
            frame = pd.read_sql_query(sql, self._conn)
        frame["undone"] = frame["undone_at"].notna()
        return frame

    def history(self) -> pd.DataFrame:
        """Every correction ever made, newest first, with its undone flag and time."""
        return self._query(f"SELECT {_COLUMNS}, undone_at FROM corrections ORDER BY id DESC")

    def active(self) -> pd.DataFrame:
        """The corrections in force: per figure and field, the latest one not undone."""
        return self._query(f"""
            SELECT {_COLUMNS}, undone_at FROM corrections AS c
            WHERE id = (SELECT MAX(id) FROM corrections AS d
                        WHERE d.undone_at IS NULL AND d.content_hash = c.content_hash
                          AND d.start = c.start AND d."end" = c."end" AND d.field = c.field)
            ORDER BY id""")

    def apply(self, facts: pd.DataFrame) -> pd.DataFrame:
        """A copy of `facts` with corrections applied, rejected figures removed and a `corrected` flag."""
        out = facts.copy()
        corrected = np.zeros(len(out), dtype=bool)
        rejected = np.zeros(len(out), dtype=bool)
        for field, group in self.active().groupby("field"):
            pos = _figure_keys(group).get_indexer(_figure_keys(out))  # unique: one active per figure+field
            hit = pos >= 0
            after = group["after"].to_numpy(dtype=object)[pos[hit]]
            if field == "rejected":
                rejected[hit] = after == "1"
                continue
            dtype = out[field].dtype
            cells = out[field].to_numpy(dtype=object, copy=True)
            cells[hit] = _typed(field, list(after), dtype)
            out[field] = pd.Series(cells, index=out.index, dtype=object).astype(dtype)
            corrected |= hit
        out["corrected"] = corrected
        return out[~rejected]

    def orphans(self, facts: pd.DataFrame) -> pd.DataFrame:
        """Active corrections whose figure is in no row of `facts` (its article text changed or is gone)."""
        active = self.active()
        present = _figure_keys(active).isin(_figure_keys(facts))
        return active[~present].reset_index(drop=True)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
