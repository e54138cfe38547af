from django.urls import path

from pledgebook.public import (
    views,
    views_coalition_page,
    views_coalitions,
    views_forum_consultations,
)

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
]
