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
from itertools import compress
from operator import attrgetter
from typing import NamedTuple

import regex

from .lexicon import alternation, column, rows
from .normalize import normalize_name
from .spans import Spans

MERGER = dt.date(2025, 7, 1)
_NAME = r"\p{Lu}\p{Ll}*(?:[ -](?:\p{Lu}\p{Ll}*|\d+|[IVX]+)(?!\w))*"
_FINENESS = {"post": 4, "gate": 4, "commune": 3, "district": 2, "province": 1}


class Place(NamedTuple):
    """One entry of the gazetteer."""

    label: str
    kind: str
    province: str
    province_2025: str
    era: str


class Mention(NamedTuple):
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
        province = [p for p, k in prefixes.items() if k == "province"]
        self.province_prefixed = tuple([f" {p} " for p in province] + [f". {p.capitalize()} " for p in province])
        """How text reads right before a province named with its prefix, in the usual spellings:
        within a sentence, or opening one."""
        self.name_pattern = regex.compile(rf"\s+({_NAME})")
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
    def named(self, kind: str, words: str, era: str) -> tuple[tuple[Place, ...], int]:
        """`lookup`, and for a district prefix, communes when no district fits. Articles name
        the same places again and again: answers are remembered."""
        found = self.lookup(kind, words, era)
        if not found[0] and kind == "district":
            return self.lookup("commune", words, era)
        return found

    def lookup(self, kind: str, words: str, era: str) -> tuple[tuple[Place, ...], int]:
        """The places of `kind` the longest prefix of `words` may name (one per province of
        the article's era), and that prefix's length."""
        parts = words.split(" ")
        kinds = ("gate", "post") if kind in ("gate", "post") else (kind,)
        for n in range(len(parts), 0, -1):
            name = " ".join(parts[:n])
            name = self.aliases.get(name, name)
            found = [p for k in kinds for p in self.by_kind[k].get(name, [])]
            if found:
                return tuple(_candidates(found, era)), len(" ".join(parts[:n]))
        return (), 0

    def name_after(self, text: str, end: int) -> regex.Match | None:
        """The capitalised name after the prefix ending at `end`, as a match (group 1), or None."""
        after = text[end:end + 2]
        if not after[:1].isspace() or after[1:].islower():
            return None  # no space after the prefix, or a lower-case letter after one: no name
        return self.name_pattern.match(text, end)

    def names_country(self, text: str, at: int) -> bool:
        """True when a country in brackets follows `at`: a neighbour's place."""
        after = text[at:at + 2]
        if "(" not in after and not after.isspace():
            return False  # neither a bracket nor two spaces: no bracket after spaces either
        return bool(self.country.match(text, at))

    def province_prefix_before(self, text: str, start: int) -> bool:
        """True when text reads as `province_prefixed` right before `start`. Then `prefix_before`
        finds a province prefix there and `person_before` nothing (no other prefix and no surname
        ends that way), so this cheap test settles the usual case without them."""
        return text.endswith(self.province_prefixed, 0, start)

    def kind_of_prefix(self, found: str) -> str | None:
        """The kind of place a prefix as found in the normalised text (spaces around) names."""
        return self.prefix_kind.get(found.strip().lower())

    @functools.lru_cache(maxsize=4096)
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
    foreign = [(s, e) for s, e, _ in phrases["foreign"]]
    out = [Mention(s, e, None, "foreign", name) for s, e, name in phrases["foreign"]]
    names = _after_prefixes(g, text, phrases["prefixes"], era, Spans(foreign) if foreign else None, out)
    _provinces(g, text, phrases["provinces"], era, Spans(foreign + names), out)
    if any(len(mn.candidates) > 1 for mn in out):
        out = _settled(out)
    if elsewhere:
        home = Spans(elsewhere)
        out = [_as_home(mn, home) for mn in out]
    return sorted(out, key=attrgetter("start"))


def _after_prefixes(g: Gazetteer, text: str, prefixes, era: str, foreign: Spans | None, out: list) -> list:
    """Adds to `out` the places named after a prefix (`xã`, `cửa khẩu`), unless inside a neighbour's
    place (`foreign`, None: none); returns the names' spans."""
    names = []
    for start, end, prefix in prefixes:
        kind = g.prefix_kind[prefix]
        if kind == "province" or not (m := g.name_after(text, end)):
            continue
        name_start, name_stop = m.span(1)
        if foreign and foreign.overlaps(name_start, name_stop):
            continue
        name = text[name_start:name_stop]
        found, length = g.named(kind, name, era)
        if not found:
            continue
        name_end = name_start + length
        if g.names_country(text, name_end):
            out.append(Mention(start, name_end, None, "foreign", name[:length]))
        else:
            out.append(Mention(start, name_end, found[0], candidates=found))
        names.append((name_start, name_end))
    return names


def _provinces(g: Gazetteer, text: str, matches, era: str, taken: Spans, out: list) -> None:
    """Adds to `out` the provinces named outside `taken` (`_not_province`)."""
    for start, end, alias in matches:
        if taken.overlaps(start, end):
            continue
        name = g.province_alias[alias]
        if not g.province_prefix_before(text, start) and _not_province(g, text, start, name):
            continue
        if g.names_country(text, end):
            out.append(Mention(start, end, None, "foreign", alias))
            continue
        out.append(Mention(start, end, g.province_place(name, era)))


