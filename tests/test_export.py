"""Downloads: the filtered table as CSV (BOM, formula guard) and .xlsx, read back equal."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from extract.outputs import neutralise
from ui.export import csv_bytes, xlsx_bytes
from ui.filters import Filters, apply_filters
from ui.tables import figures_table


@pytest.fixture
def table(make_facts):
    facts = make_facts(
        dict(doc_id="a", value=1036.0, sentence="Tiếp nhận 1.036 hồ sơ.", text="1.036 hồ sơ"),
        dict(doc_id="b", value=97.6, unit="percent", sentence="=HYPERLINK(\"http://x\")", text="97,6%"),
        dict(doc_id="c", value=-12.5, value_max=None, sentence="@SUM(A1)", text="-12,5", place="+84 Sơn La"),
        dict(doc_id="d", value=41570000.0, sentence="-1+2", text="41,57 triệu USD", province="Lai Châu"))
    return figures_table(facts, "vi")


def test_formula_cells_get_an_apostrophe_but_numbers_stay_numbers():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+84 912") == "'+84 912"
    assert neutralise("-1+2") == "'-1+2"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-12,5") == "-12,5"
    assert neutralise("-1.036") == "-1.036"
    assert neutralise(-12.5) == -12.5
    assert neutralise("Sơn La") == "Sơn La"


def test_csv_has_a_bom_and_reads_back_as_the_table(table):
    data = csv_bytes(table)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == list(table.columns)
    assert len(back) == len(table)
    assert back["Giá trị"].to_list() == table["Giá trị"].to_list()
    assert back["Mã bài viết"].to_list() == table["Mã bài viết"].to_list()
    assert back["Từ ngày"].to_list() == [d.strftime("%Y-%m-%d") for d in table["Từ ngày"]]
    sentences = dict(zip(back["Mã bài viết"], back["Câu trích dẫn"]))
    assert sentences["b"] == "'=HYPERLINK(\"http://x\")" and sentences["c"] == "'@SUM(A1)"
    assert sentences["d"] == "'-1+2" and sentences["a"] == "Tiếp nhận 1.036 hồ sơ."
    assert dict(zip(back["Mã bài viết"], back["Số liệu gốc"]))["c"] == "-12,5"
    assert b"41570000," in data and b"4.157e" not in data


def test_xlsx_reads_back_equal_with_text_never_a_formula(table):
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(table)))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(table.columns)
    assert len(rows) == len(table) + 1
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    back = pd.read_excel(io.BytesIO(xlsx_bytes(table)), engine="openpyxl")
    assert cells(back) == cells(table)


def cells(frame: pd.DataFrame) -> list[list]:
    """Every cell, missing ones as None, so that frames read from different files compare."""
    return [[None if pd.isna(v) else v for v in row] for row in frame.astype(object).itertuples(index=False)]


def test_export_of_a_filtered_view_holds_exactly_its_rows(make_facts):
    facts = make_facts(dict(doc_id="a", province="Sơn La"), dict(doc_id="b", province="Lai Châu"),
                       dict(doc_id="c", province="Sơn La", metric="trade_value"))
    shown = figures_table(apply_filters(facts, Filters(provinces=("Sơn La",))), "vi")
    back = pd.read_csv(io.BytesIO(csv_bytes(shown)), encoding="utf-8-sig")
    assert sorted(back["Mã bài viết"]) == ["a", "c"]
    empty = figures_table(apply_filters(facts, Filters(provinces=("Điện Biên",))), "vi")
    assert pd.read_csv(io.BytesIO(csv_bytes(empty)), encoding="utf-8-sig").empty
    assert len(list(openpyxl.load_workbook(io.BytesIO(xlsx_bytes(empty))).active.iter_rows())) == 1
