"""Where chunks are extracted: this process, a pool of processes, or a Dask cluster.

Every engine yields one `Batch` per chunk, in the order the chunks came in.
"""
from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from functools import partial
from typing import Iterable, Iterator

from .batch import Batch, Task, extract_batch

Chunks = Iterable[list[Task]]


def local_batches(chunks: Chunks, keep_text: bool, workers: int = 1) -> Iterator[Batch]:
    """In this process, or in `workers` processes, each taking whole chunks.

    Workers are forked from a fresh server process that has imported the
    extractor once: quick to start, and never a fork of a process whose
    threads (Arrow's, Dask's) might hold a lock.
    """
    work = partial(extract_batch, keep_text=keep_text)
    if workers == 1:
        yield from map(work, chunks)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    with context.Pool(workers) as pool:
        yield from pool.imap(work, chunks)


def dask_batches(chunks: Chunks, keep_text: bool, scheduler: str | None = None,
                 workers: int = 1) -> Iterator[Batch]:
    """On the Dask cluster at `scheduler`, or on a local cluster of `workers` processes.

    At most two chunks per worker are in flight, so results never pile up on
    the cluster faster than they are written. Workers must be able to import
    this package and read the input paths (a shared file system).
    """
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
    try:
        with Client(scheduler or cluster) as client:
            window = 2 * max(1, len(client.scheduler_info()["workers"]))
            pending: deque = deque()
            for chunk in chunks:
                pending.append(client.submit(extract_batch, chunk, keep_text, pure=False))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    finally:
        if cluster is not None:
            cluster.close()
