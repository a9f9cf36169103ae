from django.urls import path

from . import views

app_name = "ict"
urlpatterns = [
    path("", views.summary, name="summary"),
    path("don-vi/<int:unit_pk>/", views.unit_page, name="unit"),
]
