"""The files of prometheus_client's multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``), kept from
piling up.

Each gunicorn worker writes its counters, histograms and summaries to files named by its pid;
a worker that exits (``max_requests``, a HUP, a timeout) leaves them, since a counter must never
go down, and every scrape reads every file.  Under load a worker is recycled every minute or
two, so the files grew without end and each scrape read more of them.  :func:`archive` folds a
dead worker's values into one archive file per kind (their values are sums, so the totals do
not change) and deletes its files, under an exclusive lock; :func:`reading` is the shared lock
a scrape holds, so that it never sees a value both in the archive and in the dead worker's file,
nor in neither.  Imports nothing of Django: gunicorn's master calls :func:`archive`
(``child_exit`` in deploy/gunicorn.conf.py).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from prometheus_client.mmap_dict import MmapedDict

#: The kinds whose values add up across processes (gauges are per process: dropped instead).
SUMMED = ("counter", "histogram", "summary")
ARCHIVE = "archive"


@contextmanager
def _locked(directory: str | Path, operation: int) -> Iterator[None]:
    path = Path(directory) / ".lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, operation)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def reading(directory: str | Path) -> Iterator[None]:
    """Held while a scrape reads the files."""
    with _locked(directory, fcntl.LOCK_SH):
        yield


def archive(directory: str | Path, pid: int) -> int:
    """Fold the summed values of the exited process ``pid`` into the archive files and delete
    its files; returns how many files were folded."""
    folded = 0
    with _locked(directory, fcntl.LOCK_EX):
        for kind in SUMMED:
            dead = Path(directory) / f"{kind}_{pid}.db"
            if not dead.exists():
                continue
            target = MmapedDict(str(Path(directory) / f"{kind}_{ARCHIVE}.db"))
            try:
                for key, value, timestamp, _pos in MmapedDict.read_all_values_from_file(str(dead)):
                    kept, _ = target.read_value(key)
                    target.write_value(key, kept + value, timestamp)
            finally:
                target.close()
            dead.unlink()
            folded += 1
    return folded
