"""Drafting, editing and submitting commitments from the workspace; co-makers; assessment."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pledgebook.commitments import domain
from pledgebook.commitments.models import Application, CoMaker, Commitment
from pledgebook.core.models import AuditEntry
from pledgebook.programmes.models import ProgrammeRole
from tests import factories

pytestmark = pytest.mark.django_db

DESCRIPTION = (
    "We will train 500 women entrepreneurs in digital and financial skills across three "
    "regions of Kenya by 2027, with local partners and a public dashboard of results."
)
NO_NUMBERS_ADVICE = (
    "Name a measurable target and a date (for example “train 500 teachers by 2027”)."
)


def create_url(org, programme) -> str:
    return (
        reverse("workspace:commitment_create")
        + f"?organisation={org.slug}&programme={programme.slug}"
    )


def form_data(theme, **overrides) -> dict:
    data = {
        "title": "Train 500 women entrepreneurs in digital skills",
        "description": DESCRIPTION,
        "types": ["programmatic"],
        "themes": [theme.pk],
        "goals": ["5"],
        "targets": ["5.b"],
        "scope": "national",
        "countries": ["KE"],
        "starts_on": "2026-01-01",
        "ends_on": "2028-12-31",
        "amount": "",
        "currency": "",
        "funds_are_new": "unknown",
        "endorsement_level": "executive",
        "condition": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def snapshot(commitment: Commitment) -> dict:
    """Everything a save could change: the row and its relations."""
    row = Commitment.objects.values().get(pk=commitment.pk)
    row.pop("updated_at")
    for name in ("types", "themes", "actions", "goals", "targets", "countries", "regions"):
        row[name] = sorted(getattr(commitment, name).values_list("pk", flat=True))
    row["co_makers"] = sorted(commitment.co_makers.values_list("organisation_id", flat=True))
    return row


@pytest.fixture
def outsider(programme):
    """An organisation with no application in the programme."""
    return factories.OrganisationFactory(name="Outsider Org")


@pytest.fixture
def partner(theme):
    """Another organisation approved in ``theme``, with its representative."""
    org = factories.OrganisationFactory(name="Partner Org")
    user = factories.member_of(theme, organisation=org)
    return org, user


def bad_inputs(theme, outsider):
    """(form overrides, expected errors): every bad input the issue names, and a few more."""
    return {
        "maker too long": (
            {"ends_on": "2031-06-30"},
            {
                "ends_on": [
                    "Commitments of commitment makers last at most 5 years: "
                    "end by 31 December 2030."
                ]
            },
        ),
        "maker too short": (
            {"ends_on": "2026-06-30"},
            {
                "ends_on": [
                    "Commitments of commitment makers last at least 1 year: end on or "
                    "after 31 December 2026."
                ]
            },
        ),
        "end before start": (
            {"ends_on": "2025-12-31"},
            {"ends_on": ["The end date must be after the start date."]},
        ),
        "amount without currency": (
            {"amount": "250000", "types": ["financial", "programmatic"]},
            {"currency": ["Give the currency of the amount."]},
        ),
        "unknown country": (
            {"countries": ["KE", "XX"]},
            {"countries": ["Select a valid choice. XX is not one of the available choices."]},
        ),
        "unknown SDG target": (
            {"targets": ["5.z"]},
            {"targets": ["Select a valid choice. 5.z is not one of the available choices."]},
        ),
        "target without its goal": (
            {"goals": [], "targets": ["14.1"]},
            {"targets": ["Target 14.1 belongs to SDG 14: select that goal too."]},
        ),
        "co-maker not a member": (
            {"co_makers": [outsider.pk]},
            {"co_makers": ["Outsider Org is not a confirmed member of the chosen themes."]},
        ),
        "bad date": (
            {"starts_on": "2026-02-30"},
            {"starts_on": ["Enter a valid date."]},
        ),
        "amount not a number": (
            {"amount": "lots", "currency": "USD", "types": ["financial"]},
            {"amount": ["Enter a number."]},
        ),
        "conditional without condition": (
            {"is_conditional": "on"},
            {"condition": ["Say what approval the pledge depends on."]},
        ),
    }


CASES = [
    "maker too long",
    "maker too short",
    "end before start",
    "amount without currency",
    "unknown country",
    "unknown SDG target",
    "target without its goal",
    "co-maker not a member",
    "bad date",
    "amount not a number",
    "conditional without condition",
]


# Creating ---------------------------------------------------------------------------------


def test_create_a_draft(member_client, org, programme, theme) -> None:
    action = factories.ActionFactory(theme=theme, title="Close the digital gender gap")

    response = member_client.post(
        create_url(org, programme),
        form_data(
            theme,
            actions=[action.pk],
            amount="250000.50",
            currency="USD",
            types=["financial", "programmatic"],
            funds_are_new="true",
            regions=["002"],
            is_conditional="on",
            condition="Parliament's budget vote",
        ),
    )

    commitment = Commitment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:commitment_edit", args=[commitment.pk])
    assert snapshot(commitment) | {"id": None, "created_at": None} == {
        "id": None,
        "created_at": None,
        "programme_id": programme.pk,
        "organisation_id": org.pk,
        "created_by_id": Application.objects.get().organisation.representative_set.get().user_id,
        "title": "Train 500 women entrepreneurs in digital skills",
        "description": DESCRIPTION,
        "scope": "national",
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": dt.date(2028, 12, 31),
        "amount": commitment.amount,
        "currency_id": "USD",
        "funds_are_new": True,
        "endorsement_level": "executive",
        "is_conditional": True,
        "condition": "Parliament's budget vote",
        "status": "draft",
        "submitted_at": None,
        "decided_at": None,
        "types": ["financial", "programmatic"],
        "themes": [theme.pk],
        "actions": [action.pk],
        "goals": [5],
        "targets": ["5.b"],
        "countries": ["KE"],
        "regions": ["002"],
        "co_makers": [],
    }
    assert str(commitment.amount) == "250000.50"
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["commitment.created"]
    # Without JavaScript, the assessment shows after saving, beside the form.
    page = member_client.get(response["Location"]).content.decode()
    assert 'id="assessment"' in page
    assert "Your draft is saved." in page
    assert "Link the blueprint actions" not in page


@pytest.mark.parametrize("case", CASES)
def test_bad_input_on_create_is_a_field_error_and_nothing_is_lost(
    member_client, org, programme, theme, outsider, case
) -> None:
    overrides, errors = bad_inputs(theme, outsider)[case]

    response = member_client.post(create_url(org, programme), form_data(theme, **overrides))

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert Commitment.objects.count() == 0
    body = response.content.decode()
    assert 'value="Train 500 women entrepreneurs in digital skills"' in body
    assert DESCRIPTION in body
    (field,) = errors
    assert f'id="id_{field}_error"' in body


def test_leaders_commit_for_exactly_five_years(client, programme, theme) -> None:
    leader = factories.member_of(theme, role=Application.Role.LEADER)
    org = leader.organisations.get()
    client.force_login(leader)

    short = client.post(create_url(org, programme), form_data(theme, ends_on="2029-01-01"))
    exact = client.post(create_url(org, programme), form_data(theme, ends_on="2030-12-31"))

    assert short.context["form"].errors == {
        "ends_on": [
            "Commitments of leaders last at least 5 years: end on or after 31 December 2030."
        ]
    }
    assert exact.status_code == 302
    assert Commitment.objects.get().ends_on == dt.date(2030, 12, 31)


def test_themes_not_joined_are_not_offered_and_refused(
    member_client, org, programme, theme
) -> None:
    other = factories.ThemeFactory(programme=programme, name="Not joined")

    form = member_client.get(create_url(org, programme)).context["form"]
    response = member_client.post(create_url(org, programme), form_data(theme, themes=[other.pk]))

    assert [t.pk for t in form.shown_themes] == [theme.pk]
    assert response.context["form"].errors == {
        "themes": [
            "Your organisation is not a confirmed member of “Not joined”: apply to join it first."
        ]
    }
    assert Commitment.objects.count() == 0


def test_co_makers_offered_are_only_those_the_rule_accepts(
    member_client, org, programme, theme, partner, outsider
) -> None:
    """Members of a theme the lead has not joined were offered, then refused after saving."""
    theme.name = "Economic justice"
    theme.save()
    elsewhere = factories.ThemeFactory(programme=programme, name="Not joined")
    factories.member_of(elsewhere, organisation=factories.OrganisationFactory(name="Elsewhere"))
    factories.member_of(theme, organisation=outsider)
    factories.ApplicationFactory(theme=theme, organisation=factories.OrganisationFactory())
    factories.ApplicationFactory(
        theme=elsewhere, organisation=partner[0], status=Application.Status.APPROVED
    )

    form = member_client.get(create_url(org, programme)).context["form"]

    assert form.fields["co_makers"].widget.choices == [
        (outsider.pk, "Outsider Org (member of Economic justice)"),
        (partner[0].pk, "Partner Org (member of Economic justice)"),
    ]


def test_creating_without_membership_is_denied(client, programme, outsider) -> None:
    user = factories.representative(outsider)
    client.force_login(user)

    get = client.get(create_url(outsider, programme))
    post = client.post(create_url(outsider, programme), {"title": "Sneaky"})

    assert (get.status_code, post.status_code) == (403, 403)
    assert Commitment.objects.count() == 0


def test_creating_for_an_organisation_i_do_not_act_for_is_denied(
    member_client, programme, theme, partner
) -> None:
    response = member_client.post(create_url(partner[0], programme), form_data(theme))

    assert response.status_code == 403
    assert Commitment.objects.count() == 0


def test_the_chooser_goes_straight_to_the_only_choice(member_client, org, programme) -> None:
    response = member_client.get(reverse("workspace:commitment_create"))

    assert response.status_code == 302
    assert response["Location"] == create_url(org, programme)


def test_inviting_a_co_maker_mails_it(member_client, org, programme, theme, partner) -> None:
    partner_org, partner_user = partner

    member_client.post(create_url(org, programme), form_data(theme, co_makers=[partner_org.pk]))

    row = CoMaker.objects.get()
    assert (row.organisation, row.confirmed_at) == (partner_org, None)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([partner_user.email], f"{org.name} names you as co-maker of a commitment")
    ]


# Editing ----------------------------------------------------------------------------------


@pytest.fixture
def draft(org, theme):
    commitment = factories.CommitmentFactory(theme=theme, organisation=org)
    commitment.goals.set([5])
    commitment.targets.set(["5.b"])
    return commitment


def edit_url(commitment: Commitment) -> str:
    return reverse("workspace:commitment_edit", args=[commitment.pk])


def test_edit_a_draft(member_client, draft, theme) -> None:
    response = member_client.post(
        edit_url(draft), form_data(theme, title="A better title for it", countries=["KE", "UG"])
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "A better title for it"
    assert sorted(draft.countries.values_list("pk", flat=True)) == ["KE", "UG"]
    assert AuditEntry.objects.get().action == "commitment.edited"


def test_the_edit_form_starts_from_the_saved_draft(member_client, draft, theme) -> None:
    form = member_client.get(edit_url(draft)).context["form"]

    assert form.initial["title"] == draft.title
    assert form.initial["themes"] == [theme.pk]
    assert form.initial["targets"] == ["5.b"]
    assert form.initial["funds_are_new"] is None


@pytest.mark.parametrize("case", CASES)
def test_bad_input_on_edit_is_a_field_error_and_the_row_is_unchanged(
    member_client, draft, theme, outsider, case
) -> None:
    overrides, errors = bad_inputs(theme, outsider)[case]
    before = snapshot(draft)

    response = member_client.post(
        edit_url(draft), form_data(theme, title="Typed, not saved", **overrides)
    )

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert snapshot(draft) == before
    assert 'value="Typed, not saved"' in response.content.decode()


def test_editing_someone_elses_commitment_is_not_found(member_client, theme) -> None:
    theirs = factories.CommitmentFactory(theme=theme)
    before = snapshot(theirs)

    get = member_client.get(edit_url(theirs))
    post = member_client.post(edit_url(theirs), form_data(theme, title="Mine now"))

    assert (get.status_code, post.status_code) == (404, 404)
    assert snapshot(theirs) == before
    assert AuditEntry.objects.count() == 0


def test_a_co_maker_cannot_edit_the_commitment(client, draft, theme, partner) -> None:
    CoMaker.objects.create(commitment=draft, organisation=partner[0])
    client.force_login(partner[1])
    before = snapshot(draft)

    response = client.post(edit_url(draft), form_data(theme, title="Co-maker's title"))

    assert response.status_code == 404
    assert snapshot(draft) == before


@pytest.mark.parametrize("status", ["submitted", "in_review", "confirmed", "declined"])
def test_editing_a_commitment_out_of_draft_is_refused(member_client, draft, theme, status) -> None:
    Commitment.objects.filter(pk=draft.pk).update(status=status)
    draft.refresh_from_db()
    before = snapshot(draft)

    get = member_client.get(edit_url(draft))
    post = member_client.post(edit_url(draft), form_data(theme, title="Changed afterwards"))

    assert (get.status_code, post.status_code) == (403, 403)
    assert "can no longer be edited" in post.content.decode()
    assert snapshot(draft) == before
    assert AuditEntry.objects.count() == 0


# Submitting -------------------------------------------------------------------------------


def test_submit_inside_the_window(member, member_client, org, programme, theme) -> None:
    colleague = factories.representative(org, admin=False)

    response = member_client.post(create_url(org, programme), form_data(theme, submit="1"))

    commitment = Commitment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:commitment_detail", args=[commitment.pk])
    assert commitment.status == "submitted"
    assert commitment.submitted_at is not None
    assert list(AuditEntry.objects.order_by("id").values_list("action", "data")) == [
        ("commitment.created", {}),
        ("commitment.submitted", {"from": "draft", "to": "submitted"}),
    ]
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([member.email, colleague.email])
    assert mail.outbox[0].subject == (
        "“Train 500 women entrepreneurs in digital skills” was submitted"
    )


@pytest.mark.dates
def test_submit_outside_the_window_keeps_the_draft(member_client, org, programme, theme) -> None:
    opens = timezone.now() - dt.timedelta(days=60)
    closes = timezone.now() - dt.timedelta(days=30)
    programme.registration_opens_at = opens
    programme.registration_closes_at = closes
    programme.save()

    response = member_client.post(create_url(org, programme), form_data(theme, submit="1"))

    commitment = Commitment.objects.get()
    assert response.status_code == 200
    assert (commitment.status, commitment.title, commitment.description) == (
        "draft",
        "Train 500 women entrepreneurs in digital skills",
        DESCRIPTION,
    )
    # The page writes the day without a leading zero ("6 October"), in the current time zone.
    o, c = timezone.localtime(opens), timezone.localtime(closes)
    expected = (
        f"Commitments can be submitted from {o.day} {o:%B %Y %H:%M} to {c.day} {c:%B %Y %H:%M}. "
        "Your draft is saved; submit it inside the window."
    )
    assert response.context["form"].non_field_errors() == [expected]
    body = response.content.decode()
    assert expected in body
    assert "Your draft is saved, but it was not submitted." in body
    # The form now edits the saved draft: submitting again does not create a second one.
    assert f'action="{edit_url(commitment)}"' in body
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["commitment.created"]
    assert mail.outbox == []


def test_submit_of_an_incomplete_draft_shows_field_errors_and_keeps_it(
    member_client, draft, theme
) -> None:
    response = member_client.post(
        edit_url(draft),
        form_data(theme, description="Too short to judge.", endorsement_level="", submit="1"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "description": ["Describe the commitment in at least 20 words."],
        "endorsement_level": ["Say at what level the commitment is endorsed."],
    }
    draft.refresh_from_db()
    assert (draft.status, draft.description, draft.endorsement_level) == (
        "draft",
        "Too short to judge.",
        "",
    )


def test_a_returned_commitment_shows_why_and_can_be_resubmitted(
    member_client, draft, theme, programme
) -> None:
    reviewer = factories.staff(programme, ProgrammeRole.Role.REVIEWER)
    member = draft.organisation.people.get()
    domain.submit_commitment(actor=member, commitment=draft)
    domain.return_for_revision(actor=reviewer, commitment=draft, reason="Add a budget line.")

    detail = member_client.get(reverse("workspace:commitment_detail", args=[draft.pk]))
    edit = member_client.get(edit_url(draft))
    resubmit = member_client.post(edit_url(draft), form_data(theme, submit="1"))

    assert detail.context["reason"] == "Add a budget line."
    assert "Add a budget line." in edit.content.decode()
    assert resubmit.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"


# Co-makers --------------------------------------------------------------------------------


def test_co_maker_confirms(client, member, draft, partner) -> None:
    partner_org, partner_user = partner
    row = CoMaker.objects.create(commitment=draft, organisation=partner_org)
    client.force_login(partner_user)
    home = client.get(reverse("workspace:home"))
    assert list(home.context["invitations"]) == [row]

    response = client.post(reverse("workspace:co_maker_confirm", args=[row.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:home")
    row.refresh_from_db()
    assert row.confirmed_by == partner_user
    assert row.confirmed_at is not None
    assert AuditEntry.objects.get().action == "commitment.co_maker_confirmed"
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert list(client.get(reverse("workspace:home")).context["invitations"]) == []


@pytest.mark.parametrize("who", ["lead", "stranger"])
def test_only_the_co_maker_can_confirm(client, member, draft, partner, who) -> None:
    row = CoMaker.objects.create(commitment=draft, organisation=partner[0])
    client.force_login(member if who == "lead" else factories.UserFactory())

    response = client.post(reverse("workspace:co_maker_confirm", args=[row.pk]))

    assert response.status_code == 403
    row.refresh_from_db()
    assert (row.confirmed_at, row.confirmed_by) == (None, None)
    assert AuditEntry.objects.count() == 0


def test_confirm_is_a_post(client, draft, partner) -> None:
    row = CoMaker.objects.create(commitment=draft, organisation=partner[0])
    client.force_login(partner[1])

    assert client.get(reverse("workspace:co_maker_confirm", args=[row.pk])).status_code == 405
    row.refresh_from_db()
    assert row.confirmed_at is None


def test_co_maker_declines_from_its_workspace(client, member, draft, partner) -> None:
    partner_org, partner_user = partner
    row = CoMaker.objects.create(commitment=draft, organisation=partner_org)
    client.force_login(partner_user)
    detail_url = reverse("workspace:commitment_detail", args=[draft.pk])
    page = client.get(detail_url)
    assert [(r, c, d) for r, c, d, _form in page.context["my_rows"]] == [(row, True, True)]
    assert f'action="{reverse("workspace:co_maker_decline", args=[row.pk])}"' in (
        page.content.decode()
    )

    response = client.post(
        reverse("workspace:co_maker_decline", args=[row.pk]),
        {f"decline-{row.pk}-reason": "Our board said no.", "next": detail_url},
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url
    row.refresh_from_db()
    assert (row.state, row.declined_by, row.decline_reason) == (
        "declined",
        partner_user,
        "Our board said no.",
    )
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert list(client.get(reverse("workspace:home")).context["invitations"]) == []
    client.force_login(member)
    lead_page = client.get(detail_url).content.decode()
    assert "declined on" in lead_page
    assert "(Our board said no.)" in lead_page


@pytest.mark.parametrize("who", ["lead", "stranger", "reviewer"])
def test_only_the_co_maker_can_decline(client, member, draft, partner, programme, who) -> None:
    row = CoMaker.objects.create(commitment=draft, organisation=partner[0])
    actor = {
        "lead": member,
        "stranger": factories.UserFactory(),
        "reviewer": factories.staff(programme, ProgrammeRole.Role.REVIEWER),
    }[who]
    client.force_login(actor)

    response = client.post(
        reverse("workspace:co_maker_decline", args=[row.pk]), {f"decline-{row.pk}-reason": "x"}
    )

    assert response.status_code == 403
    row.refresh_from_db()
    assert (row.state, row.declined_at, row.decline_reason) == ("pending", None, "")
    assert AuditEntry.objects.count() == 0
    assert mail.outbox == []


def test_a_too_long_reason_is_said_at_the_field_and_kept(client, draft, partner) -> None:
    row = CoMaker.objects.create(commitment=draft, organisation=partner[0])
    client.force_login(partner[1])
    reason = "Because we cannot. " * 105 + "Really."

    response = client.post(
        reverse("workspace:co_maker_decline", args=[row.pk]), {f"decline-{row.pk}-reason": reason}
    )

    assert response.status_code == 200
    [(_row, _c, _d, form)] = response.context["my_rows"]
    assert form.errors == {
        "reason": ["Ensure this value has at most 2000 characters (it has 2002)."]
    }
    assert reason in response.content.decode()
    row.refresh_from_db()
    assert row.state == "pending"
    assert AuditEntry.objects.count() == 0


def test_decline_is_a_post(client, draft, partner) -> None:
    row = CoMaker.objects.create(commitment=draft, organisation=partner[0])
    client.force_login(partner[1])
    assert client.get(reverse("workspace:co_maker_decline", args=[row.pk])).status_code == 405
    row.refresh_from_db()
    assert row.state == "pending"


def test_an_answer_that_cannot_change_is_said_and_changes_nothing(
    client, member, draft, partner
) -> None:
    row = CoMaker.objects.create(commitment=draft, organisation=partner[0])
    domain.confirm_co_maker(actor=partner[1], co_maker=row)
    domain.submit_commitment(actor=member, commitment=draft)
    client.force_login(partner[1])

    page = client.get(reverse("workspace:commitment_detail", args=[draft.pk]))
    response = client.post(reverse("workspace:co_maker_decline", args=[row.pk]), follow=True)

    assert [(c, d) for _r, c, d, _f in page.context["my_rows"]] == [(False, False)]
    assert "this answer can no longer change" in page.content.decode()
    assert [str(m) for m in response.context["messages"]] == [
        f"Your organisation has answered, and the commitment is submitted: its answer can no "
        f"longer change. Write to {draft.organisation.name} if something is wrong."
    ]
    row.refresh_from_db()
    assert row.state == "confirmed"


def test_editing_the_text_after_a_confirmation_asks_the_co_maker_again(
    member_client, draft, theme, partner
) -> None:
    partner_org, partner_user = partner
    row = CoMaker.objects.create(commitment=draft, organisation=partner_org)
    domain.confirm_co_maker(actor=partner_user, co_maker=row)
    mail.outbox.clear()

    response = member_client.post(
        edit_url(draft),
        form_data(theme, title="Train 900 women entrepreneurs", co_makers=[partner_org.pk]),
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.state, row.confirmed_at, row.confirmed_by) == ("pending", None, None)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            [partner_user.email],
            "“Train 900 women entrepreneurs” changed: please confirm your part again",
        )
    ]


def test_detail_is_for_the_lead_and_co_makers_only(client, member, draft, partner) -> None:
    CoMaker.objects.create(commitment=draft, organisation=partner[0])
    url = reverse("workspace:commitment_detail", args=[draft.pk])

    client.force_login(member)
    lead = client.get(url)
    client.force_login(partner[1])
    co = client.get(url)
    client.force_login(factories.UserFactory())
    stranger = client.get(url)
    staff = []
    for role in (ProgrammeRole.Role.REVIEWER, ProgrammeRole.Role.SECRETARIAT):
        client.force_login(factories.staff(draft.programme, role))
        staff.append(client.get(url).status_code)

    assert (lead.status_code, co.status_code, stranger.status_code) == (200, 200, 404)
    assert staff == [404, 404]  # a draft belongs to its organisation until submitted
    assert lead.context["can_edit"] is True
    assert co.context["can_edit"] is False
    assert [r.organisation for r in co.context["my_pending"]] == [partner[0]]


# Assessment -------------------------------------------------------------------------------


def assessment_url(**query) -> str:
    return (
        reverse("workspace:commitment_assessment")
        + "?"
        + "&".join(f"{k}={v}" for k, v in query.items())
    )


def test_live_assessment_advises_a_measurable_target(member_client, org, programme, theme) -> None:
    response = member_client.post(
        assessment_url(organisation=org.slug, programme=programme.slug),
        form_data(
            theme,
            title="Support women leaders",
            description="We will support women leaders in rural areas.",
        ),
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert [t.name for t in response.templates] == ["workspace/_assessment.html"]
    smart = response.context["assessment"].criteria[4]
    assert (smart.key, smart.met) == ("smart", False)
    assert NO_NUMBERS_ADVICE in smart.advice
    assert NO_NUMBERS_ADVICE in response.content.decode()
    assert Commitment.objects.count() == 0


def test_live_assessment_of_a_text_with_numbers(member_client, org, programme, theme) -> None:
    response = member_client.post(
        assessment_url(organisation=org.slug, programme=programme.slug), form_data(theme)
    )

    assert NO_NUMBERS_ADVICE not in response.content.decode()


def test_live_assessment_counts_confirmed_co_makers(member_client, draft, theme, partner) -> None:
    CoMaker.objects.create(commitment=draft, organisation=partner[0], confirmed_at=timezone.now())

    response = member_client.post(
        assessment_url(commitment=draft.pk), form_data(theme, co_makers=[partner[0].pk])
    )

    collective = response.context["assessment"].criteria[3]
    assert (collective.key, collective.met, collective.advice) == ("collective", True, ())


def test_live_assessment_is_denied_to_others(client, org, programme, draft, theme) -> None:
    client.force_login(factories.UserFactory())

    by_org = client.post(
        assessment_url(organisation=org.slug, programme=programme.slug), form_data(theme)
    )
    by_commitment = client.post(assessment_url(commitment=draft.pk), form_data(theme))

    assert (by_org.status_code, by_commitment.status_code) == (403, 404)


def test_the_form_posts_to_the_assessment_while_drafting(member_client, org, programme) -> None:
    body = member_client.get(create_url(org, programme)).content.decode()

    assert (
        f'hx-post="{reverse("workspace:commitment_assessment")}'
        f'?organisation={org.slug}&amp;programme={programme.slug}"'
    ) in body
    assert 'hx-trigger="input delay:700ms from:#commitment-form"' in body
    assert 'hx-include="#commitment-form"' in body
    assert 'hx-target="#assessment"' in body


# Home -------------------------------------------------------------------------------------


def home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("workspace:home"))
    assert response.status_code == 200
    return len(queries)


def make_commitment(org, theme, partner_org):
    commitment = factories.CommitmentFactory(theme=theme, organisation=org)
    commitment.goals.set([5])
    commitment.targets.set(["5.b"])
    CoMaker.objects.create(commitment=commitment, organisation=partner_org)
    return commitment


def test_home_query_count_does_not_grow_with_commitments(
    member_client, org, theme, partner
) -> None:
    make_commitment(org, theme, partner[0])
    one = home_queries(member_client)
    make_commitment(org, theme, partner[0])
    make_commitment(org, theme, partner[0])

    three = home_queries(member_client)

    assert one == three
    page = member_client.get(reverse("workspace:home"))
    assert len(page.context["commitments"]) == 3
    # Impact (“500 women”, Kenya), endorsement (an executive for an NGO) and SMART are met;
    # funding (no amount) and collective (the co-maker has not confirmed) are not.
    assert [c.assessment.score for c in page.context["commitments"]] == [3, 3, 3]
    assert page.content.decode().count("3 of 5 criteria") == 3


def test_home_lists_what_i_have(member_client, org, theme, draft) -> None:
    page = member_client.get(reverse("workspace:home"))

    assert [s.organisation for s in page.context["seats"]] == [org]
    assert [(a.theme, a.status) for a in page.context["applications"]] == [(theme, "approved")]
    assert [c.pk for c in page.context["commitments"]] == [draft.pk]
    assert page.context["can_create_commitment"] is True


def test_a_type_the_programme_does_not_accept(member_client, org, programme, theme) -> None:
    programme.commitment_types.set(["advocacy", "policy", "programmatic"])

    form = member_client.get(create_url(org, programme)).context["form"]
    response = member_client.post(
        create_url(org, programme),
        form_data(theme, types=["financial"], amount="100", currency="USD"),
    )

    assert [label for _, label in form.fields["types"].widget.choices] == [
        "Advocacy",
        "Policy",
        "Programmatic",
    ]
    assert response.context["form"].errors == {
        "types": ["This programme does not accept financial commitments."]
    }
    assert Commitment.objects.count() == 0


def test_detail_shows_reviewer_overrides_and_notes(member_client, draft, programme) -> None:
    reviewer = factories.staff(programme, ProgrammeRole.Role.REVIEWER)
    # Endorsed at programme level: below the top of an NGO's ladder, computed as not met.
    Commitment.objects.filter(pk=draft.pk).update(endorsement_level="programme")
    domain.override_criterion(
        actor=reviewer,
        commitment=draft,
        criterion="endorsement",
        met=True,
        note="The minister signed the letter of intent.",
    )

    response = member_client.get(reverse("workspace:commitment_detail", args=[draft.pk]))

    endorsement = response.context["assessment"].criteria[2]
    assert (endorsement.key, endorsement.computed, endorsement.met) == ("endorsement", False, True)
    body = response.content.decode()
    assert "A reviewer judged this criterion met." in body
    assert "The minister signed the letter of intent." in body


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("workspace:commitments"))
    assert response.status_code == 200
    return len(queries)


def test_commitment_list_query_count_does_not_grow(member_client, org, theme, partner) -> None:
    make_commitment(org, theme, partner[0])
    one = list_queries(member_client)
    make_commitment(org, theme, partner[0])
    make_commitment(org, theme, partner[0])

    assert list_queries(member_client) == one
