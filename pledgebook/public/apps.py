from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "pledgebook.public"
    label = "public"
