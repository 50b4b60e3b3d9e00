"""One article in, its figures out: normalise, segment, read quantities, add context."""
from __future__ import annotations

import datetime as dt

import regex

from . import metrics, periods, places
from .document import Document
from .normalize import lowered, normalize
from .quantities import find_quantities, may_hold_figures
from .segment import paragraphs, sentences

STOCKS = {"population", "area", "border_length", "border_markers", "villages"}
"""Metrics that describe a state, not a flow: no period unless their sentence gives one."""

_CLAUSE_END = regex.compile(r";")
_ADDRESS_END = regex.compile(r"[;.!?)]|\s-\s")


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


def extract_document(doc: Document) -> list[dict]:
    """Every figure of an article as a dict of schema columns."""
    norm = normalize(doc.text)
    text = norm.text
    low = lowered(text)
    cues = metrics.Cues(low)
    paras = paragraphs(text)
    published = periods.published_date(text, low, paras, doc.published)
    era = places.era_of(published)
    main_spans = [(p.start, p.end) for p in paras if p.teaser is None]
    resolver = places.Resolver(places.find_places(text, low, published, _elsewhere_spans(text, cues)), main_spans)
    all_mentions = _inherit(periods.mentions(text, low, 0, len(text), published))
    lead_end = paras[min(1, len(paras) - 1)].end if paras else 0
    title_periods = [m for m in all_mentions if m.start < lead_end and periods.is_reporting(m)]
    all_sentences = [s for p in paras if may_hold_figures(text, p.start, p.end) for s in sentences(text, p)]
    rows = []
    for s, figures in zip(all_sentences, find_quantities(text, low, all_sentences)):
        if not figures:
            continue
        p = paras[s.paragraph]
        para_mentions = [m for m in all_mentions if p.start <= m.start < p.end]
        if not para_mentions and p.index and cues.continues(p.start, min(p.end, p.start + 40)):
            previous = paras[p.index - 1]
            para_mentions = [m for m in all_mentions if previous.start <= m.start < previous.end
                             and m.kind not in periods.EVENTS]
        item = [q for q in paras if p.teaser is not None and q.teaser == p.teaser]
        kinds = metrics.classify(cues, figures, _clauses(text, s.start, s.end))
        for q, (metric, unit) in zip(figures, kinds):
            rows.append(_row(doc, norm, cues, q, metric, unit, s, p, item, para_mentions, title_periods,
                             published, era, resolver))
    return rows


def _row(doc, norm, cues, q, metric, unit, s, p, item, para_mentions, title_periods, published, era, resolver):
    first, last = _period(q, metric, s, p, cues, para_mentions, title_periods, published)
    if metrics.placeless(cues, max(s.start, q.start - 30), q.start):
        province, place = None, None
    elif p.teaser is not None:
        scopes = [(s.start, s.end)] + ([(item[0].start, item[-1].end)] if item else [])
        province, place = resolver.resolve(q.start, scopes, use_main=False)
    else:
        province, place = resolver.resolve(q.start, [(s.start, s.end), (p.start, p.end)], use_main=True)
    start, end = norm.original_span(q.start, q.end)
    s_start, s_end = norm.original_span(s.start, s.end)
    name, name_2025 = _province_names(province, era)
    return {
        "doc_id": doc.doc_id, "published": published, "province": name, "province_2025": name_2025,
        "place": (place or (province if province and province.kind != "province" else None)).label
        if (place or (province and province.kind != "province")) else None,
        "metric": metric, "value": q.value, "unit": unit,
        "value_max": q.value_max, "qualifier": q.qualifier, "period_start": first, "period_end": last,
        "text": doc.text[start:end], "sentence": doc.text[s_start:s_end].strip(),
        "start": start, "end": end, "source": doc.url or doc.source, "rule": q.rule,
        "counterpart": resolver.counterpart(s.start, s.end), "content_hash": doc.content_hash,
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


def _period(q, metric, s, p, cues, para_mentions, title_periods, published):
    """(first, last day) of the period a figure covers: its sentence, then its paragraph, then the
    headline and lead. Teasers, plans and targets have none; stocks only their sentence's."""
    if p.teaser is not None or cues.plans(s.start, q.start):
        return None, None
    in_sentence = [m for m in para_mentions if s.start <= m.start < s.end]
    before = [m for m in in_sentence if m.start < q.start]
    chosen = before[-1] if before else (in_sentence[0] if in_sentence else None)
    if chosen is None and metric not in STOCKS:
        earlier = [m for m in para_mentions if m.start < s.start]
        chosen = earlier[-1] if earlier else None
        if chosen is None and title_periods:
            chosen = title_periods[0]
    if chosen is None:
        return None, None
    if chosen.first is None:
        years = [m.year for m in para_mentions if m.start < chosen.start and m.year and m.first]
        chosen = periods.with_year(chosen, years[-1] if years else (published.year if published else None))
    return chosen.first, chosen.last
