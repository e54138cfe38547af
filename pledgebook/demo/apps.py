from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data (``manage.py load_demo``): it may import every app, and no app imports it."""

    name = "pledgebook.demo"
    label = "demo"
