"""The facts table as a CSV or Parquet file, written batch by batch.

Each sink writes to a hidden file beside its target and moves it into place on
`commit`, so a failed run never leaves half a table under the target's name.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from typing import TYPE_CHECKING

import pyarrow.parquet as pq

from .batch import NO_HASHES
from .schema import COLUMNS, FACTS_SCHEMA

if TYPE_CHECKING:
    import pandas as pd
# pandas is imported for CSV only: writing Parquet never needs it.

CSV_ENCODING = "utf-8-sig"
"""UTF-8 with a byte-order mark: Excel then shows Vietnamese letters correctly."""
CSV_FLOAT_FORMAT = "%.15g"
"""41570000, not 4.157e+07 nor 41570000.0."""
FORMULA_START = re.compile(r"[=+\-@\t\r]")
"""A spreadsheet runs a cell starting with one of these as a formula."""
SIGNED_NUMBER = re.compile(r"[+-]?(\d+([.,]\d+)*|\d*[.,]\d+)")


def hidden_twin(path: Path) -> Path:
    """A name beside `path` that dataset readers skip (leading dot)."""
    return path.with_name(f".{path.name}.partial")


class _FileSink:
    """Shared life cycle: write batches to a hidden twin, then publish or discard it."""

    keeps_text = False

    def __init__(self, target: Path):
        self.target = target
        self.partial = hidden_twin(target)
        target.parent.mkdir(parents=True, exist_ok=True)

    def tasks(self, files: list[str]) -> list[tuple[str, dict]]:
        """Every file is read and extracted: a file output has no memory of past runs."""
        return [(path, NO_HASHES) for path in files]

    def _close(self):
        raise NotImplementedError

    def commit(self) -> int:
        """Publish the file; returns 0, the number of articles removed (store only)."""
        self._close()
        os.replace(self.partial, self.target)
        return 0

    def abort(self) -> None:
        self._close()
        self.partial.unlink(missing_ok=True)


def neutralise(cell):
    """A text cell a spreadsheet would run as a formula (a sentence opening with `- `,
    `=HYPERLINK(…)`) prefixed with an apostrophe; numbers, even written as text
    (`-12,5`), are left as they are."""
    if isinstance(cell, str) and FORMULA_START.match(cell) and not SIGNED_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of `table` whose text cells and column names are safe in a spreadsheet."""
    import pandas as pd

    safe = table.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(str(name)) for name in safe.columns]
    return safe


class CsvSink(_FileSink):
    """All schema columns, one header, UTF-8 with BOM, ISO dates, formulas neutralised."""

    def __init__(self, target: Path):
        super().__init__(target)
        self._file = open(self.partial, "w", encoding=CSV_ENCODING, newline="")
        self._file.write(",".join(COLUMNS) + "\n")

    def write(self, batch) -> None:
        if len(batch.facts):
            neutralise_formulas(batch.facts.to_pandas()).to_csv(
                self._file, header=False, index=False, date_format="%Y-%m-%d",
                float_format=CSV_FLOAT_FORMAT, lineterminator="\n")

    def _close(self):
        self._file.close()


class ParquetSink(_FileSink):
    """One Parquet file, one row group per non-empty batch."""

    def __init__(self, target: Path):
        super().__init__(target)
        self._writer = pq.ParquetWriter(self.partial, FACTS_SCHEMA, compression="zstd")

    def write(self, batch) -> None:
        if len(batch.facts):
            self._writer.write_table(batch.facts)

    def _close(self):
        self._writer.close()
