"""Figure reading, case by case: tests/cases/numbers.csv and tests/cases/not_figures.txt.

Each sentence of numbers.csv is run through extract.extract_text on its own; the
figures found must be exactly the rows listed for it (value, unit, qualifier,
value_max), each at the place its text names. Each line of not_figures.txt must
give no figure at all. See tests/cases/README.md for the file formats.
"""
import csv
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from extract.score import same_unit as scorer_same_unit

CASES = Path(__file__).parent / "cases"
HEADER = ["sentence", "text", "value", "unit", "qualifier", "value_max"]
QUALIFIERS = {"exact", "over", "under", "approx", "vague", "range"}
SCHEMA_UNITS = {"person_trips", "persons", "vehicles", "USD", "VND", "CNY", "LAK", "dossiers",
                "percent", "km", "km2", "ha", "tonnes", "kg", "g", "households", "cases"}

# Every lexicon word needs a positive case: (pattern searched in the words up to and
# including the figure's text, column of that row, value that column must hold).
COVERAGE = [
    (r"lượt người$", "unit", "person_trips"), (r"lượt khách$", "unit", "person_trips"),
    (r"\d lượt$", "unit", "person_trips"), (r"\d lượt$", "unit", "vehicles"),
    (r"\bngười$", "unit", "persons"), (r"nhân khẩu$", "unit", "persons"), (r"\d khẩu$", "unit", "persons"),
    (r"\d phương tiện$", "unit", "vehicles"), (r"lượt phương tiện$", "unit", "vehicles"),
    (r"\d xe$", "unit", "vehicles"), (r"lượt xe$", "unit", "vehicles"),
    (r"USD$", "unit", "USD"), (r"đồng$", "unit", "VND"), (r"VNĐ$", "unit", "VND"), (r"VND$", "unit", "VND"),
    (r"nhân dân tệ$", "unit", "CNY"), (r"kíp$", "unit", "LAK"), (r"hồ sơ$", "unit", "dossiers"),
    (r"\d%$", "unit", "percent"), (r"\d %$", "unit", "percent"),
    (r"\d ?km$", "unit", "km"), (r"\dkm$", "unit", "km"), (r"\d ?km2$", "unit", "km2"), (r"km²$", "unit", "km2"),
    (r"\d ?ha$", "unit", "ha"), (r"\dha$", "unit", "ha"), (r"tấn$", "unit", "tonnes"),
    (r"\d ?kg$", "unit", "kg"), (r"\dkg$", "unit", "kg"), (r"gam$", "unit", "g"), (r"gram$", "unit", "g"),
    (r"\bhộ\b", "unit", "households"), (r"\d vụ$", "unit", "cases"), (r"vụ việc$", "unit", "cases"),
    (r"vụ án$", "unit", "cases"), (r"tờ rơi$", "unit", "tờ rơi"), (r"\d cuộc\b", "unit", "cuộc tuần tra"),
    (r"bánh\b", "unit", "bánh"), (r"\d viên$", "unit", "viên"), (r"\d đoàn$", "unit", "đoàn"),
    (r"tân binh$", "unit", "tân binh"), (r"cột mốc$", "unit", "cột mốc"), (r"tấn/ngày$", "unit", "tấn/ngày"),
    (r"\d nghìn\b", "qualifier", "exact"), (r"\d ngàn\b", "qualifier", "exact"), (r"\d triệu\b", "qualifier", "exact"),
    (r"\d tỷ\b", "qualifier", "exact"), (r"\d tỉ\b", "qualifier", "exact"), (r"nghìn tỷ", "qualifier", "exact"),
    (r"(?<![\d.,])0\d", "qualifier", "exact"), (r"\d\.\d{3},\d", "qualifier", "exact"), (r"\d/\d", "qualifier", "exact"),
    (r"\btrên \d", "qualifier", "over"), (r"\bhơn \d", "qualifier", "over"), (r"\bvượt \d", "qualifier", "over"),
    (r"\bgần \d", "qualifier", "under"), (r"\bdưới \d", "qualifier", "under"), (r"chưa đến \d", "qualifier", "under"),
    (r"\bkhoảng \d", "qualifier", "approx"), (r"xấp xỉ \d", "qualifier", "approx"), (r"\bchừng \d", "qualifier", "approx"),
    (r"\bước đạt \d", "qualifier", "approx"), (r"ước tính \d", "qualifier", "approx"),
    (r"khoảng hơn \d", "qualifier", "over"), (r"ước đạt trên \d", "qualifier", "over"),
    (r"hơn \d+%$", "qualifier", "exact"),
    (r"hàng chục [^\d]*$", "qualifier", "vague"), (r"hàng trăm \w", "qualifier", "vague"),
    (r"hàng nghìn", "qualifier", "vague"), (r"hàng ngàn", "qualifier", "vague"),
    (r"hàng chục nghìn", "qualifier", "vague"), (r"hàng triệu", "qualifier", "vague"),
    (r"từ \d.* đến \d", "qualifier", "range"), (r"\d-\d", "qualifier", "range"), (r"\d - \d", "qualifier", "range"),
]


