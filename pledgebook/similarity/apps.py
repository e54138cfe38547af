from django.apps import AppConfig


class SimilarityConfig(AppConfig):
    name = "pledgebook.similarity"
    label = "similarity"
    verbose_name = "Similarity"

    def ready(self) -> None:
        from pledgebook.core.metrics import register_gauge
        from pledgebook.core.workers import register_check
        from pledgebook.similarity import (
            backlog,
            checks,  # noqa: F401 - registers the system check
        )
        from pledgebook.similarity.tasks import build_base_if_needed, queue_if_needed

        # Every task worker queues a batch when the indexing backlog has none, and a build of
        # the shared base index when enough rows changed since the last (core/workers.py).
        register_check(queue_if_needed)
        register_check(build_base_if_needed)
        # /metrics (core/metrics.py): what waits to be indexed (an index on done_at).
        register_gauge(
            "pledgebook_similarity_backlog",
            "Objects waiting to be (re)indexed for similarity search.",
            lambda: backlog.todo().count(),
        )
