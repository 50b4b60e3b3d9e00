"""Every phrase the dashboard shows, in Vietnamese and English, read from strings.csv."""
from __future__ import annotations

import csv
import functools
from collections.abc import Callable
from pathlib import Path

LANGUAGES = ("vi", "en")
STRINGS_CSV = Path(__file__).with_name("strings.csv")


@functools.cache
def table() -> dict[str, dict[str, str]]:
    """key -> {"vi": …, "en": …} for every row of strings.csv."""
    with STRINGS_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["key"]: {lang: row[lang] for lang in LANGUAGES} for row in csv.DictReader(handle)}


def text(key: str, lang: str = "vi", **values) -> str:
    """The phrase `key` in `lang`, with `{placeholders}` filled from `values`."""
    phrase = table()[key][lang]
    return phrase.format(**values) if values else phrase


def translator(lang: str) -> Callable[..., str]:
    """`text` with the language fixed: T("tab.overview")."""
    return functools.partial(_lookup, lang)


def _lookup(lang: str, key: str, **values) -> str:
    return text(key, lang, **values)


def has(key: str) -> bool:
    return key in table()
