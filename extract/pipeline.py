"""One article in, its figures out: normalise, segment, read quantities, add context."""
from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass, field

import regex

from . import metrics, periods, places
from .document import Document
from .lexicon import Phrases
from .normalize import Normalized, lowered, normalize
from .quantities import NumberScan, find_quantities, may_hold_figures
from .segment import Paragraph, Sentence, paragraphs, sentences
from .spans import Spans

STOCKS = {"population", "area", "border_length", "border_markers", "villages"}
"""Metrics that describe a state, not a flow: no period unless their sentence gives one."""

_CLAUSE_END = regex.compile(r";")
_ADDRESS_END = regex.compile(r"[;.!?)]|\s-\s")


@functools.cache
def _phrases() -> Phrases:
    """Every phrase list an article is searched for, in one automaton."""
    return Phrases({**metrics.phrase_lists(), **places.phrase_lists()}, exact=places.EXACT_LISTS)


def _elsewhere_spans(text: str, cues: metrics.Cues) -> list[tuple[int, int]]:
    """Places named after `quê ở`, `trú tại` (a home) or `phối hợp với`, `giáp với` (a partner):
    not where the figures happened."""
    out = []
    for s, e, role in cues.markers_in(0, len(text)):
        if role in ("home", "partner"):
            stop = _ADDRESS_END.search(text, e, e + 120)
            out.append((e, stop.start() if stop else min(len(text), e + 120)))
    return out


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, s = [], start
    for m in _CLAUSE_END.finditer(text, start, end):
        out.append((s, m.end()))
        s = m.end()
    out.append((s, end))
    return out


@dataclass
class _Article:
    """What every figure of one article is read against."""

    doc: Document
    norm: Normalized
    low: str
    cues: metrics.Cues
    paras: list
    published: dt.date | None
    era: str
    resolver: places.Resolver
    mentions: list
    headline_periods: list
    holding: set
    """Indices of the paragraphs that may hold figures (a digit or a vague amount)."""
    numbers: NumberScan
    """The numbers of the article."""
    mention_starts: list = field(init=False)
    """Starts of `mentions` (which come in text order)."""

    def __post_init__(self):
        self.mention_starts = [m.start for m in self.mentions]

    @classmethod
    def read(cls, doc: Document) -> "_Article":
        norm = normalize(doc.text)
        text = norm.text
        low = lowered(text)
        found = _phrases().find(text, low)
        cues = metrics.Cues(low, found)
        paras = paragraphs(text)
        published = periods.published_date(text, low, paras, doc.published)
        main_spans = Spans((p.start, p.end) for p in paras if p.teaser is None)
        named = places.find_places(text, low, published, _elsewhere_spans(text, cues), found)
        numbers = NumberScan(low)
        holding = {p.index for p in paras if may_hold_figures(low, p.start, p.end, numbers)}
        near = Spans((p.start, p.end + 1) for p in paras if {p.index, p.index + 1} & holding or p.index < 2)
        mentions = _inherit(periods.mentions(text, low, near, published))
        lead_end = paras[min(1, len(paras) - 1)].end if paras else 0
        headline = [m for m in mentions if m.start < lead_end and periods.is_reporting(m)]
        return cls(doc, norm, low, cues, paras, published, places.era_of(published),
                   places.Resolver(named, main_spans), mentions, headline, holding, numbers)

    def mentions_in(self, start: int, end: int) -> list[periods.Mention]:
        """Period mentions that start in [start, end)."""
        starts = self.mention_starts
        return self.mentions[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]

    def paragraph_periods(self, p) -> list[periods.Mention]:
        """Period mentions of a paragraph; one that opens with `trong đó` also has its predecessor's.
        (Mentions are read only in the headline, the paragraphs that may hold figures and the ones
        before those.)"""
        own = self.mentions_in(p.start, p.end)
        if own or not p.index or not self.cues.continues(p.start, min(p.end, p.start + 40)):
            return own
        previous = self.paras[p.index - 1]
        return [m for m in self.mentions_in(previous.start, previous.end) if m.kind not in periods.EVENTS]


def extract_document(doc: Document) -> list[dict]:
    """Every figure of an article as a dict of schema columns."""
    article = _Article.read(doc)
    text = article.norm.text
    chosen = [s for p in article.paras if p.index in article.holding for s in sentences(text, p)]
    rows = []
    for s, figures in zip(chosen, find_quantities(text, article.low, chosen, article.numbers)):
        if not figures:
            continue
        kinds = metrics.classify(article.cues, figures, _clauses(text, s.start, s.end))
        scope = _Scope.of(article, s)
        rows += [_row(article, scope, q, metric, unit) for q, (metric, unit) in zip(figures, kinds)]
    return rows


