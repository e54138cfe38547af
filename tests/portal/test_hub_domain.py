"""The knowledge hub's state changes: each allowed and refused (permission, source state,
content), with its audit entry and mail; a refusal changes nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from pledgebook.core.models import AuditEntry
from pledgebook.portal.hub import domain
from pledgebook.portal.models import CaseStudy
from pledgebook.reference.models import Goal, Target
from tests.portal.factories_hub import (
    complete_fields,
    draft,
    hub_world,
    published,
    submitted,
)

pytestmark = pytest.mark.django_db
Status = CaseStudy.Status


@pytest.fixture
def world():
    return hub_world()


def _actions(case_study: CaseStudy) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="portal.casestudy", object_id=case_study.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_a_draft_is_saved_with_its_links(world):
    case_study = draft(world)
    assert case_study.status == Status.DRAFT
    assert case_study.organisation == world.organisation
    assert list(case_study.commitments.all()) == [world.commitment]
    assert list(case_study.indicator_values.all()) == [world.value]
    assert sorted(case_study.category_codes) == ["financial_institution", "private_sector"]
    assert _actions(case_study) == ["case_study.created"]


def test_a_confirmed_co_maker_links_the_commitment_it_co_makes(world):
    case_study = domain.save_case_study(
        actor=world.co_maker_author,
        organisation=world.co_maker,
        programme=world.programme,
        **complete_fields(world),
    )
    assert list(case_study.commitments.all()) == [world.commitment]


def test_another_organisations_commitment_is_refused_at_the_field(world):
    with pytest.raises(ValidationError) as refused:
        draft(world, commitments=[world.other_commitment], indicator_values=[])
    assert list(refused.value.message_dict) == ["commitments"]
    assert (
        "is not a public commitment of Sunline Energy"
        in refused.value.message_dict["commitments"][0]
    )
    assert CaseStudy.objects.count() == 0


def test_a_value_of_a_commitment_not_linked_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        draft(world, indicator_values=[world.value, world.other_value])
    assert list(refused.value.message_dict) == ["indicator_values"]
    assert CaseStudy.objects.count() == 0


def test_a_corrected_reports_old_value_cannot_be_picked(world):
    from tests.portal.factories_hub import reported_value

    report = world.value.report
    newer = reported_value(world.commitment, report.cycle, world.value.indicator, "41", version=2)
    with pytest.raises(ValidationError) as refused:
        draft(world, indicator_values=[world.value])
    assert list(refused.value.message_dict) == ["indicator_values"]
    assert draft(world, indicator_values=[newer]).indicator_values.get() == newer


def test_a_commitment_of_another_programme_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        domain.save_case_study(
            actor=world.author,
            organisation=world.organisation,
            programme=world.other_programme,
            **complete_fields(world),
        )
    assert "belongs to another programme" in refused.value.message_dict["commitments"][0]


def test_a_target_of_a_goal_not_chosen_is_refused(world):
    target = Target.objects.filter(goal_id=5).first()
    with pytest.raises(ValidationError) as refused:
        draft(world, goals=list(Goal.objects.filter(number=3)), targets=[target])
    assert list(refused.value.message_dict) == ["targets"]


def test_someone_else_cannot_write_for_the_organisation(world):
    with pytest.raises(PermissionDenied):
        domain.save_case_study(
            actor=world.other_author,
            organisation=world.organisation,
            programme=world.programme,
            **complete_fields(world),
        )
    assert CaseStudy.objects.count() == 0


def test_someone_else_cannot_change_a_draft(world):
    case_study = draft(world)
    with pytest.raises(PermissionDenied):
        domain.save_case_study(
            actor=world.other_author,
            organisation=world.other_organisation,
            programme=world.programme,
            case_study=case_study,
            title="Taken over",
        )
    case_study.refresh_from_db()
    assert case_study.title == "Guarantees that powered forty clinics"


def test_submitting_checks_the_sections_and_keeps_the_draft(world):
    case_study = draft(world, lessons="", commitments=[], indicator_values=[], goals=[])
    with pytest.raises(ValidationError) as refused:
        domain.submit_case_study(actor=world.author, case_study=case_study)
    assert sorted(refused.value.message_dict) == ["commitments", "goals", "lessons"]
    case_study.refresh_from_db()
    assert case_study.status == Status.DRAFT
    assert _actions(case_study) == ["case_study.created"]


def test_submit_publish_mail_and_audit(world):
    case_study = submitted(world)
    assert case_study.status == Status.SUBMITTED
    assert case_study.submitted_by == world.author
    mail.outbox.clear()
    domain.publish_case_study(actor=world.secretariat, case_study=case_study)
    case_study.refresh_from_db()
    assert case_study.status == Status.PUBLISHED
    assert case_study.published_at is not None
    assert _actions(case_study) == [
        "case_study.created",
        "case_study.submitted",
        "case_study.published",
    ]
    assert [m.to for m in mail.outbox] == [[world.author.email]]
    assert mail.outbox[0].subject == (
        "Your case study “Guarantees that powered forty clinics” is published"
    )
    assert f"/knowledge/{case_study.pk}/" in mail.outbox[0].body


def test_return_needs_a_reason_and_tells_the_author(world):
    case_study = submitted(world)
    with pytest.raises(ValidationError) as refused:
        domain.return_case_study(actor=world.secretariat, case_study=case_study, reason=" ")
    assert list(refused.value.message_dict) == ["reason"]
    case_study.refresh_from_db()
    assert case_study.status == Status.SUBMITTED
    mail.outbox.clear()
    domain.return_case_study(
        actor=world.secretariat, case_study=case_study, reason="Add the loan amounts."
    )
    case_study.refresh_from_db()
    assert case_study.status == Status.RETURNED
    assert case_study.return_reason == "Add the loan amounts."
    assert [m.to for m in mail.outbox] == [[world.author.email]]
    assert "Reason: Add the loan amounts." in mail.outbox[0].body
    assert f"/workspace/case-studies/{case_study.pk}/" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="case_study.returned")
    assert entry.reason == "Add the loan amounts."
    assert entry.programme == world.programme


def test_a_returned_case_study_is_edited_and_submitted_again(world):
    case_study = submitted(world)
    domain.return_case_study(actor=world.secretariat, case_study=case_study, reason="More.")
    domain.save_case_study(
        actor=world.author,
        organisation=world.organisation,
        programme=world.programme,
        case_study=case_study,
        **complete_fields(world, lessons="Start with the banks; keep the guarantee small."),
    )
    domain.submit_case_study(actor=world.author, case_study=case_study)
    case_study.refresh_from_db()
    assert case_study.status == Status.SUBMITTED
    assert case_study.lessons == "Start with the banks; keep the guarantee small."


def _publish_by(who):
    return lambda w, cs: domain.publish_case_study(actor=getattr(w, who), case_study=cs)


def _return_by(who):
    return lambda w, cs: domain.return_case_study(
        actor=getattr(w, who), case_study=cs, reason="Not now."
    )


def _submit_by(who):
    return lambda w, cs: domain.submit_case_study(actor=getattr(w, who), case_study=cs)


def _edit(w, cs):
    return domain.save_case_study(
        actor=w.author,
        organisation=w.organisation,
        programme=w.programme,
        case_study=cs,
        title="Changed",
    )


REFUSED = [
    # Not theirs to do.
    ("author publishes", submitted, _publish_by("author"), PermissionDenied),
    ("stranger publishes", submitted, _publish_by("stranger"), PermissionDenied),
    ("other secretariat publishes", submitted, _publish_by("other_secretariat"), PermissionDenied),
    ("other secretariat returns", submitted, _return_by("other_secretariat"), PermissionDenied),
    ("author returns", submitted, _return_by("author"), PermissionDenied),
    ("other organisation submits", draft, _submit_by("other_author"), PermissionDenied),
    # Not in this state.
    ("publish a draft", draft, _publish_by("secretariat"), ValidationError),
    ("return a draft", draft, _return_by("secretariat"), ValidationError),
    ("submit twice", submitted, _submit_by("author"), ValidationError),
    ("publish twice", published, _publish_by("secretariat"), ValidationError),
    ("edit while submitted", submitted, _edit, PermissionDenied),
    ("edit while published", published, _edit, PermissionDenied),
]


@pytest.mark.parametrize(
    ("make", "call", "error"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_refused_changes_change_nothing(world, make, call, error):
    case_study = make(world)
    before = CaseStudy.objects.filter(pk=case_study.pk).values().get()
    entries = AuditEntry.objects.count()
    mail.outbox.clear()
    with pytest.raises(error):
        call(world, case_study)
    assert CaseStudy.objects.filter(pk=case_study.pk).values().get() == before
    assert AuditEntry.objects.count() == entries
    assert mail.outbox == []


def test_the_secretariat_unpublishes_by_returning(world):
    case_study = published(world)
    domain.return_case_study(actor=world.secretariat, case_study=case_study, reason="Typo.")
    assert CaseStudy.objects.published().count() == 0
