"""Analysts' corrections in the Figures tab: change a figure's metric, province, period or value,
or reject it; every change is kept in an audit trail and can be undone."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from extract.corrections import CorrectionStore
from ui.formatting import format_number, is_missing
from ui.labels import metric_label, metric_table
from ui.query import FactsQuery
from ui.strings import translator

MAX_EDITED = 200
"""Rows offered for correction at once; filter to reach others."""
EDITOR_KEY = "corrections_editor"
NOTE_KEY = "correction_note"


def editable_fields(province_column: str) -> tuple[str, ...]:
    return ("metric", province_column, "period_start", "period_end", "value", "rejected")


@st.cache_resource(show_spinner=False)
def open_store(path: str) -> CorrectionStore:
    """One connection per database file, shared by the sessions of this server."""
    return CorrectionStore(path)


def active_corrections(db_path: Path) -> pd.DataFrame | None:
    """The corrections in force (the query layer applies them to every view); None while no
    correction has been saved."""
    return open_store(str(db_path)).active() if db_path.exists() else None


def editor_frame(facts: pd.DataFrame, province_column: str) -> pd.DataFrame:
    """The rows as the editor shows them: raw keys and values, dates as dates, not rejected."""
    frame = facts[["doc_id", "text", *editable_fields(province_column)[:-1]]].head(MAX_EDITED).copy()
    for column in ("period_start", "period_end"):
        frame[column] = frame[column].dt.date
    frame["rejected"] = False
    return frame


def _same(before, after) -> bool:
    if is_missing(before) and is_missing(after):
        return True
    if is_missing(before) or is_missing(after):
        return False
    if isinstance(before, float) or isinstance(after, float):
        return float(before) == float(after)
    return str(before) == str(after)


def changes(original: pd.DataFrame, edited: pd.DataFrame, province_column: str) -> list[dict]:
    """Each changed cell as {index, field, before, after}; a rejection is field `rejected` with after 1."""
    found = []
    for index in original.index.intersection(edited.index):
        for field in editable_fields(province_column):
            before, after = original.at[index, field], edited.at[index, field]
            if field == "rejected":
                if bool(after):
                    found.append({"index": index, "field": "rejected", "before": "0", "after": "1"})
            elif not _same(before, after):
                found.append({"index": index, "field": field, "before": before, "after": after})
    return found


def save(store: CorrectionStore, facts: pd.DataFrame, found: list[dict], note: str) -> int:
    """Record the changes; returns how many were saved. Raises ValueError on a value the store refuses."""
    for change in found:
        row = facts.loc[change["index"]]
        store.add(content_hash=row["content_hash"], start=row["start"], end=row["end"], doc_id=row["doc_id"],
                  field=change["field"], before=change["before"], after=change["after"], note=note or None)
    return len(found)


def render(query: FactsQuery, filters, db_path: Path, lang: str) -> None:
    T = translator(lang)
    with st.expander(T("corrections.title"), icon=":material/edit_note:"):
        correctable = query.rows(filters, MAX_EDITED + 1, correctable=True)
        if correctable.empty:
            st.info(T("corrections.none"))
        else:
            _render_editor(correctable, db_path, filters.province_column, lang)
        if db_path.exists():
            _render_history(open_store(str(db_path)), lang)
        st.caption(T("corrections.where", path=str(db_path)))


def _render_editor(facts: pd.DataFrame, db_path: Path, province_column: str, lang: str) -> None:
    T = translator(lang)
    original = editor_frame(facts, province_column)
    if len(facts) > MAX_EDITED:
        st.caption(T("corrections.capped", n=format_number(MAX_EDITED, lang=lang)))
    metrics = list(metric_table())
    columns = st.column_config
    edited = st.data_editor(original, key=EDITOR_KEY, hide_index=True, width="stretch", num_rows="fixed",
                            placeholder="", disabled=["doc_id", "text"], column_config={
                                "doc_id": columns.TextColumn(T("column.doc_id")),
                                "text": columns.TextColumn(T("column.text")),
                                "metric": columns.SelectboxColumn(T("column.metric"), options=metrics, required=True,
                                                                  format_func=lambda m: metric_label(m, lang)),
                                province_column: columns.TextColumn(T(f"column.{province_column}")),
                                "period_start": columns.DateColumn(T("column.period_start"), format="DD/MM/YYYY"),
                                "period_end": columns.DateColumn(T("column.period_end"), format="DD/MM/YYYY"),
                                "value": columns.NumberColumn(T("column.value"), required=True),
                                "rejected": columns.CheckboxColumn(T("column.rejected")),
                            })
    found = changes(original, edited, province_column)
    note = st.text_input(T("corrections.note"), key=NOTE_KEY)
    if st.button(T("corrections.save", n=len(found)), disabled=not found, type="primary", icon=":material/save:"):
        try:
            saved = save(open_store(str(db_path)), facts, found, note)
        except ValueError as error:
            st.error(T("corrections.refused", reason=str(error)))
            return
        st.session_state.pop(EDITOR_KEY, None)
        st.toast(T("corrections.saved", n=saved), icon=":material/check:")
        st.rerun()


def _render_history(store: CorrectionStore, lang: str) -> None:
    T = translator(lang)
    history = store.history()
    if history.empty:
        return
    st.markdown(f"**{T('corrections.history')}**")
    shown = history[["id", "created_at", "doc_id", "field", "before", "after", "note", "undone"]]
    st.dataframe(shown.rename(columns=lambda c: T(f"history.{c}")), hide_index=True, width="stretch")
    active = history.loc[~history["undone"], "id"].to_list()
    if not active:
        return
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    chosen = left.selectbox(T("corrections.undo_which"), active, key="undo_id",
                            format_func=lambda i: f"#{i} · {_describe(history, i, lang)}")
    if right.button(T("corrections.undo"), icon=":material/undo:"):
        try:
            store.undo(chosen)
        except ValueError as error:
            st.error(T("corrections.refused", reason=str(error)))
            return
        st.rerun()


def _describe(history: pd.DataFrame, correction_id: int, lang: str) -> str:
    row = history[history["id"] == correction_id].iloc[0]
    after = metric_label(row["after"], lang) if row["field"] == "metric" else (row["after"] or "∅")
    return f"{row['doc_id']} · {row['field']}: {row['before'] or '∅'} → {after}"
