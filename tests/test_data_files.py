"""The word lists and patterns under extract/data/ are well formed and each entry is exercised."""
import csv
from collections import Counter
import unicodedata
from pathlib import Path

import pytest

from extract.lexicon import DATA_DIR, patterns, rows

CASES = Path(__file__).parent / "cases"
DATA_FILES = sorted(p.relative_to(DATA_DIR).as_posix() for p in DATA_DIR.rglob("*.csv"))
PATTERN_FILES = ["non_figures.csv", "period_patterns.csv", "date_patterns.csv"]
KEYS = {
    "units.csv": ["surface"], "scale_words.csv": ["word"], "vague_words.csv": ["word"],
    "qualifiers.csv": ["word"], "counting_nouns.csv": ["noun"], "not_units.csv": ["word"],
    "not_figure_before.csv": ["word"], "figure_before.csv": ["phrase"], "comparatives.csv": ["word"],
    "comparison_markers.csv": ["marker"], "abbreviations.csv": ["abbreviation"],
    "related_news_markers.csv": ["marker"], "tone_placement.csv": ["old"], "metric_units.csv": ["metric", "unit"],
    "metric_cues.csv": ["metric", "cue"], "context_markers.csv": ["marker"], "bare_units.csv": ["unit", "metric"],
    "place_prefixes.csv": ["prefix"], "gate_kinds.csv": ["kind"], "surnames.csv": ["surname"], "connectives.csv": ["word", "role"], "countries.csv": ["name"], "province_needs_prefix.csv": ["name"],
    "non_figures.csv": ["name"], "period_patterns.csv": ["name"], "date_patterns.csv": ["name"],
}


@pytest.mark.parametrize("name", DATA_FILES)
def test_data_file_is_clean_nfc_csv_without_duplicate_rows(name):
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text), f"{name} is not NFC"
    table = list(csv.reader(text.splitlines()))
    header, body = table[0], [r for r in table[1:] if r and not r[0].startswith("#")]
    assert all(header), f"{name} has an empty column name"
    assert all(len(r) == len(header) for r in body), f"{name} has rows of the wrong width"
    dupes = [r for r, n in Counter(map(tuple, body)).items() if n > 1]
    assert not dupes, f"{name} repeats rows: {sorted(dupes)[:3]}"


@pytest.mark.parametrize("name,key", sorted(KEYS.items()))
def test_lexicon_keys_are_unique(name, key):
    seen = Counter(tuple(r[k].lower() for k in key) for r in rows(name))
    dupes = sorted(k for k, n in seen.items() if n > 1)
    assert not dupes, f"{name}: duplicate entries {dupes}"


@pytest.mark.parametrize("name", PATTERN_FILES)
def test_every_pattern_compiles(name):
    compiled = patterns(name)
    assert len(compiled) == len(rows(name))


def test_every_lexicon_file_is_known_to_this_test():
    lexicons = {n for n in DATA_FILES if "/" not in n}
    assert lexicons <= set(KEYS) | {"metric_labels.csv"}, sorted(lexicons - set(KEYS))


def test_metric_keys_are_known():
    known = {r["metric"] for r in rows("metric_labels.csv")}
    used = {r["metric"] for r in rows("metric_units.csv")} | {r["metric"] for r in rows("metric_cues.csv")}
    assert used <= known, sorted(used - known)
    assert {r["metric"] for r in rows("bare_units.csv")} <= known


def test_units_map_to_schema_unit_keys():
    keys = {"person_trips", "persons", "vehicles", "USD", "VND", "CNY", "LAK", "dossiers", "percent",
            "km", "km2", "ha", "tonnes", "kg", "g", "households", "cases"}
    assert {r["unit"] for r in rows("units.csv")} <= keys


def _case_rows():
    for path in sorted(CASES.glob("numbers*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            yield from csv.DictReader(f)


def _uses_unit(case, entry):
    unit = case["unit"]
    return entry["surface"] in case["text"].lower() and unit in (entry["unit"], entry["surface"]) \
        or entry["surface"] in unit.split("/")


def _uses_qualifier(case, entry):
    return entry["word"] in case["text"].lower() and case["qualifier"] == entry["qualifier"]


def _uses_scale(case, entry):
    return entry["word"] in case["text"].lower().split()


def _uses_vague(case, entry):
    return case["qualifier"] == "vague" and entry["word"] in case["text"].lower().split()


def _uses_noun(case, entry):
    return case["unit"] == entry["noun"] or case["unit"].startswith(entry["noun"] + "/")


LEXICON_ENTRIES = [(name, entry, check) for name, key, check in [
    ("units.csv", "surface", _uses_unit), ("qualifiers.csv", "word", _uses_qualifier),
    ("scale_words.csv", "word", _uses_scale), ("vague_words.csv", "word", _uses_vague),
    ("counting_nouns.csv", "noun", _uses_noun)] for entry in rows(name)]


@pytest.mark.parametrize("name,entry,uses", LEXICON_ENTRIES,
                         ids=[f"{n}:{list(e.values())[0]}" for n, e, _ in LEXICON_ENTRIES])
def test_every_lexicon_entry_has_a_positive_case(name, entry, uses):
    assert any(uses(c, entry) for c in _case_rows()), \
        f"{name}: no case in tests/cases/numbers*.csv uses {list(entry.values())[0]!r}"
