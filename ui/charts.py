"""Plotly figures of the filtered figures; numbers on axes and labels are written the Vietnamese way."""
from __future__ import annotations

import html
import re
import textwrap

import pandas as pd
import plotly.graph_objects as go

from extract.schema import QUALIFIERS
from ui import strings
from ui.formatting import format_number, format_period, format_quantity, separators
from ui.labels import BOUNDS, metric_label, qualifier_label, unit_label

SYMBOLS = {"exact": "circle", "approx": "diamond", "over": "triangle-up", "under": "triangle-down",
           "vague": "triangle-up-open", "range": "square"}
"""Marker of each qualifier: ▲ at least (over, vague), ▼ at most (under)."""
PALETTE = ("#1f5fa8", "#d9480f", "#2b8a3e", "#862e9c", "#c92a2a", "#0b7285", "#e67700", "#5c940d",
           "#a61e4d", "#364fc7")
RATE_COLOURS = {"dossiers_early_rate": "#2b8a3e", "dossiers_on_time_rate": "#1f5fa8",
                "dossiers_late_rate": "#c92a2a"}
HOVER_WIDTH = 70
HOVER_CHARS = 280
HOVER_SOURCES = 5
"""Hover labels wrap the sentence at HOVER_WIDTH characters, cut it after HOVER_CHARS, and name
HOVER_SOURCES articles."""


def chart_config(filename: str) -> dict:
    """Plotly's toolbar: the camera button saves a PNG under this name."""
    safe = re.sub(r"[^\w-]+", "-", filename, flags=re.UNICODE).strip("-") or "chart"
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": safe, "scale": 2}}


def _layout(figure: go.Figure, title: str, y_title: str, lang: str) -> go.Figure:
    """Title top left, legend on the right, `,` as decimal mark and `.` between thousands."""
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}}, separators=separators(lang),
        hovermode="closest", margin={"l": 10, "r": 10, "t": 56, "b": 10}, hoverlabel={"align": "left"},
        legend={"orientation": "v", "x": 1.01, "y": 1, "yanchor": "top", "groupclick": "toggleitem"},
        yaxis_title=y_title, height=460, plot_bgcolor="#ffffff", font={"family": "Source Sans Pro, sans-serif"})
    figure.update_xaxes(showgrid=True, gridcolor="#e9ecef", zeroline=False)
    figure.update_yaxes(showgrid=True, gridcolor="#e9ecef", zeroline=False)
    figure.update_layout(yaxis_tickformat=",~f", xaxis_tickformat=",~f")
    return figure


def hover_text(row: dict, province_column: str, lang: str) -> str:
    """Province, quantity, period, the evidence sentence and its sources of one figure (a record),
    escaped for Plotly."""
    said = row["sentence"] if isinstance(row["sentence"], str) else ""
    said = said if len(said) <= HOVER_CHARS else said[:HOVER_CHARS].rsplit(" ", 1)[0] + " …"
    sentence = "<br>".join(html.escape(line) for line in textwrap.wrap(said, HOVER_WIDTH))
    quantity = format_quantity(row["value"], row["unit"], row["qualifier"], row["value_max"], lang)
    doc_ids = row["doc_ids"] if isinstance(row.get("doc_ids"), list) else [str(row["doc_id"])]
    sources = ", ".join(doc_ids[:HOVER_SOURCES]) + (f" +{len(doc_ids) - HOVER_SOURCES}"
                                                    if len(doc_ids) > HOVER_SOURCES else "")
    province = row[province_column] or strings.text("label.no_province", lang)
    others = int(row.get("n_figures") or 1) - 1
    differ = f"<br>{html.escape(strings.text('chart.other_figures', lang, n=others))}" if others > 0 else ""
    return (f"<b>{html.escape(str(province))}</b> · {html.escape(quantity)}<br>"
            f"{html.escape(format_period(row['period_start'], row['period_end'], lang))}<br>"
            f"<i>{sentence}</i><br>{html.escape(strings.text('label.sources', lang))}: {html.escape(sources)}"
            f"{differ}")


def _province_colours(provinces) -> dict:
    return {province: PALETTE[i % len(PALETTE)] for i, province in enumerate(provinces)}


def _segments(starts: pd.Series, ends: pd.Series) -> list:
    """`[start, end, None, start, end, None, …]`: one line segment per pair, gaps between them."""
    return [item for pair in zip(starts, ends) for item in (*pair, None)]


