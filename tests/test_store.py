"""The incremental store: only new or changed articles are extracted, replaced rows
leave no duplicate, deleted articles leave, and untouched partitions stay as they were."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from extract import extract_paths
from extract import store as store_module
from extract.runner import run
from extract.schema import COLUMNS
from extract.store import MAX_SMALL_FILES, read_articles, read_facts, read_manifest

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SON_LA_2023 = "001_9984b1c94a9df545"
PAGE = """<html><head><title>Cửa khẩu Lóng Sập</title>
<link rel="canonical" href="https://baosonla.vn/bai-1"></head><body><article>
<p>Từ đầu năm đến nay, qua Cửa khẩu quốc tế Lóng Sập, tỉnh Sơn La có {exits} lượt người
xuất cảnh và 4.105 lượt phương tiện.</p>
<p>Công tác quản lý cửa khẩu được thực hiện chặt chẽ, đúng quy trình.</p></article></body></html>"""
DIEN_BIEN = "003_e26a4ea75ba1acef"


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def store(tmp_path, corpus) -> Path:
    out = tmp_path / "store"
    summary = run([str(corpus)], f"{out}/")
    assert (summary.articles, summary.extracted) == (5, 5)
    return out


def ordered(facts: pd.DataFrame) -> pd.DataFrame:
    keys = ["source", "doc_id", "start", "end", "metric", "value", "unit"]
    return facts[COLUMNS].sort_values(keys).reset_index(drop=True)


def assert_store_matches_a_fresh_extraction(store: Path, *folders: Path) -> None:
    """No duplicate, nothing lost: the store holds what extracting the corpus now gives."""
    pd.testing.assert_frame_equal(ordered(read_facts(store)), ordered(extract_paths(folders)))


def files_with_times(store: Path) -> dict[str, int]:
    return {str(p.relative_to(store)): p.stat().st_mtime_ns for p in store.rglob("*.parquet")
            if p.name != "manifest.parquet"}


def test_first_run_partitions_by_2025_province_code_and_year(store, corpus):
    assert (store / "facts" / "province_code=14" / "year=2023").is_dir()  # Sơn La, 2023
    assert (store / "facts" / "province_code=14" / "year=2020").is_dir()
    assert list((store / "facts").glob("province_code=none/year=*"))  # `78 năm`, no province
    assert_store_matches_a_fresh_extraction(store, corpus)
    son_la = read_facts(store, [("province_code", "=", "14"), ("year", "=", "2023")])
    assert set(son_la["doc_id"]) == {SON_LA_2023}
    articles = read_articles(store, [SON_LA_2023])
    assert articles["text"].tolist() == [(corpus / f"{SON_LA_2023}.txt").read_text(encoding="utf-8")]
    assert len(read_articles(store)) == len(read_manifest(store)) == 5


def test_a_rerun_on_the_same_corpus_extracts_and_rewrites_nothing(store, corpus):
    before = files_with_times(store)
    summary = run([str(corpus)], f"{store}/")
    assert (summary.articles, summary.extracted, summary.removed) == (5, 0, 0)
    assert files_with_times(store) == before


def test_a_changed_article_alone_is_extracted_and_its_rows_replaced(store, corpus):
    before = files_with_times(store)
    old_rows = read_facts(store, [("doc_id", "=", SON_LA_2023)])
    article = corpus / f"{SON_LA_2023}.txt"
    article.write_text(article.read_text(encoding="utf-8").replace("trên 23.000", "trên 24.000"),
                       encoding="utf-8")
    summary = run([str(corpus)], f"{store}/")
    assert (summary.articles, summary.extracted, summary.removed) == (5, 1, 0)
    texts = set(read_facts(store, [("doc_id", "=", SON_LA_2023)])["text"])
    assert "trên 24.000 lượt người" in texts and "trên 23.000 lượt người" not in texts
    assert_store_matches_a_fresh_extraction(store, corpus)
    manifest = read_manifest(store).set_index("doc_id")["content_hash"]
    assert manifest[SON_LA_2023] != old_rows["content_hash"].iloc[0]
    touched = {f"province_code={c}/year={y}" for c, y in
               zip(old_rows["province_code"], old_rows["year"])}
    after = files_with_times(store)
    for name, mtime in before.items():
        if not any(part in name for part in touched) and not name.startswith("articles"):
            assert after.get(name) == mtime, f"{name} was rewritten"


def test_a_deleted_article_leaves_facts_articles_and_manifest(store, corpus):
    (corpus / f"{DIEN_BIEN}.txt").unlink()
    summary = run([str(corpus)], f"{store}/")
    assert (summary.articles, summary.extracted, summary.removed) == (4, 0, 1)
    assert DIEN_BIEN not in set(read_facts(store)["doc_id"])
    assert DIEN_BIEN not in set(read_articles(store)["doc_id"])
    assert DIEN_BIEN not in set(read_manifest(store)["doc_id"])
    assert_store_matches_a_fresh_extraction(store, corpus)


def test_a_new_article_is_added_without_touching_the_others(store, corpus):
    before = read_facts(store)
    text = (corpus / f"{SON_LA_2023}.txt").read_text(encoding="utf-8")
    (corpus / "005_new.txt").write_text(text.replace("gần 28.000", "gần 29.000"), encoding="utf-8")
    summary = run([str(corpus)], f"{store}/")
    assert (summary.articles, summary.extracted, summary.removed) == (6, 1, 0)
    after = read_facts(store)
    assert len(after) == len(before) + len(after[after["doc_id"] == "005_new"]) > len(before)
    assert_store_matches_a_fresh_extraction(store, corpus)


def test_articles_read_from_another_folder_stay(store, corpus, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(SEEDS / f"{DIEN_BIEN}.txt", other / "010_other.txt")
    summary = run([str(other)], f"{store}/")
    assert (summary.articles, summary.extracted, summary.removed) == (1, 1, 0)
    assert_store_matches_a_fresh_extraction(store, corpus, other)


def test_small_files_of_many_runs_are_merged(store, corpus):
    partition = store / "facts" / "province_code=14" / "year=2023"
    text = (corpus / f"{SON_LA_2023}.txt").read_text(encoding="utf-8")
    for i in range(MAX_SMALL_FILES + 2):
        (corpus / f"1{i:02d}_copy.txt").write_text(text, encoding="utf-8")
        run([str(corpus)], f"{store}/")
        assert len(list(partition.glob("*.parquet"))) <= MAX_SMALL_FILES
    assert_store_matches_a_fresh_extraction(store, corpus)


def test_files_of_many_flushes_in_one_run_are_merged(tmp_path, corpus, monkeypatch):
    """Each flush writes and closes a file of its own; commit merges a partition's small ones."""
    monkeypatch.setattr(store_module, "BUFFER_ROWS", 0)  # every batch is written out at once
    text = (corpus / f"{SON_LA_2023}.txt").read_text(encoding="utf-8")
    for i in range(MAX_SMALL_FILES):
        (corpus / f"1{i:02d}_copy.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "flushed"
    run([str(corpus)], f"{out}/")  # one article a batch: MAX_SMALL_FILES + 1 flushes in Sơn La, 2023
    assert len(list((out / "facts" / "province_code=14" / "year=2023").glob("*.parquet"))) == 1
    assert_store_matches_a_fresh_extraction(out, corpus)


def test_two_saved_copies_of_one_page_are_two_versions(tmp_path):
    """Both copies name the same URL (their `source`); changing one keeps the other's rows."""
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_text(PAGE.format(exits="trên 23.000"), encoding="utf-8")
    (pages / "b.html").write_text(PAGE.format(exits="trên 25.000"), encoding="utf-8")
    store = tmp_path / "store"
    run([str(pages)], f"{store}/")
    (pages / "b.html").write_text(PAGE.format(exits="trên 26.000"), encoding="utf-8")
    summary = run([str(pages)], f"{store}/")
    assert (summary.articles, summary.extracted) == (2, 1)
    values = read_facts(store).groupby("doc_id")["value"].apply(set)
    assert 23000.0 in values["a"] and 26000.0 in values["b"] and 25000.0 not in values["b"]
    assert_store_matches_a_fresh_extraction(store, pages)


def test_a_member_removed_from_a_zip_leaves_the_store(tmp_path):
    archive = tmp_path / "in" / "seeds.zip"
    archive.parent.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for members in (seeds, seeds[:-1]):
        with zipfile.ZipFile(archive, "w") as z:
            for seed in members:
                z.write(seed, seed.name)
        summary = run([str(archive.parent)], f"{tmp_path / 'store'}/")
    assert (summary.articles, summary.extracted, summary.removed) == (4, 0, 1)
    assert seeds[-1].stem not in set(read_facts(tmp_path / "store")["doc_id"])
    assert_store_matches_a_fresh_extraction(tmp_path / "store", archive.parent)
