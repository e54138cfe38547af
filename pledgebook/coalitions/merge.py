"""Merging expressions of interest and coalitions, with provenance, and undoing a merge.

A merge combines the principles, asks, members and milestones of its sources into a target
coalition (new, or existing), without duplicates (see ``content.Combiner``); every item keeps
the expression of interest it came from, and a kept duplicate records all the others in
``also_from``.  The sources are not emptied: an expression of interest keeps its own content
as submitted, becomes *merged* and points to the coalition; a coalition becomes *merged* and
points to the target through ``merged_into``.

Undo is exact: the :class:`MergeRecord` stores a canonical snapshot (every column of the owner
and of each of its items, and their many-to-many ids) of every source and of the target before
the merge, and the same right after it.  Undo is allowed while every source and the target still
equal the *after* snapshot, i.e. nothing changed in them since the merge (and nobody has invited
the coalition to another merge); it then writes the *before* snapshot back, row by row, with
the same primary keys, and deletes a coalition that the merge created.

Co-creation: a proposer invites another expression of interest or a coalition to merge; the
other side's proposer (or a lead of the coalition) accepts, which runs the same merge, recorded
under their name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pledgebook.coalitions import content
from pledgebook.coalitions.domain import emails, lead_emails, recipients_of
from pledgebook.coalitions.indexing import reindex, reindex_kind
from pledgebook.coalitions.models import (
    Coalition,
    CoalitionSettings,
    ExpressionOfInterest,
    MergeInvitation,
    MergeRecord,
)
from pledgebook.core import audit
from pledgebook.core.notify import notify
from pledgebook.core.transitions import transition
from pledgebook.programmes.models import Programme

EOIStatus = ExpressionOfInterest.Status
CoalitionState = Coalition.State
Source = ExpressionOfInterest | Coalition

#: Live coalition states, weakest first: a coalition made from coalitions takes the strongest.
STATE_ORDER = (
    CoalitionState.PROPOSED,
    CoalitionState.UNDER_CONSIDERATION,
    CoalitionState.ACCEPTED,
    CoalitionState.ACTIVE,
)


# Canonical snapshots ---------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(obj: models.Model, m2m: Sequence[str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "fields": {
            f.attname: _encode(f.value_from_object(obj))
            for f in obj._meta.concrete_fields  # type: ignore[union-attr]
        }
    }
    for name in m2m:
        data[name] = sorted(getattr(obj, name).values_list("pk", flat=True))
    return data


def snapshot(container: Source) -> dict[str, Any]:
    """The canonical form of an expression of interest or a coalition, read from the database:
    JSON-ready, equal for equal contents, and complete enough to write it back exactly."""
    obj = type(container).objects.get(pk=container.pk)
    data = _row(obj, ("themes", "goals"))
    data["model"] = obj._meta.label_lower
    for kind in content.KINDS:
        data[kind] = [_row(item, ("also_from",)) for item in getattr(obj, kind).order_by("pk")]
    return data


def _decode(model: type[models.Model], fields: dict[str, Any]) -> dict[str, Any]:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    return {name: by_attname[name].to_python(value) for name, value in fields.items()}


def _write_row(model: type[models.Model], row: dict[str, Any]) -> models.Model:
    values = _decode(model, row["fields"])
    pk = values.pop("id")
    query = model._default_manager.filter(pk=pk)
    if not query.exists():
        model(id=pk, **values).save(force_insert=True)
    # An update, not save(): it writes auto_now and auto_now_add columns as given.
    query.update(**values)
    return query.get()


def restore(data: dict[str, Any]) -> Source:
    """Write a snapshot back: the owner's columns and many-to-many, and exactly its items."""
    model = Coalition if data["model"] == Coalition._meta.label_lower else ExpressionOfInterest
    obj: Any = _write_row(model, data)
    obj.themes.set(data["themes"])
    obj.goals.set(data["goals"])
    for kind, item_model in content.KINDS.items():
        keep = {row["fields"]["id"] for row in data[kind]}
        getattr(obj, kind).exclude(pk__in=keep).delete()
        for row in data[kind]:
            item: Any = _write_row(item_model, row)
            item.also_from.set(row["also_from"])
    return obj


