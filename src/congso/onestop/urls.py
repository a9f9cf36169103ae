"""One-stop pages: the desk and back office (``desk_urls``) and the printed forms (``print_urls``)."""

from django.urls import include, path

app_name = "onestop"
urlpatterns = [
    path("", include("congso.onestop.desk_urls")),
    path("print/", include("congso.onestop.print_urls")),
]
