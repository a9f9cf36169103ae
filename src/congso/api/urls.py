"""REST API v1. Each app owns its endpoints in its ``api.py``; this module only mounts them."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import exports, oauth

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("v1/oauth/token", oauth.token, name="api-oauth-token"),
    path("v1/", include(exports)),
    path("v1/", include("congso.onestop.api")),  # the busiest: dossiers and the public lookup
    path("v1/", include("congso.accounts.api")),
    path("v1/", include("congso.org.api")),
    path("v1/", include("congso.catalog.api")),
    path("v1/", include("congso.worktime.api")),
    path("v1/", include("congso.notify.api")),
    path("v1/", include("congso.signing.api")),
    path("v1/", include("congso.meetings.api")),
    path("v1/", include("congso.documents.api")),
    path("v1/", include("congso.payments.api")),
    path("v1/", include("congso.feedback.api")),
    path("v1/", include("congso.skills.api")),
    path("v1/", include("congso.ict.api")),
    path("v1/", include("congso.dashboard.api")),
    path("v1/", include("congso.inbox.api")),
]