# Checks ----------------------------------------------------------------------------------------


def _label(source: Source) -> str:
    return str(source)


def _kind(source: Source) -> str:
    """The audit prefix of a source: ``eoi`` or ``coalition``."""
    return "eoi" if isinstance(source, ExpressionOfInterest) else "coalition"


def check_merge(sources: Sequence[Source], into: Coalition | None) -> None:
    """The rules of a merge, raising ``ValidationError`` with a message people can act on."""
    if into is None and len(sources) < 2:
        raise ValidationError(
            _("Choose at least two expressions of interest or coalitions to merge.")
        )
    if not sources:
        raise ValidationError(_("Choose what to merge into the coalition."))
    seen: set[tuple[type, int]] = set()
    for source in sources:
        key = (type(source), source.pk)
        if key in seen:
            raise ValidationError(
                _("“%(name)s” is chosen twice: it cannot be merged with itself.")
                % {"name": _label(source)}
            )
        seen.add(key)
    if into is not None and (Coalition, into.pk) in seen:
        raise ValidationError(
            _("“%(name)s” cannot be merged into itself.") % {"name": _label(into)}
        )
    for source in sources:
        if isinstance(source, ExpressionOfInterest):
            if source.status == EOIStatus.MERGED:
                raise ValidationError(
                    _("“%(name)s” is already merged into “%(into)s”.")
                    % {"name": _label(source), "into": source.coalition}
                )
            if source.status == EOIStatus.ACCEPTED:
                raise ValidationError(
                    _("“%(name)s” has become the coalition “%(into)s”: merge the coalition.")
                    % {"name": _label(source), "into": source.coalition}
                )
            if source.status not in ExpressionOfInterest.MERGEABLE_STATUSES:
                raise ValidationError(
                    _("“%(name)s” is %(status)s: only submitted expressions of interest merge.")
                    % {"name": _label(source), "status": source.get_status_display().lower()}
                )
        elif source.state == CoalitionState.MERGED:
            raise ValidationError(
                _("“%(name)s” is already merged into “%(into)s”.")
                % {"name": _label(source), "into": source.merged_into}
            )
        elif not source.is_live:
            raise ValidationError(
                _("“%(name)s” is %(state)s and cannot be merged.")
                % {"name": _label(source), "state": source.get_state_display().lower()}
            )
    if into is not None and not into.is_live:
        raise ValidationError(
            _("“%(name)s” is %(state)s: nothing can be merged into it.")
            % {"name": _label(into), "state": into.get_state_display().lower()}
        )
    everything = [*sources, *([into] if into is not None else [])]
    if not CoalitionSettings.share_network([s.programme for s in everything]):
        names = sorted({str(s.programme) for s in everything})
        raise ValidationError(
            _(
                "These come from programmes that do not share the coalition network "
                "(%(programmes)s): they cannot be merged."
            )
            % {"programmes": ", ".join(names)}
        )


# Merge -----------------------------------------------------------------------------------------


def _fresh(source: Source, *, lock: bool) -> Any:
    manager = type(source).objects
    return (manager.select_for_update() if lock else manager).get(pk=source.pk)


def merge(
    *,
    actor: Any,
    sources: Sequence[Source],
    into: Coalition | None = None,
    name: str = "",
    summary: str = "",
) -> MergeRecord:
    """Merge two or more expressions of interest (or coalitions) into a new coalition, or one
    or more into an existing coalition.  Secretariat of every programme involved only.

    A new coalition takes ``name`` and ``summary`` (default: the first source's), the first
    source's programme, and the strongest state among source coalitions (at least *under
    consideration*).  Returns the merge's record, which :func:`undo_merge` takes."""
    sources = [_fresh(s, lock=False) for s in sources]
    into = _fresh(into, lock=False) if into is not None else None
    programmes = {s.programme for s in sources} | ({into.programme} if into else set())
    if not programmes or not all(
        actor.has_perm("coalitions.merge_in_programme", p) for p in programmes
    ):
        raise PermissionDenied
    return perform_merge(
        actor=actor,
        sources=sources,
        into=into,
        name=name,
        summary=summary,
        new_state=CoalitionState.UNDER_CONSIDERATION,
    )


