from django.urls import path

from pledgebook.public import (
    views,
    views_coalition_page,
    views_coalitions,
    views_forum_cochairs,
    views_forum_consultations,
    views_forum_digest,
    views_forum_schedule,
    views_portal_finder,
    views_portal_hub,
    views_portal_map,
    views_portal_pitch,
)

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/<slug:programme>/", views.programme, name="programme"),
    path("programmes/<slug:programme>/themes/<slug:theme>/", views.theme, name="theme"),
    path(
        "programmes/<slug:programme>/ready-to-scale/",
        views_portal_pitch.ready,
        name="pitch_ready",
    ),
    path("commitments/", views.directory, name="directory"),
    path("commitments/<int:pk>/", views.commitment, name="commitment"),
    path("organisations/<slug:slug>/", views.organisation, name="organisation"),
    path("coalitions/", views_coalitions.directory, name="coalitions"),
    # The world map and the SDG dashboard (portal)
    path("map/", views_portal_map.world_map, name="map"),
    path("map/<str:iso2>/", views_portal_map.map_country, name="map_country"),
    path("sdgs/", views_portal_map.dashboard, name="sdgs"),
    path("sdgs/<int:number>/", views_portal_map.goal, name="sdg"),
    path("how-commitments-are-assessed/", views.assessment_rules, name="assessment_rules"),
    path("coalitions/<slug:slug>/", views_coalition_page.coalition, name="coalition"),
    # Partner finder (portal): ranked suggestions with reasons.
    path(
        "commitments/<int:pk>/partners/",
        views_portal_finder.commitment_partners,
        name="commitment_partners",
    ),
    path(
        "coalitions/<slug:slug>/partners/",
        views_portal_finder.coalition_partners,
        name="coalition_partners",
    ),
    # Knowledge hub: case studies of replicable models.
    path("knowledge/", views_portal_hub.hub, name="knowledge"),
    path("knowledge/<int:pk>/", views_portal_hub.case_study, name="case_study"),
    # Forum: follow-up digest and impact report
    path(
        "programmes/<slug:programme>/digests/subscribe/",
        views_forum_digest.subscribe,
        name="forum_subscribe",
    ),
    path(
        "programmes/<slug:programme>/digests/<int:pk>/",
        views_forum_digest.digest,
        name="forum_digest",
    ),
    path(
        "digests/confirm/<str:token>/",
        views_forum_digest.confirm,
        name="forum_subscription_confirm",
    ),
    path(
        "digests/unsubscribe/<str:token>/",
        views_forum_digest.unsubscribe,
        name="forum_unsubscribe",
    ),
    path(
        "programmes/<slug:programme>/events/<slug:event>/impact/",
        views_forum_digest.impact_report,
        name="forum_impact",
    ),
    path(
        "programmes/<slug:programme>/events/<slug:event>/impact.pdf",
        views_forum_digest.impact_pdf,
        name="forum_impact_pdf",
    ),
    # The published Co-Chairs' Summary of a forum event (forum/cochairs_document.py).
    path(
        "programmes/<slug:programme>/events/<slug:event>/cochairs-summary/",
        views_forum_cochairs.cochairs_summary,
        name="cochairs_summary",
    ),
    path(
        "programmes/<slug:programme>/events/<slug:event>/cochairs-summary.pdf",
        views_forum_cochairs.cochairs_summary_pdf,
        name="cochairs_summary_pdf",
    ),
    path(
        "programmes/<slug:programme>/events/<slug:event>/cochairs-summary.docx",
        views_forum_cochairs.cochairs_summary_docx,
        name="cochairs_summary_docx",
    ),
    path(
        "programmes/<slug:programme>/consultations/<slug:slug>/",
        views_forum_consultations.consultation,
        name="consultation",
    ),
    path(
        "programmes/<slug:programme>/consultations/<slug:slug>/results/",
        views_forum_consultations.results,
        name="consultation_results",
    ),
    # The forum's schedule: an event's programme, its sessions, the schedule as files.
    path(
        "programmes/<slug:programme>/events/<slug:event>/",
        views_forum_schedule.event,
        name="event",
    ),
    path(
        "programmes/<slug:programme>/events/<slug:event>/schedule.ics",
        views_forum_schedule.event_ics,
        name="event_ics",
    ),
    path(
        "programmes/<slug:programme>/events/<slug:event>/schedule.json",
        views_forum_schedule.event_frab,
        name="event_schedule_json",
    ),
    path(
        "programmes/<slug:programme>/events/<slug:event>/sessions/<int:session>/",
        views_forum_schedule.session,
        name="session",
    ),
    path(
        "programmes/<slug:programme>/events/<slug:event>/sessions/<int:session>/session.ics",
        views_forum_schedule.session_ics,
        name="session_ics",
    ),
]
