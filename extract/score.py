"""Score a facts table against gold labels: `python -m extract.score GOLD.csv FACTS.csv`.

A facts row matches a gold row of the same article when its value agrees to
within 0.5 % and its unit is the same (a counting noun may be the other's first
words); where an article holds the same value twice, the text decides. Prints
precision, recall and F1 of the figures, the accuracy of each context field
over the matched figures, and every miss.
"""
from __future__ import annotations

import argparse
import functools
import json
import sys
import unicodedata
from collections import defaultdict

import pandas as pd

from .lexicon import column

FIELDS = ["metric", "province", "period_start", "period_end", "qualifier"]


def _clean(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


def _number(value) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(v) else v


@functools.cache
def _unit_keys() -> frozenset[str]:
    return frozenset(u.lower() for u in column("units.csv", "unit"))


def same_unit(a: str, b: str) -> bool:
    """Unit keys agree exactly; counting nouns may be one the other's first words."""
    a, b = _clean(a).lower(), _clean(b).lower()
    if a == b:
        return True
    keys = _unit_keys()
    if not a or not b or a in keys or b in keys:
        return False
    wa, wb = a.split(), b.split()
    k = min(len(wa), len(wb))
    return wa[:k] == wb[:k]


def same_value(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    return a == b or abs(a - b) <= 0.005 * max(abs(a), abs(b))


def match(gold: list[dict], facts: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one pairs, gold rows in order, each taking its best free facts row."""
    by_doc = defaultdict(list)
    for f in facts:
        by_doc[_clean(f.get("doc_id"))].append(f)
    used, pairs = set(), []
    for g in gold:
        best, best_score = None, -1
        gv, gt = _number(g.get("value")), _clean(g.get("text"))
        for f in by_doc[_clean(g.get("doc_id"))]:
            if id(f) in used or not same_unit(f.get("unit"), g.get("unit")) \
                    or not same_value(_number(f.get("value")), gv):
                continue
            ft = _clean(f.get("text"))
            score = 2 if ft == gt else 1 if ft and (ft in gt or gt in ft) else 0
            if score > best_score:
                best, best_score = f, score
        if best is not None:
            used.add(id(best))
            pairs.append((g, best))
    return pairs


def _field_value(row: dict, field: str) -> str:
    value = _clean(row.get(field))
    return value[:10] if field.startswith("period") else value


def score(gold: pd.DataFrame, facts: pd.DataFrame) -> dict:
    """Figures' precision, recall, F1 and each field's accuracy, with the misses."""
    gold_rows = gold.astype(object).where(gold.notna(), None).to_dict("records")
    docs = {_clean(g["doc_id"]) for g in gold_rows}
    fact_rows = [f for f in facts.astype(object).where(facts.notna(), None).to_dict("records")
                 if _clean(f.get("doc_id")) in docs]
    pairs = match(gold_rows, fact_rows)
    p = len(pairs) / len(fact_rows) if fact_rows else 0.0
    r = len(pairs) / len(gold_rows) if gold_rows else 0.0
    result = {"gold": len(gold_rows), "system": len(fact_rows), "matched": len(pairs), "precision": p,
              "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "wrong": []}
    for field in FIELDS:
        judged = [(g, f) for g, f in pairs if _clean(g.get(field))
                  and not (field == "metric" and _clean(g.get(field)) == "other")]
        wrong = [(g, f) for g, f in judged if _field_value(f, field) != _field_value(g, field)]
        result[field] = 1 - len(wrong) / len(judged) if judged else None
        result["wrong"] += [f"wrong {field}: {g['doc_id']} | {g['text']} | gold={_field_value(g, field)} "
                            f"got={_field_value(f, field)}" for g, f in wrong]
    matched = {id(g) for g, _ in pairs}
    result["missed"] = [f"missed: {g['doc_id']} | {g['text']} | {g['value']} {g['unit']}"
                        for g in gold_rows if id(g) not in matched]
    paired = {id(f) for _, f in pairs}
    result["extra"] = [f"extra: {f['doc_id']} | {f['text']} | {f['value']} {f['unit']}"
                       for f in fact_rows if id(f) not in paired]
    return result


def _read(path: str) -> pd.DataFrame:
    if path.endswith(".parquet"):
        return pd.read_parquet(path)
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract.score", description=__doc__.splitlines()[0])
    parser.add_argument("gold")
    parser.add_argument("facts")
    parser.add_argument("--json", action="store_true", help="print the measures as JSON")
    args = parser.parse_args(argv)
    try:
        result = score(_read(args.gold), _read(args.facts))
    except (OSError, ValueError, KeyError) as exc:
        print(f"cannot score: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if not isinstance(v, list)}))
        return 0
    for line in result["missed"] + result["extra"] + result["wrong"]:
        print(line)
    fmt = lambda v: "n/a" if v is None else f"{v:.3f}"
    period = None if result["period_start"] is None else (result["period_start"] + result["period_end"]) / 2
    print(f"gold={result['gold']} system={result['system']} matched={result['matched']} "
          f"precision={fmt(result['precision'])} recall={fmt(result['recall'])} f1={fmt(result['f1'])}")
    print(" ".join(f"{f}={fmt(result[f])}" for f in FIELDS) + f" period={fmt(period)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
