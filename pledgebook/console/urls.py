from django.urls import path

from pledgebook.console import views_portal_pitch
from pledgebook.console.views import (
    annual,
    applications,
    audit,
    coalition_import,
    coalitions,
    duplicates,
    forum_cochairs,
    forum_consultations,
    forum_digest,
    forum_participation,
    forum_proposals,
    forum_schedule,
    forum_statements,
    forum_summaries,
    goal_suggestions,
    home,
    indexing,
    portal_hub,
    programme,
    rates,
    registry_import,
    reporting,
    review,
)

app_name = "console"
P = "<slug:programme>/"
urlpatterns = [
    path("", home.home, name="home"),
    path("programmes/new/", programme.programme_create, name="programme_create"),
    path(P, home.overview, name="programme"),
    path(P + "settings/", programme.programme_settings, name="settings"),
    path(P + "themes/", programme.theme_list, name="themes"),
    path(P + "themes/new/", programme.theme_create, name="theme_create"),
    path(P + "themes/<int:theme>/", programme.theme_edit, name="theme"),
    path(P + "themes/<int:theme>/actions/new/", programme.action_create, name="action_create"),
    path(P + "actions/<int:action>/", programme.action_edit, name="action"),
    path(P + "actions/<int:action>/delete/", programme.action_delete, name="action_delete"),
    path(P + "roles/", programme.roles, name="roles"),
    path(P + "roles/<int:role>/revoke/", programme.role_revoke, name="role_revoke"),
    path(P + "applications/", applications.queue, name="applications"),
    path(P + "applications/<int:pk>/", applications.detail, name="application"),
    path(P + "commitments/", review.queue, name="commitments"),
    path(P + "commitments/<int:pk>/", review.detail, name="commitment"),
    path(
        P + "commitments/<int:pk>/assessment/<slug:criterion>/",
        review.override,
        name="override",
    ),
    # The same initiative registered twice (before the decisions' catch-all path).
    path(P + "commitments/<int:pk>/similar/", duplicates.panel, name="commitment_similar"),
    path(P + "commitments/<int:pk>/link/", duplicates.link, name="commitment_link"),
    path(P + "commitments/<int:pk>/unlink/", duplicates.unlink, name="commitment_unlink"),
    path(P + "commitments/<int:pk>/primary/", duplicates.primary, name="commitment_primary"),
    path(
        P + "commitments/<int:pk>/sdg-suggestions/<int:suggestion>/<slug:decision>/",
        goal_suggestions.decide,
        name="commitment_goal_suggestion",
    ),
    path(P + "commitments/<int:pk>/<slug:action>/", review.act, name="commitment_action"),
    path(P + "audit/", audit.audit_log, name="audit"),
    # The pitch segment (portal.pitch)
    path(P + "pitch/", views_portal_pitch.pitch, name="pitch"),
    path(P + "pitch/call/", views_portal_pitch.call, name="pitch_call"),
    path(P + "pitch/invite/", views_portal_pitch.invite, name="pitch_invite"),
    path(
        P + "pitch/plans/<int:pk>/shortlist/", views_portal_pitch.shortlist, name="pitch_shortlist"
    ),
    path(P + "pitch/plans/<int:pk>/schedule/", views_portal_pitch.schedule, name="pitch_schedule"),
    path(P + "pitch/plans/<int:pk>/outcome/", views_portal_pitch.outcome, name="pitch_outcome"),
    # The Co-Chairs' Summary of a forum event after its first draft (forum/domain/cochairs.py).
    path(
        P + "forum/events/<slug:event>/cochairs/",
        forum_cochairs.summary_page,
        name="forum_cochairs",
    ),
    path(
        P + "forum/events/<slug:event>/cochairs/compile/",
        forum_cochairs.compile_draft,
        name="forum_cochairs_compile",
    ),
    path(
        P + "forum/events/<slug:event>/cochairs/edit/",
        forum_cochairs.edit,
        name="forum_cochairs_edit",
    ),
    path(
        P + "forum/events/<slug:event>/cochairs/versions/",
        forum_cochairs.versions,
        name="forum_cochairs_versions",
    ),
    path(
        P + "forum/events/<slug:event>/cochairs/versions/<int:number>/",
        forum_cochairs.version_page,
        name="forum_cochairs_version",
    ),
    path(
        P + "forum/events/<slug:event>/cochairs/versions/<int:number>/restore/",
        forum_cochairs.restore,
        name="forum_cochairs_restore",
    ),
    path(
        P + "forum/events/<slug:event>/cochairs/versions/<int:number>/publish/",
        forum_cochairs.publish,
        name="forum_cochairs_publish",
    ),
    path(
        P + "forum/events/<slug:event>/cochairs/unpublish/",
        forum_cochairs.unpublish,
        name="forum_cochairs_unpublish",
    ),
    path(
        P + "forum/events/<slug:event>/cochairs/split/",
        forum_cochairs.split,
        name="forum_cochairs_split",
    ),
    # Import of commitments and organisations from a registry (registry/importing.py).
    path(P + "commitments/import/", registry_import.upload, name="registry_import"),
    path(
        P + "commitments/import/template.csv",
        registry_import.template,
        name="registry_import_template",
    ),
    path(
        P + "commitments/import/<int:run>/mapping/",
        registry_import.mapping,
        name="registry_import_mapping",
    ),
    path(
        P + "commitments/import/<int:run>/",
        registry_import.preview,
        name="registry_import_preview",
    ),
    path(
        P + "commitments/import/<int:run>/organisations/<int:decision>/",
        registry_import.decide,
        name="registry_import_decide",
    ),
    path(
        P + "commitments/import/<int:run>/start/",
        registry_import.start,
        name="registry_import_start",
    ),
    path(
        P + "commitments/import/<int:run>/status/",
        registry_import.status,
        name="registry_import_status",
    ),
    path(
        P + "commitments/import/<int:run>/report.csv",
        registry_import.report,
        name="registry_import_report",
    ),
    # Import of existing coalitions (coalitions/importing.py).
    path(P + "coalitions/import/", coalition_import.upload, name="coalition_import"),
    path(
        P + "coalitions/import/template.csv",
        coalition_import.template,
        name="coalition_import_template",
    ),
    path(
        P + "coalitions/import/<int:batch>/",
        coalition_import.preview,
        name="coalition_import_preview",
    ),
    path(
        P + "coalitions/import/<int:batch>/confirm/",
        coalition_import.confirm,
        name="coalition_import_confirm",
    ),
    path(
        P + "coalitions/import/<int:batch>/status/",
        coalition_import.status,
        name="coalition_import_status",
    ),
    # Accountability: framework, cycles, dashboard, escalation, reports.
    path(P + "reporting/", reporting.overview, name="reporting"),
    path(
        P + "reporting/indicators/new/",
        reporting.indicator_create,
        name="reporting_indicator_create",
    ),
    path(
        P + "reporting/indicators/<int:indicator>/",
        reporting.indicator_edit,
        name="reporting_indicator",
    ),
    path(
        P + "reporting/indicators/<int:indicator>/delete/",
        reporting.indicator_delete,
        name="reporting_indicator_delete",
    ),
    path(P + "reporting/cycles/new/", reporting.cycle_create, name="reporting_cycle_create"),
    path(P + "reporting/cycles/<int:cycle>/", reporting.cycle_detail, name="reporting_cycle"),
    path(
        P + "reporting/cycles/<int:cycle>/open/",
        reporting.cycle_open,
        name="reporting_cycle_open",
    ),
    path(
        P + "reporting/cycles/<int:cycle>/close/",
        reporting.cycle_close,
        name="reporting_cycle_close",
    ),
    path(
        P + "reporting/cycles/<int:cycle>/reminders/",
        reporting.cycle_remind,
        name="reporting_cycle_remind",
    ),
    path(
        P + "reporting/cycles/<int:cycle>/reports/",
        reporting.cycle_reports,
        name="reporting_reports",
    ),
    path(
        P + "reporting/cycles/<int:cycle>/dashboard/",
        reporting.dashboard,
        name="reporting_dashboard",
    ),
    path(
        P + "reporting/invitations/<int:invitation>/resend/",
        reporting.invitation_resend,
        name="reporting_resend",
    ),
    path(P + "reporting/escalation/", reporting.escalation, name="reporting_escalation"),
    path(P + "reporting/reports/<int:report>/", reporting.report_detail, name="reporting_report"),
    path(
        P + "reporting/evidence/<int:evidence>/",
        reporting.evidence_download,
        name="reporting_evidence",
    ),
    # Exchange rates of a cycle, to the programme's reporting currency.
    path(P + "reporting/cycles/<int:cycle>/rates/", rates.rates, name="reporting_rates"),
    path(
        P + "reporting/cycles/<int:cycle>/rates/save/", rates.rate_save, name="reporting_rate_save"
    ),
    path(
        P + "reporting/cycles/<int:cycle>/rates/import/",
        rates.rates_import,
        name="reporting_rates_import",
    ),
    path(
        P + "reporting/cycles/<int:cycle>/rates/<int:rate>/delete/",
        rates.rate_delete,
        name="reporting_rate_delete",
    ),
    # The annual accountability report of a reporting cycle.
    path(P + "reporting/cycles/<int:cycle>/report/", annual.report, name="annual_report"),
    path(
        P + "reporting/cycles/<int:cycle>/report/generate/",
        annual.generate,
        name="annual_generate",
    ),
    path(P + "reporting/cycles/<int:cycle>/report/status/", annual.status, name="annual_status"),
    path(
        P + "reporting/cycles/<int:cycle>/report/<int:report>/<slug:kind>/",
        annual.download,
        name="annual_download",
    ),
    # The coalition hub: EOI review, merges and undo, coalition states.
    path(P + "coalitions/eois/", coalitions.eoi_queue, name="coalitions_eois"),
    path(P + "coalitions/eois/<int:pk>/", coalitions.eoi_detail, name="coalitions_eoi"),
    path(
        P + "coalitions/eois/<int:pk>/<slug:action>/",
        coalitions.eoi_action,
        name="coalitions_eoi_action",
    ),
    path(P + "coalitions/merge/", coalitions.merge_preview, name="coalitions_merge"),
    path(P + "coalitions/merges/", coalitions.merges, name="coalitions_merges"),
    path(P + "coalitions/merges/<int:pk>/undo/", coalitions.merge_undo, name="coalitions_undo"),
    path(P + "coalitions/", coalitions.coalition_list, name="coalitions"),
    path(P + "coalitions/indexing/", indexing.status, name="indexing_status"),
    path(
        P + "coalitions/<int:pk>/<slug:action>/",
        coalitions.coalition_action,
        name="coalitions_action",
    ),
    # Forum: follow-up digest and impact report
    path(P + "forum/digests/", forum_digest.digests, name="forum_digests"),
    path(P + "forum/events/<slug:event>/digest/", forum_digest.digest_preview, name="forum_digest"),
    path(
        P + "forum/events/<slug:event>/digest/send/",
        forum_digest.digest_send,
        name="forum_digest_send",
    ),
    path(P + "forum/events/<slug:event>/impact/", forum_digest.impact_report, name="forum_impact"),
    path(
        P + "forum/events/<slug:event>/impact.pdf",
        forum_digest.impact_pdf,
        name="forum_impact_pdf",
    ),
    # Forum: settings of the session summaries, the tracker of an event's summaries.
    path(P + "forum/settings/", forum_summaries.forum_settings, name="forum_settings"),
    path(
        P + "forum/events/<slug:event>/summaries/",
        forum_summaries.summary_tracker,
        name="forum_summaries",
    ),
    path(
        P + "forum/events/<slug:event>/summaries/<int:session>/",
        forum_summaries.summary_detail,
        name="forum_summary",
    ),
    # The forum: side-event proposals and participation of an event.
    path(
        P + "forum/events/<slug:event>/proposals/",
        forum_proposals.proposal_list,
        name="forum_proposals",
    ),
    path(
        P + "forum/events/<slug:event>/proposals/<int:pk>/",
        forum_proposals.proposal_detail,
        name="forum_proposal",
    ),
    path(
        P + "forum/events/<slug:event>/participation/",
        forum_participation.participation_page,
        name="forum_participation",
    ),
    path(
        P + "forum/events/<slug:event>/participation/give-places/",
        forum_participation.give_places,
        name="forum_give_places",
    ),
    # Forum: stakeholder statements and consultations.
    path(
        P + "forum/events/<slug:event>/statements/",
        forum_statements.statements,
        name="forum_statements",
    ),
    path(
        P + "forum/statements/<int:statement>/select/",
        forum_statements.select,
        name="forum_statement_select",
    ),
    path(
        P + "forum/statements/<int:statement>/decline/",
        forum_statements.decline,
        name="forum_statement_decline",
    ),
    path(P + "forum/consultations/", forum_consultations.consultations, name="forum_consultations"),
    path(
        P + "forum/consultations/new/",
        forum_consultations.create,
        name="forum_consultation_create",
    ),
    path(
        P + "forum/consultations/<int:pk>/",
        forum_consultations.detail,
        name="forum_consultation",
    ),
    path(
        P + "forum/consultations/<int:pk>/edit/",
        forum_consultations.edit,
        name="forum_consultation_edit",
    ),
    path(
        P + "forum/consultations/<int:pk>/questions/new/",
        forum_consultations.question_add,
        name="forum_question_add",
    ),
    path(
        P + "forum/questions/<int:question>/",
        forum_consultations.question_edit,
        name="forum_question",
    ),
    path(
        P + "forum/questions/<int:question>/remove/",
        forum_consultations.question_remove,
        name="forum_question_remove",
    ),
    path(
        P + "forum/questions/<int:question>/move/<slug:direction>/",
        forum_consultations.question_move,
        name="forum_question_move",
    ),
    path(
        P + "forum/consultations/<int:pk>/responses/",
        forum_consultations.responses,
        name="forum_consultation_responses",
    ),
    path(
        P + "forum/consultations/<int:pk>/import/",
        forum_consultations.import_upload,
        name="forum_consultation_import",
    ),
    path(
        P + "forum/consultations/<int:pk>/import/confirm/",
        forum_consultations.import_confirm,
        name="forum_consultation_import_confirm",
    ),
    path(
        P + "forum/consultations/<int:pk>/import/template.csv",
        forum_consultations.import_template,
        name="forum_consultation_import_template",
    ),
    path(
        P + "forum/consultations/<int:pk>/themes/",
        forum_consultations.themes,
        name="forum_consultation_themes",
    ),
    path(
        P + "forum/consultations/<int:pk>/themes/group/",
        forum_consultations.group,
        name="forum_consultation_group",
    ),
    # The forum: events, rooms and sessions.
    path(P + "forum/", forum_schedule.events, name="forum_events"),
    path(P + "forum/events/new/", forum_schedule.event_create, name="forum_event_create"),
    path(P + "forum/events/<slug:event>/", forum_schedule.event_detail, name="forum_event"),
    path(P + "forum/events/<slug:event>/edit/", forum_schedule.event_edit, name="forum_event_edit"),
    path(
        P + "forum/events/<slug:event>/rooms/new/",
        forum_schedule.room_create,
        name="forum_room_create",
    ),
    path(
        P + "forum/events/<slug:event>/sessions/new/",
        forum_schedule.session_create,
        name="forum_session_create",
    ),
    path(
        P + "forum/events/<slug:event>/sessions/<int:session>/",
        forum_schedule.session_edit,
        name="forum_session",
    ),
    path(
        P + "forum/events/<slug:event>/sessions/<int:session>/cancel/",
        forum_schedule.session_cancel,
        name="forum_session_cancel",
    ),
    # Knowledge hub: case studies submitted for review.
    path(P + "case-studies/", portal_hub.case_studies, name="case_studies"),
    path(P + "case-studies/<int:pk>/publish/", portal_hub.publish, name="case_study_publish"),
    path(P + "case-studies/<int:pk>/return/", portal_hub.return_, name="case_study_return"),
]
