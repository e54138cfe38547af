from django.urls import path
from django.views.generic import TemplateView

app_name = "api"
_todo = TemplateView.as_view(template_name="base.html")
urlpatterns = [
    path("v1/schema/", _todo, name="schema"),
    path("v1/docs/", _todo, name="docs"),
]
