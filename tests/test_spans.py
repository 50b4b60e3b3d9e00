"""Span sets: merging, membership and overlap."""
import pytest

from extract.spans import Excerpts, Spans


@pytest.fixture
def spans():
    return Spans([(5, 10), (0, 3), (9, 12)])


def test_spans_merge_into_disjoint_runs(spans):
    assert list(zip(spans.starts, spans.ends)) == [(0, 3), (5, 12)]


@pytest.mark.parametrize("pos,inside", [(0, True), (2, True), (3, False), (4, False), (5, True), (11, True),
                                        (12, False)])
def test_membership(spans, pos, inside):
    assert (pos in spans) is inside


@pytest.mark.parametrize("start,end,overlap", [(3, 5, False), (2, 4, True), (11, 20, True), (12, 20, False),
                                               (-5, 0, False), (4, 6, True)])
def test_overlap(spans, start, end, overlap):
    assert spans.overlaps(start, end) is overlap


def test_excerpts_join_pieces_and_map_offsets_back():
    text = "ab cd ef gh"
    view = Excerpts([(0, 2), (6, 8)], "\0")
    joined = view.join(text)
    assert joined == "ab\0ef"
    assert view.original(3, 5) == (6, 8)
    assert view.original(0, 1) == (0, 1)
