from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "pledgebook.reference"
    label = "reference"
