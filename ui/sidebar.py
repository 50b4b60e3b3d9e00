"""The sidebar: language, filters (every one kept in the URL) and their facet counts."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from extract.schema import QUALIFIERS
from ui import url_state
from ui.filters import FACETS, Filters, fold
from ui.formatting import format_number
from ui.labels import metric_label, metric_order, qualifier_label, unit_label
from ui.query import FactsQuery
from ui.strings import translator

BOUND_DEFAULTS = {"p2025": False, "from": None, "to": None, "q": "", "vmin": None, "vmax": None}
"""Filters bound to the URL by Streamlit, with their empty values."""
EARLIEST, LATEST = dt.date(1945, 1, 1), dt.date(2100, 12, 31)


def language() -> str:
    """`vi` unless the English toggle (`?lang=true`) is on."""
    english = st.sidebar.toggle("English", key="lang", bind="query-params")
    return "en" if english else "vi"


def clear_filters() -> None:
    """Back to every figure (a button callback)."""
    for key, empty in BOUND_DEFAULTS.items():
        if key != "p2025":
            st.session_state[key] = empty
    for facet in FACETS:
        st.session_state[facet] = []


def option_name(facet: str, value, lang: str) -> str:
    if facet == "metric":
        return metric_label(value, lang)
    if facet == "qualifier":
        return qualifier_label(value, lang)
    if facet == "unit":
        return unit_label(value, lang)
    return str(value)


def ordered_options(facet: str, counts: pd.Series) -> list:
    """Provinces alphabetically, metrics and qualifiers in their fixed order, units most used first."""
    values = list(counts.index)
    if facet == "province":
        return sorted(values, key=lambda v: (fold(str(v)), str(v)))
    if facet == "metric":
        return sorted(values, key=metric_order)
    if facet == "qualifier":
        return sorted(values, key=lambda v: QUALIFIERS.index(v) if v in QUALIFIERS else len(QUALIFIERS))
    return values


def counted(facet: str, counts: pd.Series, lang: str):
    """format_func of a facet: `Sơn La (12)`."""
    return lambda value: f"{option_name(facet, value, lang)} ({format_number(counts.get(value, 0), lang=lang)})"


def _chosen(key: str) -> tuple:
    return tuple(st.session_state.get(key) or ())


def render_filters(bar, query: FactsQuery, lang: str) -> Filters:
    """Draw the filters in `bar` (a sidebar container) and return what they select."""
    T = translator(lang)
    bar.header(T("filters.title"))
    use_2025 = bar.toggle(T("filter.p2025"), key="p2025", bind="query-params", help=T("filter.p2025_help"))
    everything = Filters(use_2025=use_2025)
    url_state.seed_from_url(FACETS, lambda facet: set(query.facet_counts(everything, FACETS)[facet].index))
    boxes = {"province": bar.container(), "metric": bar.container()}
    period_from = bar.date_input(T("filter.from"), value=None, min_value=EARLIEST, max_value=LATEST,
                                 format="DD/MM/YYYY", key="from", bind="query-params", help=T("filter.period_help"))
    period_to = bar.date_input(T("filter.to"), value=None, min_value=EARLIEST, max_value=LATEST,
                               format="DD/MM/YYYY", key="to", bind="query-params")
    text = bar.text_input(T("filter.text"), key="q", bind="query-params", placeholder=T("filter.text_placeholder"),
                          help=T("filter.text_help"))
    more = bar.expander(T("filters.more"), expanded=any(_chosen(k) for k in ("qualifier", "unit"))
                        or st.session_state.get("vmin") is not None or st.session_state.get("vmax") is not None)
    boxes["qualifier"], boxes["unit"] = more.container(), more.container()
    low, high = more.columns(2)
    value_min = low.number_input(T("filter.vmin"), value=None, step=1.0, key="vmin", bind="query-params")
    value_max = high.number_input(T("filter.vmax"), value=None, step=1.0, key="vmax", bind="query-params")
    current = Filters(provinces=_chosen("province"), use_2025=use_2025, metrics=_chosen("metric"),
                      period_from=period_from, period_to=period_to, qualifiers=_chosen("qualifier"),
                      units=_chosen("unit"), value_min=value_min, value_max=value_max, text=text or "")
    chosen = {}
    counts = query.facet_counts(current, FACETS)
    for facet in FACETS:
        chosen[facet] = boxes[facet].multiselect(
            T(f"filter.{facet}"), ordered_options(facet, counts[facet]), key=facet,
            format_func=counted(facet, counts[facet], lang), placeholder=T("filter.all"))
    url_state.write_to_url(chosen)
    bar.button(T("filters.clear"), on_click=clear_filters, icon=":material/filter_alt_off:",
               disabled=not current.active)
    return Filters(provinces=tuple(chosen["province"]), use_2025=use_2025, metrics=tuple(chosen["metric"]),
                   period_from=period_from, period_to=period_to, qualifiers=tuple(chosen["qualifier"]),
                   units=tuple(chosen["unit"]), value_min=value_min, value_max=value_max, text=text or "")
