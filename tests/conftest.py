"""Shared fixtures: facts tables built from explicit rows, the dashboard served on a free port, and
Debian's Chromium driven by Playwright."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
RUNNING = "[data-testid='stApp'][data-test-script-state='running']"

FIGURE_DEFAULTS = dict(
    doc_id="a", published="2023-08-04", province="Sơn La", province_2025="Sơn La", place=None,
    metric="crossings_exit", value=1.0, unit="person_trips", value_max=None, qualifier="exact",
    period_start="2023-01-01", period_end="2023-08-04", text="1 lượt người", sentence="Có 1 lượt người.",
    start=0, end=12, source="seeds/a.txt", rule="test", counterpart=None, content_hash="0" * 64)


@pytest.fixture
def make_facts():
    """A prepared facts table from a few rows, each given only where it differs from FIGURE_DEFAULTS."""
    from ui.dataset import prepare_facts

    def build(*rows: dict) -> pd.DataFrame:
        return prepare_facts(pd.DataFrame([{**FIGURE_DEFAULTS, **row} for row in rows]))
    return build


@pytest.fixture(scope="session")
def seed_dataset():
    """The five seed articles, extracted by the real pipeline and prepared as the dashboard shows them."""
    from ui.dataset import load_folder

    return load_folder(SEEDS)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def served(*dashboard_args: str):
    """`streamlit run dashboard.py -- *dashboard_args` on a free localhost port; yields its URL."""
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard.py"), "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1", "--", *dashboard_args]
    server = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                reason = server.stderr.read().decode(errors="replace")
                raise RuntimeError(f"streamlit did not start: {reason}") from None
            time.sleep(0.3)
    try:
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="session")
def dashboard_url():
    """The dashboard on the seeds, stopped after the session."""
    with served() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's), shared by the browser tests."""
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Chromium at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    yield context.new_page()
    context.close()


def settle(page, started: bool = False) -> None:
    """Wait until the script has run after the last action (it may take a moment to start)."""
    from playwright.sync_api import TimeoutError as Timeout

    if not started:
        with contextlib.suppress(Timeout):
            page.wait_for_selector(RUNNING, timeout=1500)
    page.wait_for_selector(IDLE, timeout=60_000)


def open_app(page, url: str) -> float:
    """Load the page and wait for the first view; returns the seconds it took."""
    began = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("[data-testid='stTab']", timeout=60_000)
    settle(page, started=True)
    return time.perf_counter() - began
