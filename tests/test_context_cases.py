"""Context of figures in short articles, case by case: tests/cases/context.csv.

Each case is a mini-article run through extract.extract_text; each row names one
figure by its text and the metric, province and period it must carry. An empty
cell expects an empty value. See tests/cases/README.md for the file format.
"""
import csv
import datetime as dt
import functools
import re
from pathlib import Path

import pandas as pd
import pytest

CASES = Path(__file__).parent / "cases"
HEADER = ["case", "article", "text", "metric", "province", "province_2025",
          "period_start", "period_end", "published"]
FIELDS = ["metric", "province", "province_2025", "period_start", "period_end"]
METRICS = {
    "crossings_exit", "crossings_entry", "crossings_total", "vehicles", "export_value", "import_value",
    "trade_value", "dossiers_received", "dossiers_resolved", "dossiers_early", "dossiers_on_time",
    "dossiers_late", "dossiers_early_rate", "dossiers_on_time_rate", "dossiers_late_rate", "population",
    "area", "border_length", "border_markers", "villages", "households", "patrols", "criminal_cases",
    "seizures", "recruits", "recruits_target", "delegations", "outreach", "other",
}


def load_context_cases() -> list[dict]:
    """context.csv rows; a case's article and published date, given on its first row, fill the others.
    Each row also gets `k` (how many earlier rows of its case name the same text) and a test `id`."""
    with open(CASES / "context.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == HEADER, f"context.csv header must be {HEADER}"
        rows = list(reader)
    seen: dict[str, list[dict]] = {}
    for row in rows:
        earlier = seen.setdefault(row["case"], [])
        head = earlier[0] if earlier else row
        for column in ("article", "published"):
            assert row[column] in ("", head[column]), \
                f"case {row['case']}: {column} differs from the case's first row"
            row[column] = head[column]
        row["article"] = row["article"].replace("\\n", "\n")
        row["k"] = sum(r["text"] == row["text"] for r in earlier)
        row["id"] = f"{row['case']}-{len(earlier)}"
        earlier.append(row)
    return rows


ROWS = load_context_cases()


def locate(article: str, text: str, k: int) -> tuple[int, int] | None:
    """Span of the k-th standalone occurrence of text (not glued to a longer number or word)."""
    hits = list(re.finditer(r"(?<![\w.,])" + re.escape(text) + r"(?!\w)", article))
    return (hits[k].start(), hits[k].end()) if k < len(hits) else None


@functools.lru_cache(maxsize=None)
def extract_case(case: str, article: str, published: str) -> tuple[dict, ...]:
    from extract import extract_text
    date = dt.date.fromisoformat(published) if published else None
    return tuple(extract_text(article, case, date).to_dict("records"))


def blank(x) -> bool:
    return x is None or x == "" or (not isinstance(x, str) and pd.isna(x))


def as_cell(x) -> str:
    """A found value as the CSV would write it: dates in ISO form, empty for missing."""
    if blank(x):
        return ""
    if isinstance(x, (dt.date, pd.Timestamp)):
        return pd.Timestamp(x).date().isoformat()
    return str(x)


def figure_at(found: tuple[dict, ...], text: str, where: tuple[int, int]) -> dict | None:
    """The found figure with this text at this place, else the one overlapping it most."""
    def overlap(row):
        if blank(row.get("start")) or blank(row.get("end")):
            return 0
        return min(int(row["end"]), where[1]) - max(int(row["start"]), where[0])
    exact = [r for r in found if r.get("text") == text and overlap(r) == where[1] - where[0]]
    if exact:
        return exact[0]
    best = max(found, key=overlap, default=None)
    return best if best is not None and overlap(best) > 0 else None


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row["id"])
def test_figure_context(row):
    where = locate(row["article"], row["text"], row["k"])
    assert where is not None, f"case file error: {row['text']!r} occurs fewer than {row['k'] + 1} times"
    found = extract_case(row["case"], row["article"], row["published"])
    figure = figure_at(found, row["text"], where)
    assert figure is not None, (
        f"\ncase {row['case']}: no figure found at {row['text']!r} {where}; found:\n"
        + "\n".join(f"  {r.get('text')!r} @{r.get('start')}:{r.get('end')}" for r in found))
    problems = [f"  {field}: expected {row[field] or None!r}, got {as_cell(figure.get(field)) or None!r}"
                for field in FIELDS if as_cell(figure.get(field)) != row[field]]
    assert not problems, (f"\ncase {row['case']}, figure {row['text']!r} (found as {figure.get('text')!r}, "
                          f"rule {figure.get('rule')}):\n" + "\n".join(problems))


def test_context_case_file_is_well_formed():
    problems = []
    last_start: dict[str, int] = {}
    for row in ROWS:
        where = locate(row["article"], row["text"], row["k"])
        name = f"{row['case']}: {row['text']!r}"
        if where is None:
            problems.append(f"{name} does not occur {row['k'] + 1} times in its article")
            continue
        if where[0] < last_start.get(row["case"], -1):
            problems.append(f"{name} is out of article order")
        last_start[row["case"]] = where[0]
        if row["metric"] not in METRICS:
            problems.append(f"{name}: unknown metric {row['metric']!r}")
        if bool(row["province"]) != bool(row["province_2025"]):
            problems.append(f"{name}: province and province_2025 go together")
        dates = [row[c] for c in ("period_start", "period_end", "published")]
        try:
            start, end, _ = [dt.date.fromisoformat(d) if d else None for d in dates]
        except ValueError:
            problems.append(f"{name}: dates must be ISO (YYYY-MM-DD)")
            continue
        if (start is None) != (end is None) or (start and start > end):
            problems.append(f"{name}: period_start and period_end must both be given, in order")
    assert len(ROWS) >= 40, "context.csv should keep at least 40 rows"
    assert not problems, "\n".join(problems)
