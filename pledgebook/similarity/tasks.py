"""Background tasks: thin wrappers, safe to run twice."""

from django_tasks import task

from pledgebook.similarity import engine


@task()
def index_object(kind: str, object_id: int, text: str | None = None) -> bool:
    """(Re)compute the object's embedding if its text changed.  Enqueue it in the same
    transaction as the change of text; without ``text`` the current text is read from the
    kind's registered source when the task runs (see engine.register_text_source)."""
    return engine.index_object(kind, object_id, text)
