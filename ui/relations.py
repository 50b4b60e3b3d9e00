"""The figures and articles as DuckDB relations: a store's Parquet files read in place and DataFrames
registered in DuckDB, given one schema, with analysts' corrections applied in SQL."""
from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from extract.corrections import EDITABLE_FIELDS
from extract.schema import COLUMNS, DATE_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS

ARTICLE_TYPES = {"doc_id": "VARCHAR", "text": "VARCHAR", "title": "VARCHAR", "source": "VARCHAR",
                 "url": "VARCHAR", "published": "DATE", "content_hash": "VARCHAR"}
HIVE = "hive_partitioning = true, hive_types = {'province_code': VARCHAR, 'year': VARCHAR}"

_lock = threading.Lock()
_database: list[duckdb.DuckDBPyConnection] = []


def sql_type(column: str) -> str:
    if column in DATE_COLUMNS:
        return "DATE"
    if column in FLOAT_COLUMNS:
        return "DOUBLE"
    if column in INT_COLUMNS:
        return "BIGINT"
    return "VARCHAR"


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect() -> duckdb.DuckDBPyConnection:
    """A connection of its own (for one thread) to the process's DuckDB database, which keeps the
    footers of the Parquet files it has read."""
    with _lock:
        if not _database:
            database = duckdb.connect()
            database.execute("SET parquet_metadata_cache = true")
            _database.append(database)
        return _database[0].cursor()


def parquet_files(folder: Path) -> bool:
    """Whether `folder` holds a published Parquet file (hidden ones, still being written, do not count)."""
    return any(not p.name.startswith(".") for p in folder.rglob("*.parquet")) if folder.is_dir() else False


def _typed_columns(types: dict[str, str], present) -> str:
    return ", ".join(f"CAST({quoted(c) if c in present else 'NULL'} AS {t}) AS {quoted(c)}"
                     for c, t in types.items())


FACT_TYPES = {column: sql_type(column) for column in COLUMNS}


def facts_sql(store: Path | None, frame: pd.DataFrame) -> str:
    """The figures of a store and of a registered DataFrame (`frame`), one relation with the schema
    types, the store's partition (`province_code`, '' for DataFrame rows) and the DataFrame row (`_pos`)."""
    parts = []
    if store is not None and parquet_files(store / "facts"):
        pattern = literal(str(store / "facts" / "**" / "*.parquet"))
        parts.append(f"SELECT {_typed_columns(FACT_TYPES, COLUMNS)}, province_code, NULL::BIGINT AS _pos "
                     f"FROM read_parquet({pattern}, {HIVE})")
    if len(frame) or not parts:
        position = "_pos" if "_pos" in frame.columns else "NULL::BIGINT"
        parts.append(f"SELECT {_typed_columns(FACT_TYPES, frame.columns)}, '' AS province_code, "
                     f"CAST({position} AS BIGINT) AS _pos FROM facts_frame")
    return " UNION ALL ".join(parts)


def articles_sql(store: Path | None, frame: pd.DataFrame) -> str:
    parts = []
    if store is not None and parquet_files(store / "articles"):
        pattern = literal(str(store / "articles" / "*.parquet"))
        parts.append(f"SELECT {_typed_columns(ARTICLE_TYPES, ARTICLE_TYPES)} FROM read_parquet({pattern})")
    if len(frame) or not parts:
        parts.append(f"SELECT {_typed_columns(ARTICLE_TYPES, frame.columns)} FROM articles_frame")
    return " UNION ALL ".join(parts)


def corrections_table(active: pd.DataFrame) -> pd.DataFrame:
    """One row per corrected figure (content_hash, start, end): for each field whether a correction
    sets it (`set_<field>`) and its new value as stored, `changed` and `rejected`."""
    rows: dict[tuple, dict] = {}
    for change in active.itertuples(index=False):
        key = (change.content_hash, int(change.start), int(change.end))
        row = rows.setdefault(key, dict(zip(("content_hash", "start", "end"), key), changed=False, rejected=False))
        if change.field == "rejected":
            row["rejected"] = change.after == "1"
        else:
            row["set_" + change.field], row[change.field], row["changed"] = True, change.after, True
    table = pd.DataFrame(list(rows.values()), columns=["content_hash", "start", "end", "changed", "rejected"])
    for field in EDITABLE_FIELDS:
        table["set_" + field] = table.get("set_" + field, pd.Series(False, index=table.index)).fillna(False)
        table[field] = table.get(field, pd.Series(None, index=table.index, dtype=object)).astype(object)
    return table.astype({"start": "int64", "end": "int64", "changed": bool, "rejected": bool})


def corrected_sql(raw: str) -> str:
    """`raw` with each figure's corrections in force applied and its rejected figures left out."""
    replaced = ", ".join(f"CASE WHEN c.set_{field} THEN CAST(c.{quoted(field)} AS {sql_type(field)}) "
                         f"ELSE f.{quoted(field)} END AS {quoted(field)}" for field in EDITABLE_FIELDS)
    return (f"SELECT f.* REPLACE ({replaced}), coalesce(c.changed, FALSE) AS corrected FROM ({raw}) AS f "
            f'LEFT JOIN corrections AS c ON f.content_hash = c.content_hash AND f.start = c.start '
            f'AND f."end" = c."end" WHERE c.rejected IS NOT TRUE')


def bindable(value):
    """A parameter DuckDB can bind: None for a missing date or number, dates as dates."""
    if value is None or (not isinstance(value, (str, list, tuple)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, np.generic):
        return value.item()
    return value


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """A query result with the dashboard's dtypes: dates as timestamps, offsets as Int64, text as
    objects with None where missing."""
    for column in frame.columns:
        if column in DATE_COLUMNS:
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
        elif column in INT_COLUMNS:
            frame[column] = frame[column].astype("Int64")
        elif column in FLOAT_COLUMNS:
            frame[column] = frame[column].astype("float64")
        elif pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame
