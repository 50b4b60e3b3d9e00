"""Corrections: stored in SQLite, applied on top of every extraction, kept as an audit trail."""
import datetime as dt
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from extract.corrections import CorrectionStore, default_db_path
from extract.document import Document
from extract.schema import COLUMNS

REPO = Path(__file__).resolve().parents[1]
ARTICLE = ("Trong 7 tháng đầu năm 2023, qua Cửa khẩu quốc tế Nậm Cắn có trên 23.000 lượt người "
           "xuất cảnh và 4.105 lượt phương tiện.")
FIGURES = [("trên 23.000 lượt người", 23000.0, "person_trips", "over", "crossings_exit"),
           ("4.105 lượt phương tiện", 4105.0, "vehicles", "exact", "vehicles")]


def build_facts(text=ARTICLE, dates="datetime"):
    """The facts table an extraction of `text` gives, built afresh on every call."""
    doc = Document(doc_id="001_nam_can", text=text, source="seeds/001_nam_can.txt")
    rows = []
    for figure, value, unit, qualifier, metric in FIGURES:
        start = text.index(figure)
        rows.append(dict(
            doc_id=doc.doc_id, published="2023-08-04", province="Nghệ An", province_2025="Nghệ An",
            place="Cửa khẩu quốc tế Nậm Cắn", metric=metric, value=value, unit=unit, value_max=None,
            qualifier=qualifier, period_start="2023-01-01", period_end="2023-07-31", text=figure,
            sentence=text, start=start, end=start + len(figure), source=doc.source, rule="qty.test",
            counterpart=None, content_hash=doc.content_hash))
    facts = pd.DataFrame(rows, columns=COLUMNS).astype({"value": float, "value_max": float})
    for column in ("published", "period_start", "period_end"):
        stamps = pd.to_datetime(facts[column])
        facts[column] = stamps if dates == "datetime" else stamps.dt.date.astype(object)
    return facts


def figure(facts, row=0):
    """The keyword arguments that name one figure of `facts` in a correction."""
    return {k: facts.at[row, k] for k in ("content_hash", "start", "end", "doc_id")}


@pytest.fixture
def store(tmp_path):
    with CorrectionStore(tmp_path / "corrections.sqlite") as opened:
        yield opened


EDITS = [  # field, after as the analyst types it, the cell the corrected table then holds
    ("metric", "crossings_total", "crossings_total"),
    ("province", "Điện Biên", "Điện Biên"),
    ("province_2025", "", None),
    ("period_start", "2023-06-01", dt.date(2023, 6, 1)),
    ("period_end", dt.date(2023, 8, 4), dt.date(2023, 8, 4)),
    ("value", "23500", 23500.0),
    ("unit", "persons", "persons"),
    ("qualifier", "approx", "approx"),
]


@pytest.mark.parametrize("dates", ["datetime", "date"])
@pytest.mark.parametrize("field, after, expected", EDITS)
def test_each_field_is_corrected_recorded_and_undone(store, field, after, expected, dates):
    facts = build_facts(dates=dates)
    before = facts.at[0, field]
    number = store.add(**figure(facts), field=field, before=before, after=after,
                       note="checked against the PDF", analyst="Lan")

    corrected = store.apply(facts)
    cell = corrected.at[0, field]
    if expected is None:
        assert pd.isna(cell)
    elif field.startswith("period"):
        assert pd.Timestamp(cell) == pd.Timestamp(expected)
        assert isinstance(cell, pd.Timestamp if dates == "datetime" else dt.date)
    else:
        assert cell == expected
    assert corrected.dtypes.drop("corrected").equals(facts.dtypes)
    assert corrected["corrected"].tolist() == [True, False]
    assert corrected.iloc[1].drop("corrected").equals(facts.iloc[1])

    [entry] = store.history().to_dict("records")
    assert (entry["id"], entry["field"], entry["note"], entry["analyst"]) == (
        number, field, "checked against the PDF", "Lan")
    assert entry["before"] == (str(before)[:10] if field.startswith("period") else str(before))
    assert dt.datetime.fromisoformat(entry["created_at"]).utcoffset() == dt.timedelta(0)
    assert not entry["undone"]

    store.undo(number)
    assert store.active().empty
    assert store.history()["undone"].tolist() == [True]
    restored = store.apply(facts)
    assert restored.drop(columns="corrected").equals(facts)
    assert not restored["corrected"].any()


def test_rejected_figure_leaves_the_table_but_stays_in_the_history(store):
    facts = build_facts()
    number = store.add(**figure(facts, 1), field="rejected", before="0", after="1", note="a date, not a count")
    corrected = store.apply(facts)
    assert corrected["text"].tolist() == ["trên 23.000 lượt người"]
    assert store.history()[["id", "field", "after"]].values.tolist() == [[number, "rejected", "1"]]
    store.undo(number)
    assert len(store.apply(facts)) == 2
    assert len(store.history()) == 1


def test_latest_correction_wins_and_undoing_it_restores_the_previous(store):
    facts = build_facts()
    first = store.add(**figure(facts), field="value", before=23000.0, after="23100")
    second = store.add(**figure(facts), field="value", before=23100.0, after="23200")
    assert store.active()["id"].tolist() == [second]
    assert store.history()["id"].tolist() == [second, first]
    assert store.apply(facts).at[0, "value"] == 23200.0
    store.undo(second)
    assert store.apply(facts).at[0, "value"] == 23100.0


