"""Background tasks of the portal: thin wrappers, safe to run twice."""

from django_tasks import task

from pledgebook.portal import aggregates, facts


@task()
def refresh_programme(*, programme_id: int) -> int:
    """Rewrite the facts of a programme's commitments (a cycle opened or closed)."""
    return facts.refresh_programmes([programme_id])


@task()
def refresh_currency(*, currency: str) -> int:
    """Rewrite the facts of the commitments pledged in ``currency`` (its rate changed)."""
    return facts.refresh_currency(currency)


@task()
def refresh_shared(*, name: str, version: int, published: list[int]) -> None:
    """Count the figures ``name`` of all public commitments again (``aggregates.shared``: the
    home page's, after a change), kept as those of the facts' ``version`` and ``published``
    programmes the request found (anything newer is a newer version: counted when asked)."""
    aggregates.refresh_shared(name, at=(version, published))
