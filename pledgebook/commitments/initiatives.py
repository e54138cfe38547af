"""One initiative, several registrations: the secretariat links duplicates, never deletes them.

Each state change is one keyword-only function (:func:`link`, :func:`unlink`,
:func:`make_primary`): it checks the permission (the secretariat of the commitment's programme),
locks the commitments' rows and then the initiatives' rows (always in that order, by primary key)
inside ``transaction.atomic``, checks the state there, writes, and records the change in the audit
log with its provenance.  A refused change raises ``ValidationError`` (or ``PermissionDenied``)
and changes nothing.

The public directory shows an initiative once (:func:`one_per_initiative`): its representative
is the registration marked primary, else the earliest (lowest id) public one, among those the
directory's filters keep; the others show as
"also registered by" (:func:`registrants`), and each commitment page lists the other
registrations (:func:`other_registrations`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pledgebook.commitments import duplicates
from pledgebook.commitments.models import Commitment, Initiative, Registration
from pledgebook.core import audit

LINK_PERM = "commitments.link_duplicate"


def _require(actor: Any, commitment: Commitment) -> None:
    if not (actor and actor.has_perm(LINK_PERM, commitment)):
        raise PermissionDenied


def _locked(*pks: int) -> dict[int, Commitment]:
    rows = (
        Commitment.objects.select_for_update()
        .filter(pk__in=sorted(set(pks)))
        .select_related("programme")
        .order_by("pk")
    )
    return {c.pk: c for c in rows}


def _registrations(*pks: int) -> dict[int, Registration]:
    """The registrations of the commitments, their initiatives' rows locked (by id)."""
    initiative_ids = sorted(
        set(
            Registration.objects.filter(commitment_id__in=pks).values_list(
                "initiative_id", flat=True
            )
        )
    )
    if initiative_ids:
        list(Initiative.objects.select_for_update().filter(pk__in=initiative_ids).order_by("pk"))
    return {r.commitment_id: r for r in Registration.objects.filter(commitment_id__in=pks)}


def link(
    *,
    actor: Any,
    commitment: Commitment,
    other: Commitment,
    note: str = "",
) -> Initiative:
    """Register ``commitment`` and ``other`` as one initiative, with the provenance of the link
    (who, when, the score and reasons now, the note).  ``commitment`` is the one reviewed: its
    programme's secretariat links it to a commitment of the programme's network.  Either may
    already be registered with others (the other joins that initiative); two commitments of two
    different initiatives are not merged: unlink one first."""
    _require(actor, commitment)
    if commitment.pk == other.pk:
        raise ValidationError(_("A commitment cannot be linked to itself."), code="self")
    score, reasons = duplicates.score_between(commitment, other)
    with transaction.atomic():
        rows = _locked(commitment.pk, other.pk)
        mine, theirs = rows.get(commitment.pk), rows.get(other.pk)
        if mine is None or theirs is None:
            raise ValidationError(_("This commitment no longer exists."), code="gone")
        _require(actor, mine)
        if theirs.status == Commitment.Status.DRAFT:
            # (A draft belongs to its organisation: its title is not named.)
            raise ValidationError(_("Only submitted commitments can be linked."), code="draft")
        if not duplicates.in_network(mine.programme, theirs.programme):
            raise ValidationError(
                _(
                    "This commitment is in another programme, which does not share its network "
                    "with this programme: it cannot be linked."
                ),
                code="network",
            )
        registered = _registrations(mine.pk, theirs.pk)
        a, b = registered.get(mine.pk), registered.get(theirs.pk)
        if a is not None and b is not None:
            if a.initiative_id == b.initiative_id:
                raise ValidationError(
                    _("“%(title)s” is already linked with this commitment.")
                    % {"title": theirs.title},
                    code="twice",
                )
            raise ValidationError(
                _(
                    "“%(title)s” is already registered as part of another initiative. Unlink "
                    "one of the two first."
                )
                % {"title": theirs.title},
                code="other_initiative",
            )
        now = timezone.now()
        provenance = {
            "linked_by": actor,
            "linked_at": now,
            "score": score,
            "reasons": reasons,
            "note": note,
        }
        if a is None and b is None:
            initiative = Initiative.objects.create()
            Registration.objects.create(
                initiative=initiative, commitment=mine, linked_with=theirs, **provenance
            )
            Registration.objects.create(
                initiative=initiative, commitment=theirs, linked_with=mine, **provenance
            )
        elif a is None:
            assert b is not None
            initiative = b.initiative
            Registration.objects.create(
                initiative=initiative, commitment=mine, linked_with=theirs, **provenance
            )
        else:
            initiative = a.initiative
            Registration.objects.create(
                initiative=initiative, commitment=theirs, linked_with=mine, **provenance
            )
        data = {
            "initiative": initiative.pk,
            "with": theirs.pk,
            "with_title": theirs.title,
            "score": score,
            "reasons": reasons,
        }
        for subject, partner in ((mine, theirs), (theirs, mine)):
            audit.record(
                actor=actor,
                action="commitment.linked",
                obj=subject,
                programme=subject.programme,
                reason=note,
                data={**data, "with": partner.pk, "with_title": partner.title},
            )
    return initiative


