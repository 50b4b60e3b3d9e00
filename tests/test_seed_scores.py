"""Accuracy on the built-in articles against their hand-made gold labels."""
from pathlib import Path

import pandas as pd
import pytest

import extract
from extract.score import score

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def result():
    gold = pd.read_csv(ROOT / "tests/cases/seeds_gold.csv", dtype=str, keep_default_na=False)
    facts = extract.extract_paths([ROOT / "seeds"])
    facts = facts.astype(object).where(facts.notna(), "")
    facts["period_start"] = facts["period_start"].map(lambda d: str(d)[:10])
    facts["period_end"] = facts["period_end"].map(lambda d: str(d)[:10])
    return score(gold, facts)


@pytest.mark.parametrize("measure,floor", [
    ("precision", 0.95), ("recall", 0.95), ("qualifier", 0.95), ("metric", 0.90), ("province", 0.95),
    ("period_start", 0.85), ("period_end", 0.85),
])
def test_seed_accuracy(result, measure, floor):
    lines = "\n".join(result["missed"] + result["extra"] + result["wrong"])
    assert result[measure] >= floor, f"{measure}={result[measure]:.3f} < {floor}\n{lines}"
