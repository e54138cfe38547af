"""The rules an expression of interest's content must follow, and the keys that say when two
principles, asks, members or milestones are "the same": one place, used by the domain
functions, by merges and (later) by the forms for field errors.

Every check returns errors by field name ("__all__" for the whole); empty means valid.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from pledgebook.coalitions.models import ExpressionOfInterest, Membership, Milestone
from pledgebook.organisations.models import Category

if TYPE_CHECKING:
    from pledgebook.organisations.models import Organisation
    from pledgebook.reference.models import Country

Errors = dict[str, list[str]]

_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The comparison form of a principle, an ask or a milestone title: case folded,
    punctuation removed, whitespace collapsed.  "Open  data, for ALL!" == "open data for all"."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in folded)
    return _SPACES.sub(" ", kept).strip()


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class MilestoneInput:
    """One step of a work plan as typed in a form."""

    title: str
    due_on: dt.date | None
    status: str = Milestone.Status.PLANNED

    @property
    def key(self) -> tuple[str, dt.date | None]:
        return milestone_key(self.title, self.due_on)


@dataclass(frozen=True)
class MemberInput:
    """An organisation to add: one on the platform, or one invited by e-mail (with its name,
    stakeholder category and country)."""

    organisation: Organisation | None = None
    email: str = ""
    name: str = ""
    category: str = ""
    country: Country | None = None
    role: str = Membership.Role.MEMBER

    @property
    def key(self) -> tuple[str, Any]:
        if self.organisation is not None:
            return ("organisation", self.organisation.pk)
        return ("email", normalise_email(self.email))


def milestone_key(title: str, due_on: dt.date | None) -> tuple[str, dt.date | None]:
    return (normalise_text(title), due_on)


def membership_key(membership: Membership) -> tuple[str, Any]:
    if membership.organisation_id is not None:
        return ("organisation", membership.organisation_id)
    return ("email", normalise_email(membership.invited_email))


def check_texts(name: str, texts: Sequence[str]) -> Errors:
    """Principles or asks: each says something, and none is given twice."""
    errors: Errors = {}
    seen: dict[str, int] = {}
    for number, text in enumerate(texts, start=1):
        key = normalise_text(text)
        if not key:
            errors.setdefault(name, []).append(
                _("Item %(n)s is empty: write it out or remove it.") % {"n": number}
            )
        elif key in seen:
            errors.setdefault(name, []).append(
                _("Item %(n)s repeats item %(first)s.") % {"n": number, "first": seen[key]}
            )
        else:
            seen[key] = number
    return errors


def check_milestones(milestones: Sequence[MilestoneInput]) -> Errors:
    errors: list[str] = []
    seen: dict[tuple[str, dt.date | None], int] = {}
    for number, m in enumerate(milestones, start=1):
        label = {"n": number, "title": m.title.strip()}
        if not normalise_text(m.title):
            errors.append(_("Milestone %(n)s has no title.") % label)
        if m.due_on is None:
            errors.append(_("Milestone %(n)s (“%(title)s”) has no date: give a due date.") % label)
        if m.status not in Milestone.Status.values:
            errors.append(_("Milestone %(n)s has an unknown status.") % label)
        if m.key in seen and normalise_text(m.title) and m.due_on is not None:
            errors.append(
                _("Milestone %(n)s repeats milestone %(first)s.")
                % {"n": number, "first": seen[m.key]}
            )
        seen.setdefault(m.key, number)
    return {"milestones": errors} if errors else {}


def check_new_members(
    members: Sequence[MemberInput], existing: Iterable[Membership], *, lead_allowed: bool = True
) -> Errors:
    """Members to add to an expression of interest or a coalition that has ``existing``."""
    errors: list[str] = []
    taken = {membership_key(m): m for m in existing}
    given: set[tuple[str, Any]] = set()
    for m in members:
        if m.role not in Membership.Role.values:
            errors.append(_("Unknown role “%(role)s”.") % {"role": m.role})
        if m.role == Membership.Role.LEAD and not lead_allowed:
            errors.append(_("Invite members first: a lead is named by changing a member's role."))
        if m.organisation is None:
            label = m.name.strip() or m.email.strip() or _("an organisation")
            try:
                validate_email(normalise_email(m.email))
            except ValidationError:
                errors.append(_("Give a valid e-mail address to invite %(org)s.") % {"org": label})
                continue
            if not m.name.strip():
                errors.append(
                    _("Give the name of the organisation invited at %(email)s.")
                    % {"email": m.email.strip()}
                )
            if m.category not in Category.values:
                errors.append(_("Give the stakeholder category of %(org)s.") % {"org": label})
            if m.country is None:
                errors.append(_("Give the country of %(org)s.") % {"org": label})
        else:
            label = str(m.organisation)
        if m.key in given:
            errors.append(_("%(org)s is given twice.") % {"org": label})
        elif m.key in taken:
            errors.append(_("%(org)s is already a member.") % {"org": label})
        given.add(m.key)
    return {"members": errors} if errors else {}


@dataclass
class EOIData:
    """A plain snapshot of an expression of interest's content, from the database or a form."""

    programme_id: int
    title: str = ""
    summary: str = ""
    principles: list[str] = field(default_factory=list)
    asks: list[str] = field(default_factory=list)
    milestones: list[MilestoneInput] = field(default_factory=list)
    themes: list[Any] = field(default_factory=list)
    has_lead: bool = True

    @classmethod
    def from_eoi(cls, eoi: ExpressionOfInterest) -> EOIData:
        return cls(
            programme_id=eoi.programme_id,
            title=eoi.title,
            summary=eoi.summary,
            principles=[p.text for p in eoi.principles.all()],  # type: ignore[attr-defined]
            asks=[a.text for a in eoi.asks.all()],  # type: ignore[attr-defined]
            milestones=[
                MilestoneInput(m.title, m.due_on, m.status)
                for m in eoi.milestones.all()  # type: ignore[attr-defined]
            ],
            themes=list(eoi.themes.all()),
            has_lead=eoi.memberships.filter(  # type: ignore[attr-defined]
                role=Membership.Role.LEAD, status=Membership.Status.ACTIVE
            ).exists(),
        )


def check_eoi(data: EOIData, *, for_submission: bool) -> Errors:
    """Drafts are checked for consistency; submission also needs the four parts the seed asks
    for: principles, specific asks, membership (the proposer as lead) and a work plan."""
    errors: Errors = {}

    def merge(more: Errors) -> None:
        for key, messages in more.items():
            errors.setdefault(key, []).extend(messages)

    if not data.title.strip():
        merge({"title": [_("Give the expression of interest a title.")]})
    merge(check_texts("principles", data.principles))
    merge(check_texts("asks", data.asks))
    merge(check_milestones(data.milestones))
    for theme in data.themes:
        if theme.programme_id != data.programme_id:
            message = _("“%(theme)s” is not a theme of this programme.") % {"theme": theme}
            merge({"themes": [message]})
    if for_submission:
        if not data.principles:
            merge({"principles": [_("Name at least one principle the coalition advances.")]})
        if not data.asks:
            merge({"asks": [_("Name at least one specific ask.")]})
        if not data.milestones:
            merge({"milestones": [_("Propose a work plan: at least one milestone with a date.")]})
        if not data.has_lead:
            merge({"members": [_("The coalition needs a lead organisation.")]})
    return errors
