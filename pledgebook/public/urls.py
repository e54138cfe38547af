from django.urls import path
from django.views.generic import TemplateView

app_name = "public"
# Placeholders: the public app's owner replaces these with the real views.
_todo = TemplateView.as_view(template_name="base.html")
urlpatterns = [
    path("", _todo, name="home"),
    path("programmes/", _todo, name="programmes"),
    path("programmes/<slug:programme>/", _todo, name="programme"),
    path("programmes/<slug:programme>/themes/<slug:theme>/", _todo, name="theme"),
    path("commitments/", _todo, name="directory"),
    path("commitments/<int:pk>/", _todo, name="commitment"),
    path("organisations/<slug:slug>/", _todo, name="organisation"),
    path("how-commitments-are-assessed/", _todo, name="assessment_rules"),
]
