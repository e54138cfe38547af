"""``pledgebook.programmes.domain``: permission, validation, audit, nothing written when
refused."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pledgebook.commitments.domain import delete_action
from pledgebook.core.models import AuditEntry
from pledgebook.organisations import entity_types
from pledgebook.organisations.models import all_categories
from pledgebook.programmes import domain
from pledgebook.programmes.models import (
    Action,
    CommitmentType,
    Programme,
    ProgrammeRole,
    Theme,
)
from pledgebook.reference.models import Goal
from tests import factories

# Dates decide what these tests check: they also run at the awkward instants of tests/clocks.py.
pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def platform_staff() -> Any:
    return factories.UserFactory(is_staff=True)


def _create(actor: Any, **changes: Any) -> Programme:
    values = {"name": "Ocean Conference", "slug": "ocean", "kind": "conference", **changes}
    return domain.create_programme(actor=actor, **values)


def _errors(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


# check_programme ---------------------------------------------------------------------------


def test_check_programme_accepts_sensible_settings() -> None:
    now = timezone.now()
    assert (
        domain.check_programme(
            {
                "starts_on": dt.date(2025, 1, 1),
                "ends_on": dt.date(2025, 1, 1),
                "registration_opens_at": now,
                "registration_closes_at": now + dt.timedelta(minutes=1),
                "application_review_days": 1,
                "leader_min_years": 5,
                "leader_max_years": 5,
                "maker_min_years": 1,
                "maker_max_years": 5,
            }
        )
        == {}
    )


def test_check_programme_reports_each_rule_at_its_field() -> None:
    now = timezone.now()
    assert domain.check_programme(
        {
            "starts_on": dt.date(2025, 1, 2),
            "ends_on": dt.date(2025, 1, 1),
            "registration_opens_at": now,
            "registration_closes_at": now,
            "application_review_days": 0,
            "leader_min_years": 0,
            "leader_max_years": 0,
            "maker_min_years": 3,
            "maker_max_years": 2,
        }
    ) == {
        "ends_on": ["The programme cannot end before it starts."],
        "registration_closes_at": ["Registration must close after it opens."],
        "application_review_days": ["Allow at least one day to decide."],
        "leader_min_years": ["A commitment lasts at least one year."],
        "leader_max_years": ["A commitment lasts at least one year."],
        "maker_max_years": ["The maximum cannot be less than the minimum (3)."],
    }


def test_check_programme_wants_both_ends_of_the_window_or_neither() -> None:
    now = timezone.now()
    assert domain.check_programme(
        {"registration_opens_at": now, "registration_closes_at": None}
    ) == {"registration_closes_at": ["Give the closing time too, or neither."]}
    assert domain.check_programme(
        {"registration_opens_at": None, "registration_closes_at": now}
    ) == {"registration_opens_at": ["Give the opening time too, or neither."]}
    assert domain.check_programme({"registration_opens_at": None}) == {}


# Programmes --------------------------------------------------------------------------------


def test_create_programme_makes_the_creator_its_secretariat(platform_staff: Any) -> None:
    types = CommitmentType.objects.filter(code__in=["financial", "policy"])
    programme = _create(platform_staff, name="  Ocean Conference ", commitment_types=types)

    assert programme.name == "Ocean Conference"
    assert (programme.application_review_days, programme.maker_min_years) == (21, 1)
    assert sorted(programme.commitment_types.values_list("code", flat=True)) == [
        "financial",
        "policy",
    ]
    assert list(programme.roles.values_list("user", "role")) == [
        (platform_staff.pk, ProgrammeRole.Role.SECRETARIAT)
    ]
    entries = list(AuditEntry.objects.order_by("id").values_list("action", "programme", "actor"))
    assert entries == [
        ("programme.created", programme.pk, platform_staff.pk),
        ("programme.role_granted", programme.pk, platform_staff.pk),
    ]
    assert platform_staff.has_perm("programmes.change_programme", programme)


@pytest.mark.parametrize("kind", ["anonymous", "user", "secretariat"])
def test_create_programme_is_for_platform_staff_only(programme: Programme, kind: str) -> None:
    actor = {
        "anonymous": AnonymousUser(),
        "user": factories.UserFactory(),
        "secretariat": factories.staff(programme),
    }[kind]
    count, audits = Programme.objects.count(), AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        _create(actor)
    assert Programme.objects.count() == count
    assert AuditEntry.objects.count() == audits


def test_a_programme_manager_creates_a_programme_and_runs_it(programme: Programme) -> None:
    """Only platform staff could create a programme: a person given the "Programme managers"
    group in the admin can now, without staff rights."""
    manager = factories.UserFactory()
    manager.groups.add(Group.objects.get(name="Programme managers"))

    created = _create(manager)

    assert not manager.is_staff
    assert list(created.roles.values_list("user", "role")) == [
        (manager.pk, ProgrammeRole.Role.SECRETARIAT)
    ]
    assert AuditEntry.objects.get(action="programme.created").actor == manager
    assert not manager.has_perm("programmes.change_programme", programme)  # only its own


def test_the_group_grants_exactly_the_permission_to_add_programmes() -> None:
    group = Group.objects.get(name="Programme managers")
    assert [(p.content_type.app_label, p.codename) for p in group.permissions.all()] == [
        ("programmes", "add_programme")
    ]


def test_leaving_the_group_takes_the_right_away(programme: Programme) -> None:
    manager = factories.UserFactory()
    group = Group.objects.get(name="Programme managers")
    manager.groups.add(group)
    manager.groups.remove(group)
    manager = type(manager).objects.get(pk=manager.pk)  # permissions are cached per object
    count = Programme.objects.count()
    with pytest.raises(PermissionDenied):
        _create(manager)
    assert Programme.objects.count() == count


def test_create_programme_refuses_bad_settings_and_writes_nothing(platform_staff: Any) -> None:
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        _create(
            platform_staff,
            kind="bazaar",
            registration_opens_at=now,
            registration_closes_at=now - dt.timedelta(days=1),
            leader_min_years=5,
            leader_max_years=4,
        )
    assert _errors(exc) == {
        "kind": ["Value 'bazaar' is not a valid choice."],
        "registration_closes_at": ["Registration must close after it opens."],
        "leader_max_years": ["The maximum cannot be less than the minimum (5)."],
    }
    assert Programme.objects.count() == 0
    assert ProgrammeRole.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "shown"),
    [
        ("action_coalitions", entity_types.categories_of("seed_001")),
        ("conference", all_categories()),
        ("partnership_forum", all_categories()),
    ],
)
def test_create_programme_shows_the_categories_of_its_kind(
    platform_staff: Any, kind: str, shown: list[str]
) -> None:
    programme = _create(platform_staff, kind=kind)
    programme.refresh_from_db()
    assert programme.stakeholder_categories == shown
    assert programme.shown_categories() == shown


def test_create_programme_with_chosen_categories_in_taxonomy_order(platform_staff: Any) -> None:
    programme = _create(platform_staff, stakeholder_categories=["other", "women", "women"])
    programme.refresh_from_db()
    assert programme.stakeholder_categories == ["women", "other"]
    assert [str(group) for group, _choices in programme.category_choices()] == [
        "Civil society",
        "Other",
    ]


def test_update_programme_refuses_unknown_categories(programme: Programme) -> None:
    secretariat = factories.staff(programme)
    before = list(programme.stakeholder_categories)
    with pytest.raises(ValidationError) as exc:
        domain.update_programme(
            actor=secretariat,
            programme=programme,
            stakeholder_categories=["women", "martians"],
        )
    assert _errors(exc) == {"stakeholder_categories": ["Unknown stakeholder categories: martians."]}
    programme.refresh_from_db()
    assert programme.stakeholder_categories == before
    assert AuditEntry.objects.count() == 0


def test_create_programme_refuses_a_slug_in_use(platform_staff: Any, programme: Programme) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(platform_staff, slug=programme.slug)
    assert _errors(exc) == {"slug": ["Programme with this Slug already exists."]}


def test_update_programme_records_what_changed(programme: Programme) -> None:
    secretariat = factories.staff(programme)
    old_name = programme.name
    domain.update_programme(
        actor=secretariat,
        programme=programme,
        name="Renamed",
        maker_max_years=3,
        commitment_types=CommitmentType.objects.filter(code="advocacy"),
    )
    programme.refresh_from_db()
    assert (programme.name, programme.maker_max_years) == ("Renamed", 3)
    assert list(programme.commitment_types.values_list("code", flat=True)) == ["advocacy"]
    entry = AuditEntry.objects.get()
    assert entry.action == "programme.updated"
    assert entry.data == {
        "changed": {
            "name": [old_name, "Renamed"],
            "maker_max_years": [5, 3],
            "commitment_types": [
                ["advocacy", "financial", "policy", "programmatic"],
                ["advocacy"],
            ],
        }
    }


def test_update_programme_without_a_change_writes_nothing(programme: Programme) -> None:
    secretariat = factories.staff(programme)
    domain.update_programme(
        actor=secretariat,
        programme=programme,
        name=programme.name,
        commitment_types=CommitmentType.objects.all(),
    )
    assert AuditEntry.objects.count() == 0


def test_update_programme_records_dates_as_text(programme: Programme) -> None:
    secretariat = factories.staff(programme)
    opens = programme.registration_opens_at
    new = opens + dt.timedelta(hours=1)
    domain.update_programme(actor=secretariat, programme=programme, registration_opens_at=new)
    assert AuditEntry.objects.get().data == {
        "changed": {"registration_opens_at": [opens.isoformat(), new.isoformat()]}
    }


@pytest.mark.parametrize("role", [None, ProgrammeRole.Role.REVIEWER, "other-secretariat"])
def test_update_programme_is_for_its_secretariat(programme: Programme, role: Any) -> None:
    if role is None:
        actor = factories.UserFactory()
    elif role == "other-secretariat":
        actor = factories.staff(factories.ProgrammeFactory())
    else:
        actor = factories.staff(programme, role)
    name = programme.name
    with pytest.raises(PermissionDenied):
        domain.update_programme(actor=actor, programme=programme, name="Hijacked")
    programme.refresh_from_db()
    assert programme.name == name
    assert AuditEntry.objects.count() == 0


def test_update_programme_refused_leaves_the_object_as_it_was(programme: Programme) -> None:
    secretariat = factories.staff(programme)
    before = (programme.name, programme.maker_min_years, programme.maker_max_years)
    with pytest.raises(ValidationError) as exc:
        domain.update_programme(
            actor=secretariat,
            programme=programme,
            name="Renamed",
            maker_min_years=4,
            maker_max_years=2,
        )
    assert _errors(exc) == {"maker_max_years": ["The maximum cannot be less than the minimum (4)."]}
    assert (programme.name, programme.maker_min_years, programme.maker_max_years) == before
    programme.refresh_from_db()
    assert (programme.name, programme.maker_min_years, programme.maker_max_years) == before
    assert AuditEntry.objects.count() == 0


def test_update_programme_rejects_unknown_fields(programme: Programme) -> None:
    with pytest.raises(TypeError):
        domain.update_programme(
            actor=factories.staff(programme), programme=programme, created_at=None
        )


# Roles -------------------------------------------------------------------------------------


def test_grant_role_by_email_case_insensitively(programme: Programme) -> None:
    secretariat = factories.staff(programme)
    person = factories.UserFactory(email="Ana@Example.org")
    role = domain.grant_role(
        actor=secretariat, programme=programme, email=" ana@example.org ", role="reviewer"
    )
    assert (role.user, role.role, role.programme) == (person, "reviewer", programme)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.data) == (
        "programme.role_granted",
        {"user": "Ana@Example.org", "role": "reviewer"},
    )
    assert person.has_perm("programmes.view_console", programme)
    assert not person.has_perm("programmes.change_programme", programme)


@pytest.mark.parametrize(
    ("email", "role", "errors"),
    [
        (
            "nobody@example.org",
            "reviewer",
            {"email": ["Nobody has an account with this address: ask them to sign up first."]},
        ),
        (
            "",
            "reviewer",
            {"email": ["Nobody has an account with this address: ask them to sign up first."]},
        ),
        (
            "inactive@example.org",
            "reviewer",
            {"email": ["Nobody has an account with this address: ask them to sign up first."]},
        ),
        ("known@example.org", "owner", {"role": ["Choose secretariat or reviewer."]}),
        ("known@example.org", "secretariat", {"email": ["This person already has this role."]}),
    ],
)
def test_grant_role_refusals(programme: Programme, email: str, role: str, errors: dict) -> None:
    secretariat = factories.staff(programme)
    known = factories.UserFactory(email="known@example.org")
    factories.UserFactory(email="inactive@example.org", is_active=False)
    ProgrammeRole.objects.create(programme=programme, user=known, role="secretariat")
    roles = ProgrammeRole.objects.count()
    with pytest.raises(ValidationError) as exc:
        domain.grant_role(actor=secretariat, programme=programme, email=email, role=role)
    assert _errors(exc) == errors
    assert ProgrammeRole.objects.count() == roles
    assert AuditEntry.objects.count() == 0


def test_grant_role_is_for_the_secretariat(programme: Programme) -> None:
    reviewer = factories.staff(programme, ProgrammeRole.Role.REVIEWER)
    factories.UserFactory(email="friend@example.org")
    with pytest.raises(PermissionDenied):
        domain.grant_role(
            actor=reviewer, programme=programme, email="friend@example.org", role="secretariat"
        )
    assert ProgrammeRole.objects.count() == 1


def test_revoke_role(programme: Programme) -> None:
    secretariat = factories.staff(programme)
    reviewer = factories.staff(programme, ProgrammeRole.Role.REVIEWER)
    role = ProgrammeRole.objects.get(user=reviewer)
    pk = role.pk
    domain.revoke_role(actor=secretariat, role=role)
    assert not ProgrammeRole.objects.filter(user=reviewer).exists()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id, entry.data) == (
        "programme.role_revoked",
        pk,
        {"user": reviewer.email, "role": "reviewer"},
    )
    assert not reviewer.has_perm("programmes.view_console", programme)


def test_the_last_secretariat_role_stays(programme: Programme) -> None:
    secretariat = factories.staff(programme)
    own = ProgrammeRole.objects.get(user=secretariat)
    with pytest.raises(ValidationError) as exc:
        domain.revoke_role(actor=secretariat, role=own)
    assert exc.value.messages == [
        "The programme needs at least one secretariat member: grant the role to someone else first."
    ]
    assert ProgrammeRole.objects.filter(pk=own.pk).exists()
    assert AuditEntry.objects.count() == 0
    second = factories.staff(programme)
    domain.revoke_role(actor=second, role=own)  # with a second one, the first may go
    assert list(ProgrammeRole.objects.values_list("user", flat=True)) == [second.pk]


def test_revoke_role_is_for_the_secretariat(programme: Programme) -> None:
    factories.staff(programme)
    reviewer = factories.staff(programme, ProgrammeRole.Role.REVIEWER)
    role = ProgrammeRole.objects.get(user=reviewer)
    with pytest.raises(PermissionDenied):
        domain.revoke_role(actor=reviewer, role=role)
    assert ProgrammeRole.objects.filter(pk=role.pk).exists()


# Themes ------------------------------------------------------------------------------------


def test_create_and_update_theme(programme: Programme) -> None:
    secretariat = factories.staff(programme)
    theme = domain.create_theme(
        actor=secretariat,
        programme=programme,
        name=" Feminist action for climate justice ",
        slug="climate-justice",
        goals=Goal.objects.filter(number__in=[5, 13]),
        position=4,
    )
    assert (theme.name, theme.position) == ("Feminist action for climate justice", 4)
    assert sorted(theme.goals.values_list("number", flat=True)) == [5, 13]

    domain.update_theme(
        actor=secretariat,
        theme=theme,
        description="Climate finance.",
        goals=Goal.objects.filter(number=13),
    )
    theme.refresh_from_db()
    assert theme.description == "Climate finance."
    assert list(theme.goals.values_list("number", flat=True)) == [13]
    assert list(AuditEntry.objects.order_by("id").values_list("action", "data")) == [
        ("theme.created", {"goals": [5, 13]}),
        (
            "theme.updated",
            {
                "changed": {
                    "description": ["", "Climate finance."],
                    "goals": [
                        [5, 13],
                        [13],
                    ],
                }
            },
        ),
    ]


def test_theme_slugs_are_unique_per_programme(programme: Programme) -> None:
    secretariat = factories.staff(programme)
    existing = factories.ThemeFactory(programme=programme, slug="taken")
    other = factories.ProgrammeFactory()
    factories.ThemeFactory(programme=other, slug="elsewhere")

    with pytest.raises(ValidationError) as exc:
        domain.create_theme(actor=secretariat, programme=programme, name="X", slug="taken")
    assert _errors(exc) == {"slug": ["Another theme of this programme uses this slug."]}

    second = domain.create_theme(actor=secretariat, programme=programme, name="Y", slug="elsewhere")
    with pytest.raises(ValidationError):
        domain.update_theme(actor=secretariat, theme=second, slug="taken")
    second.refresh_from_db()
    assert second.slug == "elsewhere"
    assert Theme.objects.filter(programme=programme).count() == 2
    assert existing.slug == "taken"


def test_theme_changes_are_for_the_secretariat(programme: Programme) -> None:
    theme = factories.ThemeFactory(programme=programme)
    outsider = factories.staff(factories.ProgrammeFactory())
    with pytest.raises(PermissionDenied):
        domain.create_theme(actor=outsider, programme=programme, name="X", slug="x")
    with pytest.raises(PermissionDenied):
        domain.update_theme(actor=outsider, theme=theme, name="Hijacked")
    theme.refresh_from_db()
    assert theme.name != "Hijacked"
    assert Theme.objects.filter(programme=programme).count() == 1
    assert AuditEntry.objects.count() == 0


# Blueprint actions -------------------------------------------------------------------------


def test_create_update_delete_action(programme: Programme) -> None:
    secretariat = factories.staff(programme)
    theme = factories.ThemeFactory(programme=programme)
    action = domain.create_action(
        actor=secretariat, theme=theme, code="GBV1", title="Laws against violence"
    )
    domain.update_action(actor=secretariat, action=action, title="Laws and policies")
    action.refresh_from_db()
    assert (action.code, action.title) == ("GBV1", "Laws and policies")
    pk = action.pk
    delete_action(actor=secretariat, action=action)
    assert not Action.objects.filter(pk=pk).exists()
    assert list(AuditEntry.objects.order_by("id").values_list("action", "object_id")) == [
        ("action.created", pk),
        ("action.updated", pk),
        ("action.deleted", pk),
    ]


def test_action_codes_are_unique_within_a_theme(programme: Programme) -> None:
    secretariat = factories.staff(programme)
    theme = factories.ThemeFactory(programme=programme)
    factories.ActionFactory(theme=theme, code="A1")
    factories.ActionFactory(code="A2")  # another programme's theme
    with pytest.raises(ValidationError) as exc:
        domain.create_action(actor=secretariat, theme=theme, code="a1", title="Duplicate")
    assert _errors(exc) == {"code": ["Another action of this theme has this code."]}
    domain.create_action(actor=secretariat, theme=theme, code="A2", title="Fine")
    domain.create_action(actor=secretariat, theme=theme, code="", title="No code")
    domain.create_action(actor=secretariat, theme=theme, code="", title="No code either")
    assert theme.actions.count() == 4


def test_an_action_commitments_advance_cannot_be_deleted(programme: Programme) -> None:
    secretariat = factories.staff(programme)
    theme = factories.ThemeFactory(programme=programme)
    action = factories.ActionFactory(theme=theme)
    factories.CommitmentFactory(theme=theme).actions.add(action)
    with pytest.raises(ValidationError) as exc:
        delete_action(actor=secretariat, action=action)
    assert exc.value.messages == [
        "1 commitment advances this action: it cannot be deleted. "
        "Edit its title or description instead."
    ]
    factories.CommitmentFactory(theme=theme).actions.add(action)
    with pytest.raises(ValidationError) as exc:
        delete_action(actor=secretariat, action=action)
    assert exc.value.messages == [
        "2 commitments advance this action: it cannot be deleted. "
        "Edit its title or description instead."
    ]
    assert Action.objects.filter(pk=action.pk).exists()
    assert AuditEntry.objects.count() == 0


def test_action_changes_are_for_the_secretariat(programme: Programme) -> None:
    reviewer = factories.staff(programme, ProgrammeRole.Role.REVIEWER)
    action = factories.ActionFactory(theme=factories.ThemeFactory(programme=programme))
    with pytest.raises(PermissionDenied):
        domain.create_action(actor=reviewer, theme=action.theme, title="X")
    with pytest.raises(PermissionDenied):
        domain.update_action(actor=reviewer, action=action, title="Hijacked")
    with pytest.raises(PermissionDenied):
        delete_action(actor=reviewer, action=action)
    action.refresh_from_db()
    assert action.title != "Hijacked"
    assert Action.objects.count() == 1
    assert AuditEntry.objects.count() == 0
