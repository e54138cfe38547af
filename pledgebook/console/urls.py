from django.urls import path

from pledgebook.console.views import applications, audit, home, programme, review

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
    path(P + "commitments/<int:pk>/<slug:action>/", review.act, name="commitment_action"),
    path(P + "audit/", audit.audit_log, name="audit"),
]
