"""Loads the word lists and patterns under extract/data/ once per process."""
from __future__ import annotations

import csv
import functools
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import ahocorasick_rs
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


def _syntax(pattern: str):
    """(index, character, depth) of each `(`, `)` and `|` of a pattern, escapes and classes
    skipped; `depth` is the nesting level outside that character."""
    depth, i = 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif c == "[":
            i = pattern.index("]", i + 2)
        elif c == "(":
            yield i, c, depth
            depth += 1
        elif c == ")":
            depth -= 1
            yield i, c, depth
        elif c == "|":
            yield i, c, depth
        i += 1


def _alternatives(body: str) -> list[str]:
    """`body` cut at its top-level `|`."""
    cuts = [i for i, c, depth in _syntax(body) if c == "|" and not depth]
    return [body[a + 1:b] for a, b in zip([-1, *cuts], [*cuts, len(body)])]


def _captures(body: str) -> bool:
    return any(c == "(" and not body.startswith("(?", i) for i, c, _ in _syntax(body))


def literal_starts(pattern: str, limit: int = 8) -> list[str]:
    """Patterns that together match what `pattern` matches, each starting, where possible, with
    a literal word rather than a choice (`(?:trong|cùng)\\s+kỳ` → `trong\\s+kỳ`, `cùng\\s+kỳ`).

    `regex` scans fast for a literal start and slowly for a choice. Top-level alternatives and a
    leading non-capturing group (optional or not) holding no capturing group are expanded."""
    out, todo = [], _alternatives(pattern)
    while todo:
        piece = todo.pop(0)
        if not piece.startswith("(?:"):
            out.append(piece)
            continue
        end = next(i for i, c, depth in _syntax(piece) if c == ")" and not depth) + 1
        body, rest = piece[3:end - 1], piece[end:]
        optional = rest.startswith("?") and not rest.startswith("??")
        rest = rest[optional:]
        alternatives = _alternatives(body) + ([""] if optional else [])
        if rest[:1] in ("*", "+", "{", "?") or _captures(body) or len(out) + len(todo) + len(alternatives) > limit:
            out.append(piece)
            continue
        todo[:0] = [alt + rest for alt in alternatives]
    return out


@dataclass(frozen=True)
class Rule:
    """A named pattern, compiled as one or more patterns with literal starts (`literal_starts`);
    `lower` ones are written in lower case and run on the lowered text."""

    name: str
    compiled: tuple
    lower: bool


@functools.cache
def patterns(name: str) -> dict[str, Rule]:
    """Named regexes of a data file with columns name, pattern, flags (`i`: match the lowered text)."""
    return {r["name"]: Rule(r["name"], tuple(regex.compile(p) for p in literal_starts(r["pattern"])),
                            "i" in (r.get("flags") or ""))
            for r in rows(name)}


class Phrases:
    """Named lists of phrases, all found as whole words in one pass over an article (an
    Aho-Corasick automaton over its lowered text).

    Phrases of an `exact` list match only as spelled, capitals included; the others match in any
    case. Within each list, where matches overlap, the leftmost wins, then the longest, as a regex
    alternation of the phrases sorted longest first would choose.
    """

    def __init__(self, lists: dict, exact=()):
        self.names = list(lists)
        entries = defaultdict(list)
        for index, (name, phrases) in enumerate(lists.items()):
            for phrase in set(phrases):
                entries[phrase.lower()].append((index, phrase, name in exact))
        self.keys = [(len(key), tuple(found)) for key, found in entries.items()]
        self.automaton = ahocorasick_rs.AhoCorasick(
            list(entries), implementation=ahocorasick_rs.Implementation.DFA) if entries else None

    def find(self, text: str, low: str) -> dict[str, list[tuple[int, int, str]]]:
        """For each list, (start, end, phrase) of its whole-word matches in `text` (`low`: the
        same lowered, character for character), in order, none overlapping.

        The automaton reports matches by end position, so each list keeps its leftmost-longest
        choice as they come (see `_displaces`) instead of sorting them afterwards."""
        found = [[] for _ in self.names]
        if self.automaton is not None:
            n = len(low)
            for key, _, end in self.automaton.find_matches_as_indexes(low, overlapping=True):
                length, entries = self.keys[key]
                start = end - length
                if (start and low[start - 1].isalnum()) or (end < n and low[end].isalnum()):
                    continue
                for index, phrase, exact in entries:
                    if exact and text[start:end] != phrase:
                        continue
                    kept = found[index]
                    if kept and start < kept[-1][1] and not _displaces(kept, start, end):
                        continue
                    kept.append((start, end, phrase))
        return dict(zip(self.names, found))


def _displaces(kept: list[tuple[int, int, str]], start: int, end: int) -> bool:
    """Whether the match [start, end), which overlaps the last of `kept` and ends at or after
    every one of them, replaces kept matches (then dropped from `kept`).

    It competes with the first kept match it overlaps, and wins when it starts earlier, or at
    the same place and is longer; the kept matches after that one then overlap it too."""
    k = len(kept) - 1
    while k and start < kept[k - 1][1]:
        k -= 1
    rival_start, rival_end, _ = kept[k]
    if start > rival_start or (start == rival_start and end <= rival_end):
        return False
    del kept[k:]
    return True
