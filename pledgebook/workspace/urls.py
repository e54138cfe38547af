from django.urls import path

from pledgebook.workspace import (
    views,
    views_coalitions,
    views_commitment_similar,
    views_forum_participation,
    views_forum_proposals,
    views_forum_schedule,
    views_forum_statements,
    views_forum_summaries,
    views_portal_finder,
    views_portal_hub,
    views_portal_pitch,
    views_reporting,
)

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<slug:slug>/people/",
        views.organisation_add_person,
        name="organisation_add_person",
    ),
    path("apply/", views.apply, name="apply"),
    path("applications/", views.applications, name="applications"),
    path("commitments/", views.commitments, name="commitments"),
    # Pitch pipeline (portal.pitch)
    path("pitch/", views_portal_pitch.index, name="pitch"),
    path("pitch/plans/new/", views_portal_pitch.plan_new, name="pitch_plan_new"),
    path("pitch/plans/<int:pk>/", views_portal_pitch.plan_edit, name="pitch_plan"),
    path("pitch/plans/<int:pk>/submit/", views_portal_pitch.plan_submit, name="pitch_plan_submit"),
    path(
        "pitch/plans/<int:pk>/withdraw/",
        views_portal_pitch.plan_withdraw,
        name="pitch_plan_withdraw",
    ),
    path(
        "pitch/invitations/<int:pk>/",
        views_portal_pitch.invitation_answer,
        name="pitch_invitation_answer",
    ),
    path("pitch/investors/<slug:slug>/", views_portal_pitch.matches, name="pitch_matches"),
    path("pitch/investors/<slug:slug>/profile/", views_portal_pitch.profile, name="pitch_profile"),
    path(
        "pitch/investors/<slug:slug>/plans/<int:pk>/interest/",
        views_portal_pitch.interest,
        name="pitch_interest",
    ),
    path(
        "pitch/investors/<slug:slug>/plans/<int:pk>/outcome/",
        views_portal_pitch.outcome,
        name="pitch_outcome",
    ),
    path("commitments/new/", views.commitment_create, name="commitment_create"),
    path("commitments/assessment/", views.commitment_assessment, name="commitment_assessment"),
    path("commitments/sdgs/", views.commitment_sdg_suggest, name="commitment_sdg_suggest"),
    path(
        "commitments/similar/",
        views_commitment_similar.similar_commitments,
        name="commitment_similar",
    ),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment_detail"),
    path("commitments/<int:pk>/edit/", views.commitment_edit, name="commitment_edit"),
    # Partner finder (portal): suggestions, contact requests through the platform.
    path("partners/", views_portal_finder.home, name="partners"),
    path(
        "partners/organisations/<slug:slug>/",
        views_portal_finder.find_for_organisation,
        name="partners_organisation",
    ),
    path(
        "partners/commitments/<int:pk>/",
        views_portal_finder.find_for_commitment,
        name="partners_commitment",
    ),
    path(
        "partners/coalitions/<slug:slug>/",
        views_portal_finder.find_for_coalition,
        name="partners_coalition",
    ),
    path("partners/contact/<slug:slug>/", views_portal_finder.contact, name="partner_contact"),
    path(
        "partners/requests/<int:pk>/",
        views_portal_finder.contact_request,
        name="partner_request",
    ),
    path("co-makers/<int:pk>/confirm/", views.co_maker_confirm, name="co_maker_confirm"),
    path("co-makers/<int:pk>/decline/", views.co_maker_decline, name="co_maker_decline"),
    # Progress reports (the personal link's pages, signed in).
    path("reporting/", views_reporting.cycles, name="reporting"),
    path("reporting/<int:cycle>/", views_reporting.cycle, name="reporting_cycle"),
    path(
        "reporting/<int:cycle>/<int:commitment>/",
        views_reporting.report,
        name="reporting_report",
    ),
    path(
        "reporting/<int:cycle>/<int:commitment>/correct/",
        views_reporting.correct,
        name="reporting_correct",
    ),
    path(
        "reporting/<int:cycle>/<int:commitment>/confirm/",
        views_reporting.confirm,
        name="reporting_confirm",
    ),
    path(
        "reporting/evidence/<int:evidence>/",
        views_reporting.evidence,
        name="reporting_evidence",
    ),
    # The coalition hub: expressions of interest, merge invitations, coalitions.
    path("coalitions/", views_coalitions.eoi_list, name="coalitions"),
    path(
        "coalitions/join/<slug:slug>/",
        views_coalitions.coalition_join,
        name="coalition_join",
    ),
    path(
        "coalitions/memberships/<int:pk>/<slug:answer>/",
        views_coalitions.membership_answer,
        name="coalition_membership_answer",
    ),
    path("coalitions/new/", views_coalitions.eoi_create, name="coalition_eoi_create"),
    path(
        "coalitions/similar/",
        views_coalitions.eoi_similar_draft,
        name="coalition_similar_draft",
    ),
    path("coalitions/eoi/<int:pk>/", views_coalitions.eoi_detail, name="coalition_eoi"),
    path("coalitions/eoi/<int:pk>/edit/", views_coalitions.eoi_edit, name="coalition_eoi_edit"),
    path(
        "coalitions/eoi/<int:pk>/invite/",
        views_coalitions.eoi_invite,
        name="coalition_eoi_invite",
    ),
    path(
        "coalitions/invitations/<int:pk>/<slug:answer>/",
        views_coalitions.invitation_answer,
        name="coalition_invitation_answer",
    ),
    path(
        "coalitions/join-requests/<int:pk>/<slug:answer>/",
        views_coalitions.join_request_decide,
        name="coalition_join_request",
    ),
    # Session summaries of the forum: the organisers' tasks and the summary form.
    path("forum/summaries/", views_forum_summaries.summaries, name="forum_summaries"),
    path(
        "forum/summaries/<int:session>/",
        views_forum_summaries.summary,
        name="forum_summary",
    ),
    path(
        "forum/summaries/<int:session>/commitments/",
        views_forum_summaries.summary_commitments,
        name="forum_summary_commitments",
    ),
    # The forum: events, side-event proposals, registration, marked sessions.
    path("forum/", views_forum_proposals.events, name="forum_events"),
    path("forum/proposals/", views_forum_proposals.proposal_list, name="forum_proposals"),
    path(
        "forum/proposals/<int:pk>/withdraw/",
        views_forum_proposals.proposal_withdraw,
        name="forum_proposal_withdraw",
    ),
    path(
        "forum/<slug:programme>/<slug:event>/propose/",
        views_forum_proposals.propose,
        name="forum_propose",
    ),
    path(
        "forum/<slug:programme>/<slug:event>/register/",
        views_forum_participation.register,
        name="forum_register",
    ),
    path(
        "forum/<slug:programme>/<slug:event>/register/cancel/",
        views_forum_participation.cancel,
        name="forum_registration_cancel",
    ),
    path(
        "forum/<slug:programme>/<slug:event>/my-sessions/",
        views_forum_participation.my_sessions,
        name="forum_my_sessions",
    ),
    path("forum/sessions/<int:pk>/mark/", views_forum_participation.mark, name="forum_mark"),
    path("forum/sessions/<int:pk>/unmark/", views_forum_participation.unmark, name="forum_unmark"),
    # Forum: stakeholder statements for plenaries.
    path("forum/statements/", views_forum_statements.mine, name="forum_statements"),
    path("forum/statements/new/", views_forum_statements.submit, name="forum_statement_submit"),
    path(
        "forum/statements/<int:pk>/withdraw/",
        views_forum_statements.withdraw,
        name="forum_statement_withdraw",
    ),
    # The forum: the sessions a person marked, as a calendar file.
    path(
        "forum/<slug:programme>/<slug:event>/my-sessions.ics",
        views_forum_schedule.my_sessions_ics,
        name="forum_my_sessions_ics",
    ),
    # Knowledge hub: the organisation's case studies.
    path("case-studies/", views_portal_hub.case_studies, name="case_studies"),
    path("case-studies/new/", views_portal_hub.case_study_create, name="case_study_create"),
    path("case-studies/<int:pk>/", views_portal_hub.case_study_edit, name="case_study_edit"),
]
