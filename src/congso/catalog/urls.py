from django.http import HttpResponse
from django.urls import path

app_name = "catalog"
urlpatterns = [
    path("search/", lambda r: HttpResponse("placeholder"), name="search"),
    path("manage/", lambda r: HttpResponse("placeholder"), name="manage"),
]
