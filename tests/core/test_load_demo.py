"""``manage.py load_demo``: the demo data, made through the domain functions, loaded once."""

import datetime as dt
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

from pledgebook.coalitions.models import (
    Ask,
    Coalition,
    CoalitionSettings,
    ExpressionOfInterest,
    Membership,
    MergeRecord,
    Milestone,
    Principle,
)
from pledgebook.commitments.models import Application, CoMaker, Commitment
from pledgebook.commitments.validation import CommitmentData, check_commitment
from pledgebook.core.models import AuditEntry
from pledgebook.demo import data as demo
from pledgebook.demo import forum_data
from pledgebook.forum import figures as forum_figures
from pledgebook.forum.models import (
    AnnouncedCommitment,
    Answer,
    CoChairsSummary,
    Consultation,
    ConsultationResponse,
    ConsultationTheme,
    Digest,
    Event,
    ForumSettings,
    Recommendation,
    Registration,
    Session,
    SessionMark,
    SessionSummary,
    SideEventProposal,
    Speaker,
    Statement,
    Subscriber,
    SummaryReminder,
    SummaryVersion,
)
from pledgebook.forum.similar import ANSWER_KIND, RECOMMENDATION_KIND
from pledgebook.organisations.models import Organisation, Representative
from pledgebook.programmes.models import Action, Programme, ProgrammeRole, Theme
from pledgebook.reporting import figures, links
from pledgebook.reporting.models import (
    AnnualReport,
    CoMakerConfirmation,
    Evidence,
    ImplementationStatus,
    Indicator,
    IndicatorValue,
    Invitation,
    ProgressReport,
    Reminder,
    ReportingCycle,
)
from pledgebook.reporting.queries import active_commitments
from pledgebook.similarity.models import Vector

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
EXPECTED_EOIS = {
    "draft": 1,
    "submitted": 1,
    "in_review": 1,
    "accepted": 5,
    "merged": 2,
    "declined": 1,
    "withdrawn": 1,
}
# "proposed" is the one state no domain function leaves a coalition in.
EXPECTED_COALITIONS = {
    "under_consideration": 1,
    "accepted": 1,
    "active": 2,
    "merged": 1,
    "closed": 1,
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """The sample annual report is written under a throw-away MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


def counts(model, *fields):
    if len(fields) == 1:
        return dict(Counter(model.objects.values_list(fields[0], flat=True)))
    return dict(Counter(model.objects.values_list(*fields)))


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
        "indicators": Indicator.objects.count(),
        "cycles": counts(ReportingCycle, "name", "status"),
        "invitations": counts(Invitation, "cycle__name", "times_sent"),
        "reports": counts(
            ProgressReport, "cycle__name", "status", "implementation_status", "version"
        ),
        "indicator_values": IndicatorValue.objects.count(),
        "evidence": Evidence.objects.count(),
        "confirmations": CoMakerConfirmation.objects.count(),
        "reminders": counts(Reminder, "kind"),
        "annual_reports": counts(AnnualReport, "status"),
        "coalition_settings": CoalitionSettings.objects.count(),
        "eois": dict(Counter(ExpressionOfInterest.objects.values_list("status", flat=True))),
        "coalitions": dict(Counter(Coalition.objects.values_list("state", flat=True))),
        "memberships": counts(Membership, "status", "role"),
        "principles": Principle.objects.count(),
        "asks": Ask.objects.count(),
        "milestones": counts(Milestone, "status"),
        "merges": MergeRecord.objects.count(),
        "vectors": counts(Vector, "kind"),
        "events": counts(Event, "slug", "starts_on", "ends_on", "time_zone"),
        "sessions": counts(Session, "event__slug", "kind"),
        "speakers": Speaker.objects.count(),
        "proposals": counts(SideEventProposal, "status"),
        "summaries": counts(SessionSummary, "session__event__slug", "status"),
        "recommendations": Recommendation.objects.count(),
        "announcements": AnnouncedCommitment.objects.count(),
        "summary_reminders": counts(SummaryReminder, "kind"),
        "statements": counts(Statement, "status"),
        "registrations": counts(Registration, "status", "mode"),
        "marks": SessionMark.objects.count(),
        "consultations": Consultation.objects.count(),
        "responses": counts(ConsultationResponse, "source"),
        "answers": Answer.objects.count(),
        "cochairs": counts(CoChairsSummary, "event__slug", "status"),
        "cochairs_versions": counts(SummaryVersion, "summary__event__slug"),
        "digests": counts(Digest, "summary__event__slug"),
        "consultation_themes": ConsultationTheme.objects.count(),
        "subscribers": counts(Subscriber, "programme__slug"),
    }


@pytest.mark.django_db
def test_loading_twice_gives_the_same_data():
    first_output = load()
    first = snapshot()
    second_output = load()

    assert snapshot() == first
    assert "Demo data loaded" in first_output
    assert "Demo data already loaded: nothing to do" in second_output
    assert first["users"] == 31 + forum_data.PF_REGISTRATIONS
    assert first["programmes"] == 3
    assert first["themes"] == 21
    assert first["actions"] == 61
    assert first["organisations"] == 27
    assert first["applications"] == EXPECTED_APPLICATIONS
    assert first["commitments"] == EXPECTED_COMMITMENTS
    assert first["indicators"] == 7  # 3 of Generation Equality, 4 of the Forum (the pitch)
    assert first["eois"] == EXPECTED_EOIS
    assert first["coalitions"] == EXPECTED_COALITIONS
    assert first["annual_reports"] == {"done": 1}
    # The forum's recommendations and consultation answers are embedded once, in batches,
    # before the consultation is grouped and the Co-Chairs' Summaries compiled.
    assert first["vectors"] == {
        "eoi": 12,
        "coalition": 6,
        "forum_recommendation": 61,
        "forum_answer": 181,
        # Every commitment, drafts included (commitments/duplicates.py): the duplicates finder
        # and the partner finder read them, and show drafts to nobody.
        "commitment": 24,
        "case_study": 5,  # the knowledge hub's published case studies
    }
    # Both Co-Chairs' Summaries compiled (version 1), introduced by their editors and
    # published (version 2); the Forum's digest sent.
    assert first["cochairs"] == {
        ("partnership-forum-2025", "published"): 1,
        ("civil-society-conference-2024", "published"): 1,
    }
    assert first["cochairs_versions"] == {
        "partnership-forum-2025": 2,
        "civil-society-conference-2024": 2,
    }
    assert first["digests"] == {"partnership-forum-2025": 1}
    assert first["consultation_themes"] > 0
    assert first["sessions"] == {
        ("partnership-forum-2025", "plenary"): 2,
        ("partnership-forum-2025", "sdg_segment"): 4,
        ("partnership-forum-2025", "breakout"): 3,
        ("partnership-forum-2025", "fireside"): 1,
        ("partnership-forum-2025", "pitch"): 1,
        ("partnership-forum-2025", "side_event"): 4,
        ("civil-society-conference-2024", "plenary"): 2,
        ("civil-society-conference-2024", "breakout"): 7,
    }
    assert first["summaries"] == {
        ("partnership-forum-2025", "submitted"): 13,
        ("partnership-forum-2025", "draft"): 2,
        ("civil-society-conference-2024", "submitted"): 9,
    }
    assert first["registrations"] == {
        ("registered", "in_person"): 60,
        ("waitlisted", "in_person"): 6,
        ("registered", "online"): 33,
        ("cancelled", "online"): 2,
    }
    assert first["responses"] == {"form": 72, "import": 24}


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
    files = [f.path for r in AnnualReport.objects.all() for f in (r.pdf, r.docx, r.xlsx, r.csv)]
    # Vectors of forum texts are kept by kind and id: the reset removes those of the old texts.
    assert Vector.objects.filter(kind=RECOMMENDATION_KIND).count() == 61
    # A published Co-Chairs' Summary (its published version is protected) does not stop it.
    cochairs, _ = CoChairsSummary.objects.get_or_create(
        event=Event.objects.get(slug="partnership-forum-2025"),
        defaults={"title": "Co-Chairs' Summary"},
    )
    version = cochairs.versions.create(number=cochairs.versions.count() + 1, content={})
    cochairs.published_version = version
    cochairs.status = "published"
    cochairs.save()
    call_command("load_demo", "--reset", stdout=out)
    # The old texts' vectors are gone; the new ones' computed again.
    stored = set(
        Vector.objects.filter(kind__in=[RECOMMENDATION_KIND, ANSWER_KIND]).values_list(
            "kind", "object_id"
        )
    )
    assert stored == {
        (RECOMMENDATION_KIND, pk) for pk in Recommendation.objects.values_list("pk", flat=True)
    } | {(ANSWER_KIND, pk) for pk in Answer.objects.values_list("pk", flat=True)}
    assert snapshot() == first
    assert "Deleted the demo" in out.getvalue()
    assert "and 4 generated files" in out.getvalue()
    new = [f.path for r in AnnualReport.objects.all() for f in (r.pdf, r.docx, r.xlsx, r.csv)]
    assert all(Path(path).is_file() for path in new)
    assert not [path for path in files if path not in new and Path(path).exists()]


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

    # maker@ has an open personal reporting link and a report still to write.
    current = ReportingCycle.objects.get(status="open")
    kestrel = Organisation.objects.get(people=maker)
    invitation = Invitation.objects.get(cycle=current, organisation=kestrel)
    assert links.resolve(links.make_token(invitation)) == invitation
    assert active_commitments(current).filter(organisation=kestrel).count() == 1
    assert not ProgressReport.objects.filter(cycle=current, commitment__organisation=kestrel)
    # leader@ proposed an expression of interest, which became a coalition it leads.
    eoi = ExpressionOfInterest.objects.get(proposed_by=leader)
    assert eoi.status == "accepted"
    assert eoi.coalition.state == "active"
    assert eoi.coalition.memberships.get(organisation__people=leader).role == "lead"

    admin = users.get(username="admin@demo.pledgebook.org")
    assert (admin.is_staff, admin.is_superuser) == (True, True)
    assert not users.filter(is_staff=True).exclude(pk=admin.pk).exists()


@pytest.mark.django_db
def test_the_accountability_pages_have_every_state_to_show():
    load()
    now = timezone.now()
    ge = Programme.objects.get(slug="generation-equality-2021")
    past, current = ReportingCycle.objects.filter(programme=ge).order_by("opens_at")
    assert (past.status, current.status) == ("closed", "open")
    assert past.name == f"{current.deadline.year - 1} annual report"
    assert past.closes_at < current.opens_at < current.deadline < now < current.closes_at
    assert list(ge.indicators.values_list("code", flat=True)) == [
        "people-reached",
        "policies-adopted",
        "funds-leveraged",
    ]
    expected = set(Commitment.objects.public().filter(programme=ge))
    assert len(expected) == 7
    assert set(active_commitments(past)) == set(active_commitments(current)) == expected
    assert Invitation.objects.filter(cycle=past).count() == 9  # leads and co-makers
    assert Invitation.objects.filter(cycle=current, times_sent=2).count() == 1

    # The closed cycle: every implementation status, a correction, money in two currencies.
    submitted = ProgressReport.objects.filter(cycle=past, status="submitted")
    assert set(submitted.values_list("implementation_status", flat=True)) == set(
        ImplementationStatus.values
    )
    corrected = submitted.get(version=2)
    assert corrected.commitment.organisation.name == "Amani Women's Rights Network"
    assert corrected.values.count() == 3 and corrected.evidence.count() == 1
    assert corrected.confirmations.count() == 1
    assert AuditEntry.objects.filter(action="report.corrected").count() == 1
    converted = submitted.exclude(exchange_rate=None).get()
    assert (converted.disbursed_currency_id, converted.commitment.currency_id) == ("ZAR", "USD")
    assert all(past.opens_at <= r.submitted_at < past.closes_at for r in submitted)
    assert submitted.filter(submitted_at__gt=past.deadline).count() == 1  # late
    assert submitted.values("commitment").distinct().count() == 5

    # The open cycle: reports submitted, one late, a draft, makers still silent.
    reports = ProgressReport.objects.filter(cycle=current)
    assert sorted(reports.values_list("commitment__organisation__name", "status")) == [
        ("Amani Women's Rights Network", "submitted"),
        ("Government of Costa Rica", "draft"),
        ("Government of Senegal", "submitted"),
    ]
    assert reports.get(status="submitted", exchange_rate__isnull=False).disbursed_currency_id == (
        "EUR"
    )
    assert set(Reminder.objects.values_list("cycle__name", "kind")) == {
        (past.name, "before"),
        (current.name, "after"),
    }

    lights = figures.status_lights(expected, now=now)
    by_maker = {c.organisation.name: lights[c.pk] for c in expected}
    assert by_maker == {
        "Amani Women's Rights Network": "reported",
        "Government of Senegal": "reported",
        "Kestrel Mobile Networks": "late",
        "Government of Costa Rica": "late",
        "Government of Norway": "late",
        "Women Mediators Collective of the Sahel": "late",
        "Solstice Foundation for Equality": "inactive",
    }


@pytest.mark.django_db
def test_the_sample_annual_report_has_its_files(settings):
    output = load()
    report = AnnualReport.objects.get()
    assert report.cycle.status == "closed"
    assert (report.status, report.progress, report.error) == ("done", 100, "")
    for kind in ("pdf", "docx", "xlsx", "csv"):
        path = Path(getattr(report, kind).path)
        assert path.is_relative_to(settings.MEDIA_ROOT)
        assert path.stat().st_size > 1000 if kind != "csv" else path.stat().st_size > 0
        assert str(path) in output
    assert Path(report.pdf.path).read_bytes().startswith(b"%PDF")


@pytest.mark.django_db
def test_the_coalition_pages_have_every_state_and_their_history():
    load()
    csc = Programme.objects.get(slug="un-civil-society-conference-2024")
    settings = CoalitionSettings.objects.get(programme=csc)
    assert settings.eoi_deadline.date().isoformat() == "2024-04-08"
    assert CoalitionSettings.share_network(Programme.objects.filter(kind__in=["conference"]))
    eois = ExpressionOfInterest.objects.all()
    assert set(eois.values_list("status", flat=True)) == set(ExpressionOfInterest.Status.values)
    late = eois.get(is_late=True)
    assert late.submitted_at > settings.eoi_deadline
    assert late.coalition.state == "under_consideration"
    assert set(Coalition.objects.values_list("state", flat=True)) == set(Coalition.State.values) - {
        "proposed"
    }

    # Two similar EOIs merged into a new coalition, which then absorbed a coalition of the
    # other programme of the network.
    youth = Coalition.objects.get(name="ImPACT Coalition for Youth in Global Governance")
    assert youth.state == "active"
    first, second = MergeRecord.objects.order_by("pk")
    assert first.target == second.target == youth
    assert sorted(first.source_eois.values_list("title", flat=True)) == [
        "Meaningful youth participation in UN decision-making",
        "Youth seats at the table of global governance",
    ]
    merged = second.source_coalitions.get()
    assert (merged.state, merged.merged_into, merged.programme.slug) == (
        "merged",
        youth,
        "ecosoc-partnership-forum-2025",
    )
    shared = youth.asks.get(text__startswith="A youth seat")
    assert shared.also_from.count() == 1  # said by both EOIs: provenance kept
    assert set(youth.memberships.values_list("status", flat=True)) == {
        "active",
        "invited",
        "requested",
    }
    assert youth.memberships.filter(role="lead").count() == 3  # with the ECOSOC lead
    categories = set(
        Membership.objects.filter(coalition__isnull=False, organisation__isnull=False).values_list(
            "organisation__category", flat=True
        )
    )
    assert len(categories) >= 6
    assert set(
        Milestone.objects.filter(coalition__isnull=False).values_list("status", flat=True)
    ) == (set(Milestone.Status.values))
    assert AuditEntry.objects.filter(action="coalition.merge_received").count() == 2


def test_the_command_queues_no_mail_in_a_real_database(tmp_path):
    """In its own process, with the settings of `make run` (the database task queue), the
    load commits and nothing is left in the queue for the worker to mail."""
    database = tmp_path / "demo.sqlite3"
    # The settings of `make run`, with the generated files under tmp_path.
    (tmp_path / "demo_settings.py").write_text(
        "from pledgebook.settings import *  # noqa: F403\n"
        f"MEDIA_ROOT = {str(tmp_path / 'media')!r}\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")])),
        "DJANGO_SETTINGS_MODULE": "demo_settings",
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
    assert sorted(p.suffix for p in (tmp_path / "media" / "reports").iterdir()) == [
        ".csv",
        ".docx",
        ".pdf",
        ".xlsx",
    ]


# The forum (demo.forum) -----------------------------------------------------------------------

FORUM = "partnership-forum-2025"
CONFERENCE = "civil-society-conference-2024"


def local(moment, event):
    return moment.astimezone(event.zone).strftime("%Y-%m-%d %H:%M")


@pytest.mark.django_db
def test_the_forum_events_have_their_programme_of_sessions():
    load()
    now = timezone.now()
    forum = Event.objects.get(slug=FORUM)
    assert forum.programme.slug == "ecosoc-partnership-forum-2025"
    assert (forum.starts_on.isoformat(), forum.ends_on.isoformat()) == ("2025-02-05", "2025-02-05")
    assert (forum.venue, forum.time_zone) == (
        "United Nations Headquarters, New York",
        "America/New_York",
    )
    assert (forum.is_hybrid, forum.in_person_capacity, forum.is_published) == (True, 60, True)
    assert list(forum.rooms.values_list("name", "is_virtual")) == [
        ("ECOSOC Chamber", False),
        ("Conference Room 4", False),
        ("Conference Room 11", False),
        ("Conference Room 12", False),
        ("Virtual room", True),
    ]
    # The four SDG Action Segments of seed 002, each on its Goal.
    segments = forum.sessions.filter(kind="sdg_segment").order_by("starts_at")
    assert [(s.segment, list(s.goals.values_list("number", flat=True))) for s in segments] == [
        ("SDG Action Segment: Goal 3", [3]),
        ("SDG Action Segment: Goal 5", [5]),
        ("SDG Action Segment: Goal 8", [8]),
        ("SDG Action Segment: Goal 14", [14]),
    ]
    assert all(s.themes.count() == 1 for s in segments)
    opening = forum.sessions.get(title__startswith="Opening plenary")
    assert local(opening.starts_at, forum) == "2025-02-05 10:00"  # venue time
    assert opening.starts_at.astimezone(dt.UTC).hour == 15
    assert opening.speakers.count() == 3
    pitch = forum.sessions.get(kind="pitch")
    assert "Shark Tank" in pitch.description
    assert all(s.ends_at < now for s in Session.objects.all())
    # Every session has organisers who can write its summary.
    for session in Session.objects.all():
        assert session.organisers.exists(), session.title
        author = session.organisers.first()
        assert author.has_perm("forum.write_summary", session), session.title
    # Names that are also parts of ordinary words, for the de-attribution of the summary.
    speakers = set(Speaker.objects.values_list("name", flat=True))
    assert {"Ms. Mei Tan", "Dr. Omar Ali", "Mr. Kofi Ward", "Ms. Grace Young"} <= speakers
    texts = " ".join(Recommendation.objects.values_list("text", flat=True))
    assert all(word in texts for word in ("standard", "quality", "towards", "young", "bridge"))
    assert "Kofi Ward" in texts  # a recommendation names a speaker
    messages = " ".join(SessionSummary.objects.values_list("key_messages", flat=True))
    assert all(name in messages for name in ("Mei Tan", "Omar Ali", "Kofi Ward", "Bridge Partners"))

    conference = Event.objects.get(slug=CONFERENCE)
    assert conference.programme.slug == "un-civil-society-conference-2024"
    assert (conference.starts_on.isoformat(), conference.ends_on.isoformat()) == (
        "2024-05-09",
        "2024-05-10",
    )
    assert conference.time_zone == "Africa/Nairobi"
    first = conference.sessions.order_by("starts_at").first()
    assert local(first.starts_at, conference) == "2024-05-09 09:30"
    assert set(conference.sessions.values_list("themes__slug", flat=True)) == {
        t.slug for t in conference.programme.themes.all()
    }
    # Made through the schedule domain: audited.
    assert AuditEntry.objects.filter(action="session.created").count() == 24
    assert AuditEntry.objects.filter(action="event.created").count() == 2


@pytest.mark.django_db
def test_the_forum_summaries_are_submitted_late_or_missing():
    load()
    leader = get_user_model().objects.get(username="leader@demo.pledgebook.org")
    for programme in Programme.objects.filter(events__isnull=False):
        assert ForumSettings.for_programme(programme).summary_due_days == 14
    for summary in SessionSummary.objects.select_related("session"):
        assert summary.due_at == summary.session.ends_at + dt.timedelta(days=14)
        assert summary.task_sent_at == summary.session.ends_at
        if summary.status == "submitted":
            assert 2 <= summary.recommendations.count() <= 5, summary.session.title
            assert summary.key_messages
            assert summary.participants_in_person is not None
            assert summary.participation_by_category
            assert summary.submitted_by in summary.session.organisers.all()
    submitted = SessionSummary.objects.filter(status="submitted")
    assert sorted(s.session.title for s in submitted if s.is_late) == [
        "Thematic breakout: localising partnerships with Resident Coordinator Offices",
        "Workshop: open data and the Global Digital Compact",
    ]
    not_submitted = SessionSummary.objects.exclude(status="submitted").order_by("session__title")
    assert [(s.session.title, s.key_messages != "", s.submitted_at) for s in not_submitted] == [
        ("Side event: counting what matters, gender data for the 2025 HLPF", False, None),
        ("Side event: survivor-led partnerships to end gender-based violence", True, None),
    ]
    # leader@ organises the side event whose summary is still to write: a task to see.
    draft = not_submitted.get(key_messages__gt="")
    assert list(draft.session.organisers.all()) == [leader]
    assert leader.has_perm("forum.write_summary", draft.session)
    assert set(
        SummaryReminder.objects.filter(summary__in=not_submitted).values_list("kind", flat=True)
    ) == {"task", "before", "after"}
    # Commitments announced: linked to the demo's where they exist, else described.
    linked = AnnouncedCommitment.objects.exclude(commitment=None)
    assert linked.count() == 8
    assert all(a.commitment.programme == a.summary.session.event.programme for a in linked)
    described = AnnouncedCommitment.objects.filter(commitment=None)
    assert all(a.amount and a.currency and a.maker for a in described)
    assert described.exclude(contact_email="").get().prompt_sent_at is not None
    # Recommendations that say the same thing in other words, for the compilation to merge.
    templates = Recommendation.objects.filter(text__icontains="template")
    assert templates.values("summary").distinct().count() >= 3
    youth = Recommendation.objects.filter(text__icontains="youth representati")
    assert youth.values("summary").distinct().count() >= 2


@pytest.mark.django_db
def test_the_forum_has_proposals_statements_participation_and_a_consultation():
    load()
    now = timezone.now()
    forum = Event.objects.get(slug=FORUM)
    proposals = SideEventProposal.objects.filter(event=forum)
    assert dict(Counter(proposals.values_list("status", flat=True))) == {
        "accepted": 4,
        "declined": 1,
        "submitted": 1,
    }
    for proposal in proposals.filter(status="accepted"):
        assert proposal.session.kind == "side_event"
        assert proposal.co_organisers.exists()
        assert set(proposal.session.organisations.all()) == {
            proposal.organisation,
            *proposal.co_organisers.all(),
        }
    declined = proposals.get(status="declined")
    assert declined.decision_reason and declined.decided_by and declined.session is None
    pending = proposals.get(status="submitted")
    assert (pending.decided_at, pending.session) == (None, None)

    statements = Statement.objects.all()
    assert {s.session.kind for s in statements} == {"plenary"}
    assert dict(Counter(statements.values_list("status", flat=True))) == {
        "selected": 3,
        "submitted": 1,
        "declined": 1,
    }
    assert statements.get(status="declined").decision_reason

    figures = forum_figures.participation(forum)
    assert (figures.in_person, figures.online, figures.waitlisted) == (60, 33, 6)
    assert figures.in_person == forum.in_person_capacity
    assert figures.by_category.total == figures.by_region.total == figures.total == 93
    assert {key for key, *_ in figures.by_gender.rows} == {"woman", "man", "another", "unsaid", ""}
    assert len(figures.by_region.rows) >= 5
    waiting = Registration.objects.filter(event=forum, status="waitlisted")
    first_waiting = waiting.order_by("created_at").first().created_at
    assert (
        Registration.objects.filter(
            event=forum, status="registered", mode="in_person", created_at__gt=first_waiting
        ).count()
        == 0
    )
    marks = SessionMark.objects.all()
    assert marks.count() > 93
    registered = set(
        Registration.objects.filter(status="registered").values_list("user", flat=True)
    )
    assert set(marks.values_list("user", flat=True)) <= registered

    consultation = Consultation.objects.get(event=forum)
    assert not consultation.is_open(now)
    assert consultation.closes_at < forum.sessions.order_by("starts_at").first().starts_at
    assert consultation.questions.count() == 2
    assert consultation.responses.count() == 96
    # Grouped into recurring themes by the consultation's own action; every answer in one.
    themes = consultation.themes_found.all()
    assert themes.count() > 1
    assert (
        sum(t.count for t in themes)
        == Answer.objects.filter(response__consultation=consultation).count()
    )
    first_question, second_question = consultation.questions.all()
    assert first_question.answers.count() == 96
    assert 70 <= second_question.answers.count() < 96
    answers = list(Answer.objects.values_list("text", flat=True))
    assert len(set(answers)) > 60  # varied
    climate = [a for a in answers if "limate" in a or "weather" in a or "seas" in a]
    assert len(climate) >= 15  # and recurring

    # Subscribers to the digests of both programmes: one unsubscribed, one unconfirmed.
    for programme in Programme.objects.filter(events__isnull=False):
        subscribers = Subscriber.objects.filter(programme=programme)
        assert subscribers.count() > 10
        assert sum(s.is_active for s in subscribers) == subscribers.count() - 2
    assert Subscriber.objects.filter(
        programme=forum.programme, email="leader@demo.pledgebook.org"
    ).exists()
