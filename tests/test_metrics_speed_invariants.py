"""What the shortcuts of the cue classifier and the segmenter rest on, checked on generated input."""
import sys

import pytest
import regex
from hypothesis import HealthCheck, given, settings, strategies as st

from extract import metrics, segment
from extract.lexicon import column

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MARKERS = column("related_news_markers.csv", "marker")
ABBREVIATIONS = column("abbreviations.csv", "abbreviation")
SPACES = [" ", "  ", "\t", "\xa0", "\u2028", "\x1c"]
MARKS = [".", "..", "!", "?", "…", ":", "-", "—", "*", "(", ")", "“", "”", '"', "’", "‘", "_", "\u0301"]
WORD_PIECES = ["a", "B", "ư", "Đ", "Ấ", "ß", "ǅ", "1", "2.5", "Xyz"]


def test_letters_are_word_characters():
    """`segment._is_marker` takes a letter (`str.isalpha`) for a word character of `regex`."""
    letters = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isalpha())
    assert len(regex.findall(r"\w", letters)) == len(letters)


def test_marker_matching_keeps_lengths():
    """Without full case folding a marker matches as many characters as it has (`_is_marker`)."""
    pattern, longest = segment._marker()
    assert not pattern.flags & regex.FULLCASE
    assert longest == max(len(m) for m in MARKERS)


@pytest.mark.parametrize("marker", MARKERS)
def test_every_marker_line_is_found(marker):
    for line in (marker, marker.upper() + ":", f"- {marker.title()} -", f"{marker}\xa0»", marker + "…"):
        assert segment._is_marker(line), repr(line)
    assert not segment._is_marker(marker + " x")


MARKER_LINES = st.lists(st.one_of(
    st.sampled_from(MARKERS), st.sampled_from(MARKERS).map(str.upper), st.sampled_from(MARKERS).map(str.title),
    st.sampled_from(SPACES + MARKS + WORD_PIECES)), max_size=8).map("".join)


@SETTINGS
@given(MARKER_LINES)
def test_marker_shortcut_agrees_with_the_pattern(line):
    pattern, _ = segment._marker()
    assert segment._is_marker(line) == bool(pattern.match(line.strip())), repr(line)


@SETTINGS
@given(st.lists(st.sampled_from(SPACES + MARKS + WORD_PIECES + ABBREVIATIONS + [" Ab", ". Ấx", "5.", "\n"]),
                max_size=30).map("".join),
       st.sampled_from([".", ".!?…"]))
def test_sentence_end_lookahead_only_filters(text, stops):
    """The lookahead after a stop names what every sentence end has next: without it, the same ends."""
    pattern = segment._sentence_end(stops)
    lookahead = regex.escape(rf"(?=[{stops}”\"’)\s\p{{Lu}}])")
    plain = regex.compile(regex.sub(lookahead, "", pattern.pattern, count=1))
    assert plain.pattern != pattern.pattern
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)]


CUE_WORDS = sorted(metrics.rules().cue_metrics)
UNITS = sorted({u for units in metrics.rules().units.values() for u in units} - {"*"} | {"percent", "USD", "xe"})
METRICS = sorted(metrics.rules().units)


@st.composite
def cue_lists(draw):
    """(start, end, cue) matches in order, none overlapping, as the phrase automaton gives them."""
    out, at = [], 0
    for cue in draw(st.lists(st.sampled_from(CUE_WORDS), max_size=8)):
        at += draw(st.integers(min_value=0, max_value=6))
        out.append((at, at + len(cue), cue))
        at += len(cue)
    return out


def _reference_nearest(found, start, end, unit, last, skip, weak):
    """`Cues.nearest` as its docstring defines it, cue by cue."""
    r = metrics.rules()
    inside = sorted((r.strength[cue], s, cue) for s, _, cue in found
                    if start <= s < end and (r.strength[cue] < 0) == weak)
    for _, _, cue in reversed(inside) if last else inside:
        metric = next((m for m in r.cue_metrics[cue] if m != skip and r.fits(m, unit)), None)
        if metric is not None:
            return metric
    return None


@SETTINGS
@given(cue_lists(), st.data())
def test_nearest_reads_only_the_cues_in_its_span(found, data):
    """A span without cues gives None, whatever else stands around it: the classifier then skips
    looking for the separators that would only narrow it."""
    r = metrics.rules()
    bounds = st.one_of(st.integers(min_value=-5, max_value=120),
                       st.sampled_from([s + d for s, _, _ in found for d in (-1, 0, 1)] or [0]))
    start, end = data.draw(bounds), data.draw(bounds)
    units = sorted({u for _, _, cue in found for m in r.cue_metrics[cue] for u in r.units[m]} - {"*"})
    unit = data.draw(st.one_of(st.sampled_from(units), st.sampled_from(UNITS)) if units else st.sampled_from(UNITS))
    last, weak = data.draw(st.booleans()), data.draw(st.booleans())
    skip = data.draw(st.sampled_from([None] + METRICS))
    cues = metrics.Cues(" " * 200, {"cues": found, "markers": []})
    assert cues.any_cue(start, end) == any(start <= s < end for s, _, _ in found)
    assert cues.nearest(start, end, unit, last, skip, weak) == _reference_nearest(
        found, start, end, unit, last, skip, weak)
