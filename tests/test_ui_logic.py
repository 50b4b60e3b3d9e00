"""The dashboard's pure parts: number formatting, filters, honest counting, charts, article HTML."""
from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import pytest

from ui import strings
from ui.aggregation import compare_rows, dossier_table, headline_figures, periods_of, trend_points, unique_figures
from ui.article import figure_marks
from ui.article_html import Mark, article_html, excerpt, locate
from ui.charts import SYMBOLS, chart_config, compare_figure, trend_figure
from ui.command_line import parse_args
from ui.corrections import changes, editor_frame
from ui.filters import Filters, apply_filters, facet_counts, fold
from ui.formatting import format_compact, format_number, format_period, format_quantity
from ui.labels import metric_label, metric_table, unit_label
from ui.tables import figures_table


@pytest.mark.parametrize("value, written", [
    (1036.0, "1.036"), (97.6, "97,6"), (41570000.0, "41.570.000"), (0.5, "0,5"), (2.0, "2"),
    (-2500.5, "-2.500,5"), (1.2e12, "1.200.000.000.000"), (147.70, "147,7"), (None, ""), (float("nan"), "")])
def test_numbers_are_written_the_vietnamese_way(value, written):
    assert format_number(value) == written


def test_english_uses_english_separators():
    assert format_number(1036.5, lang="en") == "1,036.5"
    assert format_compact(41570000.0, "en") == "41.57 million"


def test_quantities_read_as_in_the_article():
    assert format_quantity(23000.0, "person_trips", "over") == "trên 23.000 lượt người"
    assert format_quantity(97.6, "percent", "exact") == "97,6%"
    assert format_quantity(5e6, "USD", "range", 7e6, compact=True) == "5 triệu–7 triệu USD"
    assert format_quantity(17e9, "VND", "over", compact=True) == "trên 17 tỷ đồng"
    assert format_quantity(12.0, "tờ rơi", "exact") == "12 tờ rơi"
    assert format_quantity(28000.0, "person_trips", "under", lang="en") == "under 28,000 person trips"
    assert format_compact(41570000.0, "vi") == "41,57 triệu"


@pytest.mark.parametrize("start, end, label", [
    ("2020-01-01", "2020-12-31", "Năm 2020"), ("2022-01-01", "2022-03-31", "Quý I/2022"),
    ("2022-10-01", "2022-12-31", "Quý IV/2022"), ("2025-07-01", "2025-07-31", "Tháng 7/2025"),
    ("2023-01-01", "2023-08-04", "01/01/2023 – 04/08/2023"), ("2023-08-04", "2023-08-04", "04/08/2023"),
    (None, None, "Không rõ kỳ"), (None, "2023-08-04", "đến 04/08/2023")])
def test_periods_have_readable_names(start, end, label):
    assert format_period(start, end) == label


def test_every_phrase_exists_in_both_languages():
    for key, phrases in strings.table().items():
        assert phrases["vi"] or key == "prefix.exact", key
        assert phrases["en"] or key == "prefix.exact", key


def test_metric_labels_cover_the_schema_metrics():
    schema_metrics = {"crossings_exit", "crossings_entry", "crossings_total", "vehicles", "export_value",
                      "import_value", "trade_value", "dossiers_received", "dossiers_resolved", "dossiers_early",
                      "dossiers_on_time", "dossiers_late", "dossiers_early_rate", "dossiers_on_time_rate",
                      "dossiers_late_rate", "population", "area", "border_length", "border_markers", "villages",
                      "households", "patrols", "criminal_cases", "seizures", "recruits", "recruits_target",
                      "delegations", "outreach", "other"}
    assert set(metric_table()) == schema_metrics
    assert metric_label("crossings_exit", "vi") == "Lượt xuất cảnh"
    assert metric_label("a_new_metric", "vi") == "a_new_metric"
    assert unit_label("person_trips", "en") == "person trips" and unit_label("tân binh", "en") == "tân binh"


def test_fold_drops_tone_marks_and_stroke():
    assert fold("Nậm Cắn ĐIỆN BIÊN") == "nam can dien bien"


