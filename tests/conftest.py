"""Shared fixtures: facts tables built from explicit rows, and the dashboard served on a free port."""
from __future__ import annotations

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


@pytest.fixture(scope="session")
def dashboard_url():
    """`streamlit run dashboard.py` on a free localhost port, stopped after the session."""
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard.py"), "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1"]
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
    yield url
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