def load_number_cases() -> dict[str, list[dict]]:
    """numbers*.csv grouped by sentence, rows in file order."""
    cases: dict[str, list[dict]] = {}
    for path in sorted(CASES.glob("numbers*.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            assert reader.fieldnames == HEADER, f"{path.name} header must be {HEADER}"
            for row in reader:
                cases.setdefault(row["sentence"], []).append(row)
    return cases


def load_not_figures() -> list[str]:
    lines = (CASES / "not_figures.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


NUMBER_CASES = load_number_cases()
NOT_FIGURES = load_not_figures()


def case_id(sentence: str) -> str:
    """A short ASCII test id: the sentence without tone marks, cut at 48 characters."""
    folded = unicodedata.normalize("NFD", sentence.replace("đ", "d").replace("Đ", "D"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = re.sub(r"[^A-Za-z0-9.,% -]+", "", folded)
    return re.sub(r"\s+", "_", folded.strip())[:48]


def extract_figures(text: str) -> list[dict]:
    from extract import extract_text
    return extract_text(text, "case").to_dict("records")


def blank(x) -> bool:
    return x is None or x == "" or (not isinstance(x, str) and pd.isna(x))


def sig6(x) -> float | None:
    return None if blank(x) else float(f"{float(x):.6g}")


def same_unit(a, b) -> bool:
    """The scorer's rule, and schema unit keys spelled exactly as the schema spells them (`USD`)."""
    return scorer_same_unit(a, b) and (a == b or not {a, b} & SCHEMA_UNITS)


def figure_key(row: dict) -> tuple:
    return sig6(row.get("value")), row.get("qualifier"), sig6(row.get("value_max"))


def span(row: dict) -> tuple[int, int] | None:
    start, end = row.get("start"), row.get("end")
    return None if blank(start) or blank(end) else (int(start), int(end))


def describe(row: dict) -> str:
    value, qualifier, value_max = figure_key(row)
    upper = "" if value_max is None else f"..{value_max}"
    where = f" @{span(row)}" if "start" in row else ""
    rule = f" [rule {row['rule']}]" if not blank(row.get("rule")) else ""
    return f"{row.get('text')!r}{where} -> {value}{upper} {row.get('unit')} {qualifier}{rule}"


def overlaps_text(sentence: str, expected_text: str, found: dict) -> bool:
    """Whether the found figure's span overlaps an occurrence of the expected text."""
    where = span(found)
    return where is not None and any(m.start() < where[1] and where[0] < m.end()
                                     for m in re.finditer(re.escape(expected_text), sentence))


def match(sentence: str, expected: list[dict], found: list[dict]):
    """Pair expected and found figures: same value, qualifier, value_max and unit,
    preferring a found figure at the expected text. Returns (pairs, missing, extra)."""
    free = list(range(len(found)))
    pairs, missing = [], []
    for placed_only in (True, False):
        rest = []
        for exp in (expected if placed_only else missing):
            hit = next((i for i in free
                        if figure_key(found[i]) == figure_key(exp)
                        and same_unit(found[i].get("unit"), exp["unit"])
                        and (not placed_only or overlaps_text(sentence, exp["text"], found[i]))), None)
            if hit is None:
                rest.append(exp)
            else:
                free.remove(hit)
                pairs.append((exp, found[hit]))
        missing = rest
    return pairs, missing, [found[i] for i in free]


def offset_problems(text: str, found: list[dict]) -> list[str]:
    problems = []
    for row in found:
        where = span(row)
        if where is None:
            problems.append(f"  text {row.get('text')!r} has no start/end offsets")
        elif text[where[0]:where[1]] != row.get("text"):
            problems.append(f"  text {row.get('text')!r} is not at {where}, which holds {text[where[0]:where[1]]!r}")
    return problems


@pytest.mark.parametrize("sentence", list(NUMBER_CASES), ids=case_id)
def test_figures_of_sentence(sentence):
    expected = NUMBER_CASES[sentence]
    found = extract_figures(sentence)
    pairs, missing, extra = match(sentence, expected, found)
    problems = []
    if missing:
        problems.append("missing (expected, not found):")
        problems += [f"  {describe(row)}" for row in missing]
    if extra:
        problems.append("extra (found, not expected):")
        problems += [f"  {describe(row)}" for row in extra]
    misplaced = [(exp, got) for exp, got in pairs if not overlaps_text(sentence, exp["text"], got)]
    if misplaced:
        problems.append("found elsewhere than the expected text:")
        problems += [f"  expected at {exp['text']!r}, found {describe(got)}" for exp, got in misplaced]
    problems += offset_problems(sentence, found)
    assert not problems, f"\n{sentence}\n" + "\n".join(problems)


@pytest.mark.parametrize("sentence", NOT_FIGURES, ids=case_id)
def test_no_figure_in_sentence(sentence):
    found = extract_figures(sentence)
    assert not found, f"\n{sentence}\nfound figures where there are none:\n" + "\n".join(
        f"  {describe(row)}" for row in found)


def test_number_case_file_is_well_formed():
    problems = []
    for sentence, rows in NUMBER_CASES.items():
        for row in rows:
            where = f"{row['text']!r} in {sentence[:50]!r}"
            if row["text"] not in sentence:
                problems.append(f"text not in its sentence: {where}")
            if row["qualifier"] not in QUALIFIERS:
                problems.append(f"unknown qualifier {row['qualifier']!r}: {where}")
            if (row["qualifier"] == "range") != bool(row["value_max"]):
                problems.append(f"value_max must be given exactly for ranges: {where}")
            if row["unit"] not in SCHEMA_UNITS and row["unit"] != row["unit"].lower():
                problems.append(f"unit is neither a schema key nor a lower-case noun: {where}")
            try:
                float(row["value"]), float(row["value_max"] or 0)
            except ValueError:
                problems.append(f"value is not a number: {where}")
    assert sum(map(len, NUMBER_CASES.values())) >= 120, "numbers.csv should keep at least 120 rows"
    assert len(NOT_FIGURES) >= 60, "not_figures.txt should keep at least 60 sentences"
    assert not problems, "\n".join(problems)


def test_number_cases_cover_every_lexicon_word():
    windows = []
    for sentence, rows in NUMBER_CASES.items():
        for row in rows:
            start = sentence.find(row["text"])
            windows.append((sentence[max(0, start - 14):start + len(row["text"])], row))
    uncovered = [f"{pattern!r} with {column}={value!r}" for pattern, column, value in COVERAGE
                 if not any(re.search(pattern, window, re.IGNORECASE) and row[column] == value
                            for window, row in windows)]
    assert not uncovered, "no case for:\n" + "\n".join(uncovered)
