"""Invariants the fast paths of extract/places.py rest on, checked against the data files."""
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.lexicon import column
from extract.places import Resolver, find_places, gazetteer
from extract.spans import Spans

_WORDS = column("surnames.csv", "surname") + column("place_prefixes.csv", "prefix")
_CONTEXT = st.lists(st.sampled_from(list("aAbBhHnNtTỉỈ .,\n-") + _WORDS), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(_CONTEXT, max_size=4), spelling=st.integers(0, 1))
def test_a_usual_province_prefix_is_found_and_no_person_before_it(pieces, spelling):
    """Whatever precedes ` tỉnh ` or `. Tỉnh `, the two regexes the cheap test stands for agree."""
    g = gazetteer()
    for prefixed in g.province_prefixed:
        text = "".join(pieces) + prefixed
        start = len(text)
        assert g.province_prefix_before(text + "Lào Cai", start)
        before = text[max(0, start - 25):start]
        found = g.prefix_before.search(before)
        assert found and g.kind_of_prefix(found.group(0)) == "province"
        assert g.person_before.search(before) is None


def test_no_other_prefix_and_no_surname_ends_like_a_province_prefix():
    g = gazetteer()
    for prefix in {p.strip(" .").lower() for p in g.province_prefixed}:
        for word in _WORDS:
            if word.lower() != prefix:
                assert not word.lower().endswith(prefix) and not prefix.endswith(word.lower())


def test_resolver_reads_sorted_mentions_by_bisection():
    text = "Ở tỉnh Lào Cai và xã Bát Xát, tỉnh Lai Châu.\n\nNgười dân tỉnh Cao Bằng."
    mentions = find_places(text, text.lower(), None, [], {
        "prefixes": [], "foreign": [(0, 2, "Ở")],
        "provinces": [(7, 14, "Lào Cai"), (35, 43, "Lai Châu"), (60, 68, "Cao Bằng")]})
    resolver = Resolver(mentions, Spans([(0, 44)]))
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    assert resolver.main.label == "Lào Cai"
    assert resolver.counterpart(0, 10) == "Ở" and resolver.counterpart(1, 10) is None
    assert resolver.resolve(40, [(30, 44), (0, 44)], use_main=True)[0].label == "Lai Châu"
    assert resolver.resolve(50, [(46, 58)], use_main=True) == (resolver.main, None)