def perform_merge(
    *,
    actor: Any,
    sources: Sequence[Source],
    into: Coalition | None,
    name: str = "",
    summary: str = "",
    new_state: str = CoalitionState.UNDER_CONSIDERATION,
    invitation: MergeInvitation | None = None,
) -> MergeRecord:
    """The merge itself, after the caller checked permission: every check again on locked rows,
    the snapshot before, the combination, the snapshot after, audit and mail."""
    check_merge(sources, into)
    with transaction.atomic():
        sources = [_fresh(s, lock=True) for s in sources]
        into = _fresh(into, lock=True) if into is not None else None
        check_merge(sources, into)
        before = {
            "sources": [snapshot(s) for s in sources],
            "target": snapshot(into) if into is not None else None,
        }
        created = into is None
        # Told before the merge adds the sources' leads to the coalition's.
        target_leads = lead_emails(into) if into is not None else []
        if into is None:
            first = sources[0]
            title = name.strip() or (
                first.title if isinstance(first, ExpressionOfInterest) else first.name
            )
            states = [s.state for s in sources if isinstance(s, Coalition)]
            target = Coalition.objects.create(
                programme=first.programme,
                name=title,
                slug=content.unique_slug(title),
                summary=summary.strip() or first.summary,
                is_pre_existing=any(s.is_pre_existing for s in sources),
                state=max([new_state, *states], key=STATE_ORDER.index),
            )
        else:
            target = into
        combiner = content.Combiner(target)
        for source in sources:
            combiner.absorb(source)
            target.themes.add(*source.themes.all())
            target.goals.add(*source.goals.all())
            if isinstance(source, ExpressionOfInterest):
                source.status = EOIStatus.MERGED
                source.coalition = target
                source.save(update_fields=["status", "coalition", "updated_at"])
            else:
                source.state = CoalitionState.MERGED
                source.merged_into = target
                source.save(update_fields=["state", "merged_into", "updated_at"])
        target.save(update_fields=["updated_at"])
        record = MergeRecord.objects.create(
            programme=target.programme,
            target=target,
            target_was_created=created,
            performed_by=actor if getattr(actor, "is_authenticated", False) else None,
            before=before,
            after={
                "sources": [snapshot(s) for s in sources],
                "target": snapshot(target),
            },
        )
        record.source_eois.set([s for s in sources if isinstance(s, ExpressionOfInterest)])
        record.source_coalitions.set([s for s in sources if isinstance(s, Coalition)])
        for source in sources:
            audit.record(
                actor=actor,
                action=f"{_kind(source)}.merged",
                obj=source,
                programme=source.programme,
                data={"into": target.pk, "merge_record": record.pk},
            )
        audit.record(
            actor=actor,
            action="coalition.merge_received",
            obj=target,
            programme=target.programme,
            data={
                "merge_record": record.pk,
                "created": created,
                "sources": [f"{s._meta.model_name}:{s.pk}" for s in sources],
                "invitation": invitation.pk if invitation is not None else None,
            },
        )
        for source in sources:
            notify(
                to=recipients_of(source),
                template="coalition_merged",
                context={"source": source, "coalition": target, "record": record},
            )
        if not created:
            notify(
                to=target_leads,
                template="coalition_merged_into",
                context={"sources": sources, "coalition": target, "record": record},
            )
        reindex(target)
        for source in sources:
            if isinstance(source, Coalition):
                reindex(source)
    return record


# Undo ------------------------------------------------------------------------------------------


def _source_objects(record: MergeRecord) -> list[Source]:
    found: list[Source] = []
    for data in record.before["sources"]:
        model = Coalition if data["model"] == Coalition._meta.label_lower else ExpressionOfInterest
        found.append(model.objects.select_for_update().get(pk=data["fields"]["id"]))
    return found


