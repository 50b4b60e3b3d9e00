"""Rows of figures → the facts table with the schema's columns and dtypes."""
from __future__ import annotations

import pandas as pd

from .schema import COLUMNS, DATE_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS


def to_frame(rows: list[dict]) -> pd.DataFrame:
    """A DataFrame with every schema column, dates as datetime64, offsets as int."""
    df = pd.DataFrame.from_records(rows, columns=COLUMNS)
    return conform(df)


def conform(df: pd.DataFrame) -> pd.DataFrame:
    """Give a facts table read from anywhere the schema's columns and dtypes."""
    df = df.reindex(columns=COLUMNS + [c for c in df.columns if c not in COLUMNS])
    for col in DATE_COLUMNS:
        df[col] = pd.to_datetime(df[col], errors="coerce").astype("datetime64[ns]")
    for col in FLOAT_COLUMNS:
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
    for col in INT_COLUMNS:
        df[col] = pd.to_numeric(df[col], errors="coerce").fillna(-1).astype("int64")
    for col in COLUMNS:
        if col not in DATE_COLUMNS + FLOAT_COLUMNS + INT_COLUMNS:
            df[col] = df[col].astype("object").where(df[col].notna(), None)
    return df
