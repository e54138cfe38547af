"""``manage.py load_demo``: three programmes from the seed documents, 26 organisations, their
applications and commitments in every state, accountability (an indicator framework, a closed
and an open reporting cycle, progress reports, the annual report of the closed cycle), coalitions
(expressions of interest, merges, coalitions in their states), and one login per role.

Every application and commitment goes through the domain functions (``apply_to_join``,
``decide_application``, ``save_draft``, ``submit_commitment``, ``start_review``, ...), and so do
reports (``reporting.domain``, see ``demo.reporting``) and coalitions (``coalitions.domain`` and
``coalitions.merge``, see ``demo.coalitions``), so the states, the permission checks and the
audit log are the real ones.  Mail is not sent: the command runs with the immediate task backend
(so texts are embedded and the annual report is generated inline) and the in-memory mail backend.

Idempotent: when the demo programmes exist, it does nothing but print the logins.
``--reset`` deletes the demo (programmes, organisations and people of the demo) and loads it
again, for example when the open registration windows have closed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.text import slugify

from pledgebook.coalitions.indexing import COALITION_KIND, EOI_KIND
from pledgebook.coalitions.models import Coalition, ExpressionOfInterest
from pledgebook.commitments import domain
from pledgebook.commitments.models import Application, CoMaker, Commitment
from pledgebook.commitments.validation import last_day
from pledgebook.core.models import AuditEntry
from pledgebook.demo import coalitions as demo_coalitions
from pledgebook.demo import data
from pledgebook.demo import forum as demo_forum
from pledgebook.demo import portal_finder as demo_portal_finder
from pledgebook.demo import portal_hub as demo_hub
from pledgebook.demo import portal_map as demo_portal_map
from pledgebook.demo import portal_pitch as demo_pitch
from pledgebook.demo import reporting as demo_reporting
from pledgebook.forum.models import CoChairsSummary
from pledgebook.forum.similar import ANSWER_KIND, RECOMMENDATION_KIND
from pledgebook.organisations import entity_types
from pledgebook.organisations.models import Organisation, Representative, all_categories
from pledgebook.programmes.models import (
    Action,
    CommitmentType,
    Programme,
    ProgrammeRole,
    Theme,
)
from pledgebook.programmes.rules import PROGRAMME_MANAGERS
from pledgebook.reference.models import Country, Currency, Goal, Region, Target
from pledgebook.reporting.models import AnnualReport, Evidence, ProgressReport
from pledgebook.similarity import engine

Status = Commitment.Status
QUIET_SETTINGS = {
    "TASKS": {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "background"],  # settings.TASK_QUEUES
        }
    },
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}
OPEN_WINDOW_STARTED_DAYS_AGO = 30
OPEN_WINDOW_CLOSES_IN_DAYS = 60


def demo_users() -> models.QuerySet[Any]:
    return get_user_model().objects.filter(username__endswith=f"@{data.DOMAIN}")


def demo_organisations() -> models.QuerySet[Organisation]:
    return Organisation.objects.filter(slug__in=[slugify(o.name) for o in data.ORGANISATIONS])


def demo_programmes() -> models.QuerySet[Programme]:
    return Programme.objects.filter(slug__in=[p.slug for p in data.PROGRAMMES])


class Command(BaseCommand):
    help = (
        "Load the demo data (programmes, organisations, applications, commitments, logins); "
        "does nothing when it is already there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo programmes, organisations and people first, then load again.",
        )

    def handle(self, *args: Any, reset: bool = False, **options: Any) -> None:
        if reset:
            self.delete()
        found = demo_programmes().count()
        if found == len(data.PROGRAMMES):
            self.stdout.write("Demo data already loaded: nothing to do (--reset loads it anew).")
        elif found:
            raise CommandError(
                "Some demo programmes exist but not all of them: "
                "run `manage.py load_demo --reset` to load the demo anew."
            )
        else:
            outbox_before = len(getattr(mail, "outbox", []))
            started = time.monotonic()
            with override_settings(**QUIET_SETTINGS), transaction.atomic():
                loader = Loader(now=timezone.now())
                loader.load()
            held = len(getattr(mail, "outbox", [])) - outbox_before
            self.stdout.write(self.style.SUCCESS("Demo data loaded:"))
            for name, number in loader.summary().items():
                self.stdout.write(f"  {name:<32} {number}")
            self.stdout.write(f"  {'mails not sent':<32} {held}")
            self.stdout.write(f"  {'seconds':<32} {time.monotonic() - started:.1f}")
            self.print_reporting(loader)
        self.print_logins()

    def print_reporting(self, loader: Loader) -> None:
        assert loader.reporting is not None
        self.stdout.write("")
        self.stdout.write(f"Reporting link of maker@ (Kestrel): {loader.reporting.maker_link}")
        report = loader.reporting.annual_report
        if loader.reporting.annual_report_note:
            self.stdout.write(self.style.WARNING(f"Note: {loader.reporting.annual_report_note}"))
        if report is not None and report.status == report.Status.DONE:
            self.stdout.write(
                f"Sample annual report ({report.cycle.programme}, {report.cycle.name}):"
            )
            for kind in ("pdf", "docx", "xlsx", "csv"):
                file = getattr(report, kind)
                if file:
                    self.stdout.write(f"  {kind:<5} {file.path}")

    def delete(self) -> None:
        files = generated_files()
        with transaction.atomic():
            forget_vectors()
            demo_portal_finder.forget(demo_programmes(), demo_organisations())
            demo_pitch.forget(demo_organisations())
            # Indicator values protect their indicators: the reports go first.
            reports = ProgressReport.objects.filter(cycle__programme__in=demo_programmes())
            # A published Co-Chairs' Summary protects its published version.
            CoChairsSummary.objects.filter(event__programme__in=demo_programmes()).update(
                published_version=None
            )
            demo_portal_map.delete(list(demo_programmes().values_list("pk", flat=True)))
            programmes = reports.delete()[0] + demo_programmes().delete()[0]
            organisations = demo_organisations().delete()[0]
            users = demo_users().delete()[0]
        storage = default_storage
        deleted = 0
        for name in files:  # once the rows are gone for good
            if storage.exists(name):
                storage.delete(name)
                deleted += 1
        self.stdout.write(
            f"Deleted the demo: {programmes + organisations + users} rows with their relations"
            f" and {deleted} generated files."
        )

    def print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {data.PASSWORD})")
        for role, login, what in data.LOGINS:
            self.stdout.write(f"  {role:<37} {login:<33} {what}")
        self.stdout.write("")


class Loader:
    """Builds the demo inside the caller's transaction; raises CommandError on bad data."""

    def __init__(self, *, now: dt.datetime) -> None:
        self.now = now
        self.today = timezone.localdate(now)
        self.password = make_password(data.PASSWORD)  # hashed once: the same for everyone
        self.users: dict[str, Any] = {}
        self.orgs: dict[str, Organisation] = {}
        self.people: dict[str, Any] = {}  # organisation key -> its representative
        self.programmes: dict[str, Programme] = {}
        self.themes: dict[tuple[str, str], Theme] = {}
        self.actions: dict[tuple[str, str], Action] = {}
        self.reporting: demo_reporting.ReportingLoader | None = None

    def load(self) -> None:
        self.load_staff()
        self.load_programmes()
        self.load_organisations()
        self.load_applications()
        self.load_commitments()
        with explained("reporting"):
            self.reporting = demo_reporting.ReportingLoader(self)
            self.reporting.load()
        with explained("coalitions"):
            demo_coalitions.CoalitionLoader(self).load()
        with explained("forum"):
            demo_forum.ForumLoader(self).load()
        with explained("partner finder"):
            demo_portal_finder.load(self)
        with explained("pitch"):
            demo_pitch.load(self)
        with explained("knowledge hub"):
            demo_hub.load(self)
        with explained("portal map"):
            demo_portal_map.load(self)

    def summary(self) -> dict[str, int]:
        rows: dict[str, int] = {
            "programmes": len(self.programmes),
            "themes": len(self.themes),
            "blueprint actions": len(self.actions),
            "organisations": len(self.orgs),
            "people": demo_users().count(),
        }
        programmes = list(self.programmes.values())
        applications = Counter(
            Application.objects.filter(programme__in=programmes).values_list("status", flat=True)
        )
        for app_status in Application.Status:
            rows[f"applications {app_status.value}"] = applications[app_status.value]
        commitments = Counter(
            Commitment.objects.filter(programme__in=programmes).values_list("status", flat=True)
        )
        for status in Status:
            rows[f"commitments {status.value}"] = commitments[status.value]
        rows.update(demo_reporting.counts(programmes))
        rows.update(demo_coalitions.counts(programmes))
        rows.update(demo_forum.counts(programmes))
        rows.update(demo_portal_finder.counts(programmes))
        rows.update(demo_pitch.counts(programmes))
        rows.update(demo_hub.counts(programmes))
        rows["audit entries"] = AuditEntry.objects.filter(programme__in=programmes).count()
        return rows

    # People and programmes ----------------------------------------------------------------

    def user(self, handle: str, first: str, last: str, **flags: bool) -> Any:
        address = data.email(handle)
        user, _created = get_user_model().objects.update_or_create(
            username=address,
            defaults={
                "email": address,
                "first_name": first,
                "last_name": last,
                "password": self.password,
                "is_active": True,
                **flags,
            },
        )
        self.users[handle] = user
        return user

    def load_staff(self) -> None:
        self.user("secretariat", "Sofía", "Martínez")
        self.user("reviewer", "Daniel", "Okoye")
        manager = self.user("programmes", "Amina", "Diallo")
        manager.groups.add(Group.objects.get(name=PROGRAMME_MANAGERS))
        self.user("admin", "Platform", "Administrator", is_staff=True, is_superuser=True)

    def load_programmes(self) -> None:
        types = {t.code: t for t in CommitmentType.objects.all()}
        for spec in data.PROGRAMMES:
            if spec.window == "open":
                opens = self.now - dt.timedelta(days=OPEN_WINDOW_STARTED_DAYS_AGO)
                closes = self.now + dt.timedelta(days=OPEN_WINDOW_CLOSES_IN_DAYS)
            else:
                assert spec.past_window is not None
                opens, closes = spec.past_window
            programme = Programme.objects.create(
                slug=spec.slug,
                name=spec.name,
                kind=spec.kind,
                summary=spec.summary,
                starts_on=spec.starts_on,
                ends_on=spec.ends_on,
                is_published=True,
                registration_opens_at=opens,
                registration_closes_at=closes,
                application_review_days=spec.review_days,
                leader_min_years=spec.leader_years[0],
                leader_max_years=spec.leader_years[1],
                maker_min_years=spec.maker_years[0],
                maker_max_years=spec.maker_years[1],
                reporting_cycle=spec.reporting_cycle,
                # Generation Equality shows the categories of its FAQ (seed 001 section 17).
                stakeholder_categories=(
                    entity_types.categories_of("seed_001")
                    if spec.kind == Programme.Kind.ACTION_COALITIONS
                    else all_categories()
                ),
            )
            programme.commitment_types.set([types[code] for code in spec.types])
            self.programmes[spec.key] = programme
            for position, theme_spec in enumerate(spec.themes):
                theme = Theme.objects.create(
                    programme=programme,
                    slug=theme_spec.slug,
                    name=theme_spec.name,
                    description=theme_spec.description,
                    position=position,
                )
                theme.goals.set(lookup(Goal.objects, "number", theme_spec.goals))
                self.themes[spec.key, theme_spec.slug] = theme
                for number, (code, title, text) in enumerate(theme_spec.actions):
                    self.actions[spec.key, code] = Action.objects.create(
                        theme=theme, code=code, title=title, description=text, position=number
                    )
            ProgrammeRole.objects.create(
                programme=programme,
                user=self.users["secretariat"],
                role=ProgrammeRole.Role.SECRETARIAT,
            )
        ProgrammeRole.objects.create(
            programme=self.programmes["ge"],
            user=self.users["reviewer"],
            role=ProgrammeRole.Role.REVIEWER,
        )

    def load_organisations(self) -> None:
        for spec in data.ORGANISATIONS:
            organisation = Organisation.objects.create(
                name=spec.name,
                slug=slugify(spec.name),
                category=spec.category,
                country=Country.objects.get(iso2=spec.country),
                website=spec.website,
                description=spec.description,
                is_grassroots=spec.grassroots,
            )
            self.orgs[spec.key] = organisation
            person = self.user(*spec.person)
            Representative.objects.create(organisation=organisation, user=person, is_admin=True)
            self.people[spec.key] = person

    # Applications and commitments ----------------------------------------------------------

    def load_applications(self) -> None:
        for spec in data.APPLICATIONS:
            themes = [self.themes[spec.programme, slug] for slug in spec.themes]
            submitted = spec.at or self.now - dt.timedelta(days=spec.days_ago)
            with explained(f"application of {spec.org} to {spec.themes}"):
                applications = domain.apply_to_join(
                    actor=self.people[spec.org],
                    organisation=self.orgs[spec.org],
                    themes=themes,
                    role=spec.role,
                    motivation=spec.motivation,
                    now=submitted,
                )
                if spec.outcome == "pending":
                    continue
                for application in applications:
                    domain.decide_application(
                        actor=self.users["secretariat"],
                        application=application,
                        approve=spec.outcome == "approved",
                        reason=spec.reason,
                    )

    def reviewer_of(self, programme: Programme) -> Any:
        if programme == self.programmes["ge"]:
            return self.users["reviewer"]
        return self.users["secretariat"]

    def load_commitments(self) -> None:
        for spec in data.COMMITMENTS:
            with explained(f"commitment {spec.title!r}"):
                commitment = self.draft(spec)
                self.advance(spec, commitment)
            if commitment.status != spec.status:  # pragma: no cover - a bug in this file
                raise CommandError(f"{spec.title!r} ended {commitment.status}, not {spec.status}")

    def draft(self, spec: data.CommitmentSpec) -> Commitment:
        programme = self.programmes[spec.programme]
        starts_on = ends_on = None
        if spec.years is not None:
            starts_on = spec.starts_on or dt.date(self.today.year + spec.starts_in, 1, 1)
            ends_on = last_day(starts_on, spec.years)
        currency = Currency.objects.get(pk=spec.currency) if spec.currency else None
        commitment = Commitment(
            programme=programme,
            organisation=self.orgs[spec.org],
            title=spec.title,
            description=spec.description,
            scope=spec.scope,
            starts_on=starts_on,
            ends_on=ends_on,
            amount=Decimal(spec.amount) if spec.amount else None,
            currency=currency,
            funds_are_new=spec.funds_are_new,
            endorsement_level=spec.endorsement,
            is_conditional=bool(spec.condition),
            condition=spec.condition,
        )
        domain.save_draft(
            actor=self.people[spec.org],
            commitment=commitment,
            co_makers=[self.orgs[key] for key, _confirmed in spec.co_makers],
            types=lookup(CommitmentType.objects, "code", spec.types),
            themes=[self.themes[spec.programme, slug] for slug in spec.themes],
            actions=[self.actions[spec.programme, code] for code in spec.actions],
            goals=lookup(Goal.objects, "number", spec.goals),
            targets=lookup(Target.objects, "code", spec.targets),
            countries=lookup(Country.objects, "iso2", spec.countries),
            regions=lookup(Region.objects, "m49", spec.regions),
        )
        for key, confirmed in spec.co_makers:
            if confirmed:
                domain.confirm_co_maker(
                    actor=self.people[key],
                    co_maker=CoMaker.objects.get(
                        commitment=commitment, organisation=self.orgs[key]
                    ),
                )
        return commitment

    def advance(self, spec: data.CommitmentSpec, commitment: Commitment) -> None:
        if spec.status == Status.DRAFT:
            return
        domain.submit_commitment(
            actor=self.people[spec.org], commitment=commitment, now=spec.submitted_at
        )
        if spec.status == Status.SUBMITTED:
            return
        reviewer = self.reviewer_of(commitment.programme)
        domain.start_review(actor=reviewer, commitment=commitment)
        if spec.status == Status.RETURNED:
            domain.return_for_revision(actor=reviewer, commitment=commitment, reason=spec.reason)
        elif spec.status == Status.DECLINED:
            domain.decline_commitment(actor=reviewer, commitment=commitment, reason=spec.reason)
        elif spec.status in (Status.CONFIRMED, Status.FEATURED):
            domain.confirm_commitment(actor=reviewer, commitment=commitment)
            if spec.status == Status.FEATURED:
                domain.feature_commitment(actor=self.users["secretariat"], commitment=commitment)