def _not_province(g: Gazetteer, text: str, start: int, name: str) -> bool:
    """True when a prefix of another kind (`thành phố Lào Cai`: a city) or a person's name comes
    before the province `name` at `start`, or no prefix comes before a name that needs one."""
    before = text[max(0, start - 25):start]
    prefixed = g.prefix_before.search(before)
    if prefixed and g.kind_of_prefix(prefixed.group(0)) != "province":
        return True
    return name in g.needs_prefix and not prefixed or bool(g.person_before.search(before))


def _settled(mentions: list[Mention]) -> list[Mention]:
    """Names shared by places of several provinces settled (`_settle`); those left unsettled dropped."""
    named = {mn.place.province for mn in mentions if mn.place and mn.place.kind == "province"}
    out = [_settle(mn, named) if len(mn.candidates) > 1 else mn for mn in mentions]
    return [mn for mn in out if mn.place or mn.role != "here"]


def _settle(mention: Mention, named: set[str]) -> Mention:
    """A name shared by places of several provinces: the one whose province the article names."""
    fits = [p for p in mention.candidates if p.province in named or p.province_2025 in named]
    place = fits[0] if len(fits) == 1 else None
    return Mention(mention.start, mention.end, place, mention.role, mention.foreign_name)


def _as_home(mention: Mention, home_spans: Spans) -> Mention:
    """A place named in someone's address (`home_spans`): their home, not where figures happened."""
    if mention.role == "here" and home_spans.overlaps(mention.start, mention.end):
        return Mention(mention.start, mention.end, mention.place, "home")
    return mention


def _nearest(starts: list[int], at: int) -> int:
    """Index of the start nearest `at` in sorted `starts`: the earlier one on a tie, the first
    of equal starts."""
    i = bisect.bisect_right(starts, at)
    if i and (i == len(starts) or at - starts[i - 1] <= starts[i] - at):
        return bisect.bisect_left(starts, starts[i - 1])
    return i


def _choices(found: list[Mention]) -> tuple[list[int], list[tuple[Place, Place | None]]]:
    """The starts of the places a span names that a figure may take (its provinces, else all of
    them), and for each, the answer: that place and the finest place of its province below it."""
    finest, provinces = {}, []
    for m in found:
        p = m.place
        if p.kind == "province":
            provinces.append(m)
        else:
            known = finest.get(p.province_2025)
            if known is None or _FINENESS[p.kind] > _FINENESS[known.kind]:
                finest[p.province_2025] = p
    starts, answers = [], []
    for m in provinces or found:
        starts.append(m.start)
        answers.append((m.place, finest.get(m.place.province_2025)))
    return starts, answers


_UNKNOWN = object()


class Resolver:
    """Province and place for a span, by the scope order of the facts schema."""

    def __init__(self, mentions: list[Mention], main_spans: Spans):
        """`mentions` as `find_places` gives them: in order of start."""
        self.here = [m for m in mentions if m.role == "here" and m.place]
        self.starts = [m.start for m in self.here]
        self.foreign = [m for m in mentions if m.role == "foreign"]
        self.foreign_starts = [m.start for m in self.foreign]
        self.main = self._main(main_spans)
        self._by_scopes = {}
        """`_choices` of the first scope naming a place (None: no scope does), by scopes: the
        figures of a sentence share them."""

    def _main(self, main_spans: Spans) -> Place | None:
        """The province named most often in the article's body (the first named of equals)."""
        provinces = [m.place.province for m in self.here]
        counts = Counter(compress(provinces, [start in main_spans for start in self.starts]))
        if not counts:
            return None
        return self.here[provinces.index(max(counts, key=counts.get))].place

    def _first_named(self, scopes: tuple) -> tuple | None:
        """`_choices` of the first of `scopes` that names a place, or None."""
        starts = self.starts
        for start, end in scopes:
            i = bisect.bisect_left(starts, start)
            if i < len(starts) and starts[i] < end:
                return _choices(self.here[i:bisect.bisect_left(starts, end, i)])
        return None

    def resolve(self, at: int, scopes, use_main: bool) -> tuple[Place | None, Place | None]:
        """(province place, finest place) for offset `at`: the first scope naming a place wins,
        and in it the nearest province (else the nearest place)."""
        key = tuple(scopes)
        choices = self._by_scopes.get(key, _UNKNOWN)
        if choices is _UNKNOWN:
            choices = self._by_scopes[key] = self._first_named(key)
        if choices is None:
            return (self.main, None) if use_main else (None, None)
        starts, answers = choices
        return answers[_nearest(starts, at)] if len(starts) > 1 else answers[0]

    def counterpart(self, start: int, end: int) -> str | None:
        """The first neighbour's place named in [start, end), or None."""
        i = bisect.bisect_left(self.foreign_starts, start)
        return self.foreign[i].foreign_name if i < len(self.foreign) and self.foreign_starts[i] < end else None