@pytest.fixture
def three_provinces(make_facts):
    return make_facts(
        dict(doc_id="a", province="Sơn La", metric="crossings_exit", value=23000.0, qualifier="over",
             sentence="Có trên 23.000 lượt người xuất cảnh qua Lóng Sập."),
        dict(doc_id="b", province="Nghệ An", province_2025="Nghệ An", metric="dossiers_received", value=1036.0,
             unit="dossiers", period_start="2025-07-01", period_end="2025-11-22",
             sentence="Tiếp nhận 1.036 hồ sơ tại xã Nậm Cắn."),
        dict(doc_id="c", province="Hà Giang", province_2025="Tuyên Quang", metric="trade_value", value=4.1e7,
             unit="USD", period_start="2021-01-01", period_end="2021-12-31", qualifier="approx",
             sentence="Kim ngạch khoảng 41 triệu USD."),
        dict(doc_id="d", province=None, province_2025=None, metric="population", value=8808.0, unit="persons",
             period_start=None, period_end=None, sentence="Dân số 8.808 người."))


@pytest.mark.parametrize("filters, docs", [
    (Filters(provinces=("Sơn La",)), {"a"}),
    (Filters(provinces=("Tuyên Quang",), use_2025=True), {"c"}),
    (Filters(provinces=("Tuyên Quang",)), set()),
    (Filters(metrics=("trade_value", "population")), {"c", "d"}),
    (Filters(period_from=dt.date(2025, 1, 1)), {"b"}),
    (Filters(period_to=dt.date(2022, 1, 1)), {"c"}),
    (Filters(period_from=dt.date(2023, 8, 4), period_to=dt.date(2023, 8, 4)), {"a"}),
    (Filters(qualifiers=("over", "approx")), {"a", "c"}),
    (Filters(units=("dossiers",)), {"b"}),
    (Filters(value_min=1000.0, value_max=10000.0), {"b", "d"}),
    (Filters(text="nam can"), {"b"}),
    (Filters(text="Nậm Cắn"), {"b"}),
    (Filters(text="Nậm Càn"), set()),
    (Filters(text="LÓNG SẬP"), {"a"}),
    (Filters(), {"a", "b", "c", "d"}),
])
def test_each_filter_narrows_to_the_matching_figures(three_provinces, filters, docs):
    assert set(apply_filters(three_provinces, filters)["doc_id"]) == docs


def test_facet_counts_ignore_their_own_choice_and_keep_chosen_values(three_provinces):
    filters = Filters(provinces=("Sơn La",), metrics=("trade_value",))
    provinces = facet_counts(three_provinces, filters, "province")
    assert provinces.to_dict() == {"Hà Giang": 1, "Sơn La": 0}
    metrics = facet_counts(three_provinces, filters, "metric")
    assert metrics.to_dict() == {"crossings_exit": 1, "trade_value": 0}


def test_the_same_figure_from_several_articles_counts_once_with_all_sources(make_facts):
    facts = make_facts(dict(doc_id="a", source="seeds/a.txt", value=23000.0),
                       dict(doc_id="b", source="https://sonla.gov.vn/b", value=23000.0),
                       dict(doc_id="b", value=23000.0, period_end="2023-06-30"),
                       dict(doc_id="c", value=23000.0, metric="crossings_entry"))
    unique = unique_figures(facts)
    assert len(unique) == 3
    merged = unique[(unique["metric"] == "crossings_exit") & (unique["period_end"] == "2023-08-04")].iloc[0]
    assert merged["doc_ids"] == ["a", "b"] and merged["n_sources"] == 2
    assert merged["sources"] == ["seeds/a.txt", "https://sonla.gov.vn/b"]
    assert unique_figures(facts.iloc[0:0]).empty


