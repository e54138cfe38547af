"""The coalition hub's views: the workspace EOI form, the console (permissions, review, merge,
undo, coalition states) and the public coalition page.  Exact assertions; a denied request
changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pledgebook.coalitions import domain, merge
from pledgebook.coalitions.models import (
    Coalition,
    CoalitionSettings,
    ExpressionOfInterest,
    MergeRecord,
)
from pledgebook.coalitions.similar import similar_to
from pledgebook.coalitions.validation import MemberInput
from pledgebook.organisations.models import Category
from pledgebook.reference.models import Country
from tests import factories
from tests.coalitions.helpers import make_eoi, org_of, texts

pytestmark = pytest.mark.django_db

E = ExpressionOfInterest.Status


def form_data(programme: Any, organisation: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "programme": programme.slug,
        "organisation": organisation.pk,
        "title": "Clean oceans for small islands",
        "summary": "",
        "principles": "Oceans are a common good\nSmall islands lead",
        "asks": "Ban single-use plastics by 2030",
        "milestones-TOTAL_FORMS": "2",
        "milestones-INITIAL_FORMS": "0",
        "milestones-0-title": "Launch at the conference",
        "milestones-0-due_on": "2026-05-01",
        "milestones-1-title": "",
        "milestones-1-due_on": "",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
    }
    for i in range(2):
        for name in ("organisation", "name", "email", "category", "country"):
            data[f"members-{i}-{name}"] = ""
    data.update(overrides)
    return data


def create_url(programme: Any) -> str:
    return reverse("workspace:coalition_eoi_create") + f"?programme={programme.slug}"


# Workspace: the EOI form -----------------------------------------------------------------------


def test_save_and_submit_an_eoi_with_a_member(client, programme, proposer):
    other = factories.OrganisationFactory(name="Island Youth Network")
    client.force_login(proposer)
    response = client.post(
        create_url(programme),
        form_data(programme, org_of(proposer), submit="1", **{"members-0-organisation": other.pk}),
    )
    eoi = ExpressionOfInterest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:coalition_eoi", args=[eoi.pk])
    assert eoi.status == E.SUBMITTED
    assert eoi.is_late is False
    assert texts(eoi) == ["Oceans are a common good", "Small islands lead"]
    assert texts(eoi, "asks") == ["Ban single-use plastics by 2030"]
    assert [(m.title, m.due_on) for m in eoi.milestones.all()] == [
        ("Launch at the conference", dt.date(2026, 5, 1))
    ]
    assert [(m.organisation.name, m.role, m.status) for m in eoi.memberships.order_by("id")] == [
        (org_of(proposer).name, "lead", "active"),
        ("Island Youth Network", "member", "invited"),
    ]


def test_a_late_submission_is_marked_for_co_creation(client, programme, proposer):
    CoalitionSettings.objects.create(
        programme=programme, eoi_deadline=timezone.now() - dt.timedelta(days=1)
    )
    client.force_login(proposer)
    response = client.post(
        create_url(programme), form_data(programme, org_of(proposer), submit="1"), follow=True
    )
    eoi = ExpressionOfInterest.objects.get()
    assert (eoi.status, eoi.is_late) == (E.SUBMITTED, True)
    assert [str(m) for m in response.context["messages"]] == [
        "Submitted after the deadline: your expression of interest is for co-creation at and "
        "after the conference."
    ]


def test_no_principles_or_asks_keeps_the_draft_and_shows_field_errors(client, programme, proposer):
    client.force_login(proposer)
    response = client.post(
        create_url(programme),
        form_data(programme, org_of(proposer), principles="", asks="", submit="1"),
    )
    assert response.status_code == 200
    eoi = ExpressionOfInterest.objects.get()
    assert eoi.status == E.DRAFT
    form = response.context["form"]
    assert form.errors == {
        "principles": ["Name at least one principle the coalition advances."],
        "asks": ["Name at least one specific ask."],
    }
    assert form["title"].value() == "Clean oceans for small islands"
    assert response.context["action"] == reverse("workspace:coalition_eoi_edit", args=[eoi.pk])


def test_a_milestone_without_a_date_is_refused_at_its_field(client, programme, proposer):
    client.force_login(proposer)
    response = client.post(
        create_url(programme),
        form_data(programme, org_of(proposer), **{"milestones-0-due_on": ""}),
    )
    assert response.status_code == 200
    assert ExpressionOfInterest.objects.count() == 0
    milestones = response.context["milestones"]
    assert milestones.forms[0].errors == {
        "due_on": ["Give the date of “Launch at the conference”."]
    }
    assert milestones.forms[0]["title"].value() == "Launch at the conference"
    assert response.context["form"]["principles"].value() == (
        "Oceans are a common good\nSmall islands lead"
    )


def test_an_organisation_given_twice_is_refused_at_its_field(client, programme, proposer):
    other = factories.OrganisationFactory(name="Island Youth Network")
    client.force_login(proposer)
    response = client.post(
        create_url(programme),
        form_data(
            programme,
            org_of(proposer),
            **{"members-0-organisation": other.pk, "members-1-organisation": other.pk},
        ),
    )
    assert response.status_code == 200
    assert ExpressionOfInterest.objects.count() == 0
    members = response.context["members"]
    assert members.forms[0].errors == {}
    assert members.forms[1].errors == {"organisation": ["Island Youth Network is given twice."]}
    assert members.forms[1]["organisation"].value() == str(other.pk)


def test_the_proposer_given_as_a_member_is_refused(client, programme, proposer):
    client.force_login(proposer)
    org = org_of(proposer)
    response = client.post(
        create_url(programme), form_data(programme, org, **{"members-0-organisation": org.pk})
    )
    assert response.status_code == 200
    assert ExpressionOfInterest.objects.count() == 0
    assert response.context["members"].forms[0].errors == {
        "organisation": [f"{org.name} is already a member."]
    }


def test_someone_else_cannot_edit_an_eoi(client, programme, proposer, stranger):
    eoi = make_eoi(programme, proposer, submit=False)
    client.force_login(stranger)
    url = reverse("workspace:coalition_eoi_edit", args=[eoi.pk])
    response = client.post(url, form_data(programme, org_of(proposer), title="Hijacked"))
    assert response.status_code == 403
    eoi.refresh_from_db()
    assert eoi.title == "Open civic space"


# Workspace: similar items, invitations to merge ------------------------------------------------


def test_similar_eois_are_shown_and_one_can_be_invited_to_merge(client, programme):
    a = make_eoi(
        programme,
        title="Plastic-free oceans",
        principles=("Oceans free of plastic waste",),
        asks=("Ban single-use plastic bags",),
    )
    b = make_eoi(
        programme,
        title="Stop plastic pollution of the sea",
        principles=("Seas without plastic waste",),
        asks=("Ban single-use plastic bottles",),
    )
    user_b = org_of_user(b)
    client.force_login(user_b)
    response = client.get(reverse("workspace:coalition_eoi", args=[b.pk]))
    (suggestion,) = response.context["suggestions"]
    assert (suggestion.kind, suggestion.obj) == ("eoi", a)
    assert suggestion.shared_terms == ["plastic", "single-use", "waste", "ban"]
    assert suggestion.reasons[1] == (
        "Shared words in principles and asks: plastic, single-use, waste, ban"
    )

    response = client.post(
        reverse("workspace:coalition_eoi_invite", args=[b.pk]), {"kind": "eoi", "target": a.pk}
    )
    assert response.status_code == 302
    invitation = b.merge_invitations_sent.get()
    assert (invitation.to_eoi, invitation.status) == (a, "pending")

    # A's proposer accepts: both are merged into a new, proposed coalition.
    client.force_login(org_of_user(a))
    response = client.post(
        reverse("workspace:coalition_invitation_answer", args=[invitation.pk, "accept"])
    )
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (E.MERGED, E.MERGED)
    assert a.coalition == b.coalition
    assert a.coalition.state == Coalition.State.PROPOSED


def test_a_stranger_cannot_answer_an_invitation(client, programme, stranger):
    a = make_eoi(programme, title="A")
    b = make_eoi(programme, title="B")
    invitation = merge.invite_to_merge(actor=org_of_user(b), from_eoi=b, to_eoi_or_coalition=a)
    client.force_login(stranger)
    url = reverse("workspace:coalition_invitation_answer", args=[invitation.pk, "accept"])
    assert client.post(url).status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert MergeRecord.objects.count() == 0


def org_of_user(eoi: ExpressionOfInterest) -> Any:
    return eoi.organisation.people.get()


# Console: permissions --------------------------------------------------------------------------


def console_posts(programme: Any, eoi: ExpressionOfInterest, other: ExpressionOfInterest):
    slug = programme.slug
    return [
        (reverse("console:coalitions_eoi_action", args=[slug, eoi.pk, "start-review"]), {}),
        (reverse("console:coalitions_eoi_action", args=[slug, eoi.pk, "accept"]), {}),
        (
            reverse("console:coalitions_eoi_action", args=[slug, eoi.pk, "decline"]),
            {"reason": "Out of scope"},
        ),
        (reverse("console:coalitions_merge", args=[slug]), {"eoi": [eoi.pk, other.pk]}),
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("nobody", 403), ("reviewer", 403), ("other_secretariat", 403)],
)
def test_console_posts_are_denied_and_change_nothing(
    client, programme, who, status, reviewer, other_secretariat, stranger
):
    eoi = make_eoi(programme, title="A")
    other = make_eoi(programme, title="B")
    users = {"nobody": stranger, "reviewer": reviewer, "other_secretariat": other_secretariat}
    if who != "anonymous":
        client.force_login(users[who])
    for url, data in console_posts(programme, eoi, other):
        response = client.post(url, data)
        assert response.status_code == status, url
        if status == 302:
            assert response["Location"].startswith(reverse("accounts:login"))
    assert sorted(ExpressionOfInterest.objects.values_list("status", flat=True)) == [
        E.SUBMITTED,
        E.SUBMITTED,
    ]
    assert Coalition.objects.count() == 0
    assert MergeRecord.objects.count() == 0


def test_an_eoi_of_another_programme_is_a_404(client, programme, other_secretariat):
    eoi = make_eoi(programme, title="A")
    other_programme = other_secretariat.programme_roles.get().programme
    client.force_login(other_secretariat)
    url = reverse("console:coalitions_eoi_action", args=[other_programme.slug, eoi.pk, "accept"])
    assert client.post(url).status_code == 404
    assert (
        client.get(
            reverse("console:coalitions_eoi", args=[other_programme.slug, eoi.pk])
        ).status_code
        == 404
    )
    eoi.refresh_from_db()
    assert eoi.status == E.SUBMITTED


def test_the_secretariat_reviews_accepts_and_declines(client, programme, secretariat):
    a = make_eoi(programme, title="A")
    b = make_eoi(programme, title="B")
    client.force_login(secretariat)
    slug = programme.slug
    queue = client.get(reverse("console:coalitions_eois", args=[slug]))
    assert [e.title for e in queue.context["eois"]] == ["A", "B"]
    client.post(
        reverse("console:coalitions_eoi_action", args=[slug, a.pk, "start-review"]), follow=True
    )
    client.post(reverse("console:coalitions_eoi_action", args=[slug, a.pk, "accept"]), follow=True)
    response = client.post(
        reverse("console:coalitions_eoi_action", args=[slug, b.pk, "decline"]), follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Give a reason: the proposer will read it."
    ]
    client.post(
        reverse("console:coalitions_eoi_action", args=[slug, b.pk, "decline"]),
        {"reason": "Out of scope"},
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.coalition.name, a.coalition.state) == (E.ACCEPTED, "A", "accepted")
    assert (b.status, b.decision_reason) == (E.DECLINED, "Out of scope")


# Console: merge and undo -----------------------------------------------------------------------


def test_merge_preview_marks_duplicates_then_merge_and_undo(client, programme, secretariat):
    a = make_eoi(programme, title="A", principles=("Open data for all", "Privacy first"))
    b = make_eoi(programme, title="B", principles=("Open  data, for ALL!",))
    client.force_login(secretariat)
    url = reverse("console:coalitions_merge", args=[programme.slug])
    preview = client.get(url, {"eoi": [a.pk, b.pk]}).context["preview"]
    a_org, b_org = a.organisation.name, b.organisation.name
    assert [(r.label, r.provenance, r.duplicate_of) for r in preview.principles] == [
        ("Open data for all", f"from the EOI of {a_org} (“A”)", ""),
        ("Privacy first", f"from the EOI of {a_org} (“A”)", ""),
        ("Open  data, for ALL!", f"from the EOI of {b_org} (“B”)", "Open data for all"),
    ]
    assert [r.duplicate_of for r in preview.milestones] == ["", "2026-03-01 Launch the coalition"]
    assert Coalition.objects.count() == 0  # a preview writes nothing

    response = client.post(url, {"eoi": [a.pk, b.pk], "name": "Open data coalition"})
    assert response.status_code == 302
    coalition = Coalition.objects.get()
    assert (coalition.name, coalition.state) == ("Open data coalition", "under_consideration")
    assert texts(coalition) == ["Open data for all", "Privacy first"]
    record = MergeRecord.objects.get()

    response = client.post(
        reverse("console:coalitions_undo", args=[programme.slug, record.pk]), follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Merged into “Open data coalition”. You can undo it from the merge history.",
        "The merge is undone: everything is as it was before.",
    ]
    assert Coalition.objects.count() == 0
    a.refresh_from_db()
    assert (a.status, a.coalition) == (E.SUBMITTED, None)

    response = client.post(
        reverse("console:coalitions_undo", args=[programme.slug, record.pk]), follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Undo is no longer possible. This merge has already been undone."
    ]


def test_undo_after_a_change_is_refused_with_a_clear_message(client, programme, secretariat):
    a = make_eoi(programme, title="A")
    b = make_eoi(programme, title="B")
    record = merge.merge(actor=secretariat, sources=[a, b])
    domain.update_coalition(actor=secretariat, coalition=record.target, name="Renamed")
    client.force_login(secretariat)
    response = client.post(
        reverse("console:coalitions_undo", args=[programme.slug, record.pk]), follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Undo is no longer possible. This merge can no longer be undone: “Renamed” changed "
        "since. Edit the coalition instead."
    ]
    assert Coalition.objects.get().name == "Renamed"


def test_merging_one_eoi_alone_is_refused(client, programme, secretariat):
    a = make_eoi(programme, title="A")
    client.force_login(secretariat)
    response = client.post(
        reverse("console:coalitions_merge", args=[programme.slug]), {"eoi": [a.pk]}
    )
    assert response.status_code == 400
    assert response.context["error"] == (
        "Choose at least two expressions of interest or coalitions to merge."
    )
    assert Coalition.objects.count() == 0


def test_coalition_state_transitions(client, programme, secretariat):
    a = make_eoi(programme, title="A")
    b = make_eoi(programme, title="B")
    coalition = merge.merge(actor=secretariat, sources=[a, b]).target
    client.force_login(secretariat)
    slug = programme.slug
    rows = client.get(reverse("console:coalitions", args=[slug])).context["rows"]
    assert [(c.name, [s for s, _ in actions]) for c, actions in rows] == [
        ("A", ["accept", "close"])
    ]
    client.post(reverse("console:coalitions_action", args=[slug, coalition.pk, "accept"]))
    client.post(reverse("console:coalitions_action", args=[slug, coalition.pk, "activate"]))
    coalition.refresh_from_db()
    assert coalition.state == "active"


# Public coalition page -------------------------------------------------------------------------


def test_the_public_page_counts_diversity(client, programme, secretariat):
    fr = Country.objects.get(iso2="FR")
    br = Country.objects.get(iso2="BR")
    youth = factories.OrganisationFactory(name="Youth", category=Category.YOUTH_LED, country=br)
    grass = factories.OrganisationFactory(name="Grass", is_grassroots=True)
    north = factories.OrganisationFactory(name="North", country=fr)
    eoi = make_eoi(
        programme,
        title="Diverse",
        members=[MemberInput(organisation=o) for o in (youth, grass, north)]
        + [MemberInput(email="x@example.org", name="Invited", category=Category.OTHER, country=fr)],
    )
    for org in (youth, grass, north):
        rep = factories.representative(org)
        membership = eoi.memberships.get(organisation=org)
        domain.respond_to_invitation(actor=rep, membership=membership, accept=True)
    coalition = domain.accept_eoi(actor=secretariat, eoi=eoi).coalition
    response = client.get(reverse("public:coalition", kwargs={"slug": coalition.slug}))
    assert response.status_code == 200
    d = response.context["diversity"]
    # The proposer (Kenya, civil society) and three who accepted; the invited one is not yet.
    assert d.members == 4
    assert d.by_category == [
        ("Youth-led organisation (children and youth)", 1),
        ("Non-governmental or civil society organisation", 3),
    ]
    assert (d.north, d.south, d.youth_led, d.grassroots) == (1, 3, 1, 1)
    assert d.by_region == [("Africa", 2), ("Americas", 1), ("Europe", 1)]
    assert [m.sources for m in response.context["members"]] == [[eoi.organisation.name]] * 4


def test_a_coalition_that_is_not_public_is_a_404(client, programme, secretariat):
    a = make_eoi(programme, title="A")
    b = make_eoi(programme, title="B")
    coalition = merge.merge(actor=secretariat, sources=[a, b]).target
    assert coalition.state == "under_consideration"
    response = client.get(reverse("public:coalition", kwargs={"slug": coalition.slug}))
    assert response.status_code == 404


def test_similar_to_gives_reasons_for_shared_members_themes_and_goals(programme, theme):
    shared = factories.OrganisationFactory(name="Shared Org")
    a = make_eoi(
        programme,
        title="Mangroves",
        principles=("Protect mangrove forests",),
        themes=[theme],
        goals=[14],
        members=[MemberInput(organisation=shared)],
    )
    b = make_eoi(
        programme,
        title="Coastal forests",
        principles=("Restore mangrove forests",),
        themes=[theme],
        goals=[14, 13],
        members=[MemberInput(organisation=shared)],
    )
    (s,) = similar_to(b)
    assert s.obj == a
    # The default ask of make_eoi is the same in both.
    assert s.shared_terms == ["protect", "defenders", "mangrove", "forests", "online"]
    assert s.shared_members == ["Shared Org"]
    assert s.shared_themes == [str(theme)]
    assert s.shared_goals == ["SDG 14"]


def test_an_invited_organisation_is_given_a_category_the_programme_shows(
    client, programme, proposer
):
    programme.stakeholder_categories = ["women", "civil_society"]
    programme.save()
    client.force_login(proposer)
    page = client.get(create_url(programme)).content.decode()
    select = page[page.index('name="members-0-category"') :]
    select = select[: select.index("</select>")]
    assert select.count("<option") == 3
    assert '<optgroup label="Civil society">' in select
    assert "Media" not in select

    invite = {
        "members-0-name": "Island Radio",
        "members-0-email": "radio@example.org",
        "members-0-category": "media",
        "members-0-country": "FJ",
    }
    response = client.post(create_url(programme), form_data(programme, org_of(proposer), **invite))

    assert response.status_code == 200
    assert response.context["members"].forms[0].errors == {
        "category": ["Select a valid choice. media is not one of the available choices."]
    }
    assert ExpressionOfInterest.objects.count() == 0
