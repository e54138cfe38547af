"""The public pages: what anyone sees, what nobody outside sees, and scoping by programme."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from pledgebook.commitments import assessment
from pledgebook.commitments.models import (
    Application,
    AssessmentOverride,
    CoMaker,
    Commitment,
    EndorsementLevel,
    GeographicScope,
)
from pledgebook.programmes.models import ProgrammeRole
from pledgebook.public.views import registration_state
from pledgebook.reference.models import Country, Currency, Goal, Region, Target
from tests import factories
from tests.public.util import commitment_in

pytestmark = pytest.mark.django_db

S = Commitment.Status
UTC = dt.UTC


def url(name: str, **kwargs) -> str:
    return reverse(f"public:{name}", kwargs=kwargs)


def commitment_url(c: Commitment) -> str:
    return url("commitment", pk=c.pk)


def ids(items) -> set[int]:
    return {i.pk for i in items}


# Home and programmes -----------------------------------------------------------------------


def test_home_counts_and_featured(client, programme, theme):
    public_a = commitment_in(theme, status=S.FEATURED, decided_at=timezone.now())
    public_a.countries.set(Country.objects.filter(iso2__in=["KE", "UG"]))
    public_b = commitment_in(theme, organisation=public_a.organisation)  # same organisation
    public_b.countries.set(Country.objects.filter(iso2__in=["KE", "FR"]))
    co_maker = factories.OrganisationFactory()
    CoMaker.objects.create(commitment=public_b, organisation=co_maker, confirmed_at=timezone.now())
    CoMaker.objects.create(commitment=public_b, organisation=factories.OrganisationFactory())
    draft = commitment_in(theme, status=S.DRAFT)
    draft.countries.set(Country.objects.filter(iso2="MX"))
    hidden = factories.ProgrammeFactory(is_published=False, name="Secret forum")
    commitment_in(factories.ThemeFactory(programme=hidden), status=S.FEATURED)

    response = client.get(url("home"))

    assert response.status_code == 200
    # Public commitments a and b; their lead and the confirmed co-maker; Kenya, Uganda, France.
    assert response.context["counts"] == {"commitments": 2, "organisations": 2, "countries": 3}
    assert [c.pk for c in response.context["featured"]] == [public_a.pk]
    assert list(response.context["programmes"]) == [programme]
    assertContains(response, f'action="{url("directory")}"')
    assertContains(response, '<input type="search" id="home-q" name="q">', html=True)
    assertNotContains(response, "Secret forum")


def test_programmes_list_shows_published_programmes_with_counts(client, programme, theme):
    factories.ThemeFactory(programme=programme)
    commitment_in(theme)
    commitment_in(theme, status=S.SUBMITTED)
    factories.ProgrammeFactory(is_published=False, name="Secret forum")

    response = client.get(url("programmes"))

    assert response.status_code == 200
    [(shown, registration)] = response.context["items"]
    assert shown == programme
    assert (shown.n_themes, shown.n_commitments) == (2, 1)
    assert registration.startswith("Registration open until ")
    assertNotContains(response, "Secret forum")


OPENS = dt.datetime(2021, 5, 21, tzinfo=UTC)
CLOSES = dt.datetime(2021, 6, 20, tzinfo=UTC)  # the window is [opens, closes)


@pytest.mark.parametrize(
    ("now", "text"),
    [
        (
            dt.datetime(2021, 5, 1, tzinfo=UTC),
            "Registration not yet open: it opens on 21 May 2021.",
        ),
        (OPENS, "Registration open until 19 June 2021."),
        (CLOSES - dt.timedelta(seconds=1), "Registration open until 19 June 2021."),
        (CLOSES, "Registration closed on 19 June 2021."),
    ],
)
def test_registration_state_in_words(now, text):
    p = factories.ProgrammeFactory(registration_opens_at=OPENS, registration_closes_at=CLOSES)
    assert registration_state(p, now=now) == text


def test_registration_state_without_a_window():
    p = factories.ProgrammeFactory(registration_opens_at=None, registration_closes_at=None)
    assert registration_state(p) == "No registration window has been announced."


def test_programme_page(client, programme, theme):
    programme.summary = "Five years of action for gender equality."
    programme.registration_closes_at = dt.datetime(2100, 1, 1, tzinfo=UTC)
    programme.save()
    other_theme = factories.ThemeFactory(programme=programme, name="Zero hunger")
    factories.member_of(theme, role=Application.Role.LEADER)
    factories.member_of(theme)
    factories.member_of(theme)
    factories.member_of(other_theme, role=Application.Role.LEADER)
    factories.ApplicationFactory(theme=theme, status=Application.Status.PENDING)
    factories.ApplicationFactory(theme=theme, status=Application.Status.DECLINED)
    commitment_in(theme)
    commitment_in(theme, status=S.FEATURED)
    commitment_in(theme, status=S.DRAFT)
    commitment_in(theme, status=S.DECLINED)

    response = client.get(programme.get_absolute_url())

    assert response.status_code == 200
    rows = [(t.pk, t.n_leaders, t.n_makers, t.n_commitments) for t in response.context["themes"]]
    assert rows == [(theme.pk, 1, 2, 2), (other_theme.pk, 1, 0, 0)]
    assertContains(response, "Registration open until 31 December 2099.")
    assertContains(response, "Five years of action for gender equality.")
    assertContains(response, f'href="{theme.get_absolute_url()}"')


# Visibility --------------------------------------------------------------------------------


@pytest.fixture
def stranger(client):
    """A logged-in user with no tie to anything."""
    user = factories.UserFactory()
    client.force_login(user)
    return user


@pytest.fixture(params=["anonymous", "stranger"])
def outsider(request, client):
    if request.param == "stranger":
        client.force_login(factories.UserFactory())
    return client


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.RETURNED, S.DECLINED])
def test_non_public_commitment_is_404_to_outsiders(outsider, theme, status):
    c = commitment_in(theme, status=status)
    assert outsider.get(commitment_url(c)).status_code == 404


def test_commitment_of_unpublished_programme_is_404_to_outsiders(outsider):
    hidden = factories.ThemeFactory(programme=factories.ProgrammeFactory(is_published=False))
    c = commitment_in(hidden, status=S.FEATURED)
    assert outsider.get(commitment_url(c)).status_code == 404


def test_unpublished_programme_and_its_themes_are_404(outsider):
    hidden = factories.ThemeFactory(programme=factories.ProgrammeFactory(is_published=False))
    assert outsider.get(hidden.programme.get_absolute_url()).status_code == 404
    assert outsider.get(hidden.get_absolute_url()).status_code == 404


def test_theme_under_another_programmes_slug_is_404(client, theme):
    other = factories.ProgrammeFactory()
    assert client.get(url("theme", programme=other.slug, theme=theme.slug)).status_code == 404


def test_unknown_objects_are_404(client):
    assert client.get(url("programme", programme="nope")).status_code == 404
    assert client.get(url("commitment", pk=999999)).status_code == 404
    assert client.get(url("organisation", slug="nope")).status_code == 404


NON_PUBLIC = [S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.RETURNED, S.DECLINED]


def _person(role: str, c: Commitment):
    """A person with ``role`` towards commitment ``c``."""
    programme = c.programme
    if role == "maker":
        return factories.representative(c.organisation)
    if role == "co-maker":
        co_org = factories.OrganisationFactory()
        CoMaker.objects.create(commitment=c, organisation=co_org, confirmed_at=timezone.now())
        return factories.representative(co_org)
    if role == "reviewer":
        return factories.staff(programme, ProgrammeRole.Role.REVIEWER)
    if role == "secretariat":
        return factories.staff(programme, ProgrammeRole.Role.SECRETARIAT)
    assert role == "superuser"
    return factories.UserFactory(is_superuser=True, is_staff=True)


ROLES = ["maker", "co-maker", "reviewer", "secretariat", "superuser"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", NON_PUBLIC)
def test_the_public_page_of_a_non_public_commitment_is_404_to_everyone(client, theme, role, status):
    """As the reviewer, GET /commitments/<a draft's id>/ answered 200 with the draft.  The
    public page shows public statuses only; drafts are read in the workspace, submitted ones
    in the console."""
    c = commitment_in(theme, status=status, title="Not for the public page")
    client.force_login(_person(role, c))
    before = Commitment.objects.values().get(pk=c.pk)

    response = client.get(commitment_url(c))

    assert response.status_code == 404
    assertNotContains(response, "Not for the public page", status_code=404)
    assert Commitment.objects.values().get(pk=c.pk) == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", [S.CONFIRMED, S.FEATURED])
def test_the_public_page_of_a_public_commitment_is_for_everyone(client, theme, role, status):
    c = commitment_in(theme, status=status, title="For everyone")
    client.force_login(_person(role, c))
    assertContains(client.get(commitment_url(c)), "For everyone")
    client.logout()
    assertContains(client.get(commitment_url(c)), "For everyone")


@pytest.mark.parametrize(("role", "expected"), [*((r, 200) for r in ROLES), ("stranger", 404)])
def test_a_public_commitment_of_an_unpublished_programme_is_for_its_people_only(
    client, role, expected
):
    hidden = factories.ThemeFactory(programme=factories.ProgrammeFactory(is_published=False))
    c = commitment_in(hidden, status=S.CONFIRMED)
    person = factories.UserFactory() if role == "stranger" else _person(role, c)
    client.force_login(person)
    assert client.get(commitment_url(c)).status_code == expected


# Commitment page ---------------------------------------------------------------------------


@pytest.fixture
def rich(theme):
    """A public, financial, collective, conditional commitment with SDGs and an override."""
    action = factories.ActionFactory(theme=theme, code="A1", title="Fund women's cooperatives")
    c = commitment_in(
        theme,
        title="Fund 200 women-led cooperatives in East Africa by 2028",
        amount=Decimal("1500000.00"),
        currency=Currency.objects.get(code="USD"),
        funds_are_new=True,
        endorsement_level=EndorsementLevel.MINISTER,
        is_conditional=True,
        condition="Parliament's approval of the 2026 budget",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2028, 12, 31),
    )
    c.types.set(c.programme.commitment_types.filter(code="financial"))
    c.actions.set([action])
    c.goals.set(Goal.objects.filter(number__in=[5, 8]))
    c.targets.set(Target.objects.filter(code__in=["5.5", "8.3"]))
    c.countries.set(Country.objects.filter(iso2__in=["KE", "UG"]))
    confirmed = factories.OrganisationFactory(name="Confirmed Partner")
    pending = factories.OrganisationFactory(name="Pending Partner")
    CoMaker.objects.create(commitment=c, organisation=confirmed, confirmed_at=timezone.now())
    CoMaker.objects.create(commitment=c, organisation=pending)
    AssessmentOverride.objects.create(
        commitment=c, criterion="impact", met=True, note="Reaches 12 000 women: transformative."
    )
    return c


def test_commitment_page_shows_every_field(client, rich):
    response = client.get(commitment_url(rich))

    assert response.status_code == 200
    body = response.content.decode()
    for text in [
        "Fund 200 women-led cooperatives in East Africa by 2028",
        f'href="{rich.organisation.get_absolute_url()}"',
        "Confirmed Partner",
        "Financial",
        f'href="{rich.themes.get().get_absolute_url()}"',
        "A1 Fund women&#x27;s cooperatives",
        "SDG 5: Achieve gender equality and empower all women and girls",
        "Target 5.5:",
        "Target 8.3:",
        "Kenya, Uganda",
        "National or local (named countries)",
        "1 January 2026 to 31 December 2028",
        "1,500,000 USD",
        "US Dollar",
        "Yes: new and additional funds",
        "Minister or head of organisation",
        "Yes, conditional on: Parliament&#x27;s approval of the 2026 budget",
        "Confirmed",
        "Reaches 12 000 women: transformative.",
        f'href="{url("assessment_rules")}"',
    ]:
        assert text in body, text
    assertNotContains(response, "Pending Partner")
    assertNotContains(response, "Advice")


def test_commitment_assessment_for_the_public(client, rich):
    response = client.get(commitment_url(rich))

    result = response.context["assessment"]
    assert [(r.key, r.computed, r.met, r.override_note) for r in result.criteria] == [
        ("impact", True, True, "Reaches 12 000 women: transformative."),
        ("funding", True, True, ""),
        ("endorsement", True, True, ""),
        ("collective", True, True, ""),
        ("smart", True, True, ""),
    ]
    assertContains(response, "Strong commitment: 5 of 5 criteria met.")
    assertContains(response, "Judged by a reviewer (computed: met)")
    # Each criterion says why, in the commitment's own words.
    assertContains(response, "Target “200 women”; it ends on 31 December 2028.")


def test_commitment_page_for_its_maker_shows_pending_co_makers_and_advice(client, rich):
    client.force_login(factories.representative(rich.organisation))
    response = client.get(commitment_url(rich))
    assert [m.organisation.name for m in response.context["co_makers"]] == [
        "Confirmed Partner",
        "Pending Partner",
    ]
    assertContains(response, "not confirmed yet")
    assertContains(response, '<th scope="col">Advice</th>', html=True)


def test_commitment_page_money_and_unmet_criteria(client, theme):
    c = commitment_in(
        theme,
        title="Support women",
        description="We support women and girls everywhere.",
        endorsement_level=EndorsementLevel.PROGRAMME,
        amount=Decimal("2500.50"),
        currency=Currency.objects.get(code="EUR"),
    )
    c.types.set(c.programme.commitment_types.filter(code="financial"))
    response = client.get(commitment_url(c))
    assertContains(response, "2,500.50 EUR")
    assertContains(response, "Not stated")  # funds_are_new is unknown
    assertContains(response, "No: the commitment is unconditional")
    met = {r.key: r.met for r in response.context["assessment"].criteria}
    # An amount is stated (its newness unknown): funding is met; nothing else is.
    assert met == {
        "impact": False,
        "funding": True,
        "endorsement": False,
        "collective": False,
        "smart": False,
    }
    assertContains(response, "Needs work: 1 of 5 criteria met.")


# Theme page and programme scoping ---------------------------------------------------------


@pytest.fixture
def twins():
    """Programmes A and B, each with a theme "Education" (same slug), an action "E1", members
    and commitments with the same names."""
    out = {}
    for key in ("a", "b"):
        p = factories.ProgrammeFactory(slug=f"forum-{key}", name=f"Forum {key.upper()}")
        t = factories.ThemeFactory(programme=p, slug="education", name="Education")
        action = factories.ActionFactory(theme=t, code="E1", title="Teach every girl")
        leader = factories.OrganisationFactory(name=f"Leader {key}")
        maker = factories.OrganisationFactory(name=f"Maker {key}")
        factories.member_of(t, role=Application.Role.LEADER, organisation=leader)
        factories.member_of(t, organisation=maker)
        factories.ApplicationFactory(
            theme=t, organisation=factories.OrganisationFactory(), status="pending"
        )
        public = commitment_in(t, title="Schools for all", organisation=maker)
        public.actions.set([action])
        featured = commitment_in(t, title="Schools for all", status=S.FEATURED)
        featured.actions.set([action])
        commitment_in(t, title="Schools for all", status=S.DRAFT).actions.set([action])
        out[key] = {
            "programme": p,
            "theme": t,
            "action": action,
            "leader": leader,
            "maker": maker,
            "commitments": {public.pk, featured.pk},
        }
    return out


def test_theme_page_lists_only_its_programmes_data(client, twins):
    a, b = twins["a"], twins["b"]

    response = client.get(url("theme", programme="forum-a", theme="education"))

    assert response.status_code == 200
    ctx = response.context
    assert ctx["theme"] == a["theme"]
    assert ids(ctx["page_obj"].object_list) == a["commitments"]
    assert [m.organisation for m in ctx["leaders"]] == [a["leader"]]
    assert [m.organisation for m in ctx["makers"]] == [a["maker"]]
    assert [(x.pk, x.n_commitments) for x in ctx["actions"]] == [(a["action"].pk, 2)]
    for pk in b["commitments"]:
        assertNotContains(response, f'href="{url("commitment", pk=pk)}"')
    assertNotContains(response, "Leader b")
    assertNotContains(response, "Maker b")


def test_theme_page_shows_members_and_sdgs(client, theme):
    theme.description = "Ending gender-based violence."
    theme.save()
    theme.goals.set(Goal.objects.filter(number__in=[5, 16]))
    leader = factories.OrganisationFactory(name="Ministry of Gender", category="member_state")
    factories.member_of(theme, role=Application.Role.LEADER, organisation=leader)

    response = client.get(theme.get_absolute_url())

    assertContains(response, "Ending gender-based violence.")
    assertContains(response, "SDG 5: Achieve gender equality and empower all women and girls")
    assertContains(response, "SDG 16: Promote peaceful")
    assertContains(
        response,
        f'<tr><th scope="row"><a href="{leader.get_absolute_url()}">Ministry of Gender</a></th>'
        "<td>Member State (national government)</td><td>Kenya</td></tr>",
        html=True,
    )
    assertContains(response, "No commitment maker yet.")


def test_theme_page_paginates_commitments(client, theme):
    made = [commitment_in(theme).pk for _ in range(27)]
    first = client.get(theme.get_absolute_url())
    second = client.get(theme.get_absolute_url(), {"page": 2})
    assert len(first.context["page_obj"].object_list) == 25
    assert len(second.context["page_obj"].object_list) == 2
    shown = ids(first.context["page_obj"].object_list) | ids(second.context["page_obj"].object_list)
    assert shown == set(made)
    assertContains(first, '<a href="?page=2" rel="next">Next page</a>', html=True)


def test_commitment_table_says_where_each_commitment_acts(client, theme):
    both = commitment_in(theme, title="Both")  # the factory names Kenya
    both.regions.set(Region.objects.filter(m49="202"))
    regional = commitment_in(theme, title="Regional", scope=GeographicScope.REGIONAL)
    regional.countries.clear()
    regional.regions.set(Region.objects.filter(m49__in=["002", "202"]).order_by("m49"))
    worldwide = commitment_in(theme, title="Worldwide", scope=GeographicScope.GLOBAL)
    worldwide.countries.clear()
    unnamed = commitment_in(theme, title="Unnamed", scope=GeographicScope.NATIONAL)
    unnamed.countries.clear()

    response = client.get(theme.get_absolute_url())

    row = r'<a href="/commitments/\d+/">(\w+)</a>.*?<td data-label="Where">([^<]*)</td>'

    cells = dict(re.findall(row, response.content.decode(), flags=re.S))
    assert cells == {
        "Both": "Kenya; Sub-Saharan Africa",
        "Regional": "Africa, Sub-Saharan Africa",
        "Worldwide": "Global",
        "Unnamed": "Not stated",
    }


# Organisation page -------------------------------------------------------------------------


def test_organisation_page(client, programme, theme):
    org = factories.OrganisationFactory(name="Girls Not Brides", category="civil_society")
    factories.member_of(theme, organisation=org)
    other_theme = factories.ThemeFactory(programme=programme, name="Climate justice")
    factories.ApplicationFactory(theme=other_theme, organisation=org, status="pending")
    hidden = factories.ThemeFactory(programme=factories.ProgrammeFactory(is_published=False))
    factories.ApplicationFactory(theme=hidden, organisation=org, status="approved")
    led = commitment_in(theme, organisation=org)
    commitment_in(theme, organisation=org, status=S.DRAFT)
    co = commitment_in(theme)
    CoMaker.objects.create(commitment=co, organisation=org, confirmed_at=timezone.now())
    unconfirmed = commitment_in(theme)
    CoMaker.objects.create(commitment=unconfirmed, organisation=org)
    draft_co = commitment_in(theme, status=S.DRAFT)
    CoMaker.objects.create(commitment=draft_co, organisation=org, confirmed_at=timezone.now())

    response = client.get(org.get_absolute_url())

    assert response.status_code == 200
    assert [m.theme for m in response.context["memberships"]] == [theme]
    assert ids(response.context["led"]) == {led.pk}
    assert ids(response.context["co_commitments"]) == {co.pk}
    assertContains(response, "Girls Not Brides")
    assertContains(response, "Non-governmental or civil society organisation")
    assertContains(response, "Kenya")
    assertContains(response, "Africa (Sub-Saharan Africa)")


# Rules page --------------------------------------------------------------------------------


def test_rules_page_is_generated_from_the_assessment_module(client):
    response = client.get(url("assessment_rules"))
    assert response.status_code == 200
    for label in assessment.CRITERIA.values():
        assertContains(response, f"{label}</h3>")
    for checks in assessment.CHECKS.values():
        for check in checks:
            assertContains(response, str(check).replace("'", "&#x27;"))
    for categories, levels, _who in assessment.ladder_rows():
        assertContains(response, "; ".join(categories).replace("'", "&#x27;"))
        assertContains(response, "; ".join(levels))
    assertContains(response, "The chief executive or the board")
    assert response.context["bands"] == [
        (5, 5, "Strong commitment"),
        (3, 4, "Good, can be strengthened"),
        (0, 2, "Needs work"),
    ]
    assert [(s["label"], s["public"]) for s in response.context["statuses"]] == [
        (str(status.label), status in Commitment.PUBLIC_STATUSES) for status in Commitment.Status
    ]
    # Every criterion is explained: a new criterion without an explanation fails here.
    assert all(c["definition"] and c["checks"] for c in response.context["criteria"])
