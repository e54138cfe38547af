"""The content of an expression of interest or a coalition (principles, asks, members,
milestones): write it from a form's lists, and combine several owners' content into one
coalition without duplicates and with provenance.  No permission checks here: called by
``domain.py`` and ``merge.py`` inside their transactions.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from django.db import models
from django.utils.text import slugify

from pledgebook.coalitions.models import (
    Ask,
    Coalition,
    ExpressionOfInterest,
    Membership,
    Milestone,
    OwnedItem,
    Principle,
)
from pledgebook.coalitions.validation import (
    MilestoneInput,
    membership_key,
    milestone_key,
    normalise_text,
)

Container = ExpressionOfInterest | Coalition

#: The kinds of owned item, by their ``related_name`` on either owner.
KINDS: dict[str, type[OwnedItem]] = {
    "principles": Principle,
    "asks": Ask,
    "memberships": Membership,
    "milestones": Milestone,
}


def item_key(item: OwnedItem) -> Hashable:
    """When two items are the same: normalised text (principles, asks), same organisation or
    same invited e-mail (members), same normalised title and date (milestones)."""
    if isinstance(item, Principle | Ask):
        return normalise_text(item.text)
    if isinstance(item, Membership):
        return membership_key(item)
    if isinstance(item, Milestone):
        return milestone_key(item.title, item.due_on)
    raise TypeError(item)


def items(container: Container, kind: str) -> models.QuerySet[Any]:
    return getattr(container, kind).order_by("position", "id").prefetch_related("also_from")


def owner_kwargs(container: Container) -> dict[str, Any]:
    if isinstance(container, ExpressionOfInterest):
        return {"eoi": container, "coalition": None}
    return {"eoi": None, "coalition": container}


def own_source(container: Container) -> ExpressionOfInterest | None:
    """Items written in an expression of interest come from it; those written directly in a
    coalition have no source expression of interest."""
    return container if isinstance(container, ExpressionOfInterest) else None


def unique_slug(name: str) -> str:
    base = slugify(name)[:80].strip("-") or "coalition"
    slug, n = base, 1
    while Coalition.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# Writing a form's lists ------------------------------------------------------------------------


def _sync(
    container: Container,
    kind: str,
    wanted: Sequence[Any],
    key: Callable[[Any], Hashable],
    values: Callable[[Any], dict[str, Any]],
) -> None:
    """Make the container's items of ``kind`` equal ``wanted``, in order.  An item that stays
    (same key) keeps its row, and so its provenance."""
    model = KINDS[kind]
    existing: dict[Hashable, Any] = {item_key(i): i for i in items(container, kind)}
    for position, entry in enumerate(wanted):
        fields = {**values(entry), "position": position}
        item = existing.pop(key(entry), None)
        if item is None:
            model._default_manager.create(
                **owner_kwargs(container), source_eoi=own_source(container), **fields
            )
        elif any(getattr(item, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(item, name, value)
            item.save(update_fields=list(fields))
    for item in existing.values():
        item.delete()


def write_texts(container: Container, kind: str, texts: Sequence[str]) -> None:
    _sync(
        container,
        kind,
        [t.strip() for t in texts if t.strip()],
        key=normalise_text,
        values=lambda text: {"text": text},
    )


def write_milestones(container: Container, milestones: Sequence[MilestoneInput]) -> None:
    _sync(
        container,
        "milestones",
        list(milestones),
        key=lambda m: m.key,
        values=lambda m: {"title": m.title.strip(), "due_on": m.due_on, "status": m.status},
    )


def clean_texts(texts: Sequence[str] | None) -> list[str] | None:
    return None if texts is None else [t.strip() for t in texts if t.strip()]


# Combining -------------------------------------------------------------------------------------

_STATUS_RANK: dict[str, int] = {
    Membership.Status.DECLINED: 0,
    Membership.Status.REQUESTED: 1,
    Membership.Status.INVITED: 2,
    Membership.Status.ACTIVE: 3,
}


class Combiner:
    """Adds the content of sources to a target coalition.  The target's own items come first;
    then each source's, in order.  An item whose key is already present is dropped, and the
    expressions of interest it came from are added to the kept item's ``also_from``.  For a
    member given twice, the kept membership takes the stronger role and status (a lead in any
    source is a lead; active beats invited beats requested), so no proposer is demoted."""

    def __init__(self, target: Coalition) -> None:
        self.target = target
        self.index: dict[str, dict[Hashable, Any]] = {}
        self.next_position: dict[str, int] = {}
        for kind in KINDS:
            present = list(items(target, kind))
            self.index[kind] = {item_key(i): i for i in present}
            self.next_position[kind] = max((i.position for i in present), default=-1) + 1

    def absorb(self, source: Container) -> None:
        for kind in KINDS:
            for item in items(source, kind):
                self._absorb_item(kind, item)

    def _absorb_item(self, kind: str, item: Any) -> None:
        key = item_key(item)
        contributors = {item.source_eoi_id, *(e.pk for e in item.also_from.all())} - {None}
        kept = self.index[kind].get(key)
        if kept is None:
            copy = KINDS[kind]()
            for f in item._meta.concrete_fields:
                if f.name not in ("id", "eoi", "coalition", "position"):
                    setattr(copy, f.attname, getattr(item, f.attname))
            copy.coalition = self.target
            copy.position = self.next_position[kind]
            self.next_position[kind] += 1
            copy.save()
            also = contributors - {copy.source_eoi_id}
            if also:
                copy.also_from.add(*also)
            self.index[kind][key] = copy
            return
        known = {kept.source_eoi_id, *kept.also_from.values_list("pk", flat=True)}
        extra = contributors - known
        if extra:
            kept.also_from.add(*extra)
        if isinstance(kept, Membership):
            changed = []
            if item.role == Membership.Role.LEAD and kept.role != Membership.Role.LEAD:
                kept.role = Membership.Role.LEAD
                changed.append("role")
            if _STATUS_RANK[item.status] > _STATUS_RANK[kept.status]:
                kept.status = item.status
                changed.append("status")
            if changed:
                kept.save(update_fields=changed)