@dataclass(slots=True)
class _Scope:
    """What the figures of one sentence share."""

    sentence: Sentence
    place_scopes: tuple
    """Spans where the sentence's places are looked for, nearest first."""
    use_main: bool
    text: str
    """The sentence as read."""
    counterpart: str | None
    period_starts: list
    """Starts of the sentence's period mentions: a figure takes the last one before it, else the first."""
    periods: list
    """(first, last day) of each of those mentions; without any, the one period of the sentence's
    figures other than stocks (see `_sentence_periods`)."""
    plans: bool
    """True when a plan or target word stands in the sentence: only then may one stand before a figure
    (a figure starts inside its sentence)."""
    placeless: bool
    """True when a placeless marker stands in the sentence: only then may one stand before a figure."""

    @classmethod
    def of(cls, article: _Article, s: Sentence) -> "_Scope":
        p = article.paras[s.paragraph]
        if p.teaser is None:
            scopes, use_main = ((s.start, s.end), (p.start, p.end)), True
            starts, days = _sentence_periods(article, s, p)
        else:
            item = [x for x in article.paras if x.teaser == p.teaser]
            scopes, use_main = ((s.start, s.end), (item[0].start, item[-1].end)), False
            starts, days = [], [(None, None)]
        s_start, s_end = article.norm.original_span(s.start, s.end)
        return cls(s, scopes, use_main, article.doc.text[s_start:s_end].strip(),
                   article.resolver.counterpart(s.start, s.end), starts, days,
                   article.cues.plans(s.start, s.end), metrics.placeless(article.cues, s.start, s.end))


def _sentence_periods(article: _Article, s: Sentence, p: Paragraph) -> tuple[list, list]:
    """`_Scope.period_starts` and `_Scope.periods` of a sentence of paragraph `p` (no teaser): its
    period mentions (those of the article inside it), else the last of the paragraph's before it,
    else the headline's first."""
    in_sentence = article.mentions_in(s.start, s.end)
    if in_sentence:
        return [m.start for m in in_sentence], [_days(article, m, p) for m in in_sentence]
    earlier = [m for m in article.paragraph_periods(p) if m.start < s.start]
    fallback = earlier[-1] if earlier else (article.headline_periods[0] if article.headline_periods else None)
    return [], [_days(article, fallback, p)]


def _days(article: _Article, m: periods.Mention | None, p: Paragraph) -> tuple[dt.date | None, dt.date | None]:
    """(first, last day) of mention `m` read in paragraph `p`; an implied year is the last one the
    paragraph's mentions name before it, else the year of publication."""
    if m is None:
        return None, None
    if m.first is None:
        years = [x.year for x in article.paragraph_periods(p) if x.start < m.start and x.year and x.first]
        published = article.published
        m = periods.with_year(m, years[-1] if years else (published.year if published else None))
    return m.first, m.last


def _row(article: _Article, scope: _Scope, q, metric: str, unit: str) -> dict:
    doc, s = article.doc, scope.sentence
    first, last = _period(article, q, metric, scope)
    if scope.placeless and metrics.placeless(article.cues, max(s.start, q.start - 30), q.start):
        province, place = None, None
    else:
        province, place = article.resolver.resolve(q.start, scope.place_scopes, use_main=scope.use_main)
    finest = place or (province if province and province.kind != "province" else None)
    start, end = article.norm.original_span(q.start, q.end)
    name, name_2025 = _province_names(province, article.era)
    return {
        "doc_id": doc.doc_id, "published": article.published, "province": name, "province_2025": name_2025,
        "place": finest.label if finest else None, "metric": metric, "value": q.value, "unit": unit,
        "value_max": q.value_max, "qualifier": q.qualifier, "period_start": first, "period_end": last,
        "text": doc.text[start:end], "sentence": scope.text,
        "start": start, "end": end, "source": doc.url or doc.source, "rule": q.rule,
        "counterpart": scope.counterpart, "content_hash": doc.content_hash,
    }


def _province_names(place, era: str) -> tuple[str | None, str | None]:
    if place is None:
        return None, None
    if place.kind == "province":
        return place.label, place.province_2025
    return (place.province_2025 if era == "new" else place.province), place.province_2025


def _inherit(mentions: list[periods.Mention]) -> list[periods.Mention]:
    """Mentions that point back (`trong thời gian này`) take the last period named before them."""
    out, last = [], None
    for m in mentions:
        if m.kind in periods.INHERITED:
            if last is None:
                continue
            m = periods.Mention(m.start, m.end, last.kind, last.first, last.last, last.year, last.groups)
        elif m.first and m.kind not in periods.EVENTS:
            last = m
        out.append(m)
    return out


def _period(article: _Article, q, metric: str, scope: _Scope) -> tuple[dt.date | None, dt.date | None]:
    """(first, last day) of the period a figure covers: its sentence's, then its paragraph's, then
    the headline's and lead's (see `_sentence_periods`). Teasers, plans and targets have none; stocks
    only their sentence's."""
    if scope.plans and article.cues.plans(scope.sentence.start, q.start):
        return None, None
    starts = scope.period_starts
    if starts:
        return scope.periods[max(bisect.bisect_left(starts, q.start) - 1, 0)]
    return (None, None) if metric in STOCKS else scope.periods[0]
