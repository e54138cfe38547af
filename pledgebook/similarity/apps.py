from django.apps import AppConfig


class SimilarityConfig(AppConfig):
    name = "pledgebook.similarity"
    label = "similarity"
    verbose_name = "Similarity"

    def ready(self) -> None:
        from pledgebook.similarity import checks  # noqa: F401 - registers the system check
