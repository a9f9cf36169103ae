"""The desk and back-office pages (namespace ``onestop``, mounted at ``/onestop/``)."""

from django.urls import path

from . import portalsync_views, result_signing_views, result_views, views

urlpatterns = [
    path("", views.queue_list, name="queues"),
    path("bulk/", views.bulk, name="bulk"),
    path("receive/", views.receive, name="receive"),
    path("portal-sync/", portalsync_views.portal_sync, name="portal_sync"),
    path("dossiers/<str:code>/", views.dossier_detail, name="dossier"),
    path("dossiers/<str:code>/act/", views.act, name="act"),
    path("dossiers/<str:code>/result/", views.attach_result, name="attach_result"),
    path("dossiers/<str:code>/result/file/", views.result_file, name="result_file"),
    path("dossiers/<str:code>/result/draft/", result_views.draft, name="result_draft"),
    path("dossiers/<str:code>/result/sign/", result_signing_views.start, name="result_sign_start"),
    path(
        "dossiers/<str:code>/result/sign/<int:pending>/complete/",
        result_signing_views.complete,
        name="result_sign_complete",
    ),
    path(
        "dossiers/<str:code>/result/sign/<int:pending>/status/",
        result_signing_views.status,
        name="result_sign_status",
    ),
    path("dossiers/<str:code>/result/correct/", result_views.correct, name="result_correct"),
    path(
        "dossiers/<str:code>/result/preview/<int:page>.png",
        result_views.preview,
        name="result_preview",
    ),
    path("dossiers/<str:code>/documents/<int:pk>/", views.document_file, name="document"),
    path("dossiers/<str:code>/documents/<int:pk>/view/", views.document_view, name="document_view"),
    path("dossiers/<str:code>/declaration/", views.declaration_edit, name="declaration"),
]
