"""What the faster figure search rests on: one number scan of the article serves the holding test,
every sentence and the mask neighbourhoods, and a unit read from the words after a number alone is
the unit read in the text."""
from pathlib import Path

import pytest
import regex

from extract.lexicon import rows
from extract.normalize import lowered, normalize
from extract.quantities import (AFTER_REACH, MASK_REACH, NumberScan, _after, _neighbourhoods, _unit_or_noun,
                                lexicon)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

NUMBERS = "Số 1.234,5 và 12,3.4 người; mã 7/8-9 ,6. Năm ٢٠٢٤ có 10 000 hộ, 3..4 và 5,,6 xe.12"
UNITS = ("Có 5 người, 7 lượt người dân, 3 lượt  người, 4 Hồ Sơ; 2 hồ sơ, 9 tân binh 6 KM2, 8 km/h "
         "và 10 hộ\tnghèo, 11 hộ cận nghèo 12 ki-lô-mét vuông. 13 tấn/năm 14 đô la mỹ 15 lượt")


def test_a_number_of_the_scan_is_what_a_search_finds():
    lex = lexicon()
    numbers = NumberScan(NUMBERS)
    for pos in range(len(NUMBERS) + 1):
        for end in range(pos, len(NUMBERS) + 1):
            m = lex.number.search(NUMBERS, pos, end)
            assert numbers.first(pos, end) == (m.span() if m else None), (pos, end)


def test_the_article_scan_answers_as_a_scan_of_the_span_would():
    lex = lexicon()
    scan = NumberScan(NUMBERS)
    kept = 0
    for start in range(len(NUMBERS) + 1):
        for end in range(start, len(NUMBERS) + 1):
            assert scan.has_digit(start, end) == (lex.digit.search(NUMBERS, start, end) is not None), (start, end)
            spans = [m.span() for m in lex.number.finditer(NUMBERS, start, end)]
            window = scan.window(start, end)
            if window is not None:
                kept += 1
                assert window == spans, (start, end)
            assert scan.within(start, end).spans == spans, (start, end)
    assert kept > len(NUMBERS) ** 2 / 4


def test_lowering_keeps_every_digit_dot_and_comma():
    """The article's numbers are scanned in its lowered text and read in the text itself."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    low = lowered(every)
    assert len(low) == len(every)
    kept = [(m.start(), m.group()) for m in regex.finditer(r"[\d.,]", every)]
    assert [(m.start(), m.group()) for m in regex.finditer(r"[\d.,]", low)] == kept


@pytest.mark.parametrize("gap", [0, 1, 99, 100, 101, 140, 161])
def test_neighbourhoods_join_digits_no_more_than_both_reaches_apart(gap):
    text = "ngày 5 " + "x" * gap + "7,5 tháng " + "y" * 30 + " 2024" + "z" * 70
    groups = regex.compile(rf"\d+(?:\D{{1,{sum(MASK_REACH)}}}+\d+)*")
    before, after = MASK_REACH
    for start, end in [(0, len(text)), (3, len(text) - 20), (6, len(text)), (text.index("7") + 1, len(text))]:
        numbers = NumberScan(text).within(start, end)
        expected = [(max(start, m.start() - before), min(end, m.end() + after))
                    for m in groups.finditer(text, start, end)]
        assert _neighbourhoods(numbers).pieces == expected


def _texts():
    yield UNITS
    for path in SEEDS:
        yield normalize(path.read_text(encoding="utf-8")).text


def test_a_unit_read_from_the_head_is_the_unit_read_in_the_text():
    """`_after` judges what may follow an offset by the word there, as it always has, and reads the
    unit from the head alone only where no unit or noun can run past the head."""
    lex = lexicon()
    for text in _texts():
        for end in (len(text), len(text) - 3):
            for pos in range(end):
                after = _after(lex, text, pos, end)
                reach = min(end, pos + AFTER_REACH)
                word, space, _ = text[pos:reach].lstrip().partition(" ")
                if space or reach == end:
                    assert after[:5] == tuple(t.search(word) is not None for t in lex.after_tests)
                else:
                    assert all(after[:5])
                if after.settled:
                    assert after.reading == _unit_or_noun(lex, text, pos, end, after), text[pos:pos + 30]


def test_units_and_nouns_are_trimmed_and_regex_spaces_are_python_spaces():
    """A unit or noun starts at the first character `str.lstrip` keeps, and `\\s*` stops there too."""
    surfaces = [r["surface"] for r in rows("units.csv")] + [r["noun"] for r in rows("counting_nouns.csv")]
    assert all(s == s.strip() for s in surfaces)
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    assert all(c.isspace() for c in regex.findall(r"\s", every))
