"""The one way a status machine moves: :func:`transition`.

Every change of state (a commitment confirmed, an expression of interest accepted, a coalition
closed, a reporting cycle opened, a progress report submitted, and the state changes of the apps
to come) goes through :func:`transition`. Inside one transaction it

1. re-reads the row with ``select_for_update`` (PostgreSQL locks it; SQLite serialises writers),
2. checks the permission and the allowed source states on that fresh row,
3. sets the new state and whatever else the change sets (``apply``), and saves,
4. writes the audit entry, and
5. runs ``then`` (queues the mail), so that nothing is sent for a change that is rolled back.

Two people deciding at once: the second waits for the first's lock, reads the state the first
left, and gets :data:`CHANGED_MEANWHILE` instead of a second decision. Views never open a
transaction or lock a row themselves.

Recipe (docs/ARCHITECTURE.md, "Add a state change"): write one function in the app's
``domain.py`` that calls :func:`transition`; ``commitments.domain.confirm_commitment`` is the
example to copy.
"""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from pledgebook.core import audit
from pledgebook.core.permissions import require

M = TypeVar("M", bound=models.Model)

#: The refusal when the state the person saw was changed by someone else before their change.
CHANGED_MEANWHILE = _(
    "Someone else has already changed this: it is now %(state)s, so it cannot be "
    "%(action)s. Nothing was changed."
)


def transition(
    obj: M,
    *,
    actor: Any,
    perm: str,
    allowed_from: Iterable[str],
    to: str,
    action: Any,
    refusal: Any,
    audit_action: str,
    field: str = "status",
    programme: Any = None,
    reason: str = "",
    reason_required: Any = None,
    apply: Callable[[M, str], Iterable[str]] | None = None,
    then: Callable[[M, str], None] | None = None,
    data: dict[str, Any] | None = None,
    audit_on: Callable[[M], models.Model] | None = None,
) -> M:
    """Move ``obj`` (its ``field``) from one of ``allowed_from`` to ``to``; return the saved row.

    ``action`` is the verb a person reads ("confirmed"); ``refusal`` the message when the state
    does not allow it, with ``%(state)s`` and ``%(action)s``; ``reason_required`` the message
    when a reason must be given (``None``: optional). ``apply(row, previous)`` sets what else
    the change sets and returns those field names; ``then(row, previous)`` runs after the audit
    entry, inside the transaction (mail is queued there). ``programme`` defaults to the row's.
    ``data`` joins the audit entry's ``from`` and ``to`` (read after ``apply``, which may fill it).
    ``audit_on(row)`` names the object the entry is about when it is not the row itself (a merge
    invitation's answer is part of its expression of interest's history).
    The caller's instance gets the saved values too.
    """
    allowed = frozenset(allowed_from)
    require(actor, perm, obj)
    reason = reason.strip()
    seen = getattr(obj, field)
    with transaction.atomic():
        row = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        require(actor, perm, row)
        previous = getattr(row, field)
        if previous not in allowed:
            label = getattr(row, f"get_{field}_display")().lower()
            message = CHANGED_MEANWHILE if previous != seen else refusal
            raise ValidationError(message % {"state": label, "action": action})
        # After the state: a person whose change can no longer be made is told that first.
        if reason_required is not None and not reason:
            raise ValidationError({"reason": reason_required})
        setattr(row, field, to)
        fields = [field]
        if apply is not None:
            fields += list(apply(row, previous))
        if any(f.name == "updated_at" for f in row._meta.concrete_fields):
            fields.append("updated_at")
        row.save(update_fields=list(dict.fromkeys(fields)))
        audit.record(
            actor=actor,
            action=audit_action,
            obj=audit_on(row) if audit_on is not None else row,
            programme=programme if programme is not None else getattr(row, "programme", None),
            reason=reason,
            data={"from": previous, "to": to, **(data or {})},
        )
        if then is not None:
            then(row, previous)
    for name in fields:
        setattr(obj, name, getattr(row, name))
    return row
