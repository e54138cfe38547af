"""``manage.py load_demo``: the demo data, made through the domain functions, loaded once."""

import os
import sqlite3
import subprocess
import sys
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from pledgebook.commitments.models import Application, CoMaker, Commitment
from pledgebook.commitments.validation import CommitmentData, check_commitment
from pledgebook.core.management.commands import _demo_data as demo
from pledgebook.core.models import AuditEntry
from pledgebook.organisations.models import Organisation, Representative
from pledgebook.programmes.models import Action, Programme, ProgrammeRole, Theme

ROOT = Path(__file__).resolve().parents[2]
S = Commitment.Status

EXPECTED_COMMITMENTS = {
    S.DRAFT: 3,
    S.SUBMITTED: 4,
    S.IN_REVIEW: 3,
    S.RETURNED: 2,
    S.CONFIRMED: 9,
    S.DECLINED: 1,
    S.FEATURED: 2,
}
EXPECTED_APPLICATIONS = {"pending": 6, "approved": 29, "declined": 3}


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, object]:
    return {
        "users": get_user_model().objects.count(),
        "programmes": Programme.objects.count(),
        "themes": Theme.objects.count(),
        "actions": Action.objects.count(),
        "roles": ProgrammeRole.objects.count(),
        "organisations": Organisation.objects.count(),
        "representatives": Representative.objects.count(),
        "applications": dict(Counter(Application.objects.values_list("status", flat=True))),
        "commitments": dict(Counter(Commitment.objects.values_list("status", flat=True))),
        "co_makers": CoMaker.objects.count(),
        "audit": dict(Counter(AuditEntry.objects.values_list("action", flat=True))),
    }


@pytest.mark.django_db
def test_loading_twice_gives_the_same_data():
    first_output = load()
    first = snapshot()
    second_output = load()

    assert snapshot() == first
    assert "Demo data loaded" in first_output
    assert "Demo data already loaded: nothing to do" in second_output
    assert first["users"] == 29
    assert first["programmes"] == 3
    assert first["themes"] == 21
    assert first["actions"] == 61
    assert first["organisations"] == 26
    assert first["applications"] == EXPECTED_APPLICATIONS
    assert first["commitments"] == EXPECTED_COMMITMENTS


@pytest.mark.django_db
def test_every_commitment_status_appears():
    load()
    statuses = set(Commitment.objects.values_list("status", flat=True))
    assert statuses == set(S.values)


@pytest.mark.django_db
def test_reset_deletes_and_loads_the_same_demo_again():
    load()
    first = snapshot()
    out = StringIO()
    call_command("load_demo", "--reset", stdout=out)
    assert snapshot() == first
    assert "Deleted the demo" in out.getvalue()


@pytest.mark.django_db
def test_states_come_from_the_domain_functions_with_their_audit_trail():
    load()
    featured = Commitment.objects.get(title="Survivor-centred services in 12 Kenyan counties")
    trail = list(
        AuditEntry.objects.filter(object_type="commitments.commitment", object_id=featured.pk)
        .order_by("id")
        .values_list("action", "actor__username")
    )
    assert trail == [
        ("commitment.created", "leader@demo.pledgebook.org"),
        ("commitment.co_maker_confirmed", "yfr@demo.pledgebook.org"),
        ("commitment.submitted", "leader@demo.pledgebook.org"),
        ("commitment.in_review", "reviewer@demo.pledgebook.org"),
        ("commitment.confirmed", "reviewer@demo.pledgebook.org"),
        ("commitment.featured", "secretariat@demo.pledgebook.org"),
    ]
    returned = Commitment.objects.get(title="Close the gender pay gap in our workforce")
    entry = AuditEntry.objects.get(object_id=returned.pk, action="commitment.returned")
    assert entry.reason.startswith("Give today's pay gap")


@pytest.mark.django_db
def test_every_commitment_past_draft_passes_the_submission_rules():
    load()
    submitted = Commitment.objects.exclude(status=S.DRAFT)
    assert submitted.count() == 21
    for commitment in submitted:
        data = CommitmentData.from_commitment(commitment)
        assert check_commitment(data, for_submission=True) == {}, commitment.title


