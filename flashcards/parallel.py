"""Work through a long text over several processes, the sentences coming back in order.

Each sentence is segmented and read on its own (the model that reads rare polyphones runs
a batch's sentences side by side, each to the same numbers as alone), so the deck does not
depend on how the sentences are shared out: any number of jobs gives the same notes. The
parent reads and splits the text and collects the words; forked workers, which share the
parent's loaded dictionary, tagger and model, annotate batches of sentences; one job
annotates the same batches itself.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from .models import Sentence

T = TypeVar("T")

# Sentences per task: enough that sending them costs little beside annotating them.
BATCH = 128
# Batches in flight a job: the text is read only a little ahead of the workers, so memory
# stays bounded however long it is.
AHEAD = 3
# A job for every this many bytes of input, up to the cores there are: a short article is
# done before a second process would have started.
BYTES_PER_JOB = 256_000

_work: Callable[[list[Sentence]], list[Any]] | None = None  # set before forking


def can_fork() -> bool:
    """Workers are forked, sharing the loaded tables; only Linux forks safely with numpy."""
    return sys.platform.startswith("linux")


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_jobs(input_bytes: int | None) -> int:
    """The number of cores, capped at one job per BYTES_PER_JOB of input."""
    if not can_fork() or not input_bytes:
        return 1
    return max(1, min(cores(), input_bytes // BYTES_PER_JOB))


def _batches(sentences: Iterable[Sentence]) -> Iterator[list[Sentence]]:
    batch: list[Sentence] = []
    for s in sentences:
        batch.append(s)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _work_batch(batch: list[Sentence]) -> list:
    assert _work is not None
    return _work(batch)


def map_in_order(
    sentences: Iterable[Sentence],
    work: Callable[[list[Sentence]], list[T]],
    jobs: int,
    warm: Callable[[], None] | None = None,
) -> Iterator[T]:
    """``work`` applied to batches of the sentences (one result a sentence), the results
    in order, by ``jobs`` processes. A batch is worked on as a whole (the model reads its
    sentences side by side), so one process takes the same batches as several.

    ``warm`` loads in the parent what every worker needs, so that they share it."""
    global _work
    if jobs <= 1 or not can_fork():
        for batch in _batches(sentences):
            yield from work(batch)
        return
    if warm is not None:
        warm()
    _work = work
    context = multiprocessing.get_context("fork")
    pending: deque = deque()
    # What the parent loaded is left out of the cycle collector's passes while the workers
    # run: a worker's pass would write to every object it shares with the parent, copying
    # the pages the fork shared, and find nothing to free in the tables.
    gc.freeze()
    try:
        with context.Pool(jobs) as pool:
            for batch in _batches(sentences):
                pending.append(pool.apply_async(_work_batch, (batch,)))
                if len(pending) >= jobs * AHEAD:
                    yield from pending.popleft().get()
            while pending:
                yield from pending.popleft().get()
    finally:
        gc.unfreeze()
