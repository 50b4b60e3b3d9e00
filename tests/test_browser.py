"""The dashboard in a real browser: charts drawn, filters in the URL, shared links, the CSV download."""
from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pandas as pd
import pytest

from tests.conftest import open_app, settle
from ui.filters import Filters, apply_filters
from ui.tables import figures_table

sync_api = pytest.importorskip("playwright.sync_api")
TAB_NAMES = ("Tổng quan", "Xu hướng", "So sánh tỉnh", "Hồ sơ hành chính", "Bảng số liệu", "Bài viết")


def show_tab(page, name: str) -> None:
    """Open a tab; only the open tab is drawn, so switching reruns the page."""
    tab = page.get_by_role("tab", name=name)
    if tab.get_attribute("aria-selected") != "true":
        tab.click()
        settle(page)


GRID = "[data-testid='stDataFrame'] [aria-rowcount]"
GRID_ROWS = "rows => document.querySelector(\"" + GRID + "\").getAttribute('aria-rowcount') === String(rows + 1)"


def table_rows(page, expected: int | None = None) -> int:
    """Data rows of the figures table, as the grid reports them. The grid draws a moment after the
    run ends: wait for `expected` rows when given (a short while otherwise)."""
    show_tab(page, "Bảng số liệu")
    grid = page.locator(GRID).first
    grid.wait_for(state="attached", timeout=20_000)
    if expected is None:
        page.wait_for_timeout(500)
    else:
        with contextlib.suppress(sync_api.TimeoutError):
            page.wait_for_function(GRID_ROWS, arg=expected, timeout=10_000)
    return int(grid.get_attribute("aria-rowcount")) - 1


def query(page) -> dict:
    return parse_qs(urlparse(page.url).query)


def expected_table(seed_dataset, **filters) -> pd.DataFrame:
    return figures_table(apply_filters(seed_dataset.facts, Filters(**filters)), "vi")


def test_first_view_draws_a_chart_and_every_tab(page, dashboard_url, seed_dataset):
    cold = open_app(page, dashboard_url)
    warm = open_app(page, dashboard_url)
    print(f"\ntime to first view: {cold:.2f} s cold (extraction included), {warm:.2f} s warm")
    assert warm < 15
    shots = os.environ.get("SCREENSHOT_DIR")
    page.set_viewport_size({"width": 1440, "height": 1800})
    for number, name in enumerate(TAB_NAMES):
        show_tab(page, name)
        if name == "Xu hướng":
            page.wait_for_selector(".js-plotly-plot svg.main-svg", timeout=20_000)
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / f"{number + 1}_{name}.png"), full_page=True)
    show_tab(page, "Xu hướng")
    assert page.locator(".js-plotly-plot svg.main-svg").count() >= 1
    assert page.locator(".modebar-btn[data-title*='png' i], .modebar-btn[data-title*='Download' i]").count() >= 1
    assert table_rows(page, len(seed_dataset.facts)) == len(seed_dataset.facts)


def test_a_filter_changes_the_table_and_the_url(page, dashboard_url, seed_dataset):
    open_app(page, dashboard_url)
    before = table_rows(page)
    picker = page.get_by_test_id("stMultiSelect").filter(has_text="Tỉnh").first
    picker.click()
    page.keyboard.type("Lai Châu")
    page.keyboard.press("Enter")
    settle(page)
    page.keyboard.press("Escape")
    assert query(page).get("province") == ["Lai Châu"]
    want = len(expected_table(seed_dataset, provinces=("Lai Châu",)))
    after = table_rows(page, want)
    assert after == want and after < before


def test_a_shared_url_opens_the_narrower_view(page, dashboard_url, seed_dataset):
    open_app(page, f"{dashboard_url}/?province={quote('Sơn La')}")
    want = len(expected_table(seed_dataset, provinces=("Sơn La",)))
    assert table_rows(page, want) == want
    sync_api.expect(page.get_by_test_id("stMultiSelect").first).to_contain_text("Sơn La", timeout=10_000)
    open_app(page, f"{dashboard_url}/?q={quote('xuất cảnh')}&lang=true")
    assert page.get_by_role("tab", name="Figures").count() == 1
    assert query(page).get("q") == ["xuất cảnh"]


def test_the_csv_download_is_the_filtered_view(page, dashboard_url, seed_dataset, tmp_path):
    open_app(page, f"{dashboard_url}/?province={quote('Sơn La')}")
    show_tab(page, "Bảng số liệu")
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Tải CSV").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "so-lieu-bien-gioi.csv" and saved.read_bytes().startswith(b"\xef\xbb\xbf")
    got = pd.read_csv(io.BytesIO(saved.read_bytes()), encoding="utf-8-sig")
    want = expected_table(seed_dataset, provinces=("Sơn La",))
    assert len(got) == len(want) == table_rows(page, len(want))
    assert got["Mã bài viết"].to_list() == want["Mã bài viết"].to_list()
    assert got["Giá trị"].to_list() == want["Giá trị"].to_list()
    assert got["Số liệu gốc"].to_list() == want["Số liệu gốc"].to_list()


def test_selecting_a_row_opens_its_article(page, dashboard_url):
    open_app(page, dashboard_url)
    show_tab(page, "Bảng số liệu")
    grid = page.locator("[data-testid='stDataFrame']").first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)
    settle(page)
    page.wait_for_selector("mark.focus", timeout=20_000)
    assert page.locator("mark.focus .tag").first.inner_text()
