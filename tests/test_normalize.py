"""Normalisation: one spelling for every rule, offsets still into the text as read."""
import unicodedata

import pytest

from extract import extract_text
from extract.normalize import normalize

ARTICLE = "Tỉnh Thanh Hoá tiếp nhận 1.036 hồ sơ; tỷ lệ trước hạn đạt 97,6 %, thuỷ lợi quý I/2024."


@pytest.mark.parametrize("old,new", [
    ("Thanh Hoá", "Thanh Hóa"), ("thuỷ lợi", "thủy lợi"), ("Khánh Hoà", "Khánh Hòa"),
    ("khoẻ", "khỏe"), ("Hoà Bình", "Hòa Bình"), ("quý I", "quý I"), ("hoàn thành", "hoàn thành"),
    ("Thuỵ", "Thụy"), ("uỷ ban", "ủy ban"), ("quỹ", "quỹ"),
])
def test_tone_placement_is_modern(old, new):
    assert normalize(old).text == new


@pytest.mark.parametrize("raw,clean", [
    ("20\u00a0triệu", "20 triệu"), ("2020\u20132025", "2020-2025"), ("5\u20147", "5-7"),
    ("a\r\nb", "a \nb"), ("1.036\u202fhồ sơ", "1.036 hồ sơ"),
])
def test_spaces_and_dashes(raw, clean):
    assert normalize(raw).text == clean


def test_decomposed_text_maps_back_to_the_text_as_read():
    nfd = unicodedata.normalize("NFD", ARTICLE)
    norm = normalize(nfd)
    assert norm.text == normalize(ARTICLE).text
    start = norm.text.index("1.036 hồ sơ")
    s, e = norm.original_span(start, start + len("1.036 hồ sơ"))
    assert unicodedata.normalize("NFC", nfd[s:e]) == "1.036 hồ sơ"


def test_figures_of_every_spelling_agree_and_slice_their_own_text():
    variants = [ARTICLE, unicodedata.normalize("NFD", ARTICLE), ARTICLE.replace(" ", "\u00a0"),
                "\ufeff" + ARTICLE.replace("; ", ";\r\n")]
    tables = [extract_text(v, "case") for v in variants]
    expected = tables[0][["value", "unit", "qualifier", "metric"]].values.tolist()
    assert len(expected) == 2
    for variant, table in zip(variants, tables):
        assert table[["value", "unit", "qualifier", "metric"]].values.tolist() == expected
        for row in table.itertuples():
            assert variant[row.start:row.end] == row.text