def unlink(*, actor: Any, commitment: Commitment, note: str = "") -> None:
    """Take ``commitment`` out of its initiative (it stays a commitment of its own); an
    initiative left with one registration is dissolved.  The audit log keeps the provenance
    the link had."""
    _require(actor, commitment)
    with transaction.atomic():
        mine = _locked(commitment.pk).get(commitment.pk)
        if mine is None:
            raise ValidationError(_("This commitment no longer exists."), code="gone")
        _require(actor, mine)
        row = _registrations(mine.pk).get(mine.pk)
        if row is None:
            raise ValidationError(
                _("This commitment is not linked with any other."), code="not_linked"
            )
        initiative_id = row.initiative_id
        provenance = {
            "initiative": initiative_id,
            "linked_with": row.linked_with_id,
            "linked_by": getattr(row.linked_by, "email", None),
            "linked_at": row.linked_at.isoformat(),
            "score": row.score,
            "reasons": row.reasons,
            "note": row.note,
        }
        row.delete()
        rest = list(Registration.objects.filter(initiative_id=initiative_id))
        if len(rest) < 2:
            Initiative.objects.filter(pk=initiative_id).delete()
        audit.record(
            actor=actor,
            action="commitment.unlinked",
            obj=mine,
            programme=mine.programme,
            reason=note,
            data=provenance,
        )


def make_primary(*, actor: Any, commitment: Commitment) -> None:
    """Mark ``commitment`` as the registration that represents its initiative."""
    _require(actor, commitment)
    with transaction.atomic():
        mine = _locked(commitment.pk).get(commitment.pk)
        if mine is None:
            raise ValidationError(_("This commitment no longer exists."), code="gone")
        row = _registrations(mine.pk).get(mine.pk)
        if row is None:
            raise ValidationError(
                _("This commitment is not linked with any other."), code="not_linked"
            )
        if row.is_primary:
            raise ValidationError(
                _("This commitment already represents its initiative."), code="primary"
            )
        Registration.objects.filter(initiative_id=row.initiative_id, is_primary=True).update(
            is_primary=False
        )
        Registration.objects.filter(pk=row.pk).update(is_primary=True)
        audit.record(
            actor=actor,
            action="commitment.made_primary",
            obj=mine,
            programme=mine.programme,
            data={"initiative": row.initiative_id},
        )


# Reading -----------------------------------------------------------------------------------------


def one_per_initiative(queryset: QuerySet[Commitment]) -> QuerySet[Commitment]:
    """``queryset`` (public commitments, filtered) without the registrations another one of
    the same set represents: a commitment is left out when another registration of its
    initiative that ``queryset`` also holds is marked primary, or neither is and it has a lower
    id.  So a filter that leaves out the representative (a search for the words of another
    registration, another country) shows the registration it keeps, never none.  One ``NOT
    EXISTS`` on the registrations, correlated by the row's id; the other registration is
    looked up in ``queryset`` by its primary key (a list of one programme holds only its
    registrations)."""
    earlier = Registration.objects.filter(
        # the initiative of the row, where the row is not the primary registration
        initiative__registrations__commitment_id=OuterRef("pk"),
        initiative__registrations__is_primary=False,
        commitment__in=queryset.order_by().values("pk"),
    ).filter(Q(is_primary=True) | Q(commitment_id__lt=OuterRef("pk")))
    return queryset.filter(~Exists(earlier))


def initiative_id(commitment: Commitment) -> int | None:
    """The initiative ``commitment`` is a registration of, or None: read from
    ``select_related("registration")`` when the row has it (no query then)."""
    try:
        return commitment.registration.initiative_id  # type: ignore[attr-defined]
    except Registration.DoesNotExist:
        return None


def registrants(rows: Iterable[Commitment]) -> dict[int, list[Commitment]]:
    """For each row that is a registration of an initiative, the other public registrations
    (with their organisations), earliest first: one query, and none when no row is linked.
    The rows must have ``registration`` selected (``select_related``) or be unlinked."""
    rows = list(rows)
    initiative_of = {c.pk: i for c in rows if (i := initiative_id(c)) is not None}
    if not initiative_of:
        return {}
    others = (
        Commitment.objects.filter(
            registration__initiative_id__in=set(initiative_of.values()),
            status__in=Commitment.PUBLIC_STATUSES,
            programme__is_published=True,
        )
        .select_related("organisation", "registration")
        .only(
            "title",
            "organisation__name",
            "organisation__slug",
            "registration__initiative_id",
        )
        .order_by("pk")
    )
    by_initiative: dict[int, list[Commitment]] = {}
    for c in others:
        by_initiative.setdefault(c.registration.initiative_id, []).append(c)
    return {
        pk: [c for c in by_initiative.get(initiative_id, []) if c.pk != pk]
        for pk, initiative_id in initiative_of.items()
    }


def other_registrations(commitment: Commitment, *, public_only: bool = True) -> list[Commitment]:
    """The other registrations of the commitment's initiative, earliest first (one query;
    none when it is not linked).  ``public_only``: the public page shows the public ones."""
    others = (
        Commitment.objects.filter(registration__initiative__registrations__commitment=commitment)
        .exclude(pk=commitment.pk)
        .select_related("organisation", "programme", "registration__linked_by")
        .order_by("pk")
    )
    if public_only:
        others = others.filter(status__in=Commitment.PUBLIC_STATUSES, programme__is_published=True)
    return list(others)
