"""Loads the word lists and patterns under extract/data/ once per process."""
from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

import ahocorasick
import regex

DATA_DIR = Path(__file__).parent / "data"


@functools.cache
def rows(name: str) -> tuple[dict, ...]:
    """Rows of data/NAME as dicts (UTF-8 CSV with a header; `#` lines are comments)."""
    with open(DATA_DIR / name, encoding="utf-8", newline="") as f:
        lines = (line for line in f if not line.startswith("#"))
        return tuple(csv.DictReader(lines))


def column(name: str, col: str) -> list[str]:
    """One column of a data file, in file order."""
    return [r[col] for r in rows(name)]


def connectives(role: str) -> list[str]:
    """The joining words of one role in data/connectives.csv (list, separator, range, range_start)."""
    return [r["word"] for r in rows("connectives.csv") if r["role"] == role]


def alternation(words, *, boundary: bool = True, left: bool = True) -> str:
    """A regex alternation of literal words, longest first so the longest wins.

    With `boundary` the match must end at a word boundary, and with `left` also start at one.
    """
    body = "(?:" + "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")"
    if not boundary:
        return body
    return (r"(?<![\w])" if left else "") + body + r"(?![\w])"


@dataclass(frozen=True)
class Rule:
    """A named pattern; `lower` ones are written in lower case and run on the lowered text."""

    name: str
    pattern: "regex.Pattern"
    lower: bool

    def finditer(self, text: str, lowered: str, *span):
        return self.pattern.finditer(lowered if self.lower else text, *span)


@functools.cache
def patterns(name: str) -> dict[str, Rule]:
    """Named regexes of a data file with columns name, pattern, flags (`i`: match the lowered text)."""
    return {r["name"]: Rule(r["name"], regex.compile(r["pattern"]), "i" in (r.get("flags") or ""))
            for r in rows(name)}


class Phrases:
    """Finds listed phrases as whole words in one pass (an Aho-Corasick automaton).

    Where matches overlap, the leftmost wins, then the longest, as a regex
    alternation of the phrases sorted longest first would choose.
    """

    def __init__(self, phrases):
        self.automaton = ahocorasick.Automaton()
        for phrase in set(phrases):
            self.automaton.add_word(phrase, phrase)
        self.empty = not len(self.automaton)
        if not self.empty:
            self.automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, phrase) of every whole-word match in `text`, in order, none overlapping."""
        if self.empty:
            return []
        n = len(text)
        found = []
        for last, phrase in self.automaton.iter(text):
            start, end = last + 1 - len(phrase), last + 1
            if (start == 0 or not text[start - 1].isalnum()) and (end == n or not text[end].isalnum()):
                found.append((start, end, phrase))
        found.sort(key=lambda f: (f[0], f[0] - f[1]))
        out, reach = [], 0
        for f in found:
            if f[0] >= reach:
                out.append(f)
                reach = f[1]
        return out