def trend_figure(points: pd.DataFrame, province_column: str, metric: str, unit: str, lang: str) -> go.Figure:
    """One colour per province; a figure covering a period is a segment from its start to its end,
    its marker at the end shows its qualifier (▲ at least, ▼ at most, ◆ about, ■ range)."""
    figure = go.Figure()
    points = points.assign(_province=points[province_column].fillna(strings.text("label.no_province", lang)))
    points["_hover"] = [hover_text(row, province_column, lang) for row in points.to_dict("records")]
    colours = _province_colours(points["_province"].unique())
    for province, rows in points.groupby("_province", sort=False):
        spans = rows[rows["period_start"] < rows["period_end"]]
        xs, ys = _segments(spans["period_start"], spans["period_end"]), _segments(spans["value"], spans["value"])
        figure.add_trace(go.Scatter(
            x=xs or [None], y=ys or [None], hoverinfo="skip", mode="lines",
            name=province, legendgroup=province, line={"color": colours[province], "width": 4},
            legendgrouptitle_text=strings.text("chart.province_legend", lang) if not figure.data else None))
        for qualifier, marked in rows.groupby("qualifier", sort=False):
            spread = (marked["value_max"] - marked["value"]).where(marked["qualifier"] == "range")
            figure.add_trace(go.Scatter(
                x=marked["period_end"], y=marked["value"], hovertext=marked["_hover"], hoverinfo="text",
                mode="markers", name=province, legendgroup=province, showlegend=False,
                marker={"symbol": SYMBOLS.get(qualifier, "circle"), "size": 10, "color": colours[province],
                        "line": {"width": 1.5, "color": colours[province]}},
                error_y={"type": "data", "symmetric": False, "array": spread.fillna(0).to_list(),
                         "arrayminus": [0] * len(marked), "visible": bool(spread.notna().any())}))
    for i, qualifier in enumerate(q for q in QUALIFIERS if q in set(points["qualifier"])):
        figure.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", name=qualifier_label(qualifier, lang),
            legendgroup="qualifier",
            legendgrouptitle_text=strings.text("chart.qualifier_legend", lang) if i == 0 else None,
            marker={"symbol": SYMBOLS.get(qualifier, "circle"), "size": 11, "color": "#495057"}))
    _layout(figure, metric_label(metric, lang), unit_label(unit, lang), lang)
    figure.update_xaxes(type="date", tickformat="%m/%Y", title=strings.text("chart.period_axis", lang))
    figure.update_yaxes(rangemode="tozero")
    return figure


def numbered_provinces(provinces: pd.Series, lang: str) -> list[str]:
    """Bar labels: a province with several differing figures for one period gets `· 2`, `· 3`…"""
    names = provinces.fillna(strings.text("label.no_province", lang)).astype(str)
    rank = names.groupby(names).cumcount() + 1
    return [name if n == 1 else f"{name} · {n}" for name, n in zip(names, rank)]


def compare_figure(rows: pd.DataFrame, province_column: str, metric: str, unit: str, period: str,
                   lang: str) -> go.Figure:
    """Provinces side by side for one metric and one period; bounds drawn hatched."""
    figure = go.Figure()
    rows = rows.assign(_label=numbered_provinces(rows[province_column], lang))
    rows["_bound"] = rows["qualifier"].isin(BOUNDS)
    for bound, part in rows.groupby("_bound", sort=False):
        figure.add_trace(go.Bar(
            y=part["_label"], x=part["value"], orientation="h",
            name=strings.text("chart.bound" if bound else "chart.stated", lang),
            text=[format_quantity(r["value"], r["unit"], r["qualifier"], r["value_max"], lang, compact=True)
                  for _, r in part.iterrows()],
            textposition="outside", cliponaxis=False,
            hovertext=[hover_text(r, province_column, lang) for r in part.to_dict("records")],
            hoverinfo="text", marker={"color": "#1f5fa8", "pattern": {"shape": "/" if bound else ""}}))
    _layout(figure, f"{metric_label(metric, lang)} · {period}", "", lang)
    figure.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=rows["_label"].to_list())
    figure.update_xaxes(title=unit_label(unit, lang))
    figure.update_layout(height=max(260, 90 + 48 * len(rows)), barmode="overlay", bargap=0.45, showlegend=True)
    figure.update_xaxes(range=[0, 1.25 * float(rows["value"].max() or 1)])
    return figure


def dossier_figure(table: pd.DataFrame, labels: list[str], lang: str) -> go.Figure:
    """Early, on-time and late shares side by side (not stacked: on time may include early)."""
    figure = go.Figure()
    for rate, colour in RATE_COLOURS.items():
        values = table[rate]
        figure.add_trace(go.Bar(
            y=labels, x=values, orientation="h", name=metric_label(rate, lang), marker_color=colour,
            text=[f"{format_number(v, 1, lang)}%" if pd.notna(v) else "" for v in values], textposition="auto"))
    _layout(figure, strings.text("dossiers.chart_title", lang), "", lang)
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(range=[0, 105], title="%")
    figure.update_layout(barmode="group", height=max(280, 90 + 70 * len(labels)))
    return figure