def generated_files() -> list[str]:
    """The files the demo generated (annual reports, uploaded evidence): the deletion of the
    programmes leaves them behind in MEDIA_ROOT."""
    programmes = demo_programmes()
    names: set[str] = set()
    for report in AnnualReport.objects.filter(cycle__programme__in=programmes):
        names.update(f.name for f in (report.pdf, report.docx, report.xlsx, report.csv) if f)
    for evidence in Evidence.objects.filter(report__cycle__programme__in=programmes):
        if evidence.file:
            names.add(evidence.file.name)
    return sorted(names)


def forget_vectors() -> None:
    """Remove the similarity vectors of the demo's expressions of interest, coalitions, forum
    recommendations and consultation answers (kept by kind and id, not by foreign key, so the
    deletion of the programmes leaves them)."""
    programmes = demo_programmes()
    for pk in ExpressionOfInterest.objects.filter(programme__in=programmes).values_list(
        "pk", flat=True
    ):
        engine.remove(EOI_KIND, pk)
    for pk in Coalition.objects.filter(programme__in=programmes).values_list("pk", flat=True):
        engine.remove(COALITION_KIND, pk)
    demo_hub.forget_vectors(programmes)
    recommendations, answers = demo_forum.recommendation_and_answer_ids(programmes)
    for pk in recommendations:
        engine.remove(RECOMMENDATION_KIND, pk)
    for pk in answers:
        engine.remove(ANSWER_KIND, pk)


def lookup(manager: Any, field: str, values: Iterable[Any]) -> list[Any]:
    """The rows whose ``field`` is one of ``values``, failing loudly on a typo."""
    wanted = list(values)
    rows = list(manager.filter(**{f"{field}__in": wanted}))
    missing = set(wanted) - {getattr(row, field) for row in rows}
    if missing:
        raise CommandError(f"Unknown {manager.model.__name__} {field}: {sorted(missing)}")
    return rows


@contextmanager
def explained(what: str) -> Iterator[None]:
    """Turn a refusal of a domain function into a CommandError naming the item."""
    try:
        yield
    except ValidationError as error:
        raise CommandError(f"Demo data rejected for {what}: {error.messages}") from error
    except PermissionDenied as error:
        raise CommandError(f"Demo data not permitted for {what}") from error
