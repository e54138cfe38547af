from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "pledgebook.commitments"
    label = "commitments"
