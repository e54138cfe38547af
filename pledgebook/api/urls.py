"""``/api/v1/``: the public, read-only JSON API and its OpenAPI description.

URL names (namespace ``api``): ``programme-list``, ``programme-detail``, ``theme-list``,
``theme-detail``, ``organisation-list``, ``organisation-detail``, ``commitment-list``,
``commitment-detail``, ``coalition-list``, ``coalition-detail``, ``event-list``,
``event-detail``, ``event-sessions`` (the forum's schedule), ``case-study-list``,
``case-study-detail`` (the knowledge hub), ``cochairs-summary`` (kwargs
``event-detail``, ``map``, ``sdgs`` (the map's and the SDG dashboard's figures),
``event-sessions`` (the forum's schedule), ``cochairs-summary`` (kwargs
``programme``, ``event``), ``exports``, ``export`` (kwarg ``identifier``), ``schema``, ``docs``.
"""

from django.urls import path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from pledgebook.api import (
    docs,
    views,
    views_forum_cochairs,
    views_forum_schedule,
    views_portal_hub,
    views_portal_map,
    views_portal_pitch,
)

app_name = "api"

router = SimpleRouter()
router.register("v1/programmes", views.ProgrammeViewSet, basename="programme")
router.register("v1/themes", views.ThemeViewSet, basename="theme")
router.register("v1/organisations", views.OrganisationViewSet, basename="organisation")
router.register("v1/commitments", views.CommitmentViewSet, basename="commitment")
router.register("v1/coalitions", views.CoalitionViewSet, basename="coalition")
router.register("v1/events", views_forum_schedule.EventViewSet, basename="event")
router.register("v1/case-studies", views_portal_hub.CaseStudyViewSet, basename="case-study")

urlpatterns = [
    # Someone who types /api/ meets the documentation.
    path("", RedirectView.as_view(pattern_name="api:docs"), name="root"),
    *router.urls,
    path("v1/exports/", views.ExportIndexView.as_view(), name="exports"),
    path("v1/exports/<slug:identifier>/", views.ExportView.as_view(), name="export"),
    path(
        "v1/forum/<slug:programme>/<slug:event>/cochairs-summary/",
        views_forum_cochairs.CochairsSummaryView.as_view(),
        name="cochairs-summary",
    ),
    path(
        "v1/pitch/ready-to-scale/",
        views_portal_pitch.ReadyToScaleView.as_view(),
        name="pitch-ready",
    ),
    path(
        "v1/pitch/outcomes/", views_portal_pitch.PitchFiguresView.as_view(), name="pitch-outcomes"
    ),
    path("v1/map/", views_portal_map.MapView.as_view(), name="map"),
    path("v1/sdgs/", views_portal_map.DashboardView.as_view(), name="sdgs"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", docs.docs, name="docs"),
]
