"""``/report/``: a maker's personal reporting link (no login).  ``reporting:link`` is the
address sent by e-mail (``reporting.domain.link_path``)."""

from django.urls import path

from pledgebook.workspace import views_report_link as views

app_name = "reporting"
T = "<str:token>/"
urlpatterns = [
    path(T, views.link_home, name="link"),
    path(T + "<int:commitment>/", views.link_report, name="report"),
    path(T + "<int:commitment>/correct/", views.link_correct, name="correct"),
    path(T + "<int:commitment>/confirm/", views.link_confirm, name="confirm"),
    path(T + "evidence/<int:evidence>/", views.link_evidence, name="evidence"),
]
