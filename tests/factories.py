"""factory_boy factories for the whole suite."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from pledgebook.commitments.models import Application, Commitment, EndorsementLevel
from pledgebook.forum.models import (
    CoChairsSummary,
    Event,
    Recommendation,
    Room,
    Session,
    SessionSummary,
    SummaryVersion,
)
from pledgebook.organisations.models import Category, Organisation, Representative
from pledgebook.programmes.models import (
    Action,
    CommitmentType,
    Programme,
    ProgrammeRole,
    Theme,
)
from pledgebook.reference.models import Country


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}@example.org")
    email = factory.SelfAttribute("username")
    password = factory.django.Password("correct horse battery staple")
    is_active = True


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"programme-{n}")
    name = factory.Sequence(lambda n: f"Programme {n}")
    kind = Programme.Kind.ACTION_COALITIONS
    is_published = True

    @factory.post_generation
    def commitment_types(self, create, extracted, **kwargs):
        if create:
            self.commitment_types.set(extracted or CommitmentType.objects.all())


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    programme = factory.SubFactory(ProgrammeFactory)
    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Theme {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    theme = factory.SubFactory(ThemeFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    title = factory.Sequence(lambda n: f"Action {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    category = Category.CIVIL_SOCIETY
    country = factory.LazyFunction(lambda: Country.objects.get(iso2="KE"))


def representative(organisation: Organisation, user=None, *, admin: bool = True):
    user = user or UserFactory()
    Representative.objects.create(organisation=organisation, user=user, is_admin=admin)
    return user


def staff(programme: Programme, role: str = ProgrammeRole.Role.SECRETARIAT):
    user = UserFactory()
    ProgrammeRole.objects.create(programme=programme, user=user, role=role)
    return user


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    theme = factory.SubFactory(ThemeFactory)
    programme = factory.SelfAttribute("theme.programme")
    organisation = factory.SubFactory(OrganisationFactory)
    submitted_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(lambda o: o.submitted_at + dt.timedelta(days=21))


def member_of(theme: Theme, *, role: str = Application.Role.MAKER, organisation=None):
    """A user representing an organisation approved in ``theme``."""
    organisation = organisation or OrganisationFactory()
    ApplicationFactory(
        theme=theme, organisation=organisation, role=role, status=Application.Status.APPROVED
    )
    return representative(organisation)


class CommitmentFactory(factory.django.DjangoModelFactory):
    """A complete commitment (valid for submission) in ``theme`` (created if not given)."""

    class Meta:
        model = Commitment

    theme = factory.SubFactory(ThemeFactory)
    programme = factory.SelfAttribute("theme.programme")
    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Train 500 women entrepreneurs in digital skills {n}")
    description = (
        "We will train 500 women entrepreneurs in digital and financial skills across three "
        "regions of Kenya by 2027, with local partners and a public dashboard of results."
    )
    # Three calendar years around today (last year to next year), so that it runs during any
    # reporting cycle a test opens near today, whatever today is: a test about given dates
    # gives them itself.
    starts_on = factory.LazyFunction(lambda: dt.date(timezone.localdate().year - 1, 1, 1))
    ends_on = factory.LazyFunction(lambda: dt.date(timezone.localdate().year + 1, 12, 31))
    endorsement_level = EndorsementLevel.EXECUTIVE
    status = Commitment.Status.DRAFT

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs.pop("theme")
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        theme = kwargs.pop("theme")
        commitment = super()._create(model_class, *args, **kwargs)
        commitment.themes.set([theme])
        commitment.types.set(CommitmentType.objects.filter(code="programmatic"))
        commitment.countries.set(Country.objects.filter(iso2="KE"))
        return commitment


# Forum ---------------------------------------------------------------------------------------
# An event ran over three days, ending yesterday (relative to the clock, so any test date works);
# its sessions end before now unless a test gives their times.


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    programme = factory.SubFactory(ProgrammeFactory, kind=Programme.Kind.PARTNERSHIP_FORUM)
    slug = factory.Sequence(lambda n: f"event-{n}")
    name = factory.Sequence(lambda n: f"Forum {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=2))
    venue = "United Nations Headquarters, New York"
    time_zone = "America/New_York"
    is_published = True


def upcoming_event(**kwargs):
    """An event still to come (in a month, three days), which takes registrations and
    side-event proposals."""
    first = timezone.localdate() + dt.timedelta(days=30)
    return EventFactory(**{"starts_on": first, "ends_on": first + dt.timedelta(days=2), **kwargs})


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Conference Room {n}")
    capacity = 200


def _session_start(session) -> dt.datetime:
    event = session.event
    return dt.datetime.combine(event.starts_on, dt.time(10, 0), tzinfo=event.zone)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    kind = Session.Kind.PLENARY
    title = factory.Sequence(lambda n: f"Session {n}")
    starts_at = factory.LazyAttribute(_session_start)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1, minutes=30))

    @factory.post_generation
    def organisers(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisers.set(extracted)

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.set(extracted)


class SessionSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSummary

    session = factory.SubFactory(SessionFactory)
    due_at = factory.LazyAttribute(lambda o: o.session.ends_at + dt.timedelta(days=14))


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    summary = factory.SubFactory(SessionSummaryFactory)
    text = factory.Sequence(lambda n: f"Recommendation number {n} of the session.")
    position = factory.Sequence(int)


# Co-Chairs' Summary (forum/domain/cochairs.py) -------------------------------------------


def cochairs_content(recommendations=(), *, merged=()):
    """A realistic version's content: an introduction, a segment section whose points come
    from ``recommendations`` (one point each; two points "p1", "p2" written by an editor
    when none are given) then a point "m1" ``merged`` from several (when given), and a
    section of consultation themes."""
    points = [
        {
            "id": f"r{r.pk}",
            "text": r.text,
            "sources": [{"kind": "recommendation", "id": r.pk}],
            "merged": False,
        }
        for r in recommendations
    ]
    if not points:
        points = [
            {
                "id": "p1",
                "text": "Put partnerships with local governments at the centre of SDG 6 delivery.",
                "sources": [],
                "merged": False,
            },
            {
                "id": "p2",
                "text": "Publish open data on water utility performance every year.",
                "sources": [],
                "merged": False,
            },
        ]
    if merged:
        points.append(
            {
                "id": "m1",
                "text": "Scale up blended finance for local water utilities, with public "
                "guarantees that lower the cost of capital.",
                "sources": [{"kind": "recommendation", "id": r.pk} for r in merged],
                "merged": True,
            }
        )
    return {
        "introduction": "The Forum brought together governments, the United Nations system "
        "and stakeholders to accelerate the 2030 Agenda.\n\nThis summary presents the "
        "outcomes collectively and without attribution.",
        "sections": [
            {
                "key": "segment-water",
                "title": "SDG Action Segment: clean water and sanitation",
                "kind": "segment",
                "points": points,
            },
            {
                "key": "consultation",
                "title": "What the global consultation said",
                "kind": "consultation",
                "points": [
                    {
                        "id": "c1",
                        "text": "Respondents asked for simpler access to climate finance.",
                        "sources": [{"kind": "consultation_theme", "id": 1}],
                        "merged": False,
                    }
                ],
            },
        ],
    }


class CoChairsSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoChairsSummary

    event = factory.SubFactory(EventFactory)
    title = factory.LazyAttribute(lambda o: f"Co-Chairs' Summary of the {o.event.name}")


class SummaryVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SummaryVersion

    summary = factory.SubFactory(CoChairsSummaryFactory)
    number = factory.LazyAttribute(
        lambda o: (
            (o.summary.versions.order_by("-number").values_list("number", flat=True).first() or 0)
            + 1
        )
    )
    content = factory.LazyFunction(cochairs_content)
    note = "First draft compiled."
