"""Every state change of programmes, themes, blueprint actions and programme roles (but the
deletion of an action, in ``commitments.domain``: it is refused while commitments advance it).

Each function is keyword-only, checks permission (``PermissionDenied``), validates
(``ValidationError`` with errors by field name, nothing written), changes state inside
``transaction.atomic`` and writes the audit trail with :func:`pledgebook.core.audit.record`.

:func:`check_programme` holds the cross-field rules of a programme's settings; the console
form calls it too, so that the person editing sees every error at its field at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from pledgebook.core import audit
from pledgebook.core.permissions import require as _require
from pledgebook.organisations import entity_types
from pledgebook.organisations.models import Category, all_categories
from pledgebook.programmes.models import (
    Action,
    CommitmentType,
    Programme,
    ProgrammeRole,
    Theme,
)
from pledgebook.reference.models import Currency, Goal

#: The editable settings of a programme (``commitment_types`` is passed separately).
PROGRAMME_FIELDS = (
    "name",
    "slug",
    "kind",
    "summary",
    "starts_on",
    "ends_on",
    "is_published",
    "registration_opens_at",
    "registration_closes_at",
    "application_review_days",
    "leader_min_years",
    "leader_max_years",
    "maker_min_years",
    "maker_max_years",
    "reporting_cycle",
    "reporting_joins",
    "stakeholder_categories",
    "reporting_currency",
)
THEME_FIELDS = ("name", "slug", "description", "position")
ACTION_FIELDS = ("code", "title", "description", "position")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):  # a reference row (e.g. a currency): its key
        return value.pk
    if isinstance(value, list | tuple | set):
        return sorted(_jsonable(v) for v in value)
    return value


def _merge(errors: dict[str, list[str]], exc: ValidationError) -> None:
    for name, messages in exc.message_dict.items():
        errors.setdefault(name, []).extend(m for m in messages if m not in errors.get(name, []))


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _apply(obj: models.Model, fields: Iterable[str], changes: Mapping[str, Any]) -> dict:
    """Set ``changes`` on ``obj``; return ``{field: [old, new]}`` for what differs."""
    unknown = set(changes) - set(fields)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    diff = {}
    for name, new in changes.items():
        old = getattr(obj, name)
        if old != new:
            diff[name] = [_jsonable(old), _jsonable(new)]
            setattr(obj, name, new)
    return diff


# Programmes ------------------------------------------------------------------------------


def in_taxonomy_order(codes: Iterable[str]) -> list[str]:
    """Category codes once each, known ones in taxonomy order, unknown ones after (for the
    checks to name them)."""
    given = list(dict.fromkeys(codes))
    known = [code for code in all_categories() if code in given]
    return known + [code for code in given if code not in known]


def check_programme(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """The rules across a programme's settings.  ``values`` maps field names to values;
    a missing or ``None`` value is not checked here (the field itself reports it)."""
    errors: dict[str, list[str]] = {}

    def err(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        err("ends_on", _("The programme cannot end before it starts."))

    opens = values.get("registration_opens_at")
    closes = values.get("registration_closes_at")
    if opens and closes and closes <= opens:
        err("registration_closes_at", _("Registration must close after it opens."))
    elif opens and not closes and "registration_closes_at" in values:
        err("registration_closes_at", _("Give the closing time too, or neither."))
    elif closes and not opens and "registration_opens_at" in values:
        err("registration_opens_at", _("Give the opening time too, or neither."))

    categories = values.get("stakeholder_categories")
    if categories is not None:
        unknown = [code for code in categories if code not in Category.values]
        if unknown:
            err(
                "stakeholder_categories",
                _("Unknown stakeholder categories: %(codes)s.") % {"codes": ", ".join(unknown)},
            )
        elif not categories:
            err("stakeholder_categories", _("Choose at least one stakeholder category."))

    days = values.get("application_review_days")
    if days is not None and days < 1:
        err("application_review_days", _("Allow at least one day to decide."))

    for who in ("leader", "maker"):
        low, high = values.get(f"{who}_min_years"), values.get(f"{who}_max_years")
        if low is not None and low < 1:
            err(f"{who}_min_years", _("A commitment lasts at least one year."))
        if high is not None and high < 1:
            err(f"{who}_max_years", _("A commitment lasts at least one year."))
        if low is not None and high is not None and low >= 1 and high < low:
            err(
                f"{who}_max_years",
                _("The maximum cannot be less than the minimum (%(n)s).") % {"n": low},
            )
    return errors


def _validate_programme(programme: Programme) -> None:
    errors = check_programme({name: getattr(programme, name) for name in PROGRAMME_FIELDS})
    try:
        programme.full_clean()
    except ValidationError as exc:
        _merge(errors, exc)
    _raise(errors)


def create_programme(
    *,
    actor: Any,
    name: str,
    slug: str,
    kind: str,
    commitment_types: Iterable[CommitmentType] = (),
    summary: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    is_published: bool = False,
    registration_opens_at: dt.datetime | None = None,
    registration_closes_at: dt.datetime | None = None,
    application_review_days: int = 21,
    leader_min_years: int = 5,
    leader_max_years: int = 5,
    maker_min_years: int = 1,
    maker_max_years: int = 5,
    reporting_cycle: str = Programme.ReportingCycle.ANNUAL,
    reporting_joins: str = Programme.ReportingJoins.OPEN_CYCLE,
    stakeholder_categories: Iterable[str] | None = None,
    reporting_currency: Currency | None = None,
) -> Programme:
    """Create a programme (platform staff and programme managers: programmes/rules.py); its
    creator joins its secretariat.  Without ``stakeholder_categories`` it shows every
    category, or, for action coalitions, those of seed 001 section 17
    (``organisations/data/entity_types.csv``)."""
    _require(actor, "programmes.add_programme")
    if stakeholder_categories is None:
        stakeholder_categories = (
            entity_types.categories_of("seed_001")
            if kind == Programme.Kind.ACTION_COALITIONS
            else all_categories()
        )
    programme = Programme(
        name=name.strip(),
        slug=slug.strip(),
        kind=kind,
        summary=summary.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        is_published=is_published,
        registration_opens_at=registration_opens_at,
        registration_closes_at=registration_closes_at,
        application_review_days=application_review_days,
        leader_min_years=leader_min_years,
        leader_max_years=leader_max_years,
        maker_min_years=maker_min_years,
        maker_max_years=maker_max_years,
        reporting_cycle=reporting_cycle,
        reporting_joins=reporting_joins,
        stakeholder_categories=in_taxonomy_order(stakeholder_categories),
        reporting_currency=reporting_currency,
    )
    _validate_programme(programme)
    types = list(commitment_types)
    with transaction.atomic():
        programme.save()
        programme.commitment_types.set(types)
        audit.record(
            actor=actor,
            action="programme.created",
            obj=programme,
            programme=programme,
            data={"commitment_types": sorted(t.code for t in types)},
        )
        role = ProgrammeRole.objects.create(
            programme=programme, user=actor, role=ProgrammeRole.Role.SECRETARIAT
        )
        audit.record(
            actor=actor,
            action="programme.role_granted",
            obj=role,
            programme=programme,
            data={"user": actor.email, "role": role.role},
        )
    return programme


def update_programme(
    *,
    actor: Any,
    programme: Programme,
    commitment_types: Iterable[CommitmentType] | None = None,
    **changes: Any,
) -> Programme:
    """Change a programme's settings (its secretariat).  ``changes`` are fields of
    :data:`PROGRAMME_FIELDS`; ``commitment_types``, when given, replaces the accepted types.
    Nothing changed means nothing written."""
    _require(actor, "programmes.change_programme", programme)
    for name in ("name", "slug", "summary"):
        if isinstance(changes.get(name), str):
            changes[name] = changes[name].strip()
    if changes.get("stakeholder_categories") is not None:
        changes["stakeholder_categories"] = in_taxonomy_order(changes["stakeholder_categories"])
    before = {name: getattr(programme, name) for name in PROGRAMME_FIELDS}
    diff = _apply(programme, PROGRAMME_FIELDS, changes)
    try:
        _validate_programme(programme)
    except ValidationError:
        for name, value in before.items():
            setattr(programme, name, value)
        raise
    old_types = set(programme.commitment_types.values_list("code", flat=True))
    new_types = old_types if commitment_types is None else {t.code for t in commitment_types}
    if new_types != old_types:
        diff["commitment_types"] = [sorted(old_types), sorted(new_types)]
    if not diff:
        return programme
    with transaction.atomic():
        programme.save()
        if new_types != old_types:
            programme.commitment_types.set(CommitmentType.objects.filter(code__in=new_types))
        audit.record(
            actor=actor,
            action="programme.updated",
            obj=programme,
            programme=programme,
            data={"changed": diff},
        )
    return programme


# Roles -----------------------------------------------------------------------------------


def grant_role(*, actor: Any, programme: Programme, email: str, role: str) -> ProgrammeRole:
    """Give the person with this e-mail address (who must have an account) a role."""
    _require(actor, "programmes.change_programme", programme)
    if role not in ProgrammeRole.Role.values:
        raise ValidationError({"role": _("Choose secretariat or reviewer.")})
    email = email.strip()
    users = list(
        get_user_model().objects.filter(email__iexact=email, is_active=True).order_by("pk")[:2]
    )
    if not email or not users:
        raise ValidationError(
            {"email": _("Nobody has an account with this address: ask them to sign up first.")}
        )
    if len(users) > 1:
        raise ValidationError(
            {"email": _("Several accounts use this address: ask the platform staff.")}
        )
    user = users[0]
    if ProgrammeRole.objects.filter(programme=programme, user=user, role=role).exists():
        raise ValidationError({"email": _("This person already has this role.")})
    with transaction.atomic():
        granted = ProgrammeRole.objects.create(programme=programme, user=user, role=role)
        audit.record(
            actor=actor,
            action="programme.role_granted",
            obj=granted,
            programme=programme,
            data={"user": user.email, "role": role},
        )
    return granted


def revoke_role(*, actor: Any, role: ProgrammeRole) -> None:
    """Take a role away.  A programme always keeps at least one secretariat member."""
    programme = role.programme
    _require(actor, "programmes.change_programme", programme)
    with transaction.atomic():
        # Lock the programme so two concurrent revocations cannot remove the last two.
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        if (
            role.role == ProgrammeRole.Role.SECRETARIAT
            and not ProgrammeRole.objects.filter(
                programme=programme, role=ProgrammeRole.Role.SECRETARIAT
            )
            .exclude(pk=role.pk)
            .exists()
        ):
            raise ValidationError(
                _(
                    "The programme needs at least one secretariat member: grant the role to "
                    "someone else first."
                )
            )
        audit.record(
            actor=actor,
            action="programme.role_revoked",
            obj=role,
            programme=programme,
            data={"user": role.user.email, "role": role.role},
        )
        role.delete()


# Themes ----------------------------------------------------------------------------------


def _validate_theme(theme: Theme) -> None:
    errors: dict[str, list[str]] = {}
    if (
        theme.slug
        and Theme.objects.filter(programme_id=theme.programme_id, slug=theme.slug)
        .exclude(pk=theme.pk)
        .exists()
    ):
        errors["slug"] = [_("Another theme of this programme uses this slug.")]
    try:
        theme.full_clean(validate_constraints=False)
    except ValidationError as exc:
        _merge(errors, exc)
    _raise(errors)


def create_theme(
    *,
    actor: Any,
    programme: Programme,
    name: str,
    slug: str,
    description: str = "",
    goals: Iterable[Goal] = (),
    position: int = 0,
) -> Theme:
    _require(actor, "programmes.change_programme", programme)
    theme = Theme(
        programme=programme,
        name=name.strip(),
        slug=slug.strip(),
        description=description.strip(),
        position=position,
    )
    _validate_theme(theme)
    goals = list(goals)
    with transaction.atomic():
        theme.save()
        theme.goals.set(goals)
        audit.record(
            actor=actor,
            action="theme.created",
            obj=theme,
            programme=programme,
            data={"goals": sorted(g.pk for g in goals)},
        )
    return theme


def update_theme(
    *, actor: Any, theme: Theme, goals: Iterable[Goal] | None = None, **changes: Any
) -> Theme:
    """Change a theme: ``changes`` are fields of :data:`THEME_FIELDS`."""
    programme = theme.programme
    _require(actor, "programmes.change_programme", programme)
    for name in ("name", "slug", "description"):
        if isinstance(changes.get(name), str):
            changes[name] = changes[name].strip()
    before = {name: getattr(theme, name) for name in THEME_FIELDS}
    diff = _apply(theme, THEME_FIELDS, changes)
    try:
        _validate_theme(theme)
    except ValidationError:
        for name, value in before.items():
            setattr(theme, name, value)
        raise
    old_goals = set(theme.goals.values_list("pk", flat=True))
    new_goals = old_goals if goals is None else {g.pk for g in goals}
    if new_goals != old_goals:
        diff["goals"] = [sorted(old_goals), sorted(new_goals)]
    if not diff:
        return theme
    with transaction.atomic():
        theme.save()
        if new_goals != old_goals:
            theme.goals.set(Goal.objects.filter(pk__in=new_goals))
        audit.record(
            actor=actor,
            action="theme.updated",
            obj=theme,
            programme=programme,
            data={"changed": diff},
        )
    return theme


# Blueprint actions -----------------------------------------------------------------------


def _validate_action(action: Action) -> None:
    errors: dict[str, list[str]] = {}
    if (
        action.code
        and Action.objects.filter(theme_id=action.theme_id, code__iexact=action.code)
        .exclude(pk=action.pk)
        .exists()
    ):
        errors["code"] = [_("Another action of this theme has this code.")]
    try:
        action.full_clean()
    except ValidationError as exc:
        _merge(errors, exc)
    _raise(errors)


def create_action(
    *,
    actor: Any,
    theme: Theme,
    title: str,
    code: str = "",
    description: str = "",
    position: int = 0,
) -> Action:
    programme = theme.programme
    _require(actor, "programmes.change_programme", programme)
    action = Action(
        theme=theme,
        code=code.strip(),
        title=title.strip(),
        description=description.strip(),
        position=position,
    )
    _validate_action(action)
    with transaction.atomic():
        action.save()
        audit.record(
            actor=actor,
            action="action.created",
            obj=action,
            programme=programme,
            data={"theme": theme.slug},
        )
    return action


def update_action(*, actor: Any, action: Action, **changes: Any) -> Action:
    """Change a blueprint action: ``changes`` are fields of :data:`ACTION_FIELDS`."""
    programme = action.theme.programme
    _require(actor, "programmes.change_programme", programme)
    for name in ("code", "title", "description"):
        if isinstance(changes.get(name), str):
            changes[name] = changes[name].strip()
    before = {name: getattr(action, name) for name in ACTION_FIELDS}
    diff = _apply(action, ACTION_FIELDS, changes)
    try:
        _validate_action(action)
    except ValidationError:
        for name, value in before.items():
            setattr(action, name, value)
        raise
    if not diff:
        return action
    with transaction.atomic():
        action.save()
        audit.record(
            actor=actor,
            action="action.updated",
            obj=action,
            programme=programme,
            data={"changed": diff},
        )
    return action
