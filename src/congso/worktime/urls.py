from django.http import HttpResponse
from django.urls import path

app_name = "worktime"
urlpatterns = [
    path("manage/", lambda r: HttpResponse("placeholder"), name="manage"),
]
