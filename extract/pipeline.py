"""One article in, its figures out: normalise, segment, read quantities, add context."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import regex

from . import metrics, periods, places
from .document import Document
from .lexicon import Phrases
from .normalize import Normalized, lowered, normalize
from .quantities import find_quantities, may_hold_figures
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
        holding = {p.index for p in paras if may_hold_figures(low, p.start, p.end)}
        near = Spans((p.start, p.end + 1) for p in paras if {p.index, p.index + 1} & holding or p.index < 2)
        mentions = _inherit(periods.mentions(text, low, near, published))
        lead_end = paras[min(1, len(paras) - 1)].end if paras else 0
        headline = [m for m in mentions if m.start < lead_end and periods.is_reporting(m)]
        return cls(doc, norm, low, cues, paras, published, places.era_of(published),
                   places.Resolver(named, main_spans), mentions, headline, holding)

    def paragraph_periods(self, p) -> list[periods.Mention]:
        """Period mentions of a paragraph; one that opens with `trong đó` also has its predecessor's.
        (Mentions are read only in the headline, the paragraphs that may hold figures and the ones
        before those.)"""
        own = [m for m in self.mentions if p.start <= m.start < p.end]
        if own or not p.index or not self.cues.continues(p.start, min(p.end, p.start + 40)):
            return own
        previous = self.paras[p.index - 1]
        return [m for m in self.mentions if previous.start <= m.start < previous.end and m.kind not in periods.EVENTS]


def extract_document(doc: Document) -> list[dict]:
    """Every figure of an article as a dict of schema columns."""
    article = _Article.read(doc)
    text = article.norm.text
    chosen = [s for p in article.paras if p.index in article.holding for s in sentences(text, p)]
    rows = []
    for s, figures in zip(chosen, find_quantities(text, article.low, chosen)):
        if not figures:
            continue
        kinds = metrics.classify(article.cues, figures, _clauses(text, s.start, s.end))
        scope = _Scope.of(article, s)
        rows.extend(_row(article, scope, q, metric, unit) for q, (metric, unit) in zip(figures, kinds))
    return rows


@dataclass(slots=True)
class _Scope:
    """What the figures of one sentence share."""

    sentence: Sentence
    paragraph: Paragraph
    mentions: list
    """Period mentions of the paragraph (`_Article.paragraph_periods`)."""
    in_sentence: list
    place_scopes: list
    """Spans where the sentence's places are looked for, nearest first."""
    use_main: bool
    text: str
    """The sentence as read."""
    counterpart: str | None

    @classmethod
    def of(cls, article: _Article, s: Sentence) -> "_Scope":
        p = article.paras[s.paragraph]
        mentions = article.paragraph_periods(p)
        if p.teaser is None:
            scopes, use_main = [(s.start, s.end), (p.start, p.end)], True
        else:
            item = [x for x in article.paras if x.teaser == p.teaser]
            scopes, use_main = [(s.start, s.end), (item[0].start, item[-1].end)], False
        s_start, s_end = article.norm.original_span(s.start, s.end)
        return cls(s, p, mentions, [m for m in mentions if s.start <= m.start < s.end], scopes, use_main,
                   article.doc.text[s_start:s_end].strip(), article.resolver.counterpart(s.start, s.end))


def _row(article: _Article, scope: _Scope, q, metric: str, unit: str) -> dict:
    doc, s = article.doc, scope.sentence
    first, last = _period(article, q, metric, scope)
    if metrics.placeless(article.cues, max(s.start, q.start - 30), q.start):
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
    """(first, last day) of the period a figure covers: its sentence, then its paragraph, then the
    headline and lead. Teasers, plans and targets have none; stocks only their sentence's."""
    s, para_mentions = scope.sentence, scope.mentions
    if scope.paragraph.teaser is not None or article.cues.plans(s.start, q.start):
        return None, None
    in_sentence = scope.in_sentence
    before = [m for m in in_sentence if m.start < q.start]
    chosen = before[-1] if before else (in_sentence[0] if in_sentence else None)
    if chosen is None and metric not in STOCKS:
        earlier = [m for m in para_mentions if m.start < s.start]
        chosen = earlier[-1] if earlier else None
        if chosen is None and article.headline_periods:
            chosen = article.headline_periods[0]
    if chosen is None:
        return None, None
    if chosen.first is None:
        years = [m.year for m in para_mentions if m.start < chosen.start and m.year and m.first]
        published = article.published
        chosen = periods.with_year(chosen, years[-1] if years else (published.year if published else None))
    return chosen.first, chosen.last
