"""Background tasks of the portal: thin wrappers, safe to run twice."""

from django_tasks import task

from pledgebook.portal import facts


@task()
def refresh_programme(*, programme_id: int) -> int:
    """Rewrite the facts of a programme's commitments (a cycle opened or closed)."""
    return facts.refresh_programmes([programme_id])


@task()
def refresh_currency(*, currency: str) -> int:
    """Rewrite the facts of the commitments pledged in ``currency`` (its rate changed)."""
    return facts.refresh_currency(currency)
