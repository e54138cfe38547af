from django.urls import path
from django.views.generic import TemplateView

app_name = "reporting"
_todo = TemplateView.as_view(template_name="base.html")
urlpatterns = [
    path("<str:token>/", _todo, name="link"),
]