def undo_merge(*, actor: Any, merge_record: MergeRecord) -> MergeRecord:
    """Put every source and the target back exactly as they were before the merge, and delete
    a coalition the merge created.  Secretariat only; refused (nothing changed) when the merge
    was already undone, or when a source or the coalition changed since."""
    record = MergeRecord.objects.get(pk=merge_record.pk)
    programmes = {record.programme_id}
    for data in record.before["sources"]:
        programmes.add(data["fields"]["programme_id"])
    for programme in Programme.objects.filter(pk__in=programmes):
        if not actor.has_perm("coalitions.merge_in_programme", programme):
            raise PermissionDenied
    with transaction.atomic():
        record = MergeRecord.objects.select_for_update().get(pk=record.pk)
        if record.undone_at is not None:
            raise ValidationError(_("This merge has already been undone."))
        target_id = record.after["target"]["fields"]["id"]
        target = Coalition.objects.select_for_update().filter(pk=target_id).first()
        if target is None:
            raise ValidationError(_("The coalition of this merge no longer exists."))
        sources = _source_objects(record)
        changed = [
            str(s)
            for s, after in zip(sources, record.after["sources"], strict=True)
            if snapshot(s) != after
        ]
        if snapshot(target) != record.after["target"]:
            changed.insert(0, str(target))
        if changed:
            raise ValidationError(
                _(
                    "This merge can no longer be undone: %(names)s changed since. "
                    "Edit the coalition instead."
                )
                % {"names": ", ".join(f"“{n}”" for n in changed)}
            )
        if MergeInvitation.objects.filter(
            to_coalition=target, created_at__gte=record.performed_at
        ).exists():
            raise ValidationError(
                _(
                    "This merge can no longer be undone: “%(name)s” has been invited to "
                    "another merge since."
                )
                % {"name": target}
            )
        restored = [restore(data) for data in record.before["sources"]]
        for source in restored:
            audit.record(
                actor=actor,
                action=f"{_kind(source)}.merge_undone",
                obj=source,
                programme=source.programme,
                data={"merge_record": record.pk},
            )
        audit.record(
            actor=actor,
            action="coalition.merge_undone",
            obj=target,
            programme=target.programme,
            data={"merge_record": record.pk, "deleted": record.target_was_created},
        )
        target_name = str(target)
        leads = lead_emails(target) if not record.target_was_created else []
        if record.target_was_created:
            target.delete()
        else:
            restore(record.before["target"])
        record.undone_at = timezone.now()
        record.undone_by = actor
        record.save(update_fields=["undone_at", "undone_by"])
        # A created coalition is gone (the task removes its vector); a restored one is reread.
        reindex_kind("coalition", target_id, scope=record.programme_id)
        for source in restored:
            notify(
                to=recipients_of(source),
                template="coalition_merge_undone",
                context={"source": source, "coalition_name": target_name},
            )
        if leads:
            notify(
                to=leads,
                template="coalition_merge_undone",
                context={"source": None, "coalition_name": target_name},
            )
    return record


# Co-creation: invitations to merge -------------------------------------------------------------


def _invitation_merge(
    from_eoi: ExpressionOfInterest, to: Source
) -> tuple[list[Source], Coalition | None]:
    if isinstance(to, Coalition):
        return [from_eoi], to
    return [from_eoi, to], None


def invite_to_merge(
    *,
    actor: Any,
    from_eoi: ExpressionOfInterest,
    to_eoi_or_coalition: Source,
    message: str = "",
) -> MergeInvitation:
    """A proposer invites another expression of interest (or a coalition) to merge with its
    own.  The same rules as a merge apply now, and again when the invitation is accepted."""
    from_eoi = ExpressionOfInterest.objects.get(pk=from_eoi.pk)
    to = _fresh(to_eoi_or_coalition, lock=False)
    if not actor.has_perm("coalitions.invite_to_merge", from_eoi):
        raise PermissionDenied
    sources, into = _invitation_merge(from_eoi, to)
    check_merge(sources, into)
    target = {"to_coalition": to} if isinstance(to, Coalition) else {"to_eoi": to}
    if MergeInvitation.objects.filter(
        from_eoi=from_eoi, status=MergeInvitation.Status.PENDING, **target
    ).exists():
        raise ValidationError(_("You have already invited “%(name)s” to merge.") % {"name": to})
    with transaction.atomic():
        invitation = MergeInvitation.objects.create(
            from_eoi=from_eoi, message=message.strip(), invited_by=actor, **target
        )
        audit.record(
            actor=actor,
            action="eoi.merge_invited",
            obj=from_eoi,
            programme=from_eoi.programme,
            data={"invitation": invitation.pk, "to": f"{to._meta.model_name}:{to.pk}"},
        )
        notify(
            to=recipients_of(to),
            template="coalition_merge_invited",
            context={"invitation": invitation, "from_eoi": from_eoi, "to": to},
        )
    return invitation


