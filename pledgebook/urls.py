from django.contrib import admin
from django.urls import include, path

from pledgebook.core.views import request_too_large

urlpatterns = [
    path("", include("pledgebook.public.urls")),
    path("accounts/", include("pledgebook.accounts.urls")),
    path("workspace/", include("pledgebook.workspace.urls")),
    path("console/", include("pledgebook.console.urls")),
    path("api/", include("pledgebook.api.urls")),
    path("report/", include("pledgebook.workspace.urls_report")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # The proxy's page for a body over its client_max_body_size
    # (deploy/nginx/pledgebook-server.conf).
    path("request-too-large/", request_too_large, name="request_too_large"),
]

# Under /api/ errors answer in JSON (api/errors.py); elsewhere the HTML pages of templates/.
handler404 = "pledgebook.api.errors.not_found"
handler500 = "pledgebook.api.errors.server_error"
