"""The filtered table as files: CSV for any tool, .xlsx for Excel."""
from __future__ import annotations

import datetime as dt
import io
import itertools

import openpyxl
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from extract.outputs import CSV_FLOAT_FORMAT, neutralise_formulas
from ui.formatting import is_missing

XLSX_DATE_FORMAT = "dd/mm/yyyy"
XLSX_NUMBER_FORMAT = "#,##0.##"


def csv_bytes(table: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads the tone marks), formulas neutralised."""
    safe = neutralise_formulas(table)
    return safe.to_csv(index=False, float_format=CSV_FLOAT_FORMAT, date_format="%Y-%m-%d").encode("utf-8-sig")


def _xlsx_cell(value):
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date() if value == value.normalize() else value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _typed_cell(sheet, value) -> WriteOnlyCell:
    """A cell with its Excel type: dates and numbers formatted, text always text (never a formula)."""
    value = _xlsx_cell(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, (dt.date, dt.datetime)):
        cell.number_format = XLSX_DATE_FORMAT
    elif isinstance(value, float):
        cell.number_format = XLSX_NUMBER_FORMAT
    return cell


def xlsx_bytes(table: pd.DataFrame, sheet_title: str = "Figures") -> bytes:
    """An Excel workbook of the table: numbers and dates typed, text stored as text (never a formula).
    Written row by row (openpyxl's write-only mode), so large tables stay quick."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title[:31])
    for column_number, name in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(column_number)].width = min(60, max(10, len(str(name)) + 4))
    sheet.freeze_panes = "A2"
    rows = itertools.chain([[str(name) for name in table.columns]], table.itertuples(index=False, name=None))
    for row in rows:
        sheet.append([_typed_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
