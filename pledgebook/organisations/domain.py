"""Every state change of organisations and their people: one keyword-only function each.

Like ``commitments/domain.py``: check permission, write inside ``transaction.atomic``, record
the change in the audit trail.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pledgebook.core import audit
from pledgebook.core.permissions import require as _require
from pledgebook.organisations.models import Organisation, Representative

_SLUG_MAX = Organisation._meta.get_field("slug").max_length or 220
# Slugs are URL segments (``/workspace/organisations/new/`` creates one): never hand these out.
RESERVED_SLUGS = frozenset({"new", "edit", "add", "create"})


def _slug_base(name: str) -> str:
    return slugify(name)[: _SLUG_MAX - 8].strip("-") or "organisation"


def create_organisation(*, actor: Any, organisation: Organisation) -> Organisation:
    """Save a new organisation with a unique slug (its name, slugified, with a numeric suffix
    when taken); its creator becomes an admin representative."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied
    if organisation.pk is not None:
        raise ValueError("create_organisation() takes an unsaved organisation")
    base = _slug_base(organisation.name)
    taken = (
        set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        | RESERVED_SLUGS
    )
    candidates = (base if n == 1 else f"{base}-{n}" for n in itertools.count(1))
    free = list(itertools.islice((slug for slug in candidates if slug not in taken), 5))
    with transaction.atomic():
        for attempt, slug in enumerate(free):
            organisation.slug = slug
            try:
                # A savepoint: a slug taken meanwhile by a concurrent request lets us try
                # the next free one.
                with transaction.atomic():
                    organisation.save()
                break
            except IntegrityError:
                organisation.pk = None
                if attempt == len(free) - 1:
                    raise
        Representative.objects.create(organisation=organisation, user=actor, is_admin=True)
        audit.record(actor=actor, action="organisation.created", obj=organisation)
    return organisation


# What apps built on organisations do when one changed (the portal's facts keep the lead's
# category), inside the change's transaction; registered in their AppConfig.ready.
_changed_hooks: list[Callable[..., object]] = []


def on_changed(hook: Callable[..., object]) -> None:
    """Call ``hook(organisation=, fields=)`` when an organisation's fields were changed."""
    if hook not in _changed_hooks:
        _changed_hooks.append(hook)


def update_organisation(
    *, actor: Any, organisation: Organisation, fields: list[str]
) -> Organisation:
    """Save the changed ``fields`` of an organisation (admins only).  The slug stays, so
    that links to the organisation keep working."""
    _require(actor, "organisations.change_organisation", organisation)
    with transaction.atomic():
        organisation.save(update_fields=[*fields, "updated_at"])
        audit.record(
            actor=actor,
            action="organisation.edited",
            obj=organisation,
            data={"fields": sorted(fields)},
        )
        for hook in _changed_hooks:
            hook(organisation=organisation, fields=list(fields))
    return organisation


def add_representative(
    *, actor: Any, organisation: Organisation, user: Any, is_admin: bool = False
) -> Representative:
    """Let ``user`` act for ``organisation`` (admins only)."""
    _require(actor, "organisations.change_organisation", organisation)
    if Representative.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(
            {"email": _("This person already acts for %(org)s.") % {"org": organisation}}
        )
    try:
        with transaction.atomic():
            seat = Representative.objects.create(
                organisation=organisation, user=user, is_admin=is_admin
            )
            audit.record(
                actor=actor,
                action="organisation.representative_added",
                obj=organisation,
                data={"user": user.pk, "is_admin": is_admin},
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"email": _("This person already acts for %(org)s.") % {"org": organisation}}
        ) from exc
    return seat
