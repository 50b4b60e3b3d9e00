"""The gazetteer: provinces (both sides of the 1 July 2025 merger), communes,
districts, border gates and posts, and the neighbours' places, from extract/data/places/.

`find_places` reads every place mention in an article once; `Resolver` then
answers, for any span, which province and finest place the text names there.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections import Counter, defaultdict
from dataclasses import dataclass

import regex

from .lexicon import alternation, column, rows
from .normalize import normalize_name
from .spans import Spans

MERGER = dt.date(2025, 7, 1)
_NAME = r"\p{Lu}\p{Ll}*(?:[ -](?:\p{Lu}\p{Ll}*|\d+|[IVX]+)(?!\w))*"
_FINENESS = {"post": 4, "gate": 4, "commune": 3, "district": 2, "province": 1}


@dataclass(frozen=True)
class Place:
    """One entry of the gazetteer."""

    label: str
    kind: str
    province: str
    province_2025: str
    era: str


@dataclass(frozen=True)
class Mention:
    """A place named at [start, end) of the normalised text."""

    start: int
    end: int
    place: Place | None
    role: str = "here"
    """`here`, `home` (someone's address) or `foreign` (a neighbour's place)."""
    foreign_name: str | None = None
    candidates: tuple = ()
    """Places of several provinces that share the name, until the article says which."""


class Gazetteer:
    """Every place list, indexed by name as normalised text spells it."""

    def __init__(self):
        self.province_2025 = {}
        self.era_names = defaultdict(set)
        self.province_alias = {}
        for r in rows("places/provinces.csv"):
            name = normalize_name(r["name"])
            self.province_2025[name] = normalize_name(r["name_2025"])
            self.era_names[r["era"]].add(name)
            self.province_alias[name] = name
            for alias in filter(None, (r["aliases"] or "").split(";")):
                self.province_alias[normalize_name(alias)] = name
        self.needs_prefix = {normalize_name(n) for n in column("province_needs_prefix.csv", "name")}
        self.aliases = {normalize_name(r["variant"]): normalize_name(r["canonical"])
                        for r in rows("places/place_aliases.csv")}
        self.by_kind = defaultdict(lambda: defaultdict(list))
        for r in rows("places/admin_units.csv"):
            name = normalize_name(r["name"])
            place = Place(f"{r['type']} {name}", r["level"], normalize_name(r["province"]),
                          normalize_name(r["province_2025"]), r["era"])
            self.by_kind[r["level"]][name].append(place)
        gate_label = {r["kind"]: r["label"] for r in rows("gate_kinds.csv")}
        gate_words = regex.compile(rf"^{alternation(list(gate_label.values()), boundary=False)}\s+", regex.I)
        for r in rows("places/border_gates.csv"):
            self._add_named("gate", r["name"], f"{gate_label.get(r['kind'], gate_label[''])} {r['name']}", r,
                            r["aliases"])
        for r in rows("places/border_posts.csv"):
            bare = gate_words.sub("", r["name"])
            self._add_named("post", r["name"], f"{gate_label['post']} {r['name']}", r, bare)
        self.foreign = {}
        for r in rows("places/foreign_places.csv"):
            for name in [r["name"], *filter(None, (r["aliases"] or "").split(";"))]:
                self.foreign[normalize_name(name)] = r["country"]
        prefixes = {normalize_name(r["prefix"]): r["kind"] for r in rows("place_prefixes.csv")}
        self.prefix_kind = {p.lower(): k for p, k in prefixes.items()}
        self.name_after = regex.compile(rf"\s+({_NAME})")
        self.country = regex.compile(rf"\s*\({alternation(column('countries.csv', 'name'), boundary=False)}\)")
        ends_with = regex.I | regex.REVERSE
        self.prefix_before = regex.compile(rf"{alternation(prefixes, boundary=False)}\s+$", ends_with)
        surnames = alternation(column("surnames.csv", "surname"), boundary=False)
        self.person_before = regex.compile(rf"(?<![\w]){surnames}(?:\s+\p{{Lu}}\p{{Ll}}*)*\s+$", regex.REVERSE)

    def _add_named(self, kind, name, label, r, aliases):
        place = Place(label, kind, normalize_name(r["province_old"]), normalize_name(r["province_2025"]), "both")
        for n in [name, *filter(None, (aliases or "").split(";"))]:
            self.by_kind[kind][normalize_name(n)].append(place)

    @functools.lru_cache(maxsize=65536)
    def lookup(self, kind: str, words: str, era: str) -> tuple[tuple[Place, ...], int]:
        """The places of `kind` the longest prefix of `words` may name (one per province of
        the article's era), and that prefix's length. Articles name the same places again and
        again: answers are remembered."""
        parts = words.split(" ")
        kinds = ("gate", "post") if kind in ("gate", "post") else (kind,)
        for n in range(len(parts), 0, -1):
            name = " ".join(parts[:n])
            name = self.aliases.get(name, name)
            found = [p for k in kinds for p in self.by_kind[k].get(name, [])]
            if found:
                return tuple(_candidates(found, era)), len(" ".join(parts[:n]))
        return (), 0

    def province_place(self, name: str, era: str) -> Place:
        """A province as a place, named as at the article's time."""
        new = self.province_2025.get(name, name)
        label = new if era == "new" and name not in self.era_names["new"] else name
        return Place(label, "province", label, new, era)


def _candidates(found: list[Place], era: str) -> list[Place]:
    """The entries of the article's era, the finest one per province of that era."""
    same = [p for p in found if p.era in (era, "both")] or found
    best = {}
    for p in same:
        key = p.province_2025 if era == "new" else p.province
        if key not in best or _FINENESS[p.kind] > _FINENESS[best[key].kind]:
            best[key] = p
    return list(best.values())


@functools.cache
def gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per process."""
    return Gazetteer()


def era_of(published: dt.date | None) -> str:
    return "new" if published and published >= MERGER else "old"


EXACT_LISTS = ("provinces", "foreign")
"""Phrase lists that match only as spelled: names, not common words."""


def phrase_lists() -> dict:
    """The phrase lists `find_places` reads: place prefixes (any case), province and foreign names."""
    g = gazetteer()
    return {"prefixes": g.prefix_kind, "provinces": g.province_alias, "foreign": g.foreign}


def find_places(text: str, low: str, published: dt.date | None, elsewhere, phrases: dict) -> list[Mention]:
    """Every place mention in the normalised article (`low`: the same, lowered), in order.

    `phrases` holds the article's matches of `phrase_lists`; `elsewhere` are spans (homes,
    partners) whose places are not where figures happened."""
    g = gazetteer()
    era = era_of(published)
    out = [Mention(s, e, None, "foreign", name) for s, e, name in phrases["foreign"]]
    foreign = Spans((m.start, m.end) for m in out)
    after_prefix = []
    for start, end, prefix in phrases["prefixes"]:
        kind = g.prefix_kind[prefix]
        m = g.name_after.match(text, end)
        if kind == "province" or not m or foreign.overlaps(*m.span(1)):
            continue
        found, length = g.lookup(kind, m.group(1), era)
        if not found and kind == "district":
            found, length = g.lookup("commune", m.group(1), era)
        if not found:
            continue
        name_end = m.start(1) + length
        if g.country.match(text, name_end):
            out.append(Mention(start, name_end, None, "foreign", m.group(1)[:length]))
        else:
            out.append(Mention(start, name_end, found[0], candidates=tuple(found)))
        after_prefix.append((m.start(1), name_end))
    taken = Spans([*zip(foreign.starts, foreign.ends), *after_prefix])
    for start, end, alias in phrases["provinces"]:
        if taken.overlaps(start, end):
            continue
        name = g.province_alias[alias]
        before = text[max(0, start - 25):start]
        prefixed = g.prefix_before.search(before)
        if prefixed and g.prefix_kind.get(normalize_name(prefixed.group(0).strip()).lower()) != "province":
            continue
        if name in g.needs_prefix and not prefixed or g.person_before.search(before):
            continue
        if g.country.match(text, end):
            out.append(Mention(start, end, None, "foreign", alias))
            continue
        out.append(Mention(start, end, g.province_place(name, era)))
    named = {mn.place.province for mn in out if mn.place and mn.place.kind == "province"}
    out = [_settle(mn, named) for mn in out]
    elsewhere = Spans(elsewhere)
    out = [_as_home(mn, elsewhere) for mn in out if mn.place or mn.role != "here"]
    return sorted(out, key=lambda mn: mn.start)


def _settle(mention: Mention, named: set[str]) -> Mention:
    """A name shared by places of several provinces: the one whose province the article names."""
    if len(mention.candidates) <= 1:
        return mention
    fits = [p for p in mention.candidates if p.province in named or p.province_2025 in named]
    place = fits[0] if len(fits) == 1 else None
    return Mention(mention.start, mention.end, place, mention.role, mention.foreign_name)


def _as_home(mention: Mention, home_spans) -> Mention:
    if mention.role == "here" and home_spans.overlaps(mention.start, mention.end):
        return Mention(mention.start, mention.end, mention.place, "home")
    return mention


class Resolver:
    """Province and place for a span, by the scope order of the facts schema."""

    def __init__(self, mentions: list[Mention], main_spans: Spans):
        self.here = [m for m in mentions if m.role == "here" and m.place]
        self.starts = [m.start for m in self.here]
        self.foreign = [m for m in mentions if m.role == "foreign"]
        counts = Counter()
        first = {}
        for m in self.here:
            if m.start in main_spans:
                counts[m.place.province] += 1
                first.setdefault(m.place.province, m.start)
        self.main = None
        if counts:
            best = max(counts.values())
            province = min((p for p, c in counts.items() if c == best), key=first.get)
            self.main = next(m.place for m in self.here if m.place.province == province)

    def _in(self, start, end):
        return self.here[bisect.bisect_left(self.starts, start):bisect.bisect_left(self.starts, end)]

    def resolve(self, at: int, scopes, use_main: bool) -> tuple[Place | None, Place | None]:
        """(province place, finest place) for offset `at`: the first scope naming a place wins."""
        for start, end in scopes:
            found = self._in(start, end)
            if not found:
                continue
            provinces = [m for m in found if m.place.kind == "province"]
            pool = provinces or found
            chosen = min(pool, key=lambda m: (abs(m.start - at), m.start > at)).place
            finer = [m.place for m in found if m.place.kind != "province"
                     and m.place.province_2025 == chosen.province_2025]
            fine = max(finer, key=lambda p: _FINENESS[p.kind]) if finer else None
            return chosen, fine
        return (self.main, None) if use_main else (None, None)

    def counterpart(self, start: int, end: int) -> str | None:
        names = [m.foreign_name for m in self.foreign if start <= m.start < end]
        return names[0] if names else None
