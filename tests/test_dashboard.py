"""The dashboard run headless on the real seeds: views, filters, the URL, uploads, corrections, and the
same views over a store of the seeds."""
from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import zipfile

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import extract
from extract.corrections import CorrectionStore
from extract.schema import COLUMNS
from extract.store import read_facts
from tests.conftest import REPO, SEEDS
from ui import figures
from ui.dataset import load_store
from ui.filters import FACETS, Filters, exact_key, fold
from ui.query import FactsQuery
from ui.tables import in_table_order

TABLE = "figures_table"
TABS = {"overview": "Tổng quan", "trends": "Xu hướng", "compare": "So sánh tỉnh", "dossiers": "Hồ sơ hành chính",
        "figures": "Bảng số liệu", "article": "Bài viết"}
NEW_ARTICLE = ("Trong 6 tháng đầu năm 2024, qua Cửa khẩu quốc tế Tây Trang (tỉnh Điện Biên) có trên "
               "12.500 lượt người xuất cảnh và 11.200 lượt người nhập cảnh.")


@pytest.fixture(autouse=True)
def main_module():
    """AppTest leaves the script as `__main__`; put pytest's back so that later process pools
    (which re-import `__main__`) do not start the dashboard."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


def run_app(monkeypatch=None, argv=(), query=None, tab: str = "figures") -> AppTest:
    """The dashboard after its first run with `tab` open, started as `streamlit run dashboard.py -- *argv`."""
    if monkeypatch is not None:
        monkeypatch.setattr(sys, "argv", ["dashboard.py", *argv])
    app = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    app.query_params.update(query or {})
    app.session_state["tab"] = TABS.get(tab, tab)
    app.run()
    assert not app.exception, app.exception
    return app


def open_tab(app: AppTest, tab: str) -> AppTest:
    """Switch to a tab (only the open tab is drawn) and rerun."""
    app.session_state["tab"] = TABS.get(tab, tab)
    app.run()
    assert not app.exception, app.exception
    return app


def table_rows(app: AppTest) -> int:
    return len(app.dataframe(key=TABLE).value)


@pytest.fixture(scope="module")
def seed_figures() -> int:
    return len(extract.load_corpus([SEEDS]).facts)


def test_opens_on_the_seeds_with_every_view(seed_figures):
    app = run_app(tab="overview")
    assert [tab.label for tab in app.tabs] == list(TABS.values())
    assert any("Lượt xuất cảnh" in metric.label for metric in app.metric)
    charts = sum(len(open_tab(app, tab).get("plotly_chart")) for tab in ("trends", "compare", "dossiers"))
    assert charts >= 3
    open_tab(app, "figures")
    assert table_rows(app) == seed_figures
    assert app.dataframe(key=TABLE).value["Giá trị"].dtype == "float64"
    open_tab(app, "article")
    assert any("<mark" in element.proto.body for element in app.html)


def test_only_the_open_tab_is_drawn():
    app = run_app(tab="overview")
    assert not app.get("plotly_chart") and not [frame for frame in app.dataframe if frame.key == TABLE]
    open_tab(app, "trends")
    assert len(app.get("plotly_chart")) == 1 and not app.metric


@pytest.mark.parametrize("change", [
    lambda app: app.multiselect(key="province").select("Sơn La"),
    lambda app: app.multiselect(key="metric").select("crossings_exit"),
    lambda app: app.multiselect(key="qualifier").select("over"),
    lambda app: app.multiselect(key="unit").select("dossiers"),
    lambda app: app.date_input(key="from").set_value(dt.date(2023, 1, 1)),
    lambda app: app.date_input(key="to").set_value(dt.date(2021, 12, 31)),
    lambda app: app.text_input(key="q").input("xuat canh"),
    lambda app: app.number_input(key="vmin").set_value(10000.0),
    lambda app: app.number_input(key="vmax").set_value(10.0),
], ids=["province", "metric", "qualifier", "unit", "from", "to", "q", "vmin", "vmax"])
def test_each_filter_narrows_the_table(change, seed_figures):
    app = run_app()
    change(app).run()
    assert not app.exception
    assert 0 < table_rows(app) < seed_figures


def test_facet_options_show_their_counts():
    facts = extract.load_corpus([SEEDS]).facts
    app = run_app()
    son_la = int((facts["province"] == "Sơn La").sum())
    assert f"Sơn La ({son_la})" in app.multiselect(key="province").options
    app.multiselect(key="metric").select("crossings_exit").run()
    assert app.multiselect(key="province").options == ["Sơn La (1)"]
    assert "Lượt xuất cảnh (1)" in app.multiselect(key="metric").options


def test_a_shared_url_opens_the_narrower_view(seed_figures):
    app = run_app(query={"province": "Sơn La"})
    assert app.multiselect(key="province").value == ["Sơn La"]
    provinces = set(app.dataframe(key=TABLE).value["Tỉnh"])
    assert provinces == {"Sơn La"} and table_rows(app) < seed_figures
    narrower = run_app(query={"province": "Sơn La", "metric": "crossings_exit", "q": "xuất cảnh"})
    assert table_rows(narrower) == 1


def test_choosing_a_filter_writes_it_to_the_url():
    app = run_app()
    app.multiselect(key="province").select("Lai Châu").run()
    assert app.query_params["province"] == "Lai Châu"
    app.multiselect(key="province").unselect("Lai Châu").run()
    assert "province" not in app.query_params


def test_provinces_since_2025_follow_the_toggle():
    app = run_app(query={"p2025": "true", "province": "Vĩnh Long"})
    table = app.dataframe(key=TABLE).value
    assert set(table["Tỉnh (từ 2025)"]) == {"Vĩnh Long"} and len(table) >= 1


def test_a_filter_matching_nothing_says_so_in_every_tab():
    app = run_app(query={"q": "không có câu nào như thế này"}, tab="overview")
    for tab in TABS:
        open_tab(app, tab)
        assert any("Không có số liệu" in info.value for info in app.info), tab


def test_english_by_the_toggle():
    app = run_app()
    app.toggle(key="lang").set_value(True).run()
    assert [tab.label for tab in app.tabs][0] == "Overview"
    open_tab(app, "Figures")
    assert "Metric" in app.dataframe(key=TABLE).value.columns


def test_selecting_a_row_opens_its_article():
    app = run_app()
    table = app.dataframe(key=TABLE).value
    row = list(table["Số liệu gốc"]).index("trên 23.000 lượt người")
    app.session_state[TABLE] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    app.run()
    assert app.session_state["article"] == "001_9984b1c94a9df545"
    focused = [h.proto.body for h in app.html if 'class="crossings focus"' in h.proto.body]
    assert focused and "trên 23.000 lượt người" in focused[0]


def test_uploaded_articles_add_their_figures(seed_figures):
    expected = len(extract.extract_text(NEW_ARTICLE, "tay_trang"))
    assert expected >= 1
    app = run_app()
    app.file_uploader(key="uploads").upload("tay_trang.txt", NEW_ARTICLE.encode("utf-8"), "text/plain").run()
    assert not app.exception and not app.error
    assert table_rows(app) == seed_figures + expected
    assert "tay_trang" in set(app.dataframe(key=TABLE).value["Mã bài viết"])


def test_a_broken_upload_shows_its_error_and_the_rest_load(seed_figures):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("tay_trang.txt", NEW_ARTICLE)
        bundle.writestr("anh.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    app = run_app()
    uploader = app.file_uploader(key="uploads")
    uploader.upload("bai_viet.zip", archive.getvalue(), "application/zip")
    uploader.upload("hong.html", b"\x00\x01\x02\xff\xfe" * 50, "text/html").run()
    assert not app.exception
    errors = [error.value for error in app.error]
    assert any("anh.txt" in message for message in errors)
    assert any("hong.html" in message for message in errors)
    assert table_rows(app) > seed_figures


def test_opens_a_facts_file_written_by_the_batch_command(tmp_path, monkeypatch, seed_figures):
    facts_file = tmp_path / "facts.csv"
    subprocess.run([sys.executable, "-m", "extract", str(SEEDS), "--out", str(facts_file), "--quiet"],
                   cwd=REPO, check=True, timeout=120)
    app = run_app(monkeypatch, ["--facts", str(facts_file), "--db", str(tmp_path / "c.sqlite")])
    assert table_rows(app) == seed_figures
    app.session_state[TABLE] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    app.run()
    assert not app.exception and any("<mark" in h.proto.body for h in app.html)


def test_a_missing_corpus_gives_a_message_not_a_traceback(tmp_path, monkeypatch):
    app = run_app(monkeypatch, ["--corpus", str(tmp_path / "nowhere")])
    assert "nowhere" in app.error[0].value and not app.tabs


def test_an_unreadable_facts_file_gives_a_message_not_a_traceback(tmp_path, monkeypatch):
    broken = tmp_path / "facts.parquet"
    broken.write_bytes(b"not parquet at all")
    app = run_app(monkeypatch, ["--facts", str(broken)])
    assert "facts.parquet" in app.error[0].value and not app.tabs


def test_opens_another_corpus_folder(tmp_path, monkeypatch):
    for name in ("001_9984b1c94a9df545.txt", "004_e5b0733558770ade.txt"):
        (tmp_path / name).write_bytes((SEEDS / name).read_bytes())
    app = run_app(monkeypatch, ["--corpus", str(tmp_path), "--db", str(tmp_path / "c.sqlite")])
    assert set(app.dataframe(key=TABLE).value["Mã bài viết"]) == {"001_9984b1c94a9df545", "004_e5b0733558770ade"}


def test_corrections_are_applied_listed_and_saved(tmp_path, monkeypatch, seed_figures):
    db = tmp_path / "corrections.sqlite"
    facts = extract.load_corpus([SEEDS]).facts
    rejected = facts[facts["text"] == "78 năm"].iloc[0]
    with CorrectionStore(db) as store:
        store.add(content_hash=rejected["content_hash"], start=rejected["start"], end=rejected["end"],
                  doc_id=rejected["doc_id"], field="rejected", before="0", after="1", note="not a figure")
    app = run_app(monkeypatch, ["--db", str(db)])
    assert table_rows(app) == seed_figures - 1
    assert any("not a figure" in set(frame.value.get("Ghi chú", [])) for frame in app.dataframe)
    app.session_state["corrections_editor"] = {"edited_rows": {0: {"value": 24000.0}}, "added_rows": [],
                                               "deleted_rows": []}
    app.run()
    save = next(button for button in app.button if button.label.startswith("Lưu"))
    assert save.label == "Lưu 1 thay đổi"
    save.click().run()
    assert not app.exception
    with CorrectionStore(db) as store:
        assert len(store.history()) == 2 and set(store.active()["field"]) == {"rejected", "value"}


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    """The seeds in a Parquet store, as `python -m extract seeds --out store/` writes it."""
    store = tmp_path_factory.mktemp("seed_store") / "store"
    subprocess.run([sys.executable, "-m", "extract", str(SEEDS), "--out", f"{store}/", "--quiet"],
                   cwd=REPO, check=True, timeout=120)
    return store


def pandas_filter(facts: pd.DataFrame, chosen: Filters) -> pd.DataFrame:
    """The filters written out with pandas masks: the reference the SQL of the query layer must match."""
    keep = pd.Series(True, index=facts.index)
    for facet in FACETS:
        if chosen.chosen(facet):
            keep &= facts[chosen.column(facet)].isin(chosen.chosen(facet))
    if chosen.period_from:
        keep &= (facts["period_end"] >= pd.Timestamp(chosen.period_from)).fillna(False)
    if chosen.period_to:
        keep &= (facts["period_start"] <= pd.Timestamp(chosen.period_to)).fillna(False)
    if chosen.value_min is not None:
        keep &= (facts["value"] >= chosen.value_min).fillna(False)
    if chosen.value_max is not None:
        keep &= (facts["value"] <= chosen.value_max).fillna(False)
    if chosen.text:
        plain = fold(chosen.text) == chosen.text.casefold()
        key, needle = (fold, fold(chosen.text)) if plain else (exact_key, exact_key(chosen.text))
        evidence = facts["sentence"].fillna("") + " " + facts["text"].fillna("")
        keep &= evidence.map(key).str.contains(needle, regex=False)
    return facts[keep]


SAME_ROWS = {
    "all": Filters(), "province": Filters(provinces=("Sơn La", "Lai Châu")),
    "province_2025": Filters(provinces=("Tuyên Quang", "Điện Biên"), use_2025=True),
    "metric": Filters(metrics=("crossings_exit", "dossiers_received")), "from": Filters(period_from=dt.date(2023, 1, 1)),
    "to": Filters(period_to=dt.date(2021, 12, 31)), "qualifier": Filters(qualifiers=("over", "approx")),
    "unit": Filters(units=("dossiers", "person_trips")), "values": Filters(value_min=100.0, value_max=50_000.0),
    "plain text": Filters(text="xuat canh"), "exact text": Filters(text="Xuất cảnh"),
    "several": Filters(provinces=("Sơn La",), metrics=("crossings_exit",), text="xuất cảnh"),
}


@pytest.mark.parametrize("chosen", SAME_ROWS.values(), ids=SAME_ROWS.keys())
def test_the_query_layer_returns_the_rows_of_the_pandas_path(seed_dataset, seed_store, chosen):
    key = ["doc_id", "start", "end"]
    in_memory = FactsQuery.open(seed_dataset).rows(chosen, 10_000)
    stored = FactsQuery.open(load_store(seed_store)).rows(chosen, 10_000)
    expected = in_table_order(pandas_filter(seed_dataset.facts, chosen), chosen.province_column)
    assert in_memory[key].values.tolist() == expected[key].values.tolist()
    pd.testing.assert_frame_equal(stored[COLUMNS], in_memory[COLUMNS])
    assert len(expected) > 0 or chosen.text


def test_counts_and_distinct_figures_agree_between_the_store_and_memory(seed_dataset, seed_store):
    chosen = Filters(metrics=("crossings_exit", "crossings_entry", "trade_value"))
    in_memory, stored = FactsQuery.open(seed_dataset), FactsQuery.open(load_store(seed_store))
    assert stored.totals(chosen) == in_memory.totals(chosen)
    assert {facet: counts.to_dict() for facet, counts in stored.facet_counts(chosen, FACETS).items()} == \
           {facet: counts.to_dict() for facet, counts in in_memory.facet_counts(chosen, FACETS).items()}
    unique = ["metric", "province", "period_start", "period_end", "value", "unit", "doc_ids", "n_sources"]
    assert stored.unique_figures(chosen)[unique].to_dict("records") == \
           in_memory.unique_figures(chosen)[unique].to_dict("records")


def test_opens_a_store_and_reads_the_article_from_it(seed_store, monkeypatch, tmp_path, seed_figures):
    app = run_app(monkeypatch, ["--facts", str(seed_store), "--db", str(tmp_path / "c.sqlite")])
    assert table_rows(app) == seed_figures
    assert f"trên tổng số {seed_figures}" in app.caption[0].value
    app.session_state[TABLE] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    app.run()
    assert not app.exception and any("<mark" in h.proto.body for h in app.html)
    narrowed = run_app(monkeypatch, ["--facts", str(seed_store)], query={"province": "Sơn La"})
    assert set(narrowed.dataframe(key=TABLE).value["Tỉnh"]) == {"Sơn La"}


def test_corrections_apply_to_a_store_too(seed_store, monkeypatch, tmp_path, seed_figures):
    db = tmp_path / "corrections.sqlite"
    figure = read_facts(seed_store).iloc[0]
    with CorrectionStore(db) as store:
        store.add(content_hash=figure["content_hash"], start=figure["start"], end=figure["end"],
                  doc_id=figure["doc_id"], field="rejected", before="0", after="1", note="not a figure")
    app = run_app(monkeypatch, ["--facts", str(seed_store), "--db", str(db)])
    assert table_rows(app) == seed_figures - 1


def test_a_folder_that_is_not_a_store_gives_a_message(tmp_path, monkeypatch):
    app = run_app(monkeypatch, ["--facts", str(tmp_path)])
    assert "facts/" in app.error[0].value and not app.tabs


def test_a_broken_store_file_gives_a_message_not_a_traceback(tmp_path, monkeypatch):
    broken = tmp_path / "store" / "facts" / "province_code=14" / "year=2023" / "part-x.parquet"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"PAR1 not really parquet")
    app = run_app(monkeypatch, ["--facts", str(tmp_path / "store")])
    assert "store" in app.error[0].value and not app.exception


def test_uploaded_articles_join_a_store(seed_store, monkeypatch, tmp_path, seed_figures):
    expected = len(extract.extract_text(NEW_ARTICLE, "tay_trang"))
    app = run_app(monkeypatch, ["--facts", str(seed_store), "--db", str(tmp_path / "c.sqlite")])
    uploader = app.file_uploader(key="uploads")
    uploader.upload("tay_trang.txt", NEW_ARTICLE.encode("utf-8"), "text/plain")
    uploader.upload("seed.txt", (SEEDS / "001_9984b1c94a9df545.txt").read_bytes(), "text/plain").run()
    assert not app.exception and not app.error
    assert table_rows(app) == seed_figures + expected
    assert any("seed.txt" in info.value for info in app.info)


def test_downloads_past_the_cap_hold_the_first_rows_and_say_so(monkeypatch, seed_dataset, seed_figures):
    monkeypatch.setattr(figures, "MAX_EXPORTED", 10)
    app = run_app()
    labels = [button.proto.label for button in app.get("download_button")]
    assert labels and all("10 dòng đầu" in label for label in labels)
    assert any("tệp tải về chỉ chứa 10 dòng đầu" in caption.value and str(seed_figures) in caption.value
               for caption in app.caption)
    exported = figures.exported(FactsQuery.open(seed_dataset), Filters(), "vi")
    shown = app.dataframe(key=TABLE).value
    assert exported["Mã bài viết"].to_list() == shown["Mã bài viết"].head(10).to_list()
