from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("procedures/", views.procedures, name="procedures"),
    path("index766/", views.index766, name="index766"),
]
