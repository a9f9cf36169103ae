"""The unit administration pages, under the ``org`` namespace their links have always used."""

from django.urls import path

from . import unit_views as views

app_name = "org"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/new/", views.create_child, name="create_child"),
    path("<int:pk>/retire/", views.retire, name="retire"),
]
