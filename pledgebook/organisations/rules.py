"""Organisation permissions."""

from typing import Any

import rules

from pledgebook.organisations.models import Representative


@rules.predicate
def represents(user: Any, organisation: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or organisation is None:
        return False
    return Representative.objects.filter(user=user, organisation=organisation).exists()


@rules.predicate
def administers(user: Any, organisation: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or organisation is None:
        return False
    return Representative.objects.filter(
        user=user, organisation=organisation, is_admin=True
    ).exists()


rules.add_perm("organisations.act_for_organisation", represents)
rules.add_perm("organisations.change_organisation", administers)
