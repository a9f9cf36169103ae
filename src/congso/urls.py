from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from congso import connections, views

# The API first: a request's path is matched against the patterns in order, and the API's callers
# (the public lookup above all) should not walk the pages' 200 patterns first. No page pattern
# starts with "api/" but the portal's own "api/v1/portal/", which the API's patterns let through.
urlpatterns = [
    path("api/", include("congso.api.urls")),
    path("", include("congso.portal.urls")),
    path("accounts/", include("congso.accounts.urls")),
    path("units/", include("congso.accounts.unit_urls")),
    path("procedures/", include("congso.catalog.urls")),
    path("calendar/", include("congso.worktime.urls")),
    path("notifications/", include("congso.notify.urls")),
    path("inbox/", include("congso.inbox.urls")),
    path("onestop/", include("congso.onestop.urls")),
    path("signatures/", include("congso.signing.urls")),
    path("meetings/", include("congso.meetings.urls")),
    path("documents/", include("congso.documents.urls")),
    path("payments/", include("congso.payments.urls")),
    path("feedback/", include("congso.feedback.urls")),
    path("ky-nang-so/", include("congso.skills.urls")),
    path("ict/", include("congso.ict.urls")),
    path("dashboard/", include("congso.dashboard.urls")),
    path("connections/", connections.connections, name="connections"),
    path("audit/", include(([path("", views.audit_log, name="audit_log")], "core"))),
    path(
        "exports/",
        include(
            (
                [
                    path("<int:pk>/", views.export_page, name="export"),
                    path("<int:pk>/file/", views.export_file, name="export_file"),
                ],
                "exports",
            )
        ),
    ),
    path("partners/", include("congso.api.partner_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
if not settings.PRODUCTION:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
