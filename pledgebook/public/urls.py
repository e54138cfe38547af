from django.urls import path

from pledgebook.public import views, views_coalition_page, views_coalitions, views_forum_schedule

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/<slug:programme>/", views.programme, name="programme"),
    path("programmes/<slug:programme>/themes/<slug:theme>/", views.theme, name="theme"),
    path("commitments/", views.directory, name="directory"),
    path("commitments/<int:pk>/", views.commitment, name="commitment"),
    path("organisations/<slug:slug>/", views.organisation, name="organisation"),
    path("coalitions/", views_coalitions.directory, name="coalitions"),
    path("how-commitments-are-assessed/", views.assessment_rules, name="assessment_rules"),
    path("coalitions/<slug:slug>/", views_coalition_page.coalition, name="coalition"),
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