def test_figures_of_different_periods_are_never_added_together(make_facts):
    facts = make_facts(dict(province="Sơn La", value=100.0, period_start="2023-01-01", period_end="2023-06-30"),
                       dict(province="Sơn La", value=300.0, period_start="2023-01-01", period_end="2023-12-31"),
                       dict(province="Lai Châu", value=50.0, period_start="2023-01-01", period_end="2023-12-31"))
    unique = unique_figures(facts)
    periods = periods_of(unique, "crossings_exit", "person_trips", "province")
    assert periods["provinces"].to_list() == [2, 1]
    year = compare_rows(unique, "crossings_exit", "person_trips", periods.at[0, "period_start"],
                        periods.at[0, "period_end"])
    assert year["value"].to_list() == [300.0, 50.0]
    head = headline_figures(unique, ["crossings_exit"]).iloc[0]
    assert head["value"] in (300.0, 50.0) and head["period_end"] == pd.Timestamp("2023-12-31")


def test_dossier_rates_stated_or_worked_out_from_counts(make_facts):
    place = dict(province="Nghệ An", place="xã Nậm Cắn", period_start="2025-07-01", period_end="2025-11-22",
                 unit="dossiers")
    facts = make_facts({**place, "metric": "dossiers_resolved", "value": 1036.0},
                       {**place, "metric": "dossiers_early", "value": 1011.0},
                       {**place, "metric": "dossiers_early_rate", "value": 97.6, "unit": "percent"},
                       {**place, "metric": "dossiers_late", "value": 25.0})
    row = dossier_table(unique_figures(facts), "province").iloc[0]
    assert row["dossiers_early_rate"] == 97.6
    assert row["dossiers_late_rate"] == pytest.approx(100 * 25 / 1036)
    assert bool(row["rates_computed"])
    assert dossier_table(unique_figures(facts.iloc[0:0]), "province").empty


def test_trend_draws_periods_as_segments_and_bounds_with_their_own_marker(make_facts):
    facts = make_facts(dict(value=100.0, qualifier="over", period_start="2023-01-01", period_end="2023-06-30",
                            sentence="Có <b>trên</b> 100 lượt người."),
                       dict(value=80.0, qualifier="exact", period_start="2023-07-31", period_end="2023-07-31"))
    points = trend_points(unique_figures(facts), "crossings_exit", "person_trips")
    figure = trend_figure(points, "province", "crossings_exit", "person_trips", "vi")
    segments = [t for t in figure.data if t.mode == "lines"]
    assert len(segments) == 1
    assert [str(x)[:10] for x in segments[0].x[:2]] == ["2023-01-01", "2023-06-30"]
    assert list(segments[0].y[:2]) == [100.0, 100.0]
    markers = {t.marker.symbol for t in figure.data if t.mode == "markers" and t.showlegend is False}
    assert markers == {SYMBOLS["over"], SYMBOLS["exact"]}
    legend = {t.name for t in figure.data if t.legendgroup == "qualifier"}
    assert legend == {"trên, hơn (tối thiểu)", "chính xác"}
    hover = " ".join(str(h) for t in figure.data for h in (t.hovertext or ()) if h)
    assert "&lt;b&gt;trên&lt;/b&gt;" in hover and "<b>trên</b>" not in hover
    assert figure.layout.separators == ",."


def test_compare_chart_numbers_repeated_provinces(make_facts):
    facts = make_facts(dict(value=100.0), dict(value=120.0, doc_id="b"), dict(value=90.0, province="Lai Châu"))
    rows = compare_rows(unique_figures(facts), "crossings_exit", "person_trips",
                        pd.Timestamp("2023-01-01"), pd.Timestamp("2023-08-04"))
    figure = compare_figure(rows, "province", "crossings_exit", "person_trips", "2023", "vi")
    assert list(figure.data[0].y) == ["Sơn La", "Sơn La · 2", "Lai Châu"]
    assert chart_config("xu-huong/Sơn La 2023")["toImageButtonOptions"] == {
        "format": "png", "filename": "xu-huong-Sơn-La-2023", "scale": 2}


def test_article_html_escapes_the_text_and_marks_each_figure():
    text = 'Có <script>alert(1)</script> trên 23.000 lượt người <img src=x onerror="x()"> và 97,6%.'
    start = text.index("trên 23.000")
    rate = text.index("97,6%")
    page = article_html(text, [Mark(start, start + 22, "Lượt xuất cảnh", 'a "title"', "crossings"),
                               Mark(rate, rate + 5, "Tỷ lệ <đúng hạn>", "", "dossiers", focus=True)])
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=&quot;x()&quot;&gt;" in page
    assert ('<mark class="crossings" title="a &quot;title&quot;">trên 23.000 lượt người'
            '<span class="tag">Lượt xuất cảnh</span></mark>') in page
    assert '<mark class="dossiers focus" title="">97,6%<span class="tag">Tỷ lệ &lt;đúng hạn&gt;</span></mark>' in page
    assert page.count("<mark") == 2