def test_undo_twice_or_unknown_is_a_clear_error(store):
    facts = build_facts()
    number = store.add(**figure(facts), field="unit", before="person_trips", after="persons")
    store.undo(number)
    with pytest.raises(ValueError, match=f"correction {number} was already undone at 20"):
        store.undo(number)
    with pytest.raises(ValueError, match="no correction number 99"):
        store.undo(99)


def test_corrections_survive_a_restart_and_a_reextraction(tmp_path):
    path = default_db_path(tmp_path)
    assert path == tmp_path / ".corrections.sqlite"
    first_run = build_facts()
    with CorrectionStore(path) as store:
        store.add(**figure(first_run), field="metric", before="crossings_exit", after="crossings_total")
        store.add(**figure(first_run, 1), field="rejected", before="0", after="1")

    rerun = build_facts()  # the extractor run again on the same article
    with CorrectionStore(path) as reopened:
        corrected = reopened.apply(rerun)
        assert corrected["metric"].tolist() == ["crossings_total"]
        assert reopened.orphans(rerun).empty


def test_corrections_of_a_changed_article_are_orphans_not_applied(store):
    store.add(**figure(build_facts()), field="value", before=23000.0, after="24000")
    edited = build_facts(ARTICLE.replace("Trong 7 tháng", "Trong bảy tháng"))
    corrected = store.apply(edited)
    assert corrected.drop(columns="corrected").equals(edited)
    assert store.orphans(edited)[["field", "after"]].values.tolist() == [["value", "24000.0"]]


@pytest.mark.parametrize("changes, message", [
    ({"field": "place"}, "field must be one of metric, province"),
    ({"field": "value", "after": "23.000,5"}, "value must be a number"),
    ({"field": "value", "after": "nan"}, "value must be a finite number"),
    ({"field": "value", "after": None}, "value needs a value"),
    ({"field": "period_end", "after": "31/07/2023"}, "period_end must be a date written YYYY-MM-DD"),
    ({"field": "qualifier", "after": "roughly"}, "qualifier must be one of exact, over"),
    ({"field": "rejected", "after": "yes"}, "rejected must be 1"),
    ({"content_hash": "abc"}, "content_hash must be the article's sha256"),
    ({"start": 10, "end": 5}, "offsets must satisfy 0 <= start < end"),
    ({"doc_id": " "}, "doc_id is required"),
])
def test_bad_corrections_are_refused_with_a_clear_message(store, changes, message):
    correction = {**figure(build_facts()), "field": "metric", "before": "crossings_exit", "after": "other"}
    with pytest.raises(ValueError, match=message):
        store.add(**{**correction, **changes})
    assert store.history().empty


def test_the_audit_trail_cannot_be_rewritten_behind_the_store(store):
    number = store.add(**figure(build_facts()), field="unit", before="person_trips", after="persons")
    conn = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        conn.execute("DELETE FROM corrections")
    with pytest.raises(sqlite3.IntegrityError, match="only be marked undone"):
        conn.execute("UPDATE corrections SET after = 'tonnes' WHERE id = ?", (number,))
    conn.close()


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("not a database, just notes\n" * 100)
    with pytest.raises(ValueError, match="cannot open corrections database .*notes.sqlite"):
        CorrectionStore(path)


def test_two_sessions_share_one_file_and_wait_for_each_other(tmp_path):
    facts = build_facts()
    path = tmp_path / "shared.sqlite"
    with CorrectionStore(path) as first, CorrectionStore(path) as second:
        first.add(**figure(facts), field="unit", before="person_trips", after="persons")
        assert second.active()["after"].tolist() == ["persons"]

        blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        blocker.execute("BEGIN IMMEDIATE")  # another session in the middle of a write
        threading.Timer(0.3, blocker.execute, ["COMMIT"]).start()
        second.add(**figure(facts, 1), field="value", before=4105.0, after="4150")
        blocker.close()
        assert first.apply(facts)["corrected"].tolist() == [True, True]


WRITER = """
import sys
from extract.corrections import CorrectionStore
store = CorrectionStore(sys.argv[1])
for i in range(1_000_000):
    number = store.add(content_hash="{hash}", start=i, end=i + 5, doc_id="d", field="value",
                       before=str(i), after=str(i), note=f"n{{i}}", analyst="loop")
    if i % 2:
        store.undo(number)
    if i == 20:
        print("writing", flush=True)
"""


def test_a_writer_killed_mid_write_leaves_a_consistent_database(tmp_path):
    path = tmp_path / "crash.sqlite"
    content_hash = build_facts().at[0, "content_hash"]
    writer = subprocess.Popen([sys.executable, "-c", WRITER.format(hash=content_hash), str(path)],
                              cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline() == "writing\n"
    threading.Event().wait(0.4)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=10)
    writer.stdout.close()
    assert writer.returncode == -signal.SIGKILL

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    with CorrectionStore(path) as store:
        history = store.history().sort_values("id").reset_index(drop=True)
        count = len(history)
        assert count > 20
        assert history["id"].tolist() == list(range(1, count + 1))
        i = history["id"] - 1
        assert (history["start"] == i).all() and (history["end"] == i + 5).all()
        assert (history["before"] == i.astype(str)).all()
        assert (history["after"] == i.astype(float).map(repr)).all()
        assert (history["note"] == "n" + i.astype(str)).all()
        assert history[["created_at", "doc_id", "field", "analyst"]].notna().all().all()
        undone, odd = history["undone"], i % 2 == 1
        assert (undone == odd).iloc[:-1].all()
        assert undone.iloc[-1] in (False, odd.iloc[-1])  # the kill may fall between an add and its undo

        number = store.add(content_hash=content_hash, start=0, end=5, doc_id="d", field="rejected",
                           before="0", after="1")
        assert number == count + 1
