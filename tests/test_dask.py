"""`--engine dask` on a local cluster of two worker processes writes the same store,
row for row, as one local process."""
from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from extract.runner import run
from extract.schema import COLUMNS
from extract.store import read_articles, read_facts, read_manifest

distributed = pytest.importorskip("dask.distributed")

REPO = Path(__file__).resolve().parents[1]
GENERATED = 60


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The seeds plus a small generated corpus."""
    folder = tmp_path_factory.mktemp("dask") / "corpus"
    shutil.copytree(REPO / "seeds", folder / "seeds")
    subprocess.run([sys.executable, str(REPO / "bench" / "make_corpus.py"), str(GENERATED),
                    str(folder / "generated"), "--seed", "7"], check=True, capture_output=True)
    (folder / "generated" / "gold.csv").unlink()
    return folder


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None, silence_logs=logging.ERROR) as local:
        yield local


def ordered(facts: pd.DataFrame) -> pd.DataFrame:
    return facts[COLUMNS + ["province_code", "year"]].sort_values(
        ["source", "doc_id", "start", "end", "metric", "value", "unit"]).reset_index(drop=True)


@pytest.mark.timeout(120)
def test_dask_store_equals_the_single_process_store(corpus, cluster, tmp_path):
    local = run([str(corpus)], f"{tmp_path / 'local'}/")
    done = subprocess.run([sys.executable, "-m", "extract", str(corpus), "--engine", "dask",
                           "--scheduler", cluster.scheduler_address, "--out", f"{tmp_path / 'dask'}/"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"{local.articles} articles read ({local.articles} extracted" in done.stderr
    assert local.articles == GENERATED + 5 and local.figures > 500
    pd.testing.assert_frame_equal(ordered(read_facts(tmp_path / "dask")),
                                  ordered(read_facts(tmp_path / "local")))
    by_id = lambda frame: frame.sort_values("doc_id").reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(by_id(read_articles(tmp_path / "dask")),
                                  by_id(read_articles(tmp_path / "local")))
    pd.testing.assert_frame_equal(by_id(read_manifest(tmp_path / "dask")),
                                  by_id(read_manifest(tmp_path / "local")))


@pytest.mark.timeout(120)
def test_dask_runs_are_incremental_too(corpus, cluster, tmp_path):
    store = f"{tmp_path / 'store'}/"
    run([str(corpus)], store, engine="dask", scheduler=cluster.scheduler_address)
    again = run([str(corpus)], store, engine="dask", scheduler=cluster.scheduler_address)
    assert (again.articles, again.extracted, again.removed) == (GENERATED + 5, 0, 0)
