"""Inputs built to hurt regexes finish in bounded time and never raise."""
import time

import pytest

from extract import extract_text

CASES = {
    "digits and dots": "1.2" * 350_000,
    "digits and commas": "1,2" * 350_000,
    "dates": "01/02/2003 " * 90_000,
    "one long word": "a" * 1_000_000,
    "qualifier stack": "trên hơn gần khoảng " * 50_000 + "5 người",
    "vague words": "hàng " + "trăm " * 200_000 + "người",
    "spaces": " " * 1_000_000 + "5 hộ",
    "place prefixes": "xã " * 300_000 + "Nậm Cắn có 5 hộ",
    "capitalised words": "Nậm " * 250_000 + "5 hộ",
    "dashes and slashes": "5-/" * 300_000,
}


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", CASES)
def test_pathological_input_is_bounded(name):
    started = time.perf_counter()
    table = extract_text(CASES[name], name)
    elapsed = time.perf_counter() - started
    assert elapsed < 30, f"{name}: {elapsed:.1f} s"
    assert all(CASES[name][r.start:r.end] == r.text for r in table.itertuples())
