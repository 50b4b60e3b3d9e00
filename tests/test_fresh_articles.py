"""The extractor scored on held-out articles: tests/cases/articles/ and its gold.csv.

The articles were written and labelled apart from the extractor (see the folder's
README.md). The floors below are the accuracy the extractor must keep; on failure
the scorer's miss lines say which figures went wrong.
"""
import collections
import re
from pathlib import Path

import pandas as pd
import pytest

import extract
from extract.score import score

ARTICLES = Path(__file__).parent / "cases" / "articles"
GOLD_HEADER = ["doc_id", "text", "value", "unit", "qualifier", "metric", "province",
               "period_start", "period_end"]
FLOORS = {"precision": 0.95, "recall": 0.95, "qualifier": 0.95, "metric": 0.90, "province": 0.95,
          "period_start": 0.90, "period_end": 0.90}
"""The floors an unseen article set must clear; the extractor stands well above them."""


def read_gold() -> pd.DataFrame:
    return pd.read_csv(ARTICLES / "gold.csv", dtype=str, keep_default_na=False, encoding="utf-8")


def occurrences(text: str, article: str) -> int:
    """How often `text` stands in `article` as a whole quantity (not the tail of a longer number)."""
    tail = r"(?!\d)" if text[-1].isdigit() else ""
    return len(re.findall(r"(?<![\d.,])" + re.escape(text) + tail, article))


@pytest.fixture(scope="module")
def corpus():
    return extract.load_corpus([ARTICLES])


@pytest.fixture(scope="module")
def result(corpus):
    return score(read_gold(), corpus.facts)


def misses(result: dict) -> str:
    return "\n".join(result["missed"] + result["extra"] + result["wrong"])


def test_gold_file_is_well_formed():
    gold = read_gold()
    assert list(gold.columns) == GOLD_HEADER
    for doc_id, rows in gold.groupby("doc_id"):
        article = (ARTICLES / f"{doc_id}.txt").read_text(encoding="utf-8")
        for text, n in collections.Counter(rows["text"]).items():
            assert occurrences(text, article) == n, f"{doc_id}: {text!r} has {n} gold rows"
    assert (gold["period_start"] <= gold["period_end"]).all()


def test_every_article_is_read(corpus):
    names = {p.stem for p in ARTICLES.glob("*.txt")}
    assert len(names) == 12
    assert set(corpus.articles["doc_id"]) == names
    assert set(read_gold()["doc_id"]) == names
    assert sorted(Path(s.source).name for s in corpus.skipped) == ["README.md", "gold.csv"]


@pytest.mark.parametrize("measure", ["precision", "recall"])
def test_figures_found(result, measure):
    assert result[measure] >= FLOORS[measure], f"{measure}={result[measure]:.3f}\n{misses(result)}"


@pytest.mark.parametrize("field", ["qualifier", "metric", "province", "period_start", "period_end"])
def test_field_accuracy(result, field):
    assert result[field] is not None, "no figure matched"
    assert result[field] >= FLOORS[field], f"{field}={result[field]:.3f}\n{misses(result)}"
