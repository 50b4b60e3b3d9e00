"""The scorer: the matching rules of the facts schema, on real files."""
import subprocess
import sys

import pandas as pd

from extract.score import same_unit, score

GOLD = pd.DataFrame([
    {"doc_id": "a", "text": "1.036 hồ sơ", "value": 1036.0, "unit": "dossiers", "qualifier": "exact",
     "metric": "dossiers_received", "province": "Nghệ An", "period_start": "2025-07-01", "period_end": "2025-11-22"},
    {"doc_id": "a", "text": "1.036 hồ sơ", "value": 1036.0, "unit": "dossiers", "qualifier": "exact",
     "metric": "dossiers_resolved", "province": "Nghệ An", "period_start": "2025-07-01", "period_end": "2025-11-22"},
    {"doc_id": "a", "text": "342 cuộc tuyên truyền", "value": 342.0, "unit": "cuộc tuyên truyền",
     "qualifier": "exact", "metric": "outreach", "province": "Sơn La", "period_start": "", "period_end": ""},
    {"doc_id": "a", "text": "hơn 33km", "value": 33.0, "unit": "km", "qualifier": "over",
     "metric": "other", "province": "", "period_start": "", "period_end": ""},
])


def test_a_perfect_table_scores_one():
    result = score(GOLD, GOLD.copy())
    assert (result["precision"], result["recall"], result["f1"]) == (1.0, 1.0, 1.0)
    assert all(result[f] == 1.0 for f in ["metric", "province", "period_start", "period_end", "qualifier"])


def test_misses_extras_and_wrong_fields_are_counted_and_listed():
    facts = GOLD.copy()
    facts.loc[1, "metric"] = "dossiers_received"
    facts.loc[2, ["unit", "metric"]] = ["cuộc", "other"]
    facts.loc[3, "value"] = 33.1
    facts = pd.concat([facts, GOLD.iloc[[0]].assign(value=7.0, text="7 hồ sơ")], ignore_index=True)
    facts = facts.drop(index=0)
    result = score(GOLD, facts)
    assert result["matched"] == 3 and result["recall"] == 0.75 and result["precision"] == 0.75
    assert result["metric"] == 0.5
    assert any("missed" in m and "1.036 hồ sơ" in m for m in result["missed"])
    assert any("7 hồ sơ" in e for e in result["extra"])
    assert any(w.startswith("wrong metric") for w in result["wrong"])


def test_value_tolerance_and_units():
    facts = GOLD.copy()
    facts["value"] = facts["value"] * 1.004
    assert score(GOLD, facts)["recall"] == 1.0
    facts["value"] = GOLD["value"] * 1.01
    assert score(GOLD, facts)["recall"] == 0.0
    assert same_unit("cuộc", "cuộc tuyên truyền") and not same_unit("persons", "person_trips")
    assert not same_unit("tờ", "tờ rơi tuyên") or same_unit("tờ rơi", "tờ rơi tuyên")


def test_command_line_prints_measures_and_misses(tmp_path):
    gold, facts = tmp_path / "gold.csv", tmp_path / "facts.csv"
    GOLD.to_csv(gold, index=False)
    GOLD.iloc[1:].to_csv(facts, index=False, encoding="utf-8-sig")
    out = subprocess.run([sys.executable, "-m", "extract.score", str(gold), str(facts)],
                         capture_output=True, text=True, check=True).stdout
    assert "missed: a | 1.036 hồ sơ" in out
    assert "recall=0.750" in out and "precision=1.000" in out
    bad = subprocess.run([sys.executable, "-m", "extract.score", str(gold), str(tmp_path / "none.csv")],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "cannot score" in bad.stderr and "Traceback" not in bad.stderr
