"""Period and date patterns are tried only where their words are; the results equal plain scans."""
import datetime as dt
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from extract import periods
from extract.lexicon import patterns
from extract.normalize import lowered, normalize
from extract.segment import paragraphs
from plain_scans import rule_matches

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests/cases/articles").glob("*.txt"))
PLAN = periods._plan("period_patterns.csv")
ODD = ["đếnăm", "nămnăm", "😀năm nay", "trong\nnăm", "từ từ", "/", "Năm", "x\u0301năm"]


def _lowered(path):
    return lowered(normalize(path.read_text(encoding="utf-8")).text)


def _by_find(text):
    found = periods._Places(text)
    return {word: found[word] for word in PLAN.words}


@pytest.mark.parametrize("text", [_lowered(p) for p in TEXTS] + ODD + ["".join(ODD)])
def test_the_automaton_finds_every_place_of_every_word(text):
    assert PLAN.places(text) == _by_find(text)


@given(st.lists(st.sampled_from(PLAN.words + ODD + [" ", ".", "n", "ăm"]), max_size=12))
@settings(max_examples=200, deadline=None)
def test_places_equal_a_word_by_word_search(pieces):
    text = "".join(pieces)
    assert {word: list(PLAN.places(text)[word]) for word in PLAN.words} == _by_find(text)


@pytest.mark.parametrize("pattern,opening", [
    (r"(?<!(?:sinh|tháng\s+\d{1,2})\s+)(?<![\w])năm\s+\d", "năm"),  # look-behinds aside
    (r"(?=x)xy\d", "xy"),
    (r"ab?c", "a"),                                                  # an optional letter ends it
    (r"a?bc", ""),
    (r"(?:a|b)c", ""),
    (r"ab|cd", ""),
    (r"\bab", ""),
])
def test_opening_is_text_every_match_begins_with(pattern, opening):
    assert periods._opening(regex.compile(pattern)) == opening


@pytest.mark.parametrize("pattern,runs", [
    (r"^\W*ngày\s+(?P<d>\d)\W*$", ("", "", "", "ngày", "", "", "", "", "", "")),
    (r"a.b\.c", ("a", "b", "c")),
    (r"[^a]bc", ("", "bc")),
    (r"a\x41b", ()),                 # escapes not read here
    (r"(?i)abc", ()),                # nor flags
    (r"a(?#note)b", ()),
    (r"a{b", ()),
])
def test_runs_are_read_only_from_syntax_understood(pattern, runs):
    assert periods._runs(regex.compile(pattern)) == runs


@pytest.mark.parametrize("name", ["period_patterns.csv", "date_patterns.csv"])
def test_every_match_opens_with_its_opening_and_holds_its_needle(name):
    plan = periods._plan(name)
    texts = [_lowered(p) for p in TEXTS] + ODD
    for parts in plan.parts.values():
        for part in parts:
            for text in texts:
                for m in part.pattern.finditer(text):
                    assert m.group().startswith(part.opening)
                    assert part.needle in m.group() and part.holds in m.group()


def _published_by_whole_scans(text, low, paras):
    """`published_date` as plain scans of every line and of the whole text find it."""
    found = patterns("date_patterns.csv")
    for p in paras[:4]:
        for name in ("heading_words", "heading_numeric", "heading_iso"):
            m = next(rule_matches(found[name], text[p.start:p.end], low[p.start:p.end]), None)
            if m and (d := periods._date(m["y"], m["m"], m["d"] or 1)):
                return d
    lead_end = paras[min(2, len(paras) - 1)].end if paras else 0
    dated = sorted((m.start(), d) for name in ("full_date", "full_date_words")
                   for m in rule_matches(found[name], text, low) if (d := periods._date(m["y"], m["m"], m["d"])))
    in_lead = [d for pos, d in dated if pos < lead_end]
    return in_lead[0] if in_lead else max((d for _, d in dated), default=None)


SAMPLES = [p.read_text(encoding="utf-8") for p in TEXTS] + [
    "Tin ngắn\n\nHà Nội, 12/3/2024 - 08:30\n\nNội dung.",
    "Tiêu đề\n\nNgày 5 tháng 6 năm 2024\n\nĐoàn đến vào ngày 1/2/2023. Ngày 3 tháng 4 năm 2022, họ về.",
    "Tiêu đề\nDATE 2024-05-07\nThân bài 31/12/2023.",
    "Không có ngày. Số 1/2/3 và 45/6/2020/7. Rồi 7 / 8 / 2021.\nNgày 30 tháng 2 năm 2024 sai.",
    "",
]


@pytest.mark.parametrize("raw", SAMPLES)
def test_published_date_equals_plain_scans(raw):
    text = normalize(raw).text
    low = lowered(text)
    paras = paragraphs(text)
    for chosen in (paras, paras[2:], []):
        assert periods.published_date(text, low, chosen, None) == _published_by_whole_scans(text, low, chosen)
    assert periods.published_date(text, low, paras, dt.date(2020, 1, 2)) == dt.date(2020, 1, 2)
