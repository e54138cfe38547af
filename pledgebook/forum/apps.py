from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "pledgebook.forum"
    label = "forum"
    verbose_name = "Forum"

    def ready(self) -> None:
        # The similarity task reads the current text of a recommendation or an answer.
        from pledgebook.forum.similar import register_text_sources

        register_text_sources()
        # Register the forum's exporters in pledgebook.core.exports.
        from pledgebook.forum import exports  # noqa: F401
