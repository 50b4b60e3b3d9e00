"""The dashboard run headless on the real seeds: views, filters, the URL, uploads, corrections."""
from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import zipfile

import pytest
from streamlit.testing.v1 import AppTest

import extract
from extract.corrections import CorrectionStore
from tests.conftest import REPO, SEEDS

TABLE = "figures_table"
NEW_ARTICLE = ("Trong 6 tháng đầu năm 2024, qua Cửa khẩu quốc tế Tây Trang (tỉnh Điện Biên) có trên "
               "12.500 lượt người xuất cảnh và 11.200 lượt người nhập cảnh.")


@pytest.fixture(autouse=True)
def main_module():
    """AppTest leaves the script as `__main__`; put pytest's back so that later process pools
    (which re-import `__main__`) do not start the dashboard."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


def run_app(monkeypatch=None, argv=(), query=None) -> AppTest:
    """The dashboard after its first run, started as `streamlit run dashboard.py -- *argv`."""
    if monkeypatch is not None:
        monkeypatch.setattr(sys, "argv", ["dashboard.py", *argv])
    app = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    app.query_params.update(query or {})
    app.run()
    assert not app.exception, app.exception
    return app


def table_rows(app: AppTest) -> int:
    return len(app.dataframe(key=TABLE).value)


@pytest.fixture(scope="module")
def seed_figures() -> int:
    return len(extract.load_corpus([SEEDS]).facts)


def test_opens_on_the_seeds_with_every_view(seed_figures):
    app = run_app()
    assert [tab.label for tab in app.tabs] == ["Tổng quan", "Xu hướng", "So sánh tỉnh", "Hồ sơ hành chính",
                                               "Bảng số liệu", "Bài viết"]
    assert table_rows(app) == seed_figures
    assert len(app.get("plotly_chart")) >= 3
    assert any("Lượt xuất cảnh" in metric.label for metric in app.metric)
    assert app.dataframe(key=TABLE).value["Giá trị"].dtype == "float64"
    assert any("<mark" in element.proto.body for element in app.html)


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
    app = run_app(query={"q": "không có câu nào như thế này"})
    assert not app.exception
    assert len(app.info) >= 6
    assert all("Không có số liệu" in info.value for info in app.info[:6])


def test_english_by_the_toggle():
    app = run_app()
    app.toggle(key="lang").set_value(True).run()
    assert [tab.label for tab in app.tabs][0] == "Overview"
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
