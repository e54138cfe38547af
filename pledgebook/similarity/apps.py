from django.apps import AppConfig


class SimilarityConfig(AppConfig):
    name = "pledgebook.similarity"
    label = "similarity"
    verbose_name = "Similarity"
