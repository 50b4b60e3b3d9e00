"""The lexicon helpers: literal-start expansion of patterns, whole-word phrase search."""
from pathlib import Path

import pytest
import regex

from extract.lexicon import Phrases, literal_starts, rows
from extract.normalize import lowered, normalize

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests/cases/articles").glob("*.txt"))


@pytest.mark.parametrize("pattern,parts", [
    (r"(?:trong|cùng)\s+kỳ", [r"trong\s+kỳ", r"cùng\s+kỳ"]),
    (r"(?:tính\s+)?(?:đến|tới)\s+\d", [r"tính\s+(?:đến|tới)\s+\d", r"đến\s+\d", r"tới\s+\d"]),
    (r"năm\s+qua|năm\s+vừa\s+qua", [r"năm\s+qua", r"năm\s+vừa\s+qua"]),
    (r"(?:lũy\s+kế|(?:cũng\s+)?trong)\s+\d", [r"lũy\s+kế\s+\d", r"cũng\s+trong\s+\d", r"trong\s+\d"]),
    (r"(?:[|(]x|y)z", [r"[|(]xz", r"yz"]),
])
def test_a_leading_choice_becomes_one_pattern_per_literal_start(pattern, parts):
    assert literal_starts(pattern) == parts


@pytest.mark.parametrize("pattern", [
    r"(?P<d>\d{1,2})/(?P<m>\d{1,2})",   # a capturing group keeps its number and name
    r"(?:(a)|b)\1",                     # so does a group a back-reference points to
    r"(?:ab|cd)+e",                     # a repeated group is no choice of starts
    r"(?<!\d)\d+",                      # no leading group at all
])
def test_patterns_that_cannot_be_split_stay_whole(pattern):
    assert literal_starts(pattern) == [pattern]


def test_expansion_stops_at_the_limit():
    pattern = "(?:" + "|".join(f"w{i}" for i in range(12)) + ")x"
    assert literal_starts(pattern) == [pattern]


@pytest.mark.parametrize("name", ["non_figures.csv", "period_patterns.csv", "date_patterns.csv"])
def test_the_parts_find_every_match_of_the_whole_pattern(name):
    """On real articles, each match of a data pattern as written is also a match of one of its parts."""
    for path in TEXTS:
        text = normalize(path.read_text(encoding="utf-8")).text
        low = lowered(text)
        for r in rows(name):
            target = low if "i" in r["flags"] else text
            whole = {m.span() for m in regex.finditer(r["pattern"], target)}
            parts = {m.span() for p in literal_starts(r["pattern"]) for m in regex.finditer(p, target)}
            assert whole <= parts, (path.name, r["name"], sorted(whole - parts)[:3])


def test_phrases_match_whole_words_leftmost_then_longest():
    phrases = Phrases({"cues": ["xuất cảnh", "nhập cảnh", "xuất nhập cảnh", "cảnh"]})
    text = "(Xuất nhập cảnh), cảnh-sát, nhập cảnhx, xuất cảnh"
    found = phrases.find(text, text.lower())["cues"]
    assert [p for _, _, p in found] == ["xuất nhập cảnh", "cảnh", "xuất cảnh"]
    assert [text[s:e] for s, e, _ in found] == ["Xuất nhập cảnh", "cảnh", "xuất cảnh"]


def test_exact_lists_match_names_as_spelled_and_lists_overlap_freely():
    phrases = Phrases({"names": ["Lào Cai", "Cai"], "words": ["cai", "lào"]}, exact={"names"})
    text = "tỉnh Lào Cai và lào cai"
    found = phrases.find(text, text.lower())
    assert found["names"] == [(5, 12, "Lào Cai")]
    assert [text[s:e] for s, e, _ in found["words"]] == ["Lào", "Cai", "lào", "cai"]


def test_non_figure_masks_near_digits_equal_masks_over_whole_sentences():
    """Masks are searched only around digits; every number they cover is covered as when
    the patterns scan whole sentences."""
    from extract.quantities import NumberScan, _masked, lexicon
    from extract.segment import paragraphs, sentences
    from extract.spans import Spans

    lex = lexicon()
    for path in TEXTS:
        text = normalize(path.read_text(encoding="utf-8")).text
        low = lowered(text)
        chosen = [s for p in paragraphs(text) for s in sentences(text, p)]
        whole = Spans(m.span() for s in chosen for pattern, lower in lex.mask_patterns
                      for m in pattern.finditer(low if lower else text, s.start, s.end + 1))
        near = _masked(lex, text, low, NumberScan(low).within(chosen[0].start, min(len(text), chosen[-1].end + 1)))
        numbers = [m.start() for m in lex.number.finditer(text)]
        assert [n in near for n in numbers] == [n in whole for n in numbers], path.name
