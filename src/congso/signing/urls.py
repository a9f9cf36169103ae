from django.urls import path

from . import admin_views, views

app_name = "signing"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("ocsp/", views.ocsp, name="ocsp"),
    path("ocsp/<path:encoded>", views.ocsp, name="ocsp_get"),
    path("certificates/", admin_views.certificates, name="certificates"),
    path("certificates/import/", admin_views.certificate_import, name="certificate_import"),
    path("certificates/<int:pk>/", admin_views.certificate, name="certificate"),
    path(
        "certificates/<int:pk>/pkcs11/", admin_views.certificate_pkcs11, name="certificate_pkcs11"
    ),
    path("certificates/<int:pk>/image/", admin_views.certificate_image, name="certificate_image"),
    path(
        "certificates/<int:pk>/revoke/", admin_views.certificate_revoke, name="certificate_revoke"
    ),
    path("roots/", admin_views.roots, name="roots"),
    path("roots/<int:pk>/trust/", admin_views.root_trust, name="root_trust"),
]
