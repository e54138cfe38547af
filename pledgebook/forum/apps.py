from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "pledgebook.forum"
    label = "forum"
    verbose_name = "Forum"