def _answer(
    invitation: MergeInvitation,
    *,
    actor: Any,
    perm: str,
    to: str,
    action: Any,
    audit_action: str,
    reason: str = "",
    apply: Callable[[MergeInvitation], list[str]] | None = None,
    then: Callable[[MergeInvitation, str], None] | None = None,
) -> MergeInvitation:
    """The one state change of a merge invitation: pending → accepted, declined or cancelled,
    with who decided and when; the audit entry is part of the inviting EOI's history."""

    def decided(row: MergeInvitation, previous: str) -> list[str]:
        row.decided_at = timezone.now()
        row.decided_by = actor
        fields = ["decided_at", "decided_by"]
        if to == MergeInvitation.Status.DECLINED:
            row.reason = reason.strip()
            fields.append("reason")
        return fields + (apply(row) if apply is not None else [])

    return transition(
        invitation,
        actor=actor,
        perm=perm,
        allowed_from=[MergeInvitation.Status.PENDING],
        to=to,
        action=action,
        refusal=_("This invitation has already been answered."),
        audit_action=audit_action,
        audit_on=lambda row: row.from_eoi,
        programme=invitation.from_eoi.programme,
        reason=reason,
        data={"invitation": invitation.pk},
        apply=decided,
        then=then,
    )


def accept_merge_invitation(*, actor: Any, invitation: MergeInvitation) -> MergeRecord:
    """The invited side accepts: the merge runs, recorded under their name.  Two expressions of
    interest make a new *proposed* coalition (the secretariat considers it next), named after
    the inviting one; an expression of interest invited into a coalition joins it."""
    records: list[MergeRecord] = []

    def run_merge(row: MergeInvitation) -> list[str]:
        sources, into = _invitation_merge(row.from_eoi, row.to)
        row.merge_record = perform_merge(
            actor=actor,
            sources=sources,
            into=into,
            new_state=CoalitionState.PROPOSED,
            invitation=row,
        )
        records.append(row.merge_record)
        return ["merge_record"]

    _answer(
        invitation,
        actor=actor,
        perm="coalitions.answer_merge_invitation",
        to=MergeInvitation.Status.ACCEPTED,
        action=_("accepted"),
        audit_action="eoi.merge_accepted",
        apply=run_merge,
    )
    return records[0]


def decline_merge_invitation(
    *, actor: Any, invitation: MergeInvitation, reason: str = ""
) -> MergeInvitation:
    def tell(row: MergeInvitation, previous: str) -> None:
        notify(
            to=emails(row.from_eoi.organisation),
            template="coalition_merge_declined",
            context={"invitation": row, "reason": row.reason},
        )

    return _answer(
        invitation,
        actor=actor,
        perm="coalitions.answer_merge_invitation",
        to=MergeInvitation.Status.DECLINED,
        action=_("declined"),
        audit_action="eoi.merge_declined",
        reason=reason,
        then=tell,
    )


def cancel_merge_invitation(*, actor: Any, invitation: MergeInvitation) -> MergeInvitation:
    return _answer(
        invitation,
        actor=actor,
        perm="coalitions.cancel_merge_invitation",
        to=MergeInvitation.Status.CANCELLED,
        action=_("cancelled"),
        audit_action="eoi.merge_invitation_cancelled",
    )