def test_overlapping_figures_share_one_mark_with_both_labels():
    text = "Giao 910/920 tân binh."
    outer, inner = text.index("910/920 tân binh"), text.index("920 tân binh")
    page = article_html(text, [Mark(outer, outer + 16, "Tân binh"), Mark(inner, inner + 12, "Chỉ tiêu")])
    assert page.count("<mark") == 1 and "Tân binh · Chỉ tiêu" in page


def test_the_excerpt_is_the_paragraph_of_the_picked_figure():
    text = "Mở đầu 5 bản.\nCó trên 23.000 lượt người và 4.105 phương tiện.\nKết thúc 2 xã."
    starts = [text.index(w) for w in ("5 bản", "trên 23.000", "4.105", "2 xã")]
    marks = [Mark(s, s + 5, "m") for s in starts]
    paragraph, inside = excerpt(text, marks, starts[1], starts[1] + 5)
    assert paragraph == "Có trên 23.000 lượt người và 4.105 phương tiện."
    assert [paragraph[m.start:m.end] for m in inside] == ["trên ", "4.105"]


def test_figures_are_found_by_their_words_when_offsets_do_not_hold(make_facts):
    text = "Tiếp nhận 1.036 hồ sơ; đã giải quyết 1.036 hồ sơ."
    second = text.rindex("1.036 hồ sơ")
    assert locate(text, second, second + 11, "1.036 hồ sơ") == (second, second + 11)
    assert locate(text, second + 3, second + 14, "1.036 hồ sơ") == (second, second + 11)
    assert locate(text, 0, 5, "không có") is None
    facts = make_facts(dict(text="1.036 hồ sơ", start=second, end=second + 11, metric="dossiers_resolved"))
    marks = figure_marks(text, facts, "vi", focus=(second, second + 11))
    assert [(m.start, m.label, m.focus) for m in marks] == [(second, "Hồ sơ đã giải quyết", True)]
    assert html.escape("1.036") in article_html(text, marks)


def test_figures_table_has_readable_headers_and_keeps_numbers(three_provinces):
    table = figures_table(three_provinces, "vi", "province_2025")
    assert list(table.columns[:4]) == ["Tỉnh (từ 2025)", "Địa bàn", "Chỉ tiêu", "Số liệu gốc"]
    assert table["Giá trị"].dtype == "float64"
    assert set(table["Chỉ tiêu"]) == {"Lượt xuất cảnh", "Hồ sơ tiếp nhận", "Kim ngạch xuất nhập khẩu", "Dân số"}
    assert len(figures_table(three_provinces.iloc[0:0], "en")) == 0


def test_command_line_picks_the_corpus_and_ignores_the_rest(tmp_path):
    args = parse_args(["--facts", str(tmp_path / "f.parquet"), "--unknown", "x", "-q"])
    assert args.facts == tmp_path / "f.parquet" and args.corpus is None and args.db is None
    assert parse_args(["--corpus", "seeds", "--db", "c.sqlite"]).db.name == "c.sqlite"
    assert parse_args([]).facts is None


def test_edited_cells_become_corrections(make_facts):
    facts = make_facts(dict(value=23000.0), dict(doc_id="b", value=5.0))
    original = editor_frame(facts, "province")
    edited = original.copy()
    edited.loc[0, "value"] = 24000.0
    edited.loc[0, "period_end"] = dt.date(2023, 8, 31)
    edited.loc[1, "rejected"] = True
    found = changes(original, edited, "province")
    assert [(c["index"], c["field"], c["after"]) for c in found] == [
        (0, "period_end", dt.date(2023, 8, 31)), (0, "value", 24000.0), (1, "rejected", "1")]
    assert changes(original, original.copy(), "province") == []
