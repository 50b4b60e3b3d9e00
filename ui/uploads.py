"""Articles added from the browser: read, extracted, and joined to the view for this session."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from extract.document import Skipped
from ui.dataset import Dataset, prepare_articles, prepare_facts
from ui.strings import translator

UPLOAD_TYPES = ["txt", "html", "htm", "zip"]
UPLOADER_KEY = "uploads"
RESULTS_KEY = "_upload_results"
"""file_id -> Upload, so that a file is extracted once however often the page reruns."""


@dataclass
class Upload:
    """What one uploaded file gave: its figures and articles, and why any part could not be read."""

    dataset: Dataset
    errors: list[tuple[str, str]] = field(default_factory=list)
    known: list[str] = field(default_factory=list)


def read_upload(name: str, data: bytes, known_hashes: frozenset = frozenset()) -> Upload:
    """Extract the articles of one uploaded file (.txt, .html, .htm or a .zip of them).

    Articles already in the corpus (same text) are listed in `known` and not added twice.
    An article that cannot be read or extracted is listed in `errors` with the reason; the
    others still load.
    """
    from extract import batch, ingest, pipeline, table

    rows, articles, errors, known = [], [], [], []
    for item in ingest.read_upload(name, data):
        if isinstance(item, Skipped):
            errors.append((item.source or name, item.reason))
        elif item.content_hash in known_hashes:
            known.append(item.source or name)
        else:
            try:
                rows.extend(pipeline.extract_document(item))
            except Exception as error:  # one bad article must not stop the others; the analyst sees why
                errors.append((item.source or name, f"{type(error).__name__}: {error}"))
                continue
            articles.append(batch.article_record(item))
    facts = prepare_facts(table.to_frame(rows))
    dataset = Dataset(facts, prepare_articles(pd.DataFrame(articles)), origin=name,
                      version=hashlib.sha256(data).hexdigest())
    return Upload(dataset, errors, known)


def read_uploads(files: list[tuple[str, bytes]], known_hashes: frozenset = frozenset(),
                 progress: Callable[[float, str], None] | None = None) -> list[Upload]:
    """`read_upload` for each (name, bytes), reporting progress after each file."""
    results = []
    for number, (name, data) in enumerate(files, start=1):
        results.append(read_upload(name, data, known_hashes))
        if progress:
            progress(number / len(files), name)
    return results


def render(box, known_hashes: Callable[[], frozenset], lang: str) -> list[Dataset]:
    """The upload panel in `box`; returns the datasets of the files currently uploaded.
    `known_hashes()`, asked only when a new file comes, lists the articles already in the corpus."""
    T = translator(lang)
    with box.expander(T("upload.title"), icon=":material/upload_file:"):
        files = st.file_uploader(T("upload.label"), type=UPLOAD_TYPES, accept_multiple_files=True,
                                 key=UPLOADER_KEY, help=T("upload.help")) or []
        results = st.session_state.setdefault(RESULTS_KEY, {})
        for removed in set(results) - {f.file_id for f in files}:
            del results[removed]
        new = [f for f in files if f.file_id not in results]
        if new:
            bar = st.progress(0.0, text=T("upload.reading"))
            read = read_uploads([(f.name, f.getvalue()) for f in new], known_hashes(),
                                lambda share, name: bar.progress(share, text=T("upload.read", name=name)))
            results.update({f.file_id: result for f, result in zip(new, read)})
            bar.empty()
        current = [results[f.file_id] for f in files]
        for result in current:
            for name, reason in result.errors:
                st.error(T("upload.error", name=name, reason=reason), icon=":material/error:")
            for name in result.known:
                st.info(T("upload.known", name=name))
        added = sum(len(r.dataset.facts) for r in current)
        if files:
            st.success(T("upload.added", n=added, files=len(files)))
    return [r.dataset for r in current if not r.dataset.facts.empty or not r.dataset.articles.empty]
