from django.urls import include, path

from . import api, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("lookup/", views.lookup, name="lookup"),
    path("file/<str:code>/", views.start, name="start"),
    path("drafts/<uuid:draft_id>/unit/", views.draft_unit, name="draft_unit"),
    path("drafts/<uuid:draft_id>/form/<int:group>/", views.draft_form, name="draft_form"),
    path("drafts/<uuid:draft_id>/documents/", views.draft_documents, name="draft_documents"),
    path("drafts/<uuid:draft_id>/delivery/", views.draft_delivery, name="draft_delivery"),
    path("drafts/<uuid:draft_id>/check/", views.draft_check, name="draft_check"),
    path("drafts/<uuid:draft_id>/discard/", views.draft_discard, name="draft_discard"),
    path("filed/<str:code>/", views.filed, name="filed"),
    path("my/", views.my_dossiers, name="my_dossiers"),
    path("my/<str:code>/", views.dossier, name="dossier"),
    path("my/<str:code>/withdraw/", views.withdraw, name="withdraw"),
    path("my/<str:code>/result.pdf", views.result_file, name="result_file"),
    path("datastore/", views.datastore, name="datastore"),
    path("datastore/<uuid:item_id>/", views.datastore_file, name="datastore_file"),
    path("profile/", views.profile, name="profile"),
    path("register/", views.register, name="register"),
    path("register/<uuid:pending_id>/", views.register_confirm, name="register_confirm"),
    # The citizen API lives under the project's API prefix, mounted here so the app owns it.
    path("api/v1/portal/", include(api.urlpatterns)),
]
