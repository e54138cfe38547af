"""A dead worker's metric files are folded into one archive file per kind: the totals a scrape
reads do not change, and the files do not pile up (pledgebook/core/metrics_files.py)."""

from __future__ import annotations

import json

from prometheus_client import CollectorRegistry, multiprocess
from prometheus_client.mmap_dict import MmapedDict, mmap_key

from pledgebook.core import metrics_files


def write(directory, kind: str, pid: int, values: list[tuple[str, str, dict, float]]) -> None:
    d = MmapedDict(str(directory / f"{kind}_{pid}.db"))
    for metric, name, labels, value in values:
        key = mmap_key(metric, name, list(labels), list(labels.values()), "help")
        d.write_value(key, value, 0.0)
    d.close()


def scraped(directory) -> dict[tuple, float]:
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(directory))
    with metrics_files.reading(directory):
        return {
            (s.name, json.dumps(s.labels, sort_keys=True)): s.value
            for m in registry.collect()
            for s in m.samples
        }


def test_dead_workers_are_folded_into_the_archive_with_the_same_totals(tmp_path):
    views = {"view": "public:home"}
    for pid, n in ((101, 3.0), (102, 5.0), (103, 7.0)):
        write(tmp_path, "counter", pid, [("requests", "requests_total", views, n)])
        write(
            tmp_path,
            "histogram",
            pid,
            [
                ("latency", "latency_bucket", {**views, "le": "0.1"}, n),
                ("latency", "latency_bucket", {**views, "le": "+Inf"}, 1.0),
                ("latency", "latency_sum", views, n / 10),
            ],
        )
    before = scraped(tmp_path)
    assert before[("requests_total", json.dumps(views))] == 15.0

    assert metrics_files.archive(tmp_path, 101) == 2
    assert metrics_files.archive(tmp_path, 102) == 2
    assert metrics_files.archive(tmp_path, 999) == 0  # a worker that wrote nothing

    assert scraped(tmp_path) == before
    files = sorted(p.name for p in tmp_path.glob("*.db"))
    assert files == [
        "counter_103.db",
        "counter_archive.db",
        "histogram_103.db",
        "histogram_archive.db",
    ]
    assert metrics_files.archive(tmp_path, 103) == 2
    assert scraped(tmp_path) == before
    assert sorted(p.name for p in tmp_path.glob("*.db")) == [
        "counter_archive.db",
        "histogram_archive.db",
    ]
