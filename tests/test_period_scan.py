"""Period phrases are found on a shortened text; the result equals a scan of the whole text."""
from pathlib import Path

import pytest
import regex

from extract import periods
from extract.lexicon import patterns
from extract.normalize import lowered, normalize
from extract.segment import paragraphs
from extract.spans import Spans
from plain_scans import rule_matches

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests/cases/articles").glob("*.txt"))


@pytest.mark.parametrize("pattern", [r"năm\s+(?P<y>(?:19|20)\d{2})(?![\d-])", r"(?<!\d)\d{1,2}\s+tháng",
                                     r"quý\s+(?P<q>iv|i{1,3}|[1-4])(?:\s*/\s*\d{4})?", r"[a-z\d]+"])
def test_patterns_that_cannot_match_a_full_stop_are_blind_to_it(pattern):
    assert periods._blind_to_inert(regex.compile(pattern))


@pytest.mark.parametrize("pattern", [r"a.b", r"[^a]b", r"\Sb", r"\Wb", r"(?i)x", r"x$", r"\.x", r"[\w.]"])
def test_patterns_that_may_match_or_see_a_full_stop_are_not(pattern):
    assert not periods._blind_to_inert(regex.compile(pattern))


@pytest.mark.parametrize("pattern,needle", [
    (r"(?<!\d)(?P<n>\d{1,2})\s+tháng\s+cuối\s+năm", "tháng"),   # the longest word every match holds
    (r"\d{1,2}\s*(?:giờ|h)\s*(?:ngày\s+)?\d", ""),               # only optional or alternative words
    (r"tháng\s+\d", ""),                                          # starts with a word: scanned plainly
    (r"\d+\s*tháng?", "thán"),                                    # a repeated letter is not certain
])
def test_needle_is_text_every_match_holds(pattern, needle):
    assert periods._needle(regex.compile(pattern)) == needle


def _whole_scan(text, low, within, published):
    """Period mentions by scanning the whole text with every pattern."""
    found = patterns("period_patterns.csv")
    skip = Spans(m.span() for m in rule_matches(found["comparison"], text, low))
    hits = sorted(((m.start(), m.end(), kind, m) for kind, rule in found.items() if kind != "comparison"
                   for m in rule_matches(rule, text, low)
                   if within.holds(m.start(), m.end()) and not skip.overlaps(m.start(), m.end())),
                  key=lambda h: (h[0], h[0] - h[1]))
    kept, reach = [], 0
    for s, e, kind, m in hits:
        if s >= reach:
            kept.append(periods._mention(kind, m, s, e, published))
            reach = e
    return kept


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_mentions_equal_a_scan_of_the_whole_text(path):
    text = normalize(path.read_text(encoding="utf-8")).text
    low = lowered(text)
    paras = paragraphs(text)
    for chosen in (paras, paras[::2], paras[1::3]):
        within = Spans((p.start, p.end + 1) for p in chosen)
        assert periods.mentions(text, low, within, None) == _whole_scan(text, low, within, None)
