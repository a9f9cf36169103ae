from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.search, name="search"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.manage_create, name="manage_create"),
    path("manage/import/", views.manage_import, name="manage_import"),
    path("manage/export.<str:kind>", views.manage_export, name="manage_export"),
    path("manage/<str:code>/", views.manage_edit, name="manage_edit"),
    path("manage/<str:code>/publish/", views.manage_publish, name="manage_publish"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/form.pdf", views.form_template, name="form_template"),
]
