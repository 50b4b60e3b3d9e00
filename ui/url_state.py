"""List filters in the page address, by their plain values: `?province=Sơn La&metric=crossings_exit`.

These widgets label their options with counts (`Sơn La (12)`). Streamlit's bind="query-params"
would store that label in the URL, so a shared `?province=Sơn La` would never match, and a link
would break as soon as a count changed. These keys are read from the URL once per session and
written back after every run; the other filters use bind="query-params".
"""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

SEEDED = "_filters_read_from_url"


def seed_from_url(keys, known: Callable[[str], set]) -> None:
    """On a session's first run, preselect each list filter in `keys` from the URL; values that
    `known(key)` (asked only for keys the URL holds) does not list are dropped."""
    if st.session_state.get(SEEDED):
        return
    st.session_state[SEEDED] = True
    for key in keys:
        wanted = st.query_params.get_all(key)
        values = known(key) if wanted else set()
        wanted = [value for value in wanted if value in values]
        if wanted:
            st.session_state[key] = wanted


def write_to_url(chosen: dict[str, list[str]]) -> None:
    """Put each list filter's choice in the URL (removed when nothing is chosen)."""
    for key, values in chosen.items():
        values = [str(value) for value in values]
        if values == st.query_params.get_all(key):
            continue
        if values:
            st.query_params[key] = values
        elif key in st.query_params:
            del st.query_params[key]
