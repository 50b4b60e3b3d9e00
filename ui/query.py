"""The facts as DuckDB SQL: the one way every view reads them, over a store's Parquet files, over
DataFrames registered in DuckDB (seeds, facts files, uploads), or over both at once.

Filters are one WHERE clause (`Filters.where`); facet counts are GROUP BYs; the table is a LIMITed
query; headline figures and charts come from aggregates. Nothing loads a whole store into pandas.
Results are cached by the content version of the data (files, uploads, corrections), so a rerun
that changes no filter asks DuckDB nothing.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from extract.schema import COLUMNS
from ui.labels import metric_table
from ui.relations import (ARTICLE_TYPES, articles_sql, bindable, connect, corrected_sql, corrections_table,
                          facts_sql, literal, quoted, typed)

FIRST_ORDER = ("doc_id", "start", "end")
FIRST_REPORT = 'doc_id, start, "end"'
"""The order that decides which report of a figure is its first: by article, then by place in it."""
REPORTS_KEPT = 20
"""Articles named with a distinct figure (the first ones by doc_id); `n_sources` counts them all."""
LATEST_FIRST = "period_end DESC NULLS LAST, period_end - period_start DESC NULLS LAST, value DESC NULLS LAST"
"""Most recent period end first; for the same end, the longer period, then the larger value."""
HIDDEN = ("province_code", "_pos")
"""Columns of the relation the views never show."""
SEPARATOR = "\x00"
PROVINCE_COLUMNS = ("province", "province_2025")
FACET_COLUMNS = (*PROVINCE_COLUMNS, "metric", "qualifier", "unit")
"""Columns the list filters pick from (the province filter from either province column)."""

def figure_key(province_column: str = "province") -> list[str]:
    """What makes two rows the same figure: metric, province, period, value and unit."""
    return ["metric", province_column, "period_start", "period_end", "value", "unit"]


def _as_tuple(group) -> tuple:
    return group if isinstance(group, tuple) else (group,)


def _grouping_set(group) -> str:
    return "(" + ", ".join(map(quoted, _as_tuple(group))) + ")"


def _grouping_id(group: tuple) -> int:
    """GROUPING() over FACET_COLUMNS and province_code for a set grouping `group`: a bit per column
    left out, the first column the highest bit."""
    columns = [*FACET_COLUMNS, "province_code"]
    return sum(1 << (len(columns) - 1 - i) for i, column in enumerate(columns) if column not in group)


def _version(*parts) -> str | None:
    """One digest of the contents a query result depends on; None when one of them is unknown."""
    if any(part is None or part == "" for part in parts):
        return None
    return hashlib.sha256(SEPARATOR.join(map(str, parts)).encode()).hexdigest()


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(version: str, sql: str, params: tuple, _run) -> pd.DataFrame:
    return _run(sql, list(params))


def _reports(frame: pd.DataFrame) -> pd.DataFrame:
    """`doc_ids` and `sources` of each figure from its `reports` (`doc_id\\0source`, sorted)."""
    doc_ids, sources = [], []
    for reports in frame.pop("reports"):
        docs: dict[str, str] = {}
        for report in reports:
            doc, _, source = report.partition(SEPARATOR)
            docs.setdefault(doc, source)
        doc_ids.append(list(docs))
        sources.append([source for source in docs.values() if source])
    return frame.assign(doc_ids=doc_ids, sources=sources)


class FactsQuery:
    """The figures and articles of one dataset as DuckDB views (`facts`, `articles`), with corrections
    applied; every method answers one question the dashboard asks, under the analyst's filters."""

    def __init__(self, store: Path | None = None, facts: pd.DataFrame | None = None,
                 articles: pd.DataFrame | None = None, corrections: pd.DataFrame | None = None,
                 version: str | None = None):
        self._inputs = dict(store=store, facts=facts, articles=articles, corrections=corrections, version=version)
        facts = pd.DataFrame(columns=COLUMNS) if facts is None else facts
        articles = pd.DataFrame(columns=list(ARTICLE_TYPES)) if articles is None else articles
        self.cursor = connect()
        self.cursor.register("facts_frame", facts)
        self.cursor.register("articles_frame", articles)
        raw = facts_sql(store, facts)
        if corrections is not None and len(corrections):
            self.cursor.register("corrections", corrections_table(corrections))
            view = corrected_sql(raw)
            version = _version(version, pd.util.hash_pandas_object(corrections.astype(str), index=False).sum())
        else:
            view = f"SELECT *, FALSE AS corrected FROM ({raw})"
        self.cursor.execute(f"CREATE TEMP VIEW facts AS {view}")
        self.cursor.execute(f"CREATE TEMP VIEW articles AS {articles_sql(store, articles)}")
        self.version = version
        self._memo: dict[str, object] = {}

    @classmethod
    def open(cls, dataset, corrections: pd.DataFrame | None = None) -> FactsQuery:
        """The query of a Dataset (ui.dataset): its store, its in-memory figures and articles."""
        return cls(dataset.store, dataset.facts, dataset.articles, corrections, dataset.version or None)

    @classmethod
    def of_frame(cls, facts: pd.DataFrame) -> FactsQuery:
        """The query of a facts DataFrame alone, its rows numbered (`_pos`) in their order."""
        return cls(facts=facts.assign(_pos=np.arange(len(facts))))

    def reopen(self) -> FactsQuery:
        """The same query on a connection of its own, for use from another thread."""
        return FactsQuery(**self._inputs)

    # -- running -------------------------------------------------------------------------
    def _run(self, sql: str, params: list) -> pd.DataFrame:
        return typed(self.cursor.execute(sql, [bindable(p) for p in params]).df())

    def frame(self, sql: str, params=(), cache: bool = True) -> pd.DataFrame:
        """The result of `sql`, cached by the data's version when known."""
        if cache and self.version:
            return _cached(self.version, sql, tuple(params), self._run)
        return self._run(sql, list(params))

    def _remembered(self, key: tuple, compute):
        """`compute()`, worked out once for this query object (one run of the page)."""
        key = repr(key)
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def where(self, filters, ignore: str | None = None) -> tuple[str, list]:
        """The filters' condition, plus the store partitions that can hold the chosen provinces, so
        that DuckDB reads only their files."""
        sql, params = filters.where(ignore)
        if filters.provinces and ignore != "province":
            partitions = self.partitions(filters.province_column)
            codes = sorted({code for name in filters.provinces for code in partitions.get(name, ())})
            if codes:
                sql += f" AND province_code IN ({', '.join('?' * len(codes))})"
                params = params + codes
        return sql, params

    # -- counts --------------------------------------------------------------------------
    def total(self) -> int:
        """Every figure, whatever the filters."""
        return int(self.frame("SELECT count(*) AS n FROM facts")["n"].iloc[0])

    def totals(self, filters) -> dict[str, int]:
        """Figures, distinct figures, articles and provinces matching the filters."""
        where, params = self.where(filters)
        key = ", ".join(map(quoted, figure_key(filters.province_column)))
        row = self.frame(f"""
            WITH f AS (SELECT * FROM facts WHERE {where})
            SELECT count(*) AS figures, count(DISTINCT doc_id) AS articles,
                   count(DISTINCT {quoted(filters.province_column)}) AS provinces,
                   (SELECT count(*) FROM (SELECT DISTINCT {key} FROM f)) AS unique_figures
            FROM f""", params).iloc[0]
        return {name: int(row[name]) for name in ("figures", "unique_figures", "articles", "provinces")}

    def _facet_table(self, where: str, params: list) -> pd.DataFrame:
        """Figures per value of every list filter's column (`column`, `option`, `figures`), and per
        province and partition (`code`), under one condition: one scan, the same query whichever
        filter asks, so that its cached result serves them all."""
        return self._remembered(("facets", where, params), lambda: self._count_facets(where, params))

    def _count_facets(self, where: str, params: list) -> pd.DataFrame:
        sets = [*FACET_COLUMNS, *((column, "province_code") for column in PROVINCE_COLUMNS)]
        columns = ", ".join(map(quoted, [*FACET_COLUMNS, "province_code"]))
        name = " ".join(f"WHEN GROUPING({columns}) = {_grouping_id(group)} THEN {literal(' '.join(group))}"
                        for group in map(_as_tuple, sets))
        rows = self.frame(f"SELECT CASE {name} END AS grouped, {columns}, count(*) AS figures FROM facts "
                          f"WHERE {where} GROUP BY GROUPING SETS ({', '.join(_grouping_set(g) for g in sets)}) "
                          f"ORDER BY grouped, figures DESC", params)
        parts = []
        for column in FACET_COLUMNS:
            found = rows[(rows["grouped"] == column) & rows[column].notna()]
            parts.append(pd.DataFrame({"column": column, "option": found[column], "figures": found["figures"]}))
        for column in PROVINCE_COLUMNS:
            found = rows[(rows["grouped"] == f"{column} province_code") & rows[column].notna()]
            parts.append(pd.DataFrame({"column": f"{column} code", "option": found[column],
                                       "code": found["province_code"], "figures": found["figures"]}))
        return pd.concat(parts, ignore_index=True)

    def partitions(self, province_column: str) -> dict[str, list[str]]:
        """The partitions (`province_code`) holding each province's figures, from the data itself."""
        def partitions() -> dict[str, list[str]]:
            table = self._facet_table("TRUE", [])
            found = table[table["column"] == f"{province_column} code"]
            return found.groupby("option")["code"].agg(list).to_dict()
        return self._remembered(("partitions", province_column), partitions)

    def facet_counts(self, filters, facets) -> dict[str, pd.Series]:
        """For each of `facets`, how many figures each value holds under all the other filters, most
        first; values already chosen are kept, with 0 when nothing matches them any more."""
        counts = {}
        for facet in facets:
            table = self._facet_table(*self.where(filters, ignore=facet))
            found = table[table["column"] == filters.column(facet)]
            series = pd.Series(found["figures"].to_numpy(dtype="int64"), index=found["option"].to_list(),
                               name="count", dtype="int64")
            missing = [value for value in filters.chosen(facet) if value not in series.index]
            counts[facet] = pd.concat([series, pd.Series(0, index=missing, dtype="int64")])
        return counts

    # -- rows ----------------------------------------------------------------------------
    def _table_order(self, province_column: str) -> str:
        """Metrics in their usual order, then by province, latest period first (ui.tables.in_table_order)."""
        metrics = "[" + ", ".join(map(literal, metric_table())) + "]"
        return (f"coalesce(list_position({metrics}, metric), {len(metric_table()) + 1}), "
                f"{quoted(province_column)} ASC NULLS LAST, period_end DESC NULLS LAST, "
                f"value DESC NULLS LAST, {FIRST_REPORT}")

    def rows(self, filters, limit: int, correctable: bool = False, cache: bool = True) -> pd.DataFrame:
        """The first `limit` figures matching the filters in table order; `correctable`: only those
        a correction can point at (content hash and offsets known)."""
        where, params = self.where(filters)
        if correctable:
            where += ' AND content_hash IS NOT NULL AND start >= 0 AND "end" > start'
        return self.frame(f"SELECT * EXCLUDE ({', '.join(HIDDEN)}) FROM facts WHERE {where} "
                          f"ORDER BY {self._table_order(filters.province_column)} LIMIT ?",
                          [*params, int(limit)], cache=cache)

    def positions(self, filters, ignore: str | None = None) -> list[int]:
        """Row numbers (`_pos`, see of_frame) of the figures matching the filters."""
        where, params = self.where(filters, ignore)
        return self.frame(f"SELECT _pos FROM facts WHERE {where} ORDER BY _pos", params)["_pos"].to_list()

    # -- distinct figures ----------------------------------------------------------------
    def _unique_sql(self, filters, condition: str, values, columns=None) -> tuple[str, list]:
        """One row per distinct figure matching the filters and `condition`, with `n_sources` and the
        `columns` of its first report (every column, and the first REPORTS_KEPT `reports`, when None)."""
        key = figure_key(filters.province_column)
        kept = [c for c in COLUMNS if c not in key and (columns is None or c in columns or c in FIRST_ORDER)]
        first = "{" + ", ".join(f"{literal(c)}: {quoted(c)}" for c in kept) + "}"
        report = "doc_id || chr(0) || coalesce(source, '')"
        reports = f", min({report}, {REPORTS_KEPT}) AS reports" if columns is None else ""
        where, params = self.where(filters)
        selected = ", ".join(quoted(c) if c in key else f"first.{quoted(c)} AS {quoted(c)}"
                             for c in COLUMNS if c in key or c in kept)
        sql = (f"SELECT {selected}, n_sources{', reports' if columns is None else ''} FROM ("
               f"SELECT {', '.join(map(quoted, key))}, arg_min({first}, ({FIRST_REPORT})) AS first, "
               f"count(DISTINCT doc_id) AS n_sources{reports} "
               f"FROM facts WHERE {where} AND ({condition}) GROUP BY ALL)")
        return sql, [*params, *values]

    def _figures(self, sql: str, params: list) -> pd.DataFrame:
        return _reports(self.frame(sql, params))

    def unique_figures(self, filters, condition: str = "TRUE", values=()) -> pd.DataFrame:
        """Distinct figures (ui.aggregation.unique_figures) in the order of their first report."""
        sql, params = self._unique_sql(filters, condition, values)
        return self._figures(f"SELECT * FROM ({sql}) ORDER BY {FIRST_REPORT}", params)

    def latest_figures(self, filters, metrics) -> pd.DataFrame:
        """For each of `metrics` and each province, its most recent distinct figure."""
        if not metrics:
            return self.unique_figures(filters, "FALSE")
        sql, params = self._unique_sql(filters, f"metric IN ({', '.join('?' * len(metrics))})", metrics)
        partition = f"metric, {quoted(filters.province_column)}"
        return self._figures(f"SELECT * FROM ({sql}) QUALIFY row_number() OVER "
                             f"(PARTITION BY {partition} ORDER BY {LATEST_FIRST}, {FIRST_REPORT}) = 1 "
                             f"ORDER BY {FIRST_REPORT}", params)

    def period_cells(self, filters, metric: str, unit: str) -> pd.DataFrame:
        """One figure per province and period of one metric and unit: the one most articles give
        (`n_figures` counts the distinct figures of that province and period). What charts draw."""
        sql, params = self._unique_sql(filters, "metric = ? AND unit = ? AND period_end IS NOT NULL", [metric, unit])
        cell = f"PARTITION BY {quoted(filters.province_column)}, period_start, period_end"
        return self._figures(f"SELECT *, count(*) OVER ({cell}) AS n_figures FROM ({sql}) QUALIFY "
                             f"row_number() OVER ({cell} ORDER BY n_sources DESC, {FIRST_REPORT}) = 1 "
                             f"ORDER BY {FIRST_REPORT}", params)

    def compared(self, filters, metric: str, unit: str, period_start, period_end, limit: int) -> pd.DataFrame:
        """Distinct figures of one metric and unit for exactly one period, largest first."""
        sql, params = self._unique_sql(
            filters, "metric = ? AND unit = ? AND period_start IS NOT DISTINCT FROM ? AND period_end = ?",
            [metric, unit, period_start, period_end])
        return self._figures(f"SELECT * FROM ({sql}) ORDER BY value DESC NULLS LAST, {FIRST_REPORT} LIMIT ?",
                             [*params, int(limit)])

    def dossier_figures(self, filters, metrics) -> pd.DataFrame:
        """Distinct figures of the dossier metrics with the place of their first report, in that order."""
        sql, params = self._unique_sql(filters, f"metric IN ({', '.join('?' * len(metrics))})", metrics,
                                       columns=("place",))
        return self.frame(f"SELECT * FROM ({sql}) ORDER BY {FIRST_REPORT}", params)

    def metric_units(self, filters) -> pd.DataFrame:
        """Distinct figures per metric and unit (`figures`), dated (with a period end) or not."""
        where, params = self.where(filters)
        key = ", ".join(map(quoted, figure_key(filters.province_column)))
        return self.frame(f"SELECT metric, unit, period_end IS NOT NULL AS dated, count(*) AS figures "
                          f"FROM (SELECT DISTINCT {key} FROM facts WHERE {where}) "
                          f"GROUP BY ALL ORDER BY figures DESC, metric, unit", params)

    # -- articles ------------------------------------------------------------------------
    def documents(self, filters, limit: int) -> pd.DataFrame:
        """Articles with figures matching the filters (`figures`), the most first."""
        where, params = self.where(filters)
        return self.frame(f"SELECT doc_id, count(*) AS figures FROM facts WHERE {where} GROUP BY 1 "
                          f"ORDER BY figures DESC, doc_id LIMIT ?", [*params, int(limit)])

    def has_document(self, doc_id: str) -> bool:
        return bool(len(self.frame("SELECT 1 AS found FROM facts WHERE doc_id = ? LIMIT 1", [doc_id])))

    def figures_of(self, doc_id: str) -> pd.DataFrame:
        """Every figure of one article (filters aside), in reading order."""
        return self.frame(f"SELECT * EXCLUDE ({', '.join(HIDDEN)}) FROM facts WHERE doc_id = ? "
                          f'ORDER BY start, "end"', [doc_id])

    def article(self, doc_id: str) -> dict:
        """The stored article (title, text, source, url, published), {} when not stored."""
        found = self.frame("SELECT * FROM articles WHERE doc_id = ? LIMIT 1", [doc_id])
        return found.iloc[0].to_dict() if len(found) else {}

    def article_heads(self, doc_ids: list[str]) -> pd.DataFrame:
        """doc_id, title and the start of the text of the given articles."""
        return self.frame("SELECT doc_id, title, left(text, 300) AS text FROM articles "
                          "WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [list(doc_ids)])

    def content_hashes(self) -> frozenset:
        """Content hashes of the stored articles."""
        hashes = self.frame("SELECT DISTINCT content_hash FROM articles WHERE content_hash IS NOT NULL")
        return frozenset(hashes["content_hash"])
