"""Programme-level permissions (django-rules predicates): one place per rule."""

from typing import Any

import rules
from django.contrib.auth.backends import ModelBackend

from pledgebook.programmes.models import ProgrammeRole


def _has_role(user: Any, programme: Any, roles: tuple[str, ...]) -> bool:
    if not getattr(user, "is_authenticated", False) or programme is None:
        return False
    if user.is_superuser:
        return True
    return ProgrammeRole.objects.filter(user=user, programme=programme, role__in=roles).exists()


@rules.predicate
def is_platform_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)


#: The group whose members may create programmes (made by migration programmes 0003).
PROGRAMME_MANAGERS = "Programme managers"


@rules.predicate
def is_programme_manager(user: Any) -> bool:
    """Given the permission to add programmes in the admin: as a member of the "Programme
    managers" group, or directly.  Asked of Django's model backend itself (not
    ``user.has_perm``, which would ask this rule again)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return "programmes.add_programme" in ModelBackend().get_all_permissions(user)


@rules.predicate
def is_secretariat(user: Any, programme: Any) -> bool:
    return _has_role(user, programme, (ProgrammeRole.Role.SECRETARIAT,))


@rules.predicate
def is_reviewer(user: Any, programme: Any) -> bool:
    """Reviewers and the secretariat may review commitments of their programme only."""
    return _has_role(user, programme, (ProgrammeRole.Role.REVIEWER, ProgrammeRole.Role.SECRETARIAT))


@rules.predicate
def programme_is_public(user: Any, programme: Any) -> bool:
    return bool(programme is not None and programme.is_published)


# Platform staff, and the programme managers the staff name in the admin, create programmes
# (Console → Create a programme); the creator becomes its first secretariat member.
rules.add_perm("programmes.add_programme", is_platform_staff | is_programme_manager)
rules.add_perm("programmes.change_programme", is_secretariat)
rules.add_perm("programmes.view_console", is_reviewer)
rules.add_perm("programmes.decide_applications", is_secretariat)
rules.add_perm("programmes.view_audit_log", is_secretariat)
rules.add_perm("programmes.review_commitments", is_reviewer)
rules.add_perm("programmes.view_programme", programme_is_public | is_reviewer)
