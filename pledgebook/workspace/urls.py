from django.urls import path

from pledgebook.workspace import views

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
    path("commitments/new/", views.commitment_create, name="commitment_create"),
    path("commitments/assessment/", views.commitment_assessment, name="commitment_assessment"),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment_detail"),
    path("commitments/<int:pk>/edit/", views.commitment_edit, name="commitment_edit"),
    path("co-makers/<int:pk>/confirm/", views.co_maker_confirm, name="co_maker_confirm"),
]