@pytest.mark.django_db
def test_the_demo_shows_what_each_screen_needs():
    load()
    now = timezone.now()
    pending = Application.objects.filter(status=Application.Status.PENDING)
    assert [a.organisation.name for a in pending.filter(due_at__lt=now)] == [
        "Women's Voices Radio Collective",
        "Women's Voices Radio Collective",
    ]
    declined = Application.objects.filter(status=Application.Status.DECLINED)
    assert all(a.decision_reason for a in declined)
    assert {a.role for a in Application.objects.approved()} == {"maker", "leader"}

    collective = Commitment.objects.get(title__startswith="Safe online spaces")
    assert sorted(
        (c.organisation.name, c.confirmed_at is not None) for c in collective.co_makers.all()
    ) == [("Kestrel Mobile Networks", False), ("Young Feminists Rising", True)]
    assert Commitment.objects.filter(is_conditional=True).exclude(condition="").count() == 3
    types = set(Commitment.objects.values_list("types__code", flat=True))
    assert types == {"financial", "advocacy", "policy", "programmatic"}
    assert set(Commitment.objects.values_list("currency", flat=True)) - {None} == {
        "KES",
        "USD",
        "XOF",
        "NOK",
        "EUR",
        "NGN",
        "PHP",
    }

    ge = Programme.objects.get(slug="generation-equality-2021")
    assert ge.registration_is_open()
    assert (ge.leader_min_years, ge.leader_max_years) == (5, 5)
    assert (ge.maker_min_years, ge.maker_max_years) == (1, 5)
    assert ge.application_review_days == 21
    assert ge.themes.count() == 11
    assert not Programme.objects.get(slug="un-civil-society-conference-2024").registration_is_open()
    forum = Programme.objects.get(slug="ecosoc-partnership-forum-2025")
    assert forum.registration_is_open()
    assert [sorted(t.goals.values_list("number", flat=True)) for t in forum.themes.all()] == [
        [3],
        [5],
        [8],
        [14],
        [17],
    ]


@pytest.mark.django_db
def test_each_demo_login_has_its_role():
    load()
    users = get_user_model().objects
    for _role, login, _what in demo.LOGINS:
        assert users.get(username=login).check_password("pledgebook-demo"), login

    secretariat = users.get(username="secretariat@demo.pledgebook.org")
    assert sorted(secretariat.programme_roles.values_list("programme__slug", "role")) == [
        ("ecosoc-partnership-forum-2025", "secretariat"),
        ("generation-equality-2021", "secretariat"),
        ("un-civil-society-conference-2024", "secretariat"),
    ]
    reviewer = users.get(username="reviewer@demo.pledgebook.org")
    assert list(reviewer.programme_roles.values_list("programme__slug", "role")) == [
        ("generation-equality-2021", "reviewer")
    ]

    leader = users.get(username="leader@demo.pledgebook.org")
    assert list(
        Application.objects.approved()
        .filter(organisation__people=leader, role="leader")
        .values_list("theme__name", flat=True)
    ) == ["Gender-Based Violence"]

    maker = users.get(username="maker@demo.pledgebook.org")
    assert sorted(
        Commitment.objects.filter(organisation__people=maker).values_list("status", flat=True)
    ) == ["confirmed", "draft", "returned", "submitted"]

    admin = users.get(username="admin@demo.pledgebook.org")
    assert (admin.is_staff, admin.is_superuser) == (True, True)
    assert not users.filter(is_staff=True).exclude(pk=admin.pk).exists()


def test_the_command_queues_no_mail_in_a_real_database(tmp_path):
    """In its own process, with the settings of `make run` (the database task queue), the
    load commits and nothing is left in the queue for the worker to mail."""
    database = tmp_path / "demo.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pledgebook.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }

    def manage(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    manage("migrate", "--noinput", "-v", "0")
    assert "Demo data loaded" in manage("load_demo")
    assert "nothing to do" in manage("load_demo")

    with sqlite3.connect(database) as db:
        (queued,) = db.execute("select count(*) from django_tasks_database_dbtaskresult").fetchone()
        (commitments,) = db.execute("select count(*) from commitments_commitment").fetchone()
    assert queued == 0
    assert commitments == sum(EXPECTED_COMMITMENTS.values())
